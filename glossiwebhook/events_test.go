package glossiwebhook

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestKnownEvents(t *testing.T) {
	want := []EventType{"model.processed", "model.failed", "project.created", "job.complete", "job.failed", "render.complete", "render.failed"}
	got := KnownEvents()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("KnownEvents = %v", got)
	}
	got[0] = "changed"
	if KnownEvents()[0] != EventModelProcessed {
		t.Fatal("KnownEvents returned a shared slice")
	}
	for _, e := range want {
		if !e.Known() {
			t.Errorf("%s not known", e)
		}
	}
	for _, e := range []EventType{"", "model", "MODEL.PROCESSED", "model.processed ", "model.deleted"} {
		if e.Known() {
			t.Errorf("%q known", e)
		}
	}
}

func TestDataAs_typedPayloads(t *testing.T) {
	tests := []struct {
		event EventType
		data  string
		want  any
	}{
		{EventModelProcessed, `{"modelId":"model-uuid","name":"Chair Model","status":"READY","glbFilePath":"https://s3.../file.glb","thumbnailUrl":"https://s3.../file.jpg"}`,
			&ModelProcessed{ModelID: "model-uuid", Name: "Chair Model", Status: "READY", GLBFilePath: "https://s3.../file.glb", ThumbnailURL: "https://s3.../file.jpg"}},
		{EventModelFailed, `{"modelId":"model-uuid","name":"Chair Model","status":"FAILED","error":"Model conversion failed: unsupported format"}`,
			&ModelFailed{ModelID: "model-uuid", Name: "Chair Model", Status: "FAILED", Error: "Model conversion failed: unsupported format"}},
		{EventProjectCreated, `{"projectId":"project-uuid","name":"Chair Project","modelIds":["model-uuid"],"templateId":"template-uuid"}`,
			&ProjectCreated{ProjectID: "project-uuid", Name: "Chair Project", ModelIDs: []string{"model-uuid"}, TemplateID: "template-uuid"}},
		{EventJobComplete, `{"jobId":"job-uuid","status":"COMPLETE","results":[{"model":{"id":"model-uuid","name":"Chair"},"project":{"id":"project-uuid","name":"Chair Project"}}]}`,
			&JobComplete{JobID: "job-uuid", Status: "COMPLETE", Results: []JobResult{{Model: Ref{ID: "model-uuid", Name: "Chair"}, Project: Ref{ID: "project-uuid", Name: "Chair Project"}}}}},
		{EventJobFailed, `{"jobId":"job-uuid","status":"FAILED","error":"Model processing timed out"}`,
			&JobFailed{JobID: "job-uuid", Status: "FAILED", Error: "Model processing timed out"}},
		{EventRenderComplete, `{"jobId":"render-job-uuid","status":"COMPLETED","projectId":"project-uuid","renderIds":["render-uuid-1","render-uuid-2"]}`,
			&RenderComplete{JobID: "render-job-uuid", Status: "COMPLETED", ProjectID: "project-uuid", RenderIDs: []string{"render-uuid-1", "render-uuid-2"}}},
		{EventRenderFailed, `{"jobId":"render-job-uuid","projectId":"project-uuid","error":"Render timed out","newField":1}`,
			&RenderFailed{JobID: "render-job-uuid", ProjectID: "project-uuid", Error: "Render timed out"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.event), func(t *testing.T) {
			ev := &Event{Type: tt.event, Data: json.RawMessage(tt.data)}
			got, err := decodeTyped(ev)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("DataAs = %#v, %v", got, err)
			}
			if p, ok := tt.want.(payload); !ok || p.eventType() != tt.event {
				t.Fatalf("%T: EventType is not %s", tt.want, tt.event)
			}
			// Any other typed payload is refused.
			for _, other := range KnownEvents() {
				if other == tt.event {
					continue
				}
				if decoded, decodeErr := decodeAs(ev, other); !errors.Is(decodeErr, ErrInvalidPayload) || decoded != nil {
					t.Fatalf("%s data decoded as the payload of %s: %v", tt.event, other, decodeErr)
				}
			}
			// Untyped targets work for every event.
			m, err := DataAs[map[string]any](ev)
			if err != nil || len(m) == 0 {
				t.Fatalf("DataAs[map] = %v, %v", m, err)
			}
		})
	}
}

func TestDataAs(t *testing.T) {
	ev := &Event{Type: EventJobFailed, Data: json.RawMessage(`{"jobId":"j","status":"FAILED","error":"e"}`)}
	jf, err := DataAs[JobFailed](ev)
	if err != nil || jf != (JobFailed{JobID: "j", Status: "FAILED", Error: "e"}) {
		t.Fatalf("DataAs = %+v, %v", jf, err)
	}
	if _, err := DataAs[ModelProcessed](ev); !errors.Is(err, ErrInvalidPayload) || !strings.Contains(err.Error(), "cannot decode job.failed data as glossiwebhook.ModelProcessed") {
		t.Fatalf("DataAs[ModelProcessed] = %v", err)
	}
	bad := &Event{Type: EventJobFailed, Data: json.RawMessage(`"not an object"`)}
	if _, err := DataAs[JobFailed](bad); !errors.Is(err, ErrInvalidPayload) {
		t.Fatalf("DataAs on a string = %v", err)
	}
	if _, err := DataAs[JobFailed](&Event{Type: EventJobFailed}); !errors.Is(err, ErrInvalidPayload) {
		t.Fatalf("DataAs without data = %v", err)
	}
	wrongField := &Event{Type: EventJobFailed, Data: json.RawMessage(`{"jobId":42}`)}
	if _, err := DataAs[JobFailed](wrongField); !errors.Is(err, ErrInvalidPayload) {
		t.Fatalf("DataAs with a numeric id = %v", err)
	}
}
