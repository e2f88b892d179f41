package sandbox

import (
	"fmt"
	"slices"
	"strings"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// knownEvents are the event types of the Glossi documentation, in its order,
// as glossiwebhook declares them.
var knownEvents = func() []string {
	var names []string
	for _, e := range glossiwebhook.KnownEvents() {
		names = append(names, string(e))
	}
	return names
}()

// EventTypes returns the event types a webhook can subscribe to, in the
// order of the Glossi documentation.
func EventTypes() []string {
	return slices.Clone(knownEvents)
}

// KnownEvent reports whether event is one of the event types of the Glossi
// documentation (see EventTypes).
func KnownEvent(event string) bool {
	return slices.Contains(knownEvents, event)
}

// knownEventList is the event types for a message: "a, b, c".
func knownEventList() string {
	return strings.Join(knownEvents, ", ")
}

func unknownEventError(event string) error {
	return fmt.Errorf("%w %q; known events are %s", ErrUnknownEvent, event, knownEventList())
}
