//go:build !linux

package session

// threadID returns 0: where the thread of a system call cannot be found,
// interrupts rely on the other means, and abandonment.
func threadID() int { return 0 }

// kickThread does nothing outside Linux.
func kickThread(int) {}
