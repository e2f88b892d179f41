package glossiwebhook

import (
	"encoding/json"
	"fmt"
	"time"
)

// EventType names a Glossi webhook event, such as "model.processed".
type EventType string

// The events Glossi sends, in the order of the Glossi documentation.
const (
	// EventModelProcessed is sent when a model finishes processing and is
	// ready to use. Its data is a ModelProcessed.
	EventModelProcessed EventType = "model.processed"
	// EventModelFailed is sent when model processing fails. Its data is a
	// ModelFailed.
	EventModelFailed EventType = "model.failed"
	// EventProjectCreated is sent when a project is created. Its data is a
	// ProjectCreated.
	EventProjectCreated EventType = "project.created"
	// EventJobComplete is sent when a Jobs API workflow completes
	// successfully. Its data is a JobComplete.
	EventJobComplete EventType = "job.complete"
	// EventJobFailed is sent when a Jobs API workflow fails. Its data is a
	// JobFailed.
	EventJobFailed EventType = "job.failed"
	// EventRenderComplete is sent when a render job completes successfully.
	// Its data is a RenderComplete.
	EventRenderComplete EventType = "render.complete"
	// EventRenderFailed is sent when a render job fails. Its data is a
	// RenderFailed.
	EventRenderFailed EventType = "render.failed"
)

// EventProbe is not a Glossi event: it names the signed test delivery that the
// glossi_webhook_probe data source sends to check that a receiver accepts the
// secret and refuses a forgery. It is not one of KnownEvents.
const EventProbe EventType = "probe.not_a_glossi_event"

// KnownEvents returns the seven event types this package knows, in the order
// of the Glossi documentation. The slice is new on every call.
func KnownEvents() []EventType {
	return []EventType{
		EventModelProcessed,
		EventModelFailed,
		EventProjectCreated,
		EventJobComplete,
		EventJobFailed,
		EventRenderComplete,
		EventRenderFailed,
	}
}

// Known reports whether t is one of the event types returned by KnownEvents.
// Deliveries of unknown types are still returned by Parse, so that an event
// Glossi adds later never breaks a receiver; check Known to skip them.
func (t EventType) Known() bool {
	switch t {
	case EventModelProcessed, EventModelFailed, EventProjectCreated,
		EventJobComplete, EventJobFailed, EventRenderComplete, EventRenderFailed:
		return true
	}
	return false
}

// String returns the event type as Glossi spells it.
func (t EventType) String() string { return string(t) }

// Event is a verified delivery.
type Event struct {
	// Type is the body's "event" field. It may be a type this package does
	// not know (see EventType.Known).
	Type EventType
	// Timestamp is the body's "timestamp" field.
	Timestamp time.Time
	// Data is the body's "data" field, as raw JSON; nil if the body has
	// none. Decode it with DecodeData, DataAs or Payload.
	Data json.RawMessage
	// Raw is the exact body that was signed. It is the slice given to
	// Parse, not a copy: do not modify it.
	Raw []byte
	// DedupKey identifies this delivery: the lowercase hex SHA-256 of Raw.
	// Glossi sends no event id, and a retry carries the same bytes, so the
	// body itself is the identity of a delivery.
	DedupKey string
}

// payload is implemented by the typed payloads of this package.
type payload interface {
	EventType() EventType
}

// DecodeData decodes e.Data into v, which is usually a pointer to one of the
// typed payloads (such as *ModelProcessed). If v is a typed payload of
// another event type than e.Type, DecodeData returns ErrWrongEventType
// without decoding. Unknown JSON fields are ignored, so fields Glossi adds
// later do not break decoding. Decoding errors wrap ErrInvalidPayload.
func (e *Event) DecodeData(v any) error {
	if p, ok := v.(payload); ok && p.EventType() != e.Type {
		return fmt.Errorf("%w: cannot decode %s data into %T", ErrWrongEventType, e.Type, v)
	}
	if len(e.Data) == 0 {
		return fmt.Errorf("%w: %s delivery has no data", ErrInvalidPayload, e.Type)
	}
	if err := json.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("%w: decoding %s data: %w", ErrInvalidPayload, e.Type, err)
	}
	return nil
}

// DataAs decodes the event's data into a T, typically one of the typed
// payloads. It is DecodeData with the type as a parameter:
//
//	mp, err := glossiwebhook.DataAs[glossiwebhook.ModelProcessed](ev)
func DataAs[T any](e *Event) (T, error) {
	var v T
	err := e.DecodeData(&v)
	return v, err
}

// Payload decodes the event's data into the typed payload for e.Type and
// returns a pointer to it (such as *ModelProcessed), ready for a type
// switch. For an unknown event type it returns e.Data as a json.RawMessage
// and no error.
func (e *Event) Payload() (any, error) {
	var v any
	switch e.Type {
	case EventModelProcessed:
		v = new(ModelProcessed)
	case EventModelFailed:
		v = new(ModelFailed)
	case EventProjectCreated:
		v = new(ProjectCreated)
	case EventJobComplete:
		v = new(JobComplete)
	case EventJobFailed:
		v = new(JobFailed)
	case EventRenderComplete:
		v = new(RenderComplete)
	case EventRenderFailed:
		v = new(RenderFailed)
	default:
		return e.Data, nil
	}
	if err := e.DecodeData(v); err != nil {
		return nil, err
	}
	return v, nil
}

// ModelProcessed is the data of a model.processed event.
type ModelProcessed struct {
	ModelID      string `json:"modelId"`
	Name         string `json:"name"`
	Status       string `json:"status"`
	GLBFilePath  string `json:"glbFilePath"`
	ThumbnailURL string `json:"thumbnailUrl"`
}

// EventType returns EventModelProcessed.
func (*ModelProcessed) EventType() EventType { return EventModelProcessed }

// ModelFailed is the data of a model.failed event.
type ModelFailed struct {
	ModelID string `json:"modelId"`
	Name    string `json:"name"`
	Status  string `json:"status"`
	Error   string `json:"error"`
}

// EventType returns EventModelFailed.
func (*ModelFailed) EventType() EventType { return EventModelFailed }

// ProjectCreated is the data of a project.created event.
type ProjectCreated struct {
	ProjectID  string   `json:"projectId"`
	Name       string   `json:"name"`
	ModelIDs   []string `json:"modelIds"`
	TemplateID string   `json:"templateId"`
}

// EventType returns EventProjectCreated.
func (*ProjectCreated) EventType() EventType { return EventProjectCreated }

// JobComplete is the data of a job.complete event.
type JobComplete struct {
	JobID   string      `json:"jobId"`
	Status  string      `json:"status"`
	Results []JobResult `json:"results"`
}

// EventType returns EventJobComplete.
func (*JobComplete) EventType() EventType { return EventJobComplete }

// JobResult is one result of a completed job: the model and the project it
// produced.
type JobResult struct {
	Model   Ref `json:"model"`
	Project Ref `json:"project"`
}

// Ref names a Glossi object (a model or a project) by id and name.
type Ref struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// JobFailed is the data of a job.failed event.
type JobFailed struct {
	JobID  string `json:"jobId"`
	Status string `json:"status"`
	Error  string `json:"error"`
}

// EventType returns EventJobFailed.
func (*JobFailed) EventType() EventType { return EventJobFailed }

// RenderComplete is the data of a render.complete event.
type RenderComplete struct {
	JobID     string   `json:"jobId"`
	Status    string   `json:"status"`
	ProjectID string   `json:"projectId"`
	RenderIDs []string `json:"renderIds"`
}

// EventType returns EventRenderComplete.
func (*RenderComplete) EventType() EventType { return EventRenderComplete }

// RenderFailed is the data of a render.failed event.
type RenderFailed struct {
	JobID     string `json:"jobId"`
	ProjectID string `json:"projectId"`
	Error     string `json:"error"`
}

// EventType returns EventRenderFailed.
func (*RenderFailed) EventType() EventType { return EventRenderFailed }
