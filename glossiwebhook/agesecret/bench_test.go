package agesecret_test

import (
	"testing"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook/agesecret"
)

// The example receiver decrypts its ciphertext files at every reload poll (each second by
// default): this is what one poll costs per file.
func BenchmarkIdentities_Decrypt(b *testing.B) {
	ids, err := agesecret.ParseIdentities([]byte("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX\n"))
	if err != nil {
		b.Fatal(err)
	}
	ciphertext, err := agesecret.Encrypt(testSecret, []string{ids.String()})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ids.Decrypt(ciphertext); err != nil {
			b.Fatal(err)
		}
	}
}
