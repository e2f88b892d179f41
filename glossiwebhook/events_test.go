package glossiwebhook

import (
	"encoding/json"
	"errors"
	"reflect"
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
		if !e.Known() || e.String() != string(e) {
			t.Errorf("%s not known", e)
		}
	}
	for _, e := range []EventType{"", "model", "MODEL.PROCESSED", "model.processed ", "model.deleted"} {
		if e.Known() {
			t.Errorf("%q known", e)
		}
	}
}

func TestDecodeData(t *testing.T) {
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
			// Payload picks the type.
			got, err := ev.Payload()
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Payload = %#v, %v", got, err)
			}
			// DecodeData into a fresh value of the same type.
			fresh := reflect.New(reflect.TypeOf(tt.want).Elem()).Interface()
			if err := ev.DecodeData(fresh); err != nil || !reflect.DeepEqual(fresh, tt.want) {
				t.Fatalf("DecodeData = %#v, %v", fresh, err)
			}
			if p, ok := tt.want.(payload); !ok || p.EventType() != tt.event {
				t.Fatalf("%T: EventType is not %s", tt.want, tt.event)
			}
			// Any other typed payload is refused.
			for _, other := range []any{&ModelProcessed{}, &ModelFailed{}, &ProjectCreated{}, &JobComplete{}, &JobFailed{}, &RenderComplete{}, &RenderFailed{}} {
				if p, ok := other.(payload); !ok || p.EventType() == tt.event {
					continue
				}
				if err := ev.DecodeData(other); !errors.Is(err, ErrWrongEventType) {
					t.Fatalf("DecodeData(%T) = %v, want ErrWrongEventType", other, err)
				}
			}
			// Untyped targets work for every event.
			var m map[string]any
			if err := ev.DecodeData(&m); err != nil || len(m) == 0 {
				t.Fatalf("DecodeData(map) = %v, %v", m, err)
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
	if _, err := DataAs[ModelProcessed](ev); !errors.Is(err, ErrWrongEventType) {
		t.Fatalf("DataAs[ModelProcessed] = %v", err)
	}
	bad := &Event{Type: EventJobFailed, Data: json.RawMessage(`"not an object"`)}
	if _, err := DataAs[JobFailed](bad); !errors.Is(err, ErrInvalidPayload) {
		t.Fatalf("DataAs on a string = %v", err)
	}
	if _, err := bad.Payload(); !errors.Is(err, ErrInvalidPayload) {
		t.Fatalf("Payload on a string = %v", err)
	}
	wrongField := &Event{Type: EventJobFailed, Data: json.RawMessage(`{"jobId":42}`)}
	if _, err := DataAs[JobFailed](wrongField); !errors.Is(err, ErrInvalidPayload) {
		t.Fatalf("DataAs with a numeric id = %v", err)
	}
}
