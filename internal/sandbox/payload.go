package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// The headers and values of a delivery.
const (
	// DeliveryUserAgent is the User-Agent of every delivery the sandbox sends.
	DeliveryUserAgent = "Glossi-Webhooks/sandbox"

	// DeliveryContentType is the Content-Type of every delivery.
	DeliveryContentType = "application/json"
)

// SampleData returns realistic, compact JSON data for event, built from
// glossiwebhook's typed payload of that event, with fresh ids. It fails with
// an error wrapping ErrUnknownEvent for an event type the documentation does
// not list.
func SampleData(event string) (json.RawMessage, error) {
	sample, ok := samples[glossiwebhook.EventType(event)]
	if !ok {
		return nil, unknownEventError(event)
	}
	return marshalCompact(sample())
}

// samples builds each event's data; a test checks it covers KnownEvents.
var samples = map[glossiwebhook.EventType]func() any{
	glossiwebhook.EventModelProcessed: func() any {
		m := sampleID("model")
		files := "https://s3.amazonaws.com/glossi-sandbox/models/" + m
		return glossiwebhook.ModelProcessed{ModelID: m, Name: "Chair Model", Status: "READY",
			GLBFilePath: files + "/chair.glb", ThumbnailURL: files + "/thumbnail.jpg"}
	},
	glossiwebhook.EventModelFailed: func() any {
		return glossiwebhook.ModelFailed{ModelID: sampleID("model"), Name: "Chair Model", Status: "FAILED",
			Error: "Model conversion failed: unsupported format"}
	},
	glossiwebhook.EventProjectCreated: func() any {
		return glossiwebhook.ProjectCreated{ProjectID: sampleID("project"), Name: "Chair Project",
			ModelIDs: []string{sampleID("model")}, TemplateID: sampleID("template")}
	},
	glossiwebhook.EventJobComplete: func() any {
		return glossiwebhook.JobComplete{JobID: sampleID("job"), Status: "COMPLETE", Results: []glossiwebhook.JobResult{{
			Model:   glossiwebhook.Ref{ID: sampleID("model"), Name: "Chair"},
			Project: glossiwebhook.Ref{ID: sampleID("project"), Name: "Chair Project"},
		}}}
	},
	glossiwebhook.EventJobFailed: func() any {
		return glossiwebhook.JobFailed{JobID: sampleID("job"), Status: "FAILED", Error: "Model processing timed out"}
	},
	glossiwebhook.EventRenderComplete: func() any {
		return glossiwebhook.RenderComplete{JobID: sampleID("render-job"), Status: "COMPLETED",
			ProjectID: sampleID("project"), RenderIDs: []string{sampleID("render"), sampleID("render")}}
	},
	glossiwebhook.EventRenderFailed: func() any {
		return glossiwebhook.RenderFailed{JobID: sampleID("render-job"), ProjectID: sampleID("project"),
			Error: "Render timed out"}
	},
}

func sampleID(prefix string) string { return prefix + "-" + uuid.NewString() }

// DeliveryBody returns the exact bytes the sandbox sends for a delivery:
// the compact JSON envelope {"event","timestamp","data"}, the timestamp in UTC
// with milliseconds (2025-01-15T10:30:00.000Z). data must be a JSON object;
// nil means SampleData(event). HTML characters are not escaped, as a Node.js
// sender would not escape them.
func DeliveryBody(event string, at time.Time, data json.RawMessage) ([]byte, error) {
	if !KnownEvent(event) {
		return nil, unknownEventError(event)
	}
	if data == nil {
		var err error
		if data, err = SampleData(event); err != nil {
			return nil, err
		}
	}
	trimmed := bytes.TrimSpace(data)
	if !json.Valid(trimmed) || len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, fmt.Errorf("%w: data must be a JSON object", ErrInvalidData)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, trimmed); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidData, err)
	}
	return marshalCompact(struct {
		Event     string          `json:"event"`
		Timestamp string          `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}{event, at.UTC().Format(timeLayout), compact.Bytes()})
}
