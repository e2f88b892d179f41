package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// recentTime checks an RFC 3339 time within the last minute.
func recentTime() knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		at, err := time.Parse(time.RFC3339, got)
		if err != nil {
			return fmt.Errorf("not RFC 3339: %w", err)
		}
		if age := time.Since(at); age < -time.Second || age > time.Minute {
			return fmt.Errorf("%s is not the time of this apply", got)
		}
		return nil
	})
}

// secret_version, secret_fingerprint, previous_secret and secret_rotated_at across create,
// rotation, import and refresh.
func TestWebhookResource_secretLifecycleAttributes(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	var first secretRecorder
	env.test(t,
		resource.TestStep{
			Config: env.config(rotatedWebhook(1)),
			ConfigStateChecks: append(env.expectSecretInSync(1),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), first.record()),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("previous_secret"), knownvalue.Null()),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret_rotated_at"), knownvalue.Null()),
				statecheck.ExpectSensitiveValue(resourceName, tfjsonpath.New("previous_secret")),
			),
		},
		resource.TestStep{
			Config: env.config(rotatedWebhook(2)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: expectSecretPlanned(),
				// A refresh keeps them: the plan after the apply that refreshes (and must be empty).
				PostApplyPostRefresh: []plancheck.PlanCheck{refreshedState{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret_fingerprint"), env.fingerprintMatchesSandbox()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret_version"), numberIs(2)),
				}},
			},
			ConfigStateChecks: append(env.expectSecretInSync(2),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), first.expectChanged(true)),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("previous_secret"), knownvalue.StringFunc(func(got string) error {
					if got != first.value {
						return errors.New("previous_secret is not the secret that was replaced")
					}
					return nil
				})),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret_rotated_at"), recentTime()),
			),
		},
		resource.TestStep{
			ResourceName:            resourceName,
			ImportState:             true,
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: append(secretAttributes, "rotate_secret_triggers"), // not in the API either
		},
		planOnlyStep(env.config(rotatedWebhook(2))),
	)
}

// After import: TestLifecycle_importWebhookRead_fromImportRequested.

func TestStoreSecret(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	stored := func(secret string, version int64) webhookResourceModel {
		return webhookResourceModel{Secret: types.StringValue(secret), SecretVersion: types.Int64Value(version)}
	}
	cases := []struct {
		name                 string
		prior                webhookResourceModel
		answer               string
		wantSecret           types.String
		wantVersion          types.Int64
		wantPrevious, wantAt types.String
	}{
		{"first secret", webhookResourceModel{}, "s1", types.StringValue("s1"), types.Int64Value(1), types.StringNull(), types.StringNull()},
		{"no secret yet, none returned", webhookResourceModel{}, "", types.StringNull(), types.Int64Null(), types.StringNull(), types.StringNull()},
		{"same secret returned", stored("s1", 1), "s1", types.StringValue("s1"), types.Int64Value(1), types.StringNull(), types.StringNull()},
		{"none returned: unchanged", stored("s1", 3), "", types.StringValue("s1"), types.Int64Value(3), types.StringNull(), types.StringNull()},
		{"rotated", stored("s1", 3), "s2", types.StringValue("s2"), types.Int64Value(4), types.StringValue("s1"), types.StringValue("2026-01-02T03:04:05Z")},
		{"state from before secret_version", webhookResourceModel{Secret: types.StringValue("s1")}, "", types.StringValue("s1"), types.Int64Value(1), types.StringNull(), types.StringNull()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.prior
			if err := m.storeSecret(tc.answer, now); err != nil {
				t.Fatal(err)
			}
			if !m.Secret.Equal(tc.wantSecret) || !m.PreviousSecret.Equal(tc.wantPrevious) {
				t.Errorf("secret %s, previous %s; want %s, %s", redacted(m.Secret), redacted(m.PreviousSecret), redacted(tc.wantSecret), redacted(tc.wantPrevious))
			}
			if !m.SecretVersion.Equal(tc.wantVersion) || !m.SecretRotatedAt.Equal(tc.wantAt) {
				t.Errorf("version %s, rotated at %s; want %s, %s", m.SecretVersion, m.SecretRotatedAt, tc.wantVersion, tc.wantAt)
			}
			wantFingerprint := types.StringNull()
			if !tc.wantSecret.IsNull() {
				wantFingerprint = types.StringValue(glossiwebhook.Fingerprint(tc.wantSecret.ValueString()))
			}
			if !m.SecretFingerprint.Equal(wantFingerprint) {
				t.Errorf("fingerprint %s, want %s", m.SecretFingerprint, wantFingerprint)
			}
		})
	}
}

// An answer whose secret cannot be encrypted to the recipients is not stored: the state keeps the
// secret it held, in the form it held it, with its secret_version, fingerprint, previous secret
// and rotation time; a secret it held in plaintext is dropped, never kept so beside recipients,
// and secret_version does not move.
func TestStoreSecret_unencryptableAnswerNotStored(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	sealed := webhookResourceModel{SecretRecipients: recipientsOf(newAgeKey(t))}
	mustStore(t, &sealed, "s1", now)
	sealed.SecretRecipients = unencryptableRecipients()
	m := sealed
	if err := m.storeSecret("s2", now.Add(time.Hour)); err == nil {
		t.Fatal("encrypting to a recipient age cannot parse succeeded")
	}
	if !sameStoredSecret(m, sealed) {
		t.Errorf("sealed: the stored secret changed (secret_version %s, secret_rotated_at %s), want it as it was",
			m.SecretVersion, m.SecretRotatedAt)
	}

	m = webhookResourceModel{Secret: types.StringValue("s1"), PreviousSecret: types.StringValue("s0"),
		SecretVersion: types.Int64Value(3), SecretFingerprint: types.StringValue(glossiwebhook.Fingerprint("s1")),
		SecretRecipients: unencryptableRecipients()}
	if err := m.storeSecret("s2", now); err == nil {
		t.Fatal("encrypting to a recipient age cannot parse succeeded")
	}
	if m.hasSecret() || !m.PreviousSecret.IsNull() || !m.PreviousSecretCiphertext.IsNull() ||
		!m.SecretFingerprint.IsNull() || !m.SecretVersion.Equal(types.Int64Value(3)) {
		t.Errorf("in plaintext: secret %s, previous %s, fingerprint %s, secret_version %s; want none stored, version 3",
			redacted(m.Secret), redacted(m.PreviousSecret), m.SecretFingerprint, m.SecretVersion)
	}
}

// An update sends a PUT when it changes a setting of the API's (against what the API last
// answered), rotates or renews the secret, or cannot tell yet; otherwise it only records the plan:
// the recipients set or changed while no secret is stored, a setting in an equivalent form.
func TestUpdateSendsPut(t *testing.T) {
	t.Parallel()
	stored := func(secret string, recipients types.Set) webhookResourceModel {
		m := webhookResourceModel{ID: types.StringValue("wh-1"), Account: types.StringNull(),
			URL: types.StringValue("https://hooks.example.com/glossi"), Enabled: types.BoolValue(true),
			Events:      stringSet("model.processed"),
			Description: types.StringNull(), RotateSecretTriggers: types.MapNull(types.StringType), SecretRecipients: recipients}
		mustStore(t, &m, secret, time.Now())
		return m
	}
	_, alice := newRecipient(t)
	_, bob := newRecipient(t)
	none := types.SetNull(types.StringType)
	imported := webhookLifecycle{State: lifecycleNoSecret, Imported: true}
	for _, tc := range []struct {
		name      string
		state     webhookResourceModel
		lifecycle webhookLifecycle
		plan      func(*webhookResourceModel)
		want      bool
	}{
		{"recipients set, no secret stored", stored("", none), imported, func(m *webhookResourceModel) { m.SecretRecipients = alice }, false},
		{"recipients changed, no secret stored", stored("", alice), imported, func(m *webhookResourceModel) { m.SecretRecipients = bob }, false},
		{"recipients set, a secret stored", stored("s1", none), webhookLifecycle{}, func(m *webhookResourceModel) { m.SecretRecipients = alice }, true},
		{"recipients removed, a secret stored", stored("s1", alice), webhookLifecycle{}, func(m *webhookResourceModel) { m.SecretRecipients = none }, true},
		{"the URL in an equivalent form", stored("s1", none), webhookLifecycle{}, func(m *webhookResourceModel) { m.URL = types.StringValue("https://HOOKS.example.com/glossi/") }, false},
		{"the description", stored("s1", none), webhookLifecycle{}, func(m *webhookResourceModel) { m.Description = types.StringValue("new") }, true},
		{"rotate_secret_triggers", stored("", none), imported, func(m *webhookResourceModel) {
			m.RotateSecretTriggers = types.MapValueMust(types.StringType, map[string]attr.Value{"rotation": types.StringValue("1")})
		}, true},
		{"the secret may be stale", stored("s1", none), webhookLifecycle{State: lifecycleSecretMayBeStale}, func(*webhookResourceModel) {}, true},
		{"the API answered the create with another URL", stored("", none), webhookLifecycle{State: lifecycleNoSecret,
			Answered: answeredSettings{URL: "https://other.example.com", Events: "model.processed", Enabled: true}},
			func(m *webhookResourceModel) { m.SecretRecipients = alice }, true},
		{"the description unknown", stored("", none), imported, func(m *webhookResourceModel) { m.Description = types.StringUnknown() }, true},
		{"the recipients unknown", stored("", none), imported, func(m *webhookResourceModel) { m.SecretRecipients = types.SetUnknown(types.StringType) }, true},
	} {
		plan := tc.state
		tc.plan(&plan)
		if got := updateSendsPut(t.Context(), tc.lifecycle, plan, tc.state); got != tc.want {
			t.Errorf("%s: updateSendsPut = %t, want %t", tc.name, got, tc.want)
		}
	}
}

// sameStoredSecret reports whether a and b store the same secret, in the same form, with the same
// lifecycle attributes.
func sameStoredSecret(a, b webhookResourceModel) bool {
	return a.Secret.Equal(b.Secret) && a.SecretCiphertext.Equal(b.SecretCiphertext) && a.SecretVersion.Equal(b.SecretVersion) &&
		a.SecretFingerprint.Equal(b.SecretFingerprint) && a.PreviousSecret.Equal(b.PreviousSecret) &&
		a.PreviousSecretCiphertext.Equal(b.PreviousSecretCiphertext) && a.SecretRotatedAt.Equal(b.SecretRotatedAt)
}

// redacted describes a secret value without showing it: these are test values, but the habit matters.
func redacted(v types.String) string {
	switch {
	case v.IsNull():
		return "null"
	case v.IsUnknown():
		return "unknown"
	}
	return "a value of length " + strconv.Itoa(len(v.ValueString()))
}

const webhookFeedingOthers = `
resource "glossi_webhook" "test" {
  url    = "https://hooks.example.com/glossi"
  events = ["model.processed"]

  rotate_secret_triggers = {
    rotation = var.rotation
  }
}

variable "rotation" {
  type    = string
  default = "1"
}

# Hashed: terraform_data shows its prior output in clear text in a plan, sensitive or not.
resource "terraform_data" "consumer" {
  input = sha256(glossi_webhook.test.secret)
}

output "webhook_secret" {
  value     = glossi_webhook.test.secret
  sensitive = true
}
`

// secretHashMatchesSandbox checks a hex SHA-256 of the secret against the sandbox's secret.
func (e *testEnv) secretHashMatchesSandbox() knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		w, ok := e.sandbox.Webhook(testAPIKey)
		sum := sha256.Sum256([]byte(w.Secret))
		if !ok || got != hex.EncodeToString(sum[:]) {
			return errors.New("the hash in state is not the hash of the secret the API issued")
		}
		return nil
	})
}

// The secret reaches the resources and outputs that use it, and follows a rotation: first on an
// API that keeps the secret on update, then on one that rotates it.
func TestWebhookResource_secretFlowsToOtherResources(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	var secret secretRecorder
	secretChecks := func(extra ...statecheck.StateCheck) []statecheck.StateCheck {
		return append([]statecheck.StateCheck{
			statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
			statecheck.ExpectKnownValue("terraform_data.consumer", tfjsonpath.New("output"), env.secretHashMatchesSandbox()),
			statecheck.ExpectKnownOutputValue("webhook_secret", env.secretMatchesSandbox()),
			statecheck.ExpectSensitiveValue(resourceName, tfjsonpath.New("secret")),
		}, extra...)
	}
	// Changing the triggers PUTs again; the consumers follow the new secret, if any.
	rotation := func(n int, rotate bool) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() {
				env.sandbox.SetOptions(func(o *sandbox.Options) { o.RotateSecretOnUpdate = rotate })
				env.sandbox.ResetRequests()
			},
			Config: strings.Replace(env.config(webhookFeedingOthers), `default = "1"`, fmt.Sprintf(`default = "%d"`, n), 1),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
				plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("secret")),
				resetCalls{env},
			}},
			ConfigStateChecks: secretChecks(
				expectCalls{env, "rotation", calls(0, 1, 0)},
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), secret.expectChanged(rotate)),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), secret.record()),
			),
		}
	}
	env.test(t,
		resource.TestStep{
			Config:            env.config(webhookFeedingOthers),
			ConfigStateChecks: secretChecks(statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), secret.record())),
		},
		rotation(2, false),
		rotation(3, true),
	)
}

// An API error that quotes previous_secret in its free text is masked.
func TestWebhookResource_previousSecretMaskedInAPIError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	var first string
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: env.config(rotatedWebhook(1))},
			{
				PreConfig: func() { first = env.storedWebhook(t).Secret },
				Config:    env.config(rotatedWebhook(2)),
			},
			{
				PreConfig: func() {
					env.sandbox.InjectFault(sandbox.Fault{Method: "PUT", Count: 1, Status: 400, Message: "secret " + first + " is revoked"})
				},
				Config: env.config(urlOnlyChange),
				// The API's text appears once, so matching it masked proves previous_secret is not shown.
				ExpectError: expectWords("Error Updating Glossi Webhook", "as they were", "secret *** is revoked"),
			},
			{
				Config:            env.config(urlOnlyChange),
				ConfigStateChecks: env.expectSecretInSync(3),
			},
		},
	})
}

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
func TestWebhookResource_rotationLosesNoDelivery(t *testing.T) {
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

// A plan that stores a new secret leaves the secret's attributes unknown: an answer without a
// secret turns every one of them, secret_version included, into null, never leaving one unknown
// in the state.
func TestStoreSecret_unknownPlannedValuesBecomeNull(t *testing.T) {
	t.Parallel()
	m := renewing(webhookResourceModel{SecretRecipients: types.SetNull(types.StringType)})
	if err := m.storeSecret("", time.Now()); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]attr.Value{"secret": m.Secret, "secret_ciphertext": m.SecretCiphertext,
		"secret_fingerprint": m.SecretFingerprint, "previous_secret": m.PreviousSecret,
		"previous_secret_ciphertext": m.PreviousSecretCiphertext, "secret_rotated_at": m.SecretRotatedAt,
		"secret_version": m.SecretVersion} {
		if !v.IsNull() {
			t.Errorf("%s is not null after an answer without a secret (unknown: %t)", name, v.IsUnknown())
		}
	}
}
