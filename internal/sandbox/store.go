package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
)

// SecretPrefix starts every webhook secret the sandbox generates.
const SecretPrefix = "whsec_"

// Webhook is the webhook of one account, as the sandbox stores it.
//
// A nil Description, or one pointing to "", means the webhook has no
// description. A nil LastTriggeredAt or LastResponseStatus means no delivery
// has been recorded (or, for LastResponseStatus, that the last attempt got no
// HTTP response: connection refused, timeout).
type Webhook struct {
	ID                 string
	URL                string
	Secret             string
	Events             []string
	Enabled            bool
	Description        *string
	LastTriggeredAt    *time.Time
	LastResponseStatus *int
	FailureCount       int
}

// clone returns a deep copy of w that shares no memory with it.
func (w Webhook) clone() Webhook {
	c := w
	if w.Events != nil {
		c.Events = append([]string(nil), w.Events...)
	}
	if w.Description != nil {
		d := *w.Description
		c.Description = &d
	}
	if w.LastTriggeredAt != nil {
		t := *w.LastTriggeredAt
		c.LastTriggeredAt = &t
	}
	if w.LastResponseStatus != nil {
		st := *w.LastResponseStatus
		c.LastResponseStatus = &st
	}
	return c
}

// fillIdentity gives w a new ID and a new secret where they are empty.
func fillIdentity(w *Webhook) {
	if w.ID == "" {
		w.ID = uuid.NewString()
	}
	if w.Secret == "" {
		w.Secret = newSecret()
	}
}

// newSecret returns SecretPrefix followed by 32 hex digits from crypto/rand.
func newSecret() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24.
	return SecretPrefix + hex.EncodeToString(b[:])
}

// webhookInput is a validated PUT body.
type webhookInput struct {
	url         string
	events      []string
	enabled     bool
	description *string
}

// store holds the accounts (one webhook at most per API key) behind its own
// lock, so that the HTTP handler, the out-of-band test controls and an
// outbound delivery engine can share it. Every method returns copies.
type store struct {
	mu    sync.Mutex
	hooks map[string]*Webhook

	// accounts are the API keys of the accounts the store keeps, with a
	// webhook or not: those it started with and each that has had a webhook
	// since; sorted, each once.
	accounts []string

	// persist, if not nil, is called with the accounts and a copy of every
	// webhook after each change, with mu held so that saves happen in
	// order. It must not keep accounts.
	persist func(accounts []string, hooks map[string]Webhook)
}

// changed hands a snapshot to persist. mu must be held.
func (st *store) changed() {
	if st.persist == nil {
		return
	}
	snap := make(map[string]Webhook, len(st.hooks))
	for k, h := range st.hooks {
		snap[k] = h.clone()
	}
	st.persist(st.accounts, snap)
}

// addAccount makes key an account, if it is not one yet. mu must be held.
func (st *store) addAccount(key string) {
	if i, found := slices.BinarySearch(st.accounts, key); !found {
		st.accounts = slices.Insert(st.accounts, i, key)
	}
}

func newStore() *store {
	return &store{hooks: make(map[string]*Webhook)}
}

// get returns a copy of the webhook of key.
func (st *store) get(key string) (Webhook, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	h, ok := st.hooks[key]
	if !ok {
		return Webhook{}, false
	}
	return h.clone(), true
}

// upsert creates the webhook of key from in, or updates it keeping its ID,
// its delivery statistics and (unless rotate) its secret. It reports whether
// the webhook was created.
func (st *store) upsert(key string, in webhookInput, rotate bool) (Webhook, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	h, exists := st.hooks[key]
	if !exists {
		h = &Webhook{}
		fillIdentity(h)
		st.hooks[key] = h
		st.addAccount(key)
	} else if rotate {
		h.Secret = newSecret()
	}
	h.URL = in.url
	h.Events = append([]string(nil), in.events...)
	h.Enabled = in.enabled
	h.Description = nil
	if in.description != nil {
		d := *in.description
		h.Description = &d
	}
	st.changed()
	return h.clone(), !exists
}

// set stores a copy of w as the webhook of key. An empty ID or Secret is taken
// from the webhook it replaces, or generated when there is none.
func (st *store) set(key string, w Webhook) Webhook {
	st.mu.Lock()
	defer st.mu.Unlock()
	c := w.clone()
	if old, ok := st.hooks[key]; ok {
		if c.ID == "" {
			c.ID = old.ID
		}
		if c.Secret == "" {
			c.Secret = old.Secret
		}
	}
	fillIdentity(&c)
	st.hooks[key] = &c
	st.addAccount(key)
	st.changed()
	return c.clone()
}

// update calls fn on a copy of the webhook of key, with the lock held, and
// stores the result. It reports whether there was a webhook.
func (st *store) update(key string, fn func(*Webhook)) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	h, ok := st.hooks[key]
	if !ok {
		return false
	}
	c := h.clone()
	fn(&c)
	c = c.clone() // Drop any reference fn kept into c.
	fillIdentity(&c)
	st.hooks[key] = &c
	st.changed()
	return true
}

// remove deletes the webhook of key and reports whether there was one.
func (st *store) remove(key string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	_, ok := st.hooks[key]
	delete(st.hooks, key)
	if ok {
		st.changed()
	}
	return ok
}

// recordDelivery applies the outcome of one delivery to the webhook of key.
// A status of 0 or less means no HTTP response was received, which makes
// LastResponseStatus nil: the last attempt has no status.
func (st *store) recordDelivery(key string, at time.Time, status int, retries Retries) bool {
	return st.recordDeliveryFor(key, "", at, status, retries)
}

// recordDeliveryFor is recordDelivery that does nothing unless the webhook of
// key has the id id ("" matches any).
func (st *store) recordDeliveryFor(key, id string, at time.Time, status int, retries Retries) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	h, ok := st.hooks[key]
	if !ok || (id != "" && h.ID != id) {
		return false
	}
	t := at.UTC().Truncate(time.Millisecond)
	h.LastTriggeredAt = &t
	h.LastResponseStatus = nil // no HTTP answer: no status, rather than an older one
	if status > 0 {
		h.LastResponseStatus = &status
	}
	if retries == RetriesExhausted {
		h.FailureCount++
	}
	st.changed()
	return true
}

// Webhook returns a deep copy of the webhook of the account apiKey, secret
// included, and whether the account has one.
func (s *Sandbox) Webhook(apiKey string) (Webhook, bool) {
	return s.store.get(apiKey)
}

// Accounts returns the API keys of the accounts the sandbox keeps, sorted: for
// NewPersistent those of its state file and of Options.APIKeys, and every key
// that has had a webhook since the sandbox started.
func (s *Sandbox) Accounts() []string {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	return slices.Clone(s.store.accounts)
}

// SetWebhook creates or replaces the webhook of the account apiKey out of
// band, without validation, so tests can simulate changes made outside the
// client (including states the API would refuse). An empty ID or Secret is
// kept from the webhook being replaced, or generated when there is none. It
// returns a copy of what was stored.
func (s *Sandbox) SetWebhook(apiKey string, w Webhook) Webhook {
	return s.store.set(apiKey, w)
}

// UpdateWebhook edits the webhook of the account apiKey out of band: fn
// receives a copy to change and the result replaces the stored webhook
// atomically. An ID or Secret that fn empties is regenerated. fn runs under
// the store lock and must not call methods of s. UpdateWebhook reports false,
// without calling fn, when the account has no webhook.
func (s *Sandbox) UpdateWebhook(apiKey string, fn func(*Webhook)) bool {
	return s.store.update(apiKey, fn)
}

// DeleteWebhook deletes the webhook of the account apiKey out of band and
// reports whether there was one.
func (s *Sandbox) DeleteWebhook(apiKey string) bool {
	return s.store.remove(apiKey)
}

// RecordDelivery records one delivery attempt to the webhook of the account
// apiKey, as the delivery engine does: lastTriggeredAt becomes Options.Now
// (truncated to milliseconds, in UTC) and lastResponseStatus becomes status.
// A status of 0 (or less) stands for an attempt that got no HTTP response
// (connection error or timeout) and makes lastResponseStatus null, while
// lastTriggeredAt still records the attempt.
// With RetriesExhausted (all attempts of the delivery failed) failureCount is
// incremented. RecordDelivery does nothing when the account has no webhook.
func (s *Sandbox) RecordDelivery(apiKey string, status int, retries Retries) {
	now := s.options().Now()
	s.store.recordDelivery(apiKey, now, status, retries)
}

// Retries says what an attempt leaves of its delivery: more attempts (or none needed), or
// none after a failure, which failureCount counts.
type Retries int

const (
	RetriesLeft      Retries = iota // the attempt succeeded, or Glossi tries again
	RetriesExhausted                // the delivery's last attempt failed
)
