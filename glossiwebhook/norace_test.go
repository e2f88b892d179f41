//go:build !race

package glossiwebhook

const raceEnabled = false
