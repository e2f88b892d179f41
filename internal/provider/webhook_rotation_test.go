package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// previousSecretWindow covers Glossi's schedule: the last retry of a delivery comes about 36
// minutes after its first attempt.
const previousSecretWindow = time.Hour

// rotatingReceiver is a receiver configured from the state's secret, previous_secret and
// secret_rotated_at. It counts the deliveries it accepts, and the ones it refuses as forged.
type rotatingReceiver struct {
	dedup glossiwebhook.Deduper

	mu       sync.Mutex
	verifier *glossiwebhook.Verifier
	down     bool           // answers 503 to everything, as during an outage
	accepted map[string]int // by delivery (bodyDigest)
	refused  int            // deliveries refused for their signature
}

func newRotatingReceiver() *rotatingReceiver {
	return &rotatingReceiver{dedup: glossiwebhook.NewMemoryDeduper(100), accepted: map[string]int{}}
}

// useState configures the verifier from the resource's attributes in state.
func (r *rotatingReceiver) useState(attrs map[string]any) error {
	secret, _ := attrs["secret"].(string)
	previous, _ := attrs["previous_secret"].(string)
	rotatedAt, _ := attrs["secret_rotated_at"].(string)
	opts := []glossiwebhook.Option{glossiwebhook.WithErrorHandler(r.refuse)}
	if previous != "" {
		at, err := time.Parse(time.RFC3339, rotatedAt)
		if err != nil {
			return fmt.Errorf("secret_rotated_at: %w", err)
		}
		opts = append(opts, glossiwebhook.WithPreviousSecret(previous, at.Add(previousSecretWindow)))
	}
	v, err := glossiwebhook.NewVerifier(secret, opts...)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.verifier = v
	return nil
}

// goDown makes the receiver refuse every delivery (an outage) until comeBack.
func (r *rotatingReceiver) goDown() { r.setDown(true) }

func (r *rotatingReceiver) comeBack() { r.setDown(false) }

func (r *rotatingReceiver) setDown(down bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = down
}

func (r *rotatingReceiver) refuse(w http.ResponseWriter, _ *http.Request, err error) {
	if errors.Is(err, glossiwebhook.ErrSignatureMismatch) {
		r.mu.Lock()
		r.refused++
		r.mu.Unlock()
	}
	http.Error(w, "refused", glossiwebhook.HTTPStatus(err))
}

func (r *rotatingReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	v, down := r.verifier, r.down
	r.mu.Unlock()
	if down || v == nil {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	v.Middleware(glossiwebhook.Deduplicate(r.dedup, http.HandlerFunc(func(_ http.ResponseWriter, req *http.Request) {
		ev, _ := glossiwebhook.EventFromContext(req.Context())
		r.mu.Lock()
		r.accepted[bodyDigest(ev.Raw)]++
		r.mu.Unlock()
	}))).ServeHTTP(w, req)
}

// configure is a state check that gives the receiver the secrets in state.
func (r *rotatingReceiver) configure() statecheck.StateCheck {
	return stateAttributesFunc(func(attrs map[string]any) error { return r.useState(attrs) })
}

// trigger sends n model.processed deliveries, signed with the secret the sandbox has now.
func trigger(t *testing.T, env *testEnv, n int) []*sandbox.Delivery {
	t.Helper()
	var out []*sandbox.Delivery
	for range n {
		d, err := env.sandbox.Trigger(context.Background(), testAPIKey, "model.processed", nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// Deliveries signed with the old secret are still being retried when the secret rotates; new
// ones follow. A receiver given secret, previous_secret and secret_rotated_at from state accepts
// every delivery exactly once, and refuses none for its signature.
func TestAccWebhookResource_rotationLosesNoDelivery(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true, DeliveryTimeScale: 60})
	t.Cleanup(func() { _ = env.sandbox.Close() })
	receiver := newRotatingReceiver()
	server := httptest.NewServer(receiver)
	t.Cleanup(server.Close)
	webhook := func(rotation int) string {
		return env.config(fmt.Sprintf(`
resource "glossi_webhook" "test" {
  url                    = %q
  events                 = ["model.processed"]
  rotate_secret_triggers = { rotation = "%d" }
}
`, server.URL, rotation))
	}
	var all []*sandbox.Delivery
	env.test(t,
		resource.TestStep{
			Config:            webhook(1),
			ConfigStateChecks: []statecheck.StateCheck{receiver.configure()},
		},
		resource.TestStep{
			PreConfig: func() {
				all = append(all, trigger(t, env, 1)...)
				waitDelivered(t, all)
				receiver.goDown() // an outage: deliveries signed with the first secret pile up
				old := trigger(t, env, 3)
				for _, d := range old {
					if err := d.WaitFirst(context.Background()); err != nil {
						t.Fatal(err)
					}
				}
				all = append(all, old...)
			},
			Config: webhook(2),
			ConfigStateChecks: append(env.expectSecretInSync(2), receiver.configure(),
				stateCheckFunc(func() error {
					receiver.comeBack()
					all = append(all, trigger(t, env, 2)...)
					return nil
				})),
		},
		resource.TestStep{
			// Before destroy, which would cancel the retries still pending.
			PreConfig: func() { waitDelivered(t, all) },
			Config:    webhook(2),
			PlanOnly:  true,
		},
	)
	receiver.mu.Lock()
	defer receiver.mu.Unlock()
	if receiver.refused != 0 {
		t.Errorf("the receiver refused %d deliveries for their signature", receiver.refused)
	}
	for i, d := range all {
		if n := receiver.accepted[bodyDigest(d.Body())]; n > 1 {
			t.Errorf("delivery %d accepted %d times", i, n)
		}
	}
	if len(receiver.accepted) != len(all) {
		t.Errorf("the receiver accepted %d distinct deliveries, want %d", len(receiver.accepted), len(all))
	}
}

// bodyDigest identifies a delivery by its body: a retry carries the same bytes.
func bodyDigest(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// waitDelivered waits until every delivery is over, and fails unless each was delivered.
func waitDelivered(t *testing.T, deliveries []*sandbox.Delivery) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for i, d := range deliveries {
		if err := d.Wait(ctx); err != nil {
			t.Fatalf("delivery %d: %v", i, err)
		}
		if d.State() != sandbox.DeliveryDelivered {
			t.Errorf("delivery %d ended %s after %d attempts", i, d.State(), len(d.Attempts()))
		}
	}
}
