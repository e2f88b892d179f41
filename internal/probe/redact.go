package probe

import (
	"errors"
	"net/url"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// redactError returns err with the URL net/http puts in its errors redacted by the one rule,
// glossi.RedactURL.
func redactError(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	c := *ue
	c.URL = glossi.RedactURL(ue.URL)
	return &c
}
