package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
)

// The headers and values of a delivery.
const (
	// DeliveryUserAgent is the User-Agent of every delivery the sandbox sends.
	DeliveryUserAgent = "Glossi-Webhooks/sandbox"

	// DeliveryContentType is the Content-Type of every delivery.
	DeliveryContentType = "application/json"
)

// KnownEvent reports whether event is one of the event types of the Glossi
// documentation (see EventTypes).
func KnownEvent(event string) bool {
	return slices.Contains(knownEvents, event)
}

// SampleData returns realistic, compact JSON data for event, shaped as in the
// Glossi documentation, with fresh ids. It fails with an error wrapping
// ErrUnknownEvent for an event type the documentation does not list.
func SampleData(event string) (json.RawMessage, error) {
	id := func(prefix string) string { return prefix + "-" + uuid.NewString() }
	type ref struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	var v any
	switch event {
	case "model.processed":
		m := id("model")
		v = struct {
			ModelID      string `json:"modelId"`
			Name         string `json:"name"`
			Status       string `json:"status"`
			GLBFilePath  string `json:"glbFilePath"`
			ThumbnailURL string `json:"thumbnailUrl"`
		}{m, "Chair Model", "READY",
			"https://s3.amazonaws.com/glossi-sandbox/models/" + m + "/chair.glb",
			"https://s3.amazonaws.com/glossi-sandbox/models/" + m + "/thumbnail.jpg"}
	case "model.failed":
		v = struct {
			ModelID string `json:"modelId"`
			Name    string `json:"name"`
			Status  string `json:"status"`
			Error   string `json:"error"`
		}{id("model"), "Chair Model", "FAILED", "Model conversion failed: unsupported format"}
	case "project.created":
		v = struct {
			ProjectID  string   `json:"projectId"`
			Name       string   `json:"name"`
			ModelIDs   []string `json:"modelIds"`
			TemplateID string   `json:"templateId"`
		}{id("project"), "Chair Project", []string{id("model")}, id("template")}
	case "job.complete":
		type result struct {
			Model   ref `json:"model"`
			Project ref `json:"project"`
		}
		v = struct {
			JobID   string   `json:"jobId"`
			Status  string   `json:"status"`
			Results []result `json:"results"`
		}{id("job"), "COMPLETE", []result{{ref{id("model"), "Chair"}, ref{id("project"), "Chair Project"}}}}
	case "job.failed":
		v = struct {
			JobID  string `json:"jobId"`
			Status string `json:"status"`
			Error  string `json:"error"`
		}{id("job"), "FAILED", "Model processing timed out"}
	case "render.complete":
		v = struct {
			JobID     string   `json:"jobId"`
			Status    string   `json:"status"`
			ProjectID string   `json:"projectId"`
			RenderIDs []string `json:"renderIds"`
		}{id("render-job"), "COMPLETED", id("project"), []string{id("render"), id("render")}}
	case "render.failed":
		v = struct {
			JobID     string `json:"jobId"`
			ProjectID string `json:"projectId"`
			Error     string `json:"error"`
		}{id("render-job"), id("project"), "Render timed out"}
	default:
		return nil, fmt.Errorf("%w %q; known events are %v", ErrUnknownEvent, event, knownEvents)
	}
	return marshalCompact(v)
}

// DeliveryBody returns the exact bytes the sandbox sends for a delivery:
// the compact JSON envelope {"event","timestamp","data"}, the timestamp in UTC
// with milliseconds (2025-01-15T10:30:00.000Z). data must be a JSON object;
// nil means SampleData(event). HTML characters are not escaped, as a Node.js
// sender would not escape them.
func DeliveryBody(event string, at time.Time, data json.RawMessage) ([]byte, error) {
	if !KnownEvent(event) {
		return nil, fmt.Errorf("%w %q; known events are %v", ErrUnknownEvent, event, knownEvents)
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

// marshalCompact is json.Marshal without HTML escaping.
func marshalCompact(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
