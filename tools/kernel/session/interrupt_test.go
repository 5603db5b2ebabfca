package session

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// blockingCells are cells that never end on their own, with what must
// hold after the interrupt: every one stops within a second, with an
// interrupted error, and the session's state is intact. Cells blocked in
// golang.org/x/sys/unix or a pkg/ package need the generated tables, which
// only the kernel binary links: interruptCases in tools/kernel holds them.
var blockingCells = []struct {
	name      string
	setup     string // run first, must succeed
	code      string
	abandoned bool   // stops only by abandonment
	after     string // must evaluate to true afterwards
}{
	{name: "cpu loop", code: "for {}", after: "kept == 7"},
	{name: "cpu loop in a function", setup: "func spin() int { n := 0; for { n++ }; return n }", code: "spin()", after: "kept == 7"},
	{
		name:  "Accept on a listener from an earlier cell",
		setup: `import "net"; ln, _ := net.Listen("tcp", "127.0.0.1:0")`,
		code:  "conn, err := ln.Accept()",
		// The listener works again: its deadline is cleared.
		after: `(func() bool {
			go func() { c, err := net.Dial("tcp", ln.Addr().String()); if err == nil { c.Close() } }()
			c, err := ln.Accept()
			if err != nil { return false }
			c.Close()
			return true
		})()`,
	},
	{
		name:  "Accept on a listener made in the cell",
		setup: `import "net"`,
		code:  `l, _ := net.Listen("tcp", "127.0.0.1:0"); l.Accept()`,
		after: "kept == 7",
	},
	{
		name: "Read on a connection, inside a function",
		setup: `import "net"
			ln, _ := net.Listen("tcp", "127.0.0.1:0")
			func readOne() (int, error) {
				c, err := net.Dial("tcp", ln.Addr().String())
				if err != nil { return 0, err }
				buf := make([]byte, 10)
				return c.Read(buf)
			}`,
		code:  "readOne()",
		after: "kept == 7",
	},
	{
		name:  "ReadFrom on a UDP socket",
		setup: `import "net"; pc, _ := net.ListenPacket("udp", "127.0.0.1:0"); buf := make([]byte, 100)`,
		code:  "pc.ReadFrom(buf)",
		after: `(func() bool {
			c, _ := net.Dial("udp", pc.LocalAddr().String())
			c.Write([]byte("hi"))
			n, _, err := pc.ReadFrom(buf)
			return err == nil && n == 2
		})()`,
	},
	{name: "sleep", setup: `import "time"`, code: "time.Sleep(time.Hour)", after: "kept == 7"},
	{name: "channel receive", setup: "ch := make(chan int)", code: "<-ch", abandoned: true, after: "kept == 7"},
	{name: "select on a channel", setup: "never := make(chan int)", code: "select { case <-never: }", abandoned: true, after: "kept == 7"},
	{name: "ctx.Done", code: "<-ctx.Done()", after: "kept == 7"},
}

func TestInterruptAlwaysReturnsControl(t *testing.T) {
	for _, tc := range blockingCells {
		t.Run(tc.name, func(t *testing.T) {
			skipUnderRace(t)
			s := newSession(t)
			run(t, s, "kept := 7")
			if tc.setup != "" {
				run(t, s, tc.setup)
			}
			r, took := interruptAfter(t, s, tc.code, 100*time.Millisecond)
			require.NotNil(t, r.Err, "the cell must end with an error")
			assert.Equal(t, Interrupted, r.Err.Kind, "%v", r.Err)
			assert.Equal(t, tc.abandoned, r.Err.Abandoned, "%v", r.Err)
			assert.Less(t, took, time.Second)
			t.Logf("interrupt → control in %v: %v", took, r.Err.Value())
			assert.Equal(t, true, run(t, s, tc.after))
		})
	}
}

// TestAbandonedCellEndsItself: once the call an abandoned cell waits in
// returns, the abandoned goroutine stops at its next interrupt check
// instead of running the rest of its cell.
func TestAbandonedCellEndsItself(t *testing.T) {
	skipUnderRace(t)
	s := newSession(t)
	run(t, s, "ch := make(chan int); reached := 0")
	r, _ := interruptAfter(t, s, "func wait() { <-ch; for i := 0; i < 100; i++ { reached++ } }\nwait()", 100*time.Millisecond)
	require.NotNil(t, r.Err)
	assert.True(t, r.Err.Abandoned)
	assert.Contains(t, r.Err.Value(), "chan receive")
	run(t, s, "ch <- 1")
	time.Sleep(100 * time.Millisecond)
	assert.Less(t, run(t, s, "reached"), 20, "the abandoned loop stopped at a check")
	// The session goes on, and can be interrupted again.
	r, _ = interruptAfter(t, s, "<-ch", 100*time.Millisecond)
	require.NotNil(t, r.Err)
	assert.Equal(t, Interrupted, r.Err.Kind)
}

// TestGoroutinesSurviveAnInterrupt: a goroutine a previous cell started,
// sleeping and counting, is not interrupted with the cell that runs.
func TestGoroutinesSurviveAnInterrupt(t *testing.T) {
	skipUnderRace(t)
	s := newSession(t)
	// atomic.AddInt64, not atomic.Int64: gomacro's built-in table of
	// sync/atomic predates the latter.
	run(t, s, `import ("sync/atomic"; "time"); var n int64`)
	run(t, s, "go func() { for { atomic.AddInt64(&n, 1); time.Sleep(time.Millisecond) } }()")
	r, _ := interruptAfter(t, s, "time.Sleep(time.Hour)", 50*time.Millisecond)
	require.NotNil(t, r.Err)
	before := run(t, s, "atomic.LoadInt64(&n)").(int64)
	time.Sleep(50 * time.Millisecond)
	assert.Greater(t, run(t, s, "atomic.LoadInt64(&n)").(int64), before)
}

func TestInterruptWhenIdleDoesNothing(t *testing.T) {
	s := newSession(t)
	s.Interrupt()
	assert.Equal(t, 3, run(t, s, "1 + 2"))
}

// skipUnderRace skips a test that interrupts a running cell when the race
// detector is on. An interrupt is unsynchronized by nature: it sets
// gomacro's interrupt flag, a plain field its run loop polls; it reads the
// variables of a cell that is blocked, to wake them; and an abandoned cell's
// goroutine last wrote the interpreter's state with no synchronisation
// before it blocked. The detector reports each of these; without it, these
// tests run in every go test ./..., and against the kernel binary.
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("interrupting a running cell is unsynchronized by gomacro's design; see skipUnderRace")
	}
}
