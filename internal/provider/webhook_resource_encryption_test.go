package provider

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/agesecret"
	"github.com/glossi/terraform-provider-glossi/internal/glossi"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

// ageKey is a key age-keygen made, with its identity parsed once, to decrypt in process.
type ageKey struct {
	testhelp.AgeKey
	identities *agesecret.Identities
}

// newAgeKey makes a key with age-keygen and parses its identity file.
func newAgeKey(t *testing.T) ageKey {
	t.Helper()
	key := testhelp.AgeKeygen(t)
	data, err := os.ReadFile(key.IdentityFile)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := agesecret.ParseIdentities(data)
	if err != nil {
		t.Fatal(err)
	}
	return ageKey{AgeKey: key, identities: ids}
}

// decrypt decrypts ciphertext with the key's identity.
func (k ageKey) decrypt(ciphertext types.String) (string, error) {
	return k.identities.Decrypt(ciphertext.ValueString())
}

func recipientsOf(keys ...ageKey) types.Set {
	recipients := make([]string, len(keys))
	for i, k := range keys {
		recipients[i] = k.Recipient
	}
	return stringSet(recipients...)
}

// expectSealed checks that m holds no plaintext and that key decrypts its ciphertexts to current
// and previous ("" for none), without printing either.
func expectSealed(t *testing.T, step string, m webhookResourceModel, key ageKey, current, previous string) {
	t.Helper()
	if !m.Secret.IsNull() || !m.PreviousSecret.IsNull() {
		t.Fatalf("%s: secret or previous_secret is kept in plaintext", step)
	}
	if got, err := key.decrypt(m.SecretCiphertext); err != nil || got != current {
		t.Errorf("%s: secret_ciphertext does not decrypt to the secret (err = %v)", step, err)
	}
	if m.SecretFingerprint.ValueString() != glossiwebhook.Fingerprint(current) {
		t.Errorf("%s: secret_fingerprint is not the secret's", step)
	}
	if previous == "" {
		if !m.PreviousSecretCiphertext.IsNull() {
			t.Errorf("%s: previous_secret_ciphertext is set, want null", step)
		}
		return
	}
	if got, err := key.decrypt(m.PreviousSecretCiphertext); err != nil || got != previous {
		t.Errorf("%s: previous_secret_ciphertext does not decrypt to the previous secret (err = %v)", step, err)
	}
}

func mustStore(t *testing.T, m *webhookResourceModel, answer string, now time.Time) {
	t.Helper()
	if err := m.storeSecret(answer, now); err != nil {
		t.Fatal(err)
	}
}

// With recipients, a secret is stored only encrypted; a refresh, and an update answered with the
// same secret, keep the ciphertexts as they are; a rotation moves the ciphertext to
// previous_secret_ciphertext unchanged; the same secret returned after a change of recipients
// (given back by unsealWith, as Update does on a renewal) is encrypted to the new ones only;
// removing the recipients stores the next secret in plaintext and keeps the previous one
// encrypted.
func TestStoreSecret_encryptedAcrossTheLifecycle(t *testing.T) {
	alice, bob := newAgeKey(t), newAgeKey(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	m := webhookResourceModel{SecretRecipients: recipientsOf(alice)}

	mustStore(t, &m, "s1", now)
	expectSealed(t, "create", m, alice, "s1", "")
	created := m
	mustStore(t, &m, "", now)
	if !m.SecretCiphertext.Equal(created.SecretCiphertext) || !m.SecretFingerprint.Equal(created.SecretFingerprint) ||
		!m.SecretVersion.Equal(created.SecretVersion) || !m.PreviousSecretCiphertext.Equal(created.PreviousSecretCiphertext) {
		t.Error("a refresh (no secret in the answer) changed the stored secret: ciphertexts must never be encrypted again on refresh")
	}

	mustStore(t, &m, "s1", now)
	expectSealed(t, "update, same secret", m, alice, "s1", "")
	if !m.SecretCiphertext.Equal(created.SecretCiphertext) || !m.SecretVersion.Equal(types.Int64Value(1)) {
		t.Error("an update that returned the same secret: want secret_ciphertext as it was and secret_version still 1")
	}

	beforeRotation := m.SecretCiphertext
	mustStore(t, &m, "s2", now)
	expectSealed(t, "rotation", m, alice, "s2", "s1")
	if !m.PreviousSecretCiphertext.Equal(beforeRotation) || !m.SecretVersion.Equal(types.Int64Value(2)) ||
		m.SecretRotatedAt.ValueString() != "2026-01-02T03:04:05Z" {
		t.Error("rotation: want the replaced secret_ciphertext as previous_secret_ciphertext, secret_version 2 and secret_rotated_at now")
	}

	previous := m.PreviousSecretCiphertext
	m.SecretRecipients = recipientsOf(bob)
	m.unsealWith("s2")
	mustStore(t, &m, "s2", now) // an API that keeps the secret on update
	if got, err := bob.decrypt(m.SecretCiphertext); err != nil || got != "s2" || !m.SecretVersion.Equal(types.Int64Value(2)) {
		t.Errorf("recipients changed, same secret: the new recipient cannot read it (err = %v), or secret_version moved", err)
	}
	if _, err := alice.decrypt(m.SecretCiphertext); !errors.Is(err, agesecret.ErrNotForIdentity) {
		t.Errorf("the removed recipient can still decrypt secret_ciphertext (err = %v)", err)
	}
	if !m.PreviousSecretCiphertext.Equal(previous) {
		t.Error("recipients changed: previous_secret_ciphertext changed, but the provider cannot encrypt it again")
	}

	sealed := m.SecretCiphertext
	m.SecretRecipients = types.SetNull(types.StringType)
	mustStore(t, &m, "s3", now)
	if m.Secret.ValueString() != "s3" || !m.SecretCiphertext.IsNull() || !m.PreviousSecret.IsNull() ||
		!m.PreviousSecretCiphertext.Equal(sealed) || !m.SecretVersion.Equal(types.Int64Value(3)) {
		t.Error("recipients removed, rotated: want the new secret in plaintext, the replaced one kept as its ciphertext, secret_version 3")
	}
}

// Setting recipients on a webhook whose secrets sit in plaintext encrypts both, whether the
// update's answer holds the secret or not.
func TestStoreSecret_encryptionTurnedOn(t *testing.T) {
	key := newAgeKey(t)
	now := time.Now()
	for name, answer := range map[string]string{"same secret returned": "s1", "no secret returned": ""} {
		m := webhookResourceModel{Secret: types.StringValue("s1"), PreviousSecret: types.StringValue("s0"),
			SecretVersion: types.Int64Value(2), SecretFingerprint: types.StringValue(glossiwebhook.Fingerprint("s1")),
			SecretRotatedAt: types.StringValue("2026-01-01T00:00:00Z"), SecretRecipients: recipientsOf(key)}
		mustStore(t, &m, answer, now)
		expectSealed(t, name, m, key, "s1", "s0")
		if !m.SecretVersion.Equal(types.Int64Value(2)) || m.SecretRotatedAt.ValueString() != "2026-01-01T00:00:00Z" {
			t.Errorf("%s: the secret did not change, but secret_version or secret_rotated_at did", name)
		}
	}
}

func TestRecipientsChangeOf(t *testing.T) {
	null, unknown := types.SetNull(types.StringType), types.SetUnknown(types.StringType)
	cases := []struct {
		name            string
		planned, stored types.Set
		want            recipientsChange
	}{
		{"none", null, null, recipientsKept},
		{"same, in another order", stringSet("a", "b"), stringSet("b", "a"), recipientsKept},
		{"turned on", stringSet("a"), null, recipientsAdded},
		{"one added", stringSet("a", "b"), stringSet("a"), recipientsChanged},
		{"one replaced", stringSet("b"), stringSet("a"), recipientsChanged},
		{"turned off", null, stringSet("a"), recipientsRemoved},
		{"unknown until apply", unknown, stringSet("a"), recipientsKept},
	}
	for _, tc := range cases {
		if got := recipientsChangeOf(tc.planned, tc.stored); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// newRecipient is a new age key and the secret_recipients that name it.
func newRecipient(t *testing.T) (ageKey, types.Set) {
	t.Helper()
	key := newAgeKey(t)
	return key, recipientsOf(key)
}

// unencryptableRecipients are secret_recipients that age cannot encrypt to, as the validator
// would have refused: encryption fails.
func unencryptableRecipients() types.Set {
	return stringSet("age1notarecipient")
}

// sealedState is c's webhook in state with its secret encrypted to recipients.
func (c *lifecycleCall) sealedState(t *testing.T, recipients types.Set) webhookResourceModel {
	t.Helper()
	state := c.state(t, false)
	state.SecretRecipients = recipients
	mustStore(t, &state, c.webhook.Secret, time.Now())
	return state
}

// An update that changes only the description, answered with the same secret, keeps
// secret_ciphertext as it was, so that what consumes it sees no change; a change of recipients,
// answered with the same secret, encrypts it to the new ones only. In process.
func TestWebhookResource_ciphertextChangesOnlyWithSecretOrRecipients(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	alice, recipients := newRecipient(t)
	state := c.sealedState(t, recipients)
	edited := state
	edited.Description = types.StringValue("edited")
	_, got := c.planAndUpdate(t, webhookLifecycle{}, edited, state)
	got.expect(t, webhookLifecycle{})
	if c.env.sandbox.CountRequests("PUT") != 1 || c.env.storedWebhook(t).Secret != c.webhook.Secret {
		t.Fatal("the edit sent no PUT, or the sandbox rotated the secret: this test proves nothing")
	}
	if !got.state.SecretCiphertext.Equal(state.SecretCiphertext) || !got.state.SecretVersion.Equal(state.SecretVersion) {
		t.Error("a description edit answered with the same secret encrypted secret_ciphertext anew, or moved secret_version")
	}

	bob, moved := newRecipient(t)
	_, got = c.planAndUpdate(t, webhookLifecycle{}, got.state.withRecipients(moved), got.state)
	got.expect(t, webhookLifecycle{}, "Glossi Webhook Secret Recipients Changed")
	expectSealed(t, "recipients changed", got.state, bob, c.webhook.Secret, "")
	if _, err := alice.decrypt(got.state.SecretCiphertext); !errors.Is(err, agesecret.ErrNotForIdentity) {
		t.Errorf("the removed recipient can still decrypt secret_ciphertext (err = %v)", err)
	}
}

// withRecipients is m with recipients as its secret_recipients.
func (m webhookResourceModel) withRecipients(recipients types.Set) webhookResourceModel {
	m.SecretRecipients = recipients
	return m
}

// A change of recipients answered without a secret leaves the ciphertext encrypted to the old
// recipients, and the secret "may be stale": the update that follows encrypts the secret the API
// returns to the new recipients, although it is the same secret. In process.
func TestWebhookResource_recipientsChangeAnsweredWithoutSecretEncryptedByTheNextUpdate(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	_, was := newRecipient(t)
	bob, recipients := newRecipient(t)
	state := c.sealedState(t, was)
	c.env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, OmitSecret: true})
	_, got := c.planAndUpdate(t, webhookLifecycle{}, state.withRecipients(recipients), state)
	got.expect(t, webhookLifecycle{State: lifecycleSecretMayBeStale}, "Glossi Webhook Secret Recipients Changed",
		"Glossi Webhook Secret Not Returned")
	_, healed := c.planAndUpdate(t, got.lifecycle, got.state, got.state)
	healed.expect(t, webhookLifecycle{}, "Glossi Webhook Secret May Be Stale")
	expectSealed(t, "the update after", healed.state, bob, c.webhook.Secret, "")
}

// Without recipients, an update's plan says that secret_ciphertext and previous_secret_ciphertext
// stay null, rather than "known after apply", and the apply keeps them so; secret is unknown (an
// API that rotates on update may change it). In process.
func TestWebhookResource_plaintextUpdatePlansNoCiphertext(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	state := c.state(t, true)
	edited := state
	edited.Description = types.StringValue("edited")
	planned, got := c.planAndUpdate(t, webhookLifecycle{}, edited, state)
	got.expect(t, webhookLifecycle{})
	if !planned.SecretCiphertext.IsNull() || !planned.PreviousSecretCiphertext.IsNull() || !planned.Secret.IsUnknown() {
		t.Errorf("planned: secret_ciphertext %s, previous_secret_ciphertext %s, secret %s; want null, null, unknown",
			redacted(planned.SecretCiphertext), redacted(planned.PreviousSecretCiphertext), redacted(planned.Secret))
	}
}

// encryptedWebhook is a webhook whose secret is encrypted to recipients, rotated by rotation (0:
// no rotate_secret_triggers).
func encryptedWebhook(rotation int, recipients ...testhelp.AgeKey) string {
	quoted := make([]string, len(recipients))
	for i, k := range recipients {
		quoted[i] = strconv.Quote(k.Recipient)
	}
	triggers := ""
	if rotation > 0 {
		triggers = fmt.Sprintf("\n  rotate_secret_triggers = { rotation = \"%d\" }", rotation)
	}
	return fmt.Sprintf(`
resource "glossi_webhook" "test" {
  url                    = "https://hooks.example.com/glossi"
  events                 = ["model.processed"]%s
  secret_recipients      = [%s]
}
`, triggers, strings.Join(quoted, ", "))
}

// plaintextWatch collects every secret the sandbox issued and every text Terraform wrote, and
// checks that no secret is in any text.
type plaintextWatch struct {
	env     *testEnv
	ws      *cliWorkspace
	logPath string
	secrets []string
	texts   map[string]string // what -> text
}

// applyStep plans to a file, keeps the plan file's contents, its JSON and the state's JSON after
// applying it, and records the sandbox's secret. It returns what plan printed.
func (p *plaintextWatch) applyStep(t *testing.T, step string) string {
	t.Helper()
	out := p.ws.run(t, "plan", "-no-color", "-out=tfplan")
	p.texts[step+": terraform show -json tfplan"] = p.ws.showJSON(t, "tfplan")
	for name, text := range planFileTexts(t, p.ws) {
		p.texts[step+": "+name+" in the plan file"] = text
	}
	p.ws.applySaved(t)
	p.texts[step+": terraform show -json"] = p.ws.showJSON(t)
	p.keepStateFiles(t, step)
	p.secrets = append(p.secrets, p.env.storedWebhook(t).Secret)
	return out
}

func (p *plaintextWatch) keepStateFiles(t *testing.T, step string) {
	t.Helper()
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		if b, err := os.ReadFile(filepath.Join(p.ws.dir, name)); err == nil {
			p.texts[step+": "+name] = string(b)
		}
	}
}

// expectNoPlaintext checks every text, the TRACE log included, for every secret, naming neither.
func (p *plaintextWatch) expectNoPlaintext(t *testing.T) {
	t.Helper()
	log, err := os.ReadFile(p.logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "provider.terraform-provider-glossi") || !strings.Contains(string(log), "/webhooks") {
		t.Fatal("the TRACE log has no entries from the provider's API client; the test would prove nothing")
	}
	p.texts["the TF_LOG=TRACE log"] = string(log)
	if len(slices.Compact(slices.Sorted(slices.Values(p.secrets)))) < 3 {
		t.Fatal("the sandbox issued fewer than 3 secrets; the test would check too few")
	}
	for what, text := range p.texts {
		for i, secret := range p.secrets {
			if secret == "" || strings.Contains(text, secret) {
				t.Errorf("%s holds the webhook secret the sandbox issued at step %d in plaintext (or that step issued none)", what, i+1)
			}
		}
	}
}

// expectDecrypts checks with the real age CLI that key decrypts attribute to want.
func (p *plaintextWatch) expectDecrypts(t *testing.T, key testhelp.AgeKey, attribute, want, when string) {
	t.Helper()
	attrs := p.ws.stateAttributes(t)
	ciphertext, _ := attrs[attribute].(string)
	if got, err := testhelp.AgeDecrypt(t, key.IdentityFile, ciphertext); err != nil || got != want {
		t.Errorf("%s: age -d -i <identity> of %s does not give the secret it should (err = %v)", when, attribute, err)
	}
	if attrs["secret"] != nil || attrs["previous_secret"] != nil {
		t.Errorf("%s: secret or previous_secret is set in state", when)
	}
}

// A malformed recipient fails the plan, naming it, before any API call. With secret_recipients,
// no plaintext secret is in the state, a saved plan, `show -json` or a
// TRACE log across create, rotation, a change of recipients (on an API that keeps the secret on
// update: the same secret comes back, encrypted to the new recipients only) and an import
// followed by rotate_secret_triggers; `age -d` gives the secrets that sign deliveries. After the
// import, setting the recipients plans only that change, and its apply sends no PUT (none would
// rotate the secret receivers hold). Removing the recipients then plans an update with a warning
// and brings the secret back in plaintext.
func TestWebhookResource_secretRecipientsKeepPlaintextOut(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	alice, bob := testhelp.AgeKeygen(t), testhelp.AgeKeygen(t)
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	ws := newSandboxWorkspace(t, env, encryptedWebhook(1, alice))
	ws.env = append(ws.env, "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
	p := &plaintextWatch{env: env, ws: ws, logPath: logPath, texts: map[string]string{}}
	rotating := func(on bool) { env.sandbox.SetOptions(func(o *sandbox.Options) { o.RotateSecretOnUpdate = on }) }

	malformed := alice.Recipient[:len(alice.Recipient)-2]
	ws.writeConfig(t, strings.Replace(encryptedWebhook(1, alice), alice.Recipient, malformed, 1))
	out, err := ws.tryRun(t, "plan", "-no-color")
	if err == nil || !expectWords("Error: Invalid Secret Recipient", malformed, "is not an age X25519 recipient").MatchString(out) ||
		len(env.apiCalls()) > 0 {
		t.Errorf("a malformed recipient: want a plan error naming it and no API call (got %s):\n%s", formatCalls(env.apiCalls()), out)
	}
	ws.writeConfig(t, encryptedWebhook(1, alice))

	p.applyStep(t, "create")
	if !strings.Contains(p.texts["create: terraform show -json tfplan"], `"secret":null`) {
		t.Error("the create's plan does not say that secret will be null")
	}
	p.expectDecrypts(t, alice, "secret_ciphertext", p.secrets[0], "create")
	ws.expectSecretFingerprint(t, p.secrets[0], 1)

	rotating(true)
	ws.writeConfig(t, encryptedWebhook(2, alice))
	p.applyStep(t, "rotation")
	p.expectDecrypts(t, alice, "secret_ciphertext", p.secrets[1], "rotation")
	p.expectDecrypts(t, alice, "previous_secret_ciphertext", p.secrets[0], "rotation")
	ws.expectSecretFingerprint(t, p.secrets[1], 2)

	rotating(false)
	ws.writeConfig(t, encryptedWebhook(2, bob))
	out = p.applyStep(t, "recipients changed")
	expectOutput(t, out, "glossi_webhook.test will be updated in-place", "Warning: Glossi Webhook Secret Recipients Changed")
	if p.secrets[2] != p.secrets[1] {
		t.Fatal("the sandbox rotated the secret on an update with rotation off")
	}
	p.expectDecrypts(t, bob, "secret_ciphertext", p.secrets[2], "recipients changed")
	ws.expectSecretFingerprint(t, p.secrets[2], 2) // the same secret, encrypted again
	ciphertext, _ := ws.stateAttributes(t)["secret_ciphertext"].(string)
	if _, err := testhelp.AgeDecrypt(t, alice.IdentityFile, ciphertext); err == nil {
		t.Error("the removed recipient can still decrypt secret_ciphertext")
	}
	ws.expectNoChanges(t, "changing the recipients") // a refresh never encrypts again

	id := ws.stateID(t)
	ws.run(t, "state", "rm", "-no-color", resourceName)
	ws.run(t, "import", "-no-color", resourceName, id)
	p.keepStateFiles(t, "import")
	rotating(true)
	// After the import the state holds no secret: setting the recipients, without
	// rotate_secret_triggers, only records them and sends no PUT, which would rotate the secret.
	ws.writeConfig(t, encryptedWebhook(0, bob))
	env.sandbox.ResetRequests()
	out = ws.run(t, "apply", "-auto-approve", "-no-color")
	if changed := changedAttributes(out); !slices.Equal(changed, []string{"secret_recipients"}) || env.apiCalls()["PUT"] > 0 {
		t.Errorf("recipients set after import: the plan changes %q and the apply sent %s; want only secret_recipients and no PUT:\n%s",
			changed, formatCalls(env.apiCalls()), out)
	}
	if attrs := ws.stateAttributes(t); attrs["secret_recipients"] == nil || attrs["secret_version"] != nil || attrs["secret_ciphertext"] != nil {
		t.Error("recipients set after import: want them in state, and still no secret")
	}
	ws.expectNoChanges(t, "recording the recipients after import")
	ws.writeConfig(t, encryptedWebhook(3, bob))
	p.applyStep(t, "rotate after import")
	p.expectDecrypts(t, bob, "secret_ciphertext", p.secrets[3], "rotate after import")
	p.expectNoPlaintext(t)

	ws.writeConfig(t, basicWebhook)
	out = ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, "Warning: Glossi Webhook Secret Encryption Turned Off", "in plaintext")
	ws.expectSandboxSecret(t, env, "recipients removed")
}

// Encryption that fails although the validator accepted the recipients leaves no plaintext: with
// recipients set, sealSecret drops secret and previous_secret even on an error, what it could not
// encrypt has no ciphertext either, and its error never holds a secret. An API answer whose
// secret cannot be encrypted is "Error Encrypting Glossi Webhook Secret", and nothing is stored.
func TestSealSecret_noPlaintextEvenOnError(t *testing.T) {
	t.Parallel()
	key := newAgeKey(t)
	const secret, previous = "whsec_sealed_9c41e0", "whsec_previous_2b7d15"
	unparsable := unencryptableRecipients()
	for _, tc := range []struct {
		name                 string
		recipients           types.Set
		secret               string
		previousDecryptsWith bool // previous_secret_ciphertext decrypts with key to previous
	}{
		{"a secret age refuses (empty)", recipientsOf(key), "", true},
		{"a recipient age cannot parse", unparsable, secret, false},
	} {
		m := webhookResourceModel{SecretRecipients: tc.recipients, Secret: types.StringValue(tc.secret),
			PreviousSecret: types.StringValue(previous), SecretCiphertext: types.StringNull(), PreviousSecretCiphertext: types.StringNull()}
		err := m.sealSecret()
		if err == nil {
			t.Fatalf("%s: sealSecret succeeded", tc.name)
		}
		expectNoSecret(t, tc.name+": the error", err.Error(), secret, previous)
		if !m.Secret.IsNull() || !m.PreviousSecret.IsNull() || !m.SecretCiphertext.IsNull() {
			t.Errorf("%s: secret or previous_secret kept in plaintext, or secret_ciphertext set", tc.name)
		}
		if tc.previousDecryptsWith {
			if got, err := key.decrypt(m.PreviousSecretCiphertext); err != nil || got != previous {
				t.Errorf("%s: previous_secret_ciphertext does not decrypt to the previous secret (err = %v)", tc.name, err)
			}
		} else if !m.PreviousSecretCiphertext.IsNull() {
			t.Errorf("%s: previous_secret_ciphertext set, want null", tc.name)
		}
	}

	var diags diag.Diagnostics
	answer := &glossi.Webhook{ID: "wh-1", URL: "https://hooks.example.com/glossi", Events: []string{"job.failed"}, Enabled: true, Secret: secret}
	m := newWebhookResourceModel(t.Context(), answer, webhookResourceModel{SecretRecipients: unparsable}, &diags)
	if len(diags) != 1 || diags[0].Summary() != "Error Encrypting Glossi Webhook Secret" || strings.Contains(diags[0].Detail(), secret) {
		t.Errorf("storing the answer: %d diagnostics, want the encryption error without the secret", len(diags))
	}
	if !m.Secret.IsNull() || !m.SecretCiphertext.IsNull() {
		t.Error("storing the answer kept the secret, in plaintext or as a ciphertext")
	}
}

// secret_recipients takes what age encrypts to and refuses anything else, saying what it takes; a
// recipient from a resource of the same apply (unknown) is checked when known.
func TestRecipientValidator(t *testing.T) {
	t.Parallel()
	key := testhelp.AgeKeygen(t)
	for _, tc := range []struct {
		value types.String
		want  wantDiag
	}{
		{types.StringValue(key.Recipient), wantNothing},
		{types.StringValue("age1notarecipient"), wantError},
		{types.StringValue("ssh-dss AAAAB3NzaC1kc3MAAACBAP"), wantError},
		{types.StringNull(), wantNothing},
		{types.StringUnknown(), wantNothing},
	} {
		diags := runStringValidator(recipientValidator{}, tc.value)
		tc.want.check(t, diags)
		if tc.want == wantError && !strings.Contains(diags[0].Detail(), "secret_recipients takes age X25519 recipients") {
			t.Errorf("%s: the error does not say what secret_recipients takes: %s", tc.value, diags[0].Detail())
		}
	}
}
