# Keep the secret out of state in plaintext: it is stored only encrypted with
# age to each recipient, in secret_ciphertext (not sensitive), and secret is
# null. The receiver decrypts it with the identity of one recipient, which
# Terraform never sees. Make one with `age-keygen -o identity.txt`; its
# "public key" line is the recipient. SSH public keys work too.
resource "glossi_webhook" "main" {
  url    = "https://hooks.example.com/glossi"
  events = ["model.processed", "render.complete"]

  secret_recipients = [
    "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p", # the receiver's
  ]
}

output "webhook_secret_ciphertext" {
  value = glossi_webhook.main.secret_ciphertext # age -d -i identity.txt
}
