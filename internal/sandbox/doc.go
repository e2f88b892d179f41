// Package sandbox is an in-memory emulator of the Glossi webhooks API.
//
// A [Sandbox] is an [net/http.Handler] that serves PUT, GET and DELETE on
// /api/v1/webhooks the way the public Glossi documentation describes them:
// every API key (sent in the X-API-Key header) is its own account holding at
// most one webhook, PUT creates or updates it and returns its signing secret,
// GET returns it without the secret but with its delivery statistics, and
// DELETE removes it.
//
// Where the documentation leaves a behaviour open (whether an update rotates
// the secret, whether DELETE answers 200 or 204, how an absent description is
// returned, what GET answers when there is no webhook, the order of events),
// [Options] has a switch whose zero value is the default, so that tests can
// prove a client copes with every plausible server.
//
// Tests drive it out of band as well: [Sandbox.SetWebhook],
// [Sandbox.UpdateWebhook] and [Sandbox.DeleteWebhook] simulate changes made
// outside Terraform, [Sandbox.RecordDelivery] simulates a delivery attempt,
// [Sandbox.InjectFault] makes the next requests fail or hang, and
// [Sandbox.Requests] returns a log of what the client sent. The log never
// holds an API key, and no error message ever echoes one.
//
// It also sends deliveries the way Glossi does: [Sandbox.Trigger] (or a POST
// to [TriggerPath] with the account's API key) signs the event envelope with
// the webhook secret and POSTs it to the webhook URL in the background,
// retrying on the documented schedule ([RetryDelays], scaled by
// Options.DeliveryTimeScale)
// and updating lastTriggeredAt, lastResponseStatus and failureCount. Call
// [Sandbox.Close] or [Sandbox.Shutdown] to stop deliveries. [NewPersistent]
// keeps the accounts and their webhooks in a JSON state file across restarts;
// its documentation shows the file's format, for writing one by hand.
//
// Typical use in a test:
//
//	sb := sandbox.New(sandbox.Options{})
//	srv := httptest.NewServer(sb)
//	defer srv.Close()
//	baseURL := srv.URL + sandbox.BasePath // send X-API-Key: sandbox.DefaultAPIKey
//
// All methods of a Sandbox are safe for concurrent use.
package sandbox
