package snifftest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"golang.org/x/sys/unix"
)

// Veth is a pair of network namespaces, each holding one end of a veth
// pair that is up and has an address in 10.200.0.0/16. Index 0 and 1 name
// the two sides in every field.
type Veth struct {
	Netns [2]string     // namespace names, as ip netns lists them
	Link  [2]string     // interface names, Link[i] lives in Netns[i]
	Addr  [2]netip.Addr // Addr[i] is assigned to Link[i], prefix /24
}

// NewVeth creates the namespaces and the veth pair and removes them when t
// ends. It skips t (through testenv) when the ip command is missing and fails t on any other
// error; callers check for root first.
func NewVeth(t testing.TB) *Veth {
	t.Helper()
	if _, err := exec.LookPath("ip"); err != nil {
		testenv.Skip(t, testenv.IPRoute, "no ip command to create network namespaces: "+err.Error())
	}
	var r [3]byte
	if _, err := rand.Read(r[:]); err != nil {
		t.Fatal(err)
	}
	id := hex.EncodeToString(r[:2])
	v := &Veth{
		Netns: [2]string{"sockbook-" + id + "-a", "sockbook-" + id + "-b"},
		Link:  [2]string{"sbveth" + id + "a", "sbveth" + id + "b"},
		// 10.200.0.0/16 is private, and the addresses exist only inside
		// the two namespaces, so nothing leaves them.
		Addr: [2]netip.Addr{
			netip.AddrFrom4([4]byte{10, 200, r[2], 1}),
			netip.AddrFrom4([4]byte{10, 200, r[2], 2}),
		},
	}
	for _, ns := range v.Netns {
		ip(t, "netns", "add", ns)
		t.Cleanup(func() {
			// Deleting a namespace destroys the veth end inside it.
			if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
				t.Errorf("ip netns del %s: %v: %s", ns, err, out)
			}
		})
	}
	ip(t, "link", "add", v.Link[0], "netns", v.Netns[0], "type", "veth",
		"peer", "name", v.Link[1], "netns", v.Netns[1])
	for i := range 2 {
		ip(t, "-n", v.Netns[i], "addr", "add", v.Addr[i].String()+"/24", "dev", v.Link[i])
		ip(t, "-n", v.Netns[i], "link", "set", v.Link[i], "up")
	}
	return v
}

// ip runs the ip command with args and fails t if it fails.
func ip(t testing.TB, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// Do runs fn on an OS thread that has joined namespace Netns[side]. Sockets
// that fn opens stay in that namespace after Do returns, wherever they are
// used from.
func (v *Veth) Do(side int, fn func() error) error {
	if side != 0 && side != 1 {
		return fmt.Errorf("snifftest: side %d, want 0 or 1", side)
	}
	errc := make(chan error, 1)
	go func() {
		// Setns changes only this thread. Locked to it, the goroutine keeps
		// the namespace; if it cannot switch back, it exits still locked and
		// the runtime throws the thread away instead of reusing it.
		runtime.LockOSThread()
		errc <- v.do(side, fn)
	}()
	return <-errc
}

func (v *Veth) do(side int, fn func() error) error {
	orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("snifftest: open own namespace: %w", err)
	}
	defer unix.Close(orig)
	target, err := unix.Open("/run/netns/"+v.Netns[side], unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("snifftest: open namespace %s: %w", v.Netns[side], err)
	}
	defer unix.Close(target)
	if err := unix.Setns(target, unix.CLONE_NEWNET); err != nil {
		return fmt.Errorf("snifftest: enter namespace %s: %w", v.Netns[side], err)
	}
	ferr := fn()
	if err := unix.Setns(orig, unix.CLONE_NEWNET); err != nil {
		return fmt.Errorf("snifftest: leave namespace %s: %w", v.Netns[side], err)
	}
	runtime.UnlockOSThread()
	return ferr
}
