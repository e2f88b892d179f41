package glossiwebhook

import (
	"encoding/hex"
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
// secret and refuses a forgery. It is not one of KnownEvents. Middleware
// answers a verified probe with 200 "probe ok" itself, without calling the
// handler, so probes have no side effects; a probe with a bad signature is
// refused like any delivery.
const EventProbe EventType = "probe.not_a_glossi_event"

// knownEvents is the one list of Glossi events.
var knownEvents = []EventType{
	EventModelProcessed,
	EventModelFailed,
	EventProjectCreated,
	EventJobComplete,
	EventJobFailed,
	EventRenderComplete,
	EventRenderFailed,
}

// KnownEvents returns the seven event types this package knows, in the order
// of the Glossi documentation. The slice is new on every call.
func KnownEvents() []EventType {
	return append([]EventType(nil), knownEvents...)
}

// Known reports whether t is one of the event types returned by KnownEvents.
// Deliveries of unknown types are still returned by Parse, so that an event
// Glossi adds later never breaks a receiver; check Known to skip them.
func (t EventType) Known() bool {
	for _, k := range knownEvents {
		if t == k {
			return true
		}
	}
	return false
}

// Event is a verified delivery.
type Event struct {
	// Type is the body's "event" field. It may be a type this package does
	// not know (see EventType.Known).
	Type EventType
	// Timestamp is the body's "timestamp" field.
	Timestamp time.Time
	// Data is the body's "data" field, as the raw JSON it was sent as; nil
	// if the body has none. Decode it with DataAs.
	Data json.RawMessage
	// Raw is the exact body that was signed. It is the slice given to
	// Parse, not a copy: do not modify it.
	Raw []byte

	sig [32]byte // the decoded signature: it identifies the exact body
}

// DedupKey identifies the delivery, for deduplicating it: the lowercase hex
// of its signature, the HMAC of the exact body. Deduplicate keys on it; use
// it with a Deduper, or your own store, when you call Parse or ParseRequest
// yourself (a serverless function, a queue consumer).
//
// It rests on one assumption: a retry carries the same body and the same
// signature as the first attempt (Glossi signs a delivery once), so a retry
// has the same key whichever signature case it is sent in. A sender that
// signs a retry again with another secret, after a rotation, sends a new
// key: deduplicate on an id in the data as well if your handler must never
// run twice then.
func (ev *Event) DedupKey() string {
	var key [2 * len(ev.sig)]byte
	hex.Encode(key[:], ev.sig[:])
	return string(key[:])
}

// payload is implemented by the typed payloads of this package.
type payload interface {
	eventType() EventType
}

// DataAs decodes the event's data into a T, usually one of the typed
// payloads (ModelProcessed, ModelFailed, ...):
//
//	m, err := glossiwebhook.DataAs[glossiwebhook.ModelProcessed](ev)
//
// Asking for the payload of another event type, data missing or data that
// does not decode into T fail with ErrInvalidPayload. Unknown JSON fields
// are ignored, so fields Glossi adds later do not break decoding.
func DataAs[T any](e *Event) (T, error) {
	var v T
	if p, ok := any(&v).(payload); ok && p.eventType() != e.Type {
		return v, fmt.Errorf("%w: cannot decode %s data as %T", ErrInvalidPayload, e.Type, v)
	}
	if len(e.Data) == 0 {
		return v, fmt.Errorf("%w: %s delivery has no data", ErrInvalidPayload, e.Type)
	}
	if err := json.Unmarshal(e.Data, &v); err != nil {
		return v, fmt.Errorf("%w: decoding %s data: %w", ErrInvalidPayload, e.Type, err)
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

// eventType returns EventModelProcessed.
func (*ModelProcessed) eventType() EventType { return EventModelProcessed }

// ModelFailed is the data of a model.failed event.
type ModelFailed struct {
	ModelID string `json:"modelId"`
	Name    string `json:"name"`
	Status  string `json:"status"`
	Error   string `json:"error"`
}

// eventType returns EventModelFailed.
func (*ModelFailed) eventType() EventType { return EventModelFailed }

// ProjectCreated is the data of a project.created event.
type ProjectCreated struct {
	ProjectID  string   `json:"projectId"`
	Name       string   `json:"name"`
	ModelIDs   []string `json:"modelIds"`
	TemplateID string   `json:"templateId"`
}

// eventType returns EventProjectCreated.
func (*ProjectCreated) eventType() EventType { return EventProjectCreated }

// JobComplete is the data of a job.complete event.
type JobComplete struct {
	JobID   string      `json:"jobId"`
	Status  string      `json:"status"`
	Results []JobResult `json:"results"`
}

// eventType returns EventJobComplete.
func (*JobComplete) eventType() EventType { return EventJobComplete }

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

// eventType returns EventJobFailed.
func (*JobFailed) eventType() EventType { return EventJobFailed }

// RenderComplete is the data of a render.complete event.
type RenderComplete struct {
	JobID     string   `json:"jobId"`
	Status    string   `json:"status"`
	ProjectID string   `json:"projectId"`
	RenderIDs []string `json:"renderIds"`
}

// eventType returns EventRenderComplete.
func (*RenderComplete) eventType() EventType { return EventRenderComplete }

// RenderFailed is the data of a render.failed event.
type RenderFailed struct {
	JobID     string `json:"jobId"`
	ProjectID string `json:"projectId"`
	Error     string `json:"error"`
}

// eventType returns EventRenderFailed.
func (*RenderFailed) eventType() EventType { return EventRenderFailed }
