package probe

import (
	"errors"
	"net/url"
)

// redacted replaces what the probe never shows of a URL.
const redacted = "REDACTED"

// redactError returns err with the URL net/http puts in its errors redacted.
func redactError(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	c := *ue
	c.URL = redactURL(ue.URL)
	return &c
}

// redactURL returns raw with its user information and its query replaced by REDACTED: either
// may hold a credential. Text that is not a URL is replaced whole.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return redacted
	}
	if u.User != nil {
		u.User = url.User(redacted)
	}
	if u.RawQuery != "" || u.ForceQuery {
		u.RawQuery = redacted
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}
