package redisdedup_test

import (
	"context"
	"fmt"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/redisdedup"
)

// deliverOnce claims key and marks it done, as Deduplicate does for a
// delivery its handler answered 2xx.
func deliverOnce(ctx context.Context, d *redisdedup.Deduper, key string) error {
	status, token, err := d.Claim(ctx, key, time.Minute)
	if err != nil {
		return err
	}
	if status != glossiwebhook.Claimed {
		return fmt.Errorf("claim %s: status %d", key, status)
	}
	return d.Done(ctx, key, token, time.Hour)
}
