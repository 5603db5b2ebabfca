package session

import (
	"time"

	"github.com/cosmos72/gomacro/fast"
	"github.com/cosmos72/gomacro/gls"
	xr "github.com/cosmos72/gomacro/xreflect"
)

// installSleep makes time.Sleep, as cells call it, return at once when the
// cell that called it is interrupted, by unwinding it with the interrupt.
// Called elsewhere (a goroutine a cell started, compiled code), it is
// time.Sleep.
//
// The interpreter keeps one table per imported package: importing "time"
// here, under the blank name, creates it, and a cell's import "time"
// finds it.
func (s *Session) installSleep() {
	imp := s.ir.ImportPackage("_", "time")
	bind, ok := imp.Binds["Sleep"]
	if !ok || bind.Desc.Class() != fast.FuncBind {
		return
	}
	i := bind.Desc.Index()
	if i < 0 || i >= len(imp.Vals) {
		return
	}
	imp.Vals[i] = xr.ValueOf(s.sleep)
}

// sleep is time.Sleep for cells.
func (s *Session) sleep(d time.Duration) {
	s.mu.Lock()
	c := s.running
	s.mu.Unlock()
	if c == nil || c.exec.g != gls.GoID() {
		time.Sleep(d)
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.wake:
		panic(interruptedSleep{})
	}
}

// interruptedSleep is the panic that ends a sleep an interrupt woke.
type interruptedSleep struct{}
