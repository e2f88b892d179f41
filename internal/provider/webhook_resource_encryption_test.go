package provider

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/agesecret"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

func recipientsOf(keys ...testhelp.AgeKey) types.Set {
	values := make([]attr.Value, len(keys))
	for i, k := range keys {
		values[i] = types.StringValue(k.Recipient)
	}
	return types.SetValueMust(types.StringType, values)
}

// decryptWith decrypts ciphertext with key's identity file.
func decryptWith(t *testing.T, key testhelp.AgeKey, ciphertext types.String) (string, error) {
	t.Helper()
	data, err := os.ReadFile(key.IdentityFile)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := agesecret.ParseIdentities(data)
	if err != nil {
		t.Fatal(err)
	}
	return ids.Decrypt(ciphertext.ValueString())
}

// expectSealed checks that m holds no plaintext and that key decrypts its ciphertexts to current
// and previous ("" for none), without printing either.
func expectSealed(t *testing.T, step string, m webhookResourceModel, key testhelp.AgeKey, current, previous string) {
	t.Helper()
	if !m.Secret.IsNull() || !m.PreviousSecret.IsNull() {
		t.Fatalf("%s: secret or previous_secret is kept in plaintext", step)
	}
	if got, err := decryptWith(t, key, m.SecretCiphertext); err != nil || got != current {
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
	if got, err := decryptWith(t, key, m.PreviousSecretCiphertext); err != nil || got != previous {
		t.Errorf("%s: previous_secret_ciphertext does not decrypt to the previous secret (err = %v)", step, err)
	}
}

func mustStore(t *testing.T, m *webhookResourceModel, answer string, now time.Time) {
	t.Helper()
	if err := m.storeSecret(answer, now); err != nil {
		t.Fatal(err)
	}
}

// With recipients, a secret is stored only encrypted; a refresh keeps the ciphertexts as they
// are; a rotation moves the ciphertext to previous_secret_ciphertext unchanged; the same secret
// returned after a change of recipients is encrypted to the new ones only; removing the
// recipients stores the next secret in plaintext and keeps the previous one encrypted.
func TestStoreSecret_encryptedAcrossTheLifecycle(t *testing.T) {
	alice, bob := testhelp.AgeKeygen(t), testhelp.AgeKeygen(t)
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
	if m.SecretCiphertext.Equal(created.SecretCiphertext) || !m.SecretVersion.Equal(types.Int64Value(1)) {
		t.Error("an update that returned the same secret: want it encrypted anew and secret_version still 1")
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
	mustStore(t, &m, "s2", now) // an API that keeps the secret on update
	if got, err := decryptWith(t, bob, m.SecretCiphertext); err != nil || got != "s2" || !m.SecretVersion.Equal(types.Int64Value(2)) {
		t.Errorf("recipients changed, same secret: the new recipient cannot read it (err = %v), or secret_version moved", err)
	}
	if _, err := decryptWith(t, alice, m.SecretCiphertext); !errors.Is(err, agesecret.ErrNotForIdentity) {
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
	key := testhelp.AgeKeygen(t)
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
	set := func(rs ...string) types.Set {
		values := make([]attr.Value, len(rs))
		for i, r := range rs {
			values[i] = types.StringValue(r)
		}
		return types.SetValueMust(types.StringType, values)
	}
	null, unknown := types.SetNull(types.StringType), types.SetUnknown(types.StringType)
	cases := []struct {
		name            string
		planned, stored types.Set
		want            recipientsChange
	}{
		{"none", null, null, recipientsKept},
		{"same, in another order", set("a", "b"), set("b", "a"), recipientsKept},
		{"turned on", set("a"), null, recipientsAdded},
		{"one added", set("a", "b"), set("a"), recipientsChanged},
		{"one replaced", set("b"), set("a"), recipientsChanged},
		{"turned off", null, set("a"), recipientsRemoved},
		{"unknown until apply", unknown, set("a"), recipientsKept},
	}
	for _, tc := range cases {
		if got := recipientsChangeOf(tc.planned, tc.stored); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
