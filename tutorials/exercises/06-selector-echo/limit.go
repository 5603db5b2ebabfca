// Package selectorecho is an echo server whose loop knows nothing but a
// Selector: every registration carries, as its data, the handler to call.
package selectorecho

// MaxPending is how many bytes a client may have sent and not yet had back
// before the server stops reading from it.
const MaxPending = 64 << 10
