package sandbox

import "slices"

// The bodies of the API's answers, as the options shape them.

// putResponse is the body of a PUT answer, fields in the documented order.
type putResponse struct {
	ID          string   `json:"id"`
	URL         string   `json:"url"`
	Secret      string   `json:"secret,omitempty"`
	Events      []string `json:"events"`
	Enabled     bool     `json:"enabled"`
	Description *string  `json:"description"`
}

// getResponse is the body of a GET answer, fields in the documented order.
type getResponse struct {
	ID                 string   `json:"id"`
	URL                string   `json:"url"`
	Events             []string `json:"events"`
	Enabled            bool     `json:"enabled"`
	Description        *string  `json:"description"`
	LastTriggeredAt    *string  `json:"lastTriggeredAt"`
	LastResponseStatus *int     `json:"lastResponseStatus"`
	FailureCount       int      `json:"failureCount"`
}

func putBody(h Webhook, opts Options) putResponse {
	return putResponse{
		ID:          h.ID,
		URL:         h.URL,
		Secret:      h.Secret,
		Events:      outEvents(h.Events, opts),
		Enabled:     h.Enabled,
		Description: outDescription(h.Description, opts),
	}
}

func getBody(h Webhook, opts Options) getResponse {
	g := getResponse{
		ID:                 h.ID,
		URL:                h.URL,
		Events:             outEvents(h.Events, opts),
		Enabled:            h.Enabled,
		Description:        outDescription(h.Description, opts),
		LastResponseStatus: h.LastResponseStatus,
		FailureCount:       h.FailureCount,
	}
	if h.LastTriggeredAt != nil {
		t := h.LastTriggeredAt.UTC().Format(timeLayout)
		g.LastTriggeredAt = &t
	}
	return g
}

// outEvents returns the events as answered: never null, reversed on demand.
func outEvents(events []string, opts Options) []string {
	out := make([]string, len(events))
	copy(out, events)
	if opts.ReverseEvents {
		slices.Reverse(out)
	}
	return out
}

// outDescription returns the description as answered: "" or null for none.
func outDescription(d *string, opts Options) *string {
	if d != nil && *d != "" {
		return d
	}
	if opts.EmptyDescriptionAsNull {
		return nil
	}
	empty := ""
	return &empty
}
