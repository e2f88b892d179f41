package agesecret_test

import (
	"fmt"
	"log"
	"os"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/agesecret"
)

// A receiver reads its identity file once, then decrypts secret_ciphertext (here from a file of
// a mounted Kubernetes Secret) into the verifier's secret.
func ExampleIdentities_Decrypt() {
	identity, err := os.ReadFile("/etc/glossi-webhook/identity.txt") // age-keygen -o identity.txt
	if err != nil {
		log.Fatal(err)
	}
	ids, err := agesecret.ParseIdentities(identity)
	if err != nil {
		log.Fatal(err)
	}
	ciphertext, err := os.ReadFile("/etc/glossi-webhook/secret_ciphertext")
	if err != nil {
		log.Fatal(err)
	}
	secret, err := ids.Decrypt(string(ciphertext))
	if err != nil {
		log.Fatal(err) // ErrNotForIdentity: add ids.String() to secret_recipients
	}
	v, err := glossiwebhook.NewVerifier(secret)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v)
}

func ExampleCheckRecipient() {
	fmt.Println(agesecret.CheckRecipient("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"))
	fmt.Println(agesecret.CheckRecipient("age1notarecipient") != nil)
	// Output:
	// <nil>
	// true
}

func ExampleEncrypt() {
	ciphertext, err := agesecret.Encrypt("whsec_example", []string{"age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ciphertext[:34])
	// Output: -----BEGIN AGE ENCRYPTED FILE-----
}

func ExampleParseIdentities() {
	ids, err := agesecret.ParseIdentities([]byte("# created by age-keygen\nAGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX\n"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ids) // the recipient to put in secret_recipients
	// Output: age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj
}
