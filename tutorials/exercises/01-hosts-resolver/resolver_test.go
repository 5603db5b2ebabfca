package hostsres

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/pkg/addr"
)

// hostsFile is the table most tests resolve from. Nothing here is ever
// sent to the network: the addresses are documentation ranges.
const hostsFile = "# hosts for the tests\n" +
	"127.0.0.1\tlocalhost\n" +
	"127.0.1.1\tbox.example.org box   # Debian gives the machine's own name this address\n" +
	"::1     localhost ip6-localhost\n" +
	"\n" +
	"   # an indented comment\n" +
	"192.0.2.10  www.example.org www\r\n" +
	"2001:db8::10 WWW.Example.Org\n" +
	"192.0.2.10  www      # the same pair again\n" +
	"192.0.2.11  www.example.org\n" +
	"2001:db8::20 v6only\n"

func table(t *testing.T) *Hosts {
	t.Helper()
	h, err := Parse(strings.NewReader(hostsFile))
	if err != nil {
		t.Fatalf("task 1: Parse of a good hosts file: %v", err)
	}
	if h == nil {
		t.Fatal("task 1: Parse returned a nil table and no error")
	}
	return h
}

func TestParseRejectsBadLines(t *testing.T) {
	table(t)
	for _, tc := range []struct{ line, names string }{
		{"192.0.2.300 big", "192.0.2.300"},
		{"127.1 short", "127.1"}, // an inet_aton form: fine on a command line, not in a hosts file
		{"0x7f000001 hex", "0x7f000001"},
		{"localhost", "localhost"},
		{"127.0.0.1", "127.0.0.1"},
		{"127.0.0.1   # only a comment after the address", "127.0.0.1"},
		{"fe80::1%eth0 router", "fe80::1%eth0"},
		{"192.0.2.1 good bad\x00name", "bad\x00name"},
		{"192.0.2.1 semi;colon", "semi;colon"},
		{"2001:db8::1::2 twice", "2001:db8::1::2"},
	} {
		// The bad line is the third: the error must say so.
		in := "127.0.0.1 localhost\n\n" + tc.line + "\n::1 localhost\n"
		h, err := Parse(strings.NewReader(in))
		if err == nil {
			t.Errorf("task 1: Parse accepted the line %q (got %v); want an error", tc.line, h)
			continue
		}
		if errors.Is(err, errors.ErrUnsupported) {
			t.Fatalf("task 1: Parse: %v", err)
		}
		if !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.names)) && !strings.Contains(err.Error(), tc.names) {
			t.Errorf("task 1: Parse of bad line 3 %q: error %q must name the line (\"line 3\") and the bad field %q", tc.line, err, tc.names)
		}
	}
}

func TestParseLongLine(t *testing.T) {
	// A hosts file is input like any other: a line longer than a default
	// scanner buffer (64 KiB) must not stop the parse.
	in := "# " + strings.Repeat("x", 200<<10) + "\n192.0.2.1 far-down\n"
	h, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatalf("task 1: Parse of a file with a 200 KiB comment line: %v", err)
	}
	if a, err := h.IPv4("far-down"); err != nil || a != netip.MustParseAddr("192.0.2.1") {
		t.Errorf("task 1: after a 200 KiB comment, far-down resolved to %v, %v; want 192.0.2.1", a, err)
	}
}

// r builds the result a lookup should yield.
func r(a string, port uint16, st SockType) Result {
	ap := netip.AddrPortFrom(netip.MustParseAddr(a), port)
	f := addr.AFInet6
	if ap.Addr().Is4() {
		f = addr.AFInet
	}
	return Result{Family: f, SockType: st, Addr: ap}
}

func TestLookupNames(t *testing.T) {
	h := table(t)
	for _, tc := range []struct {
		host, port string
		hints      Hints
		want       []Result
		why        string
	}{
		{"localhost", "80", Hints{SockType: SockStream}, []Result{r("127.0.0.1", 80, SockStream), r("::1", 80, SockStream)},
			"every address of the name, in file order"},
		{"localhost", "53", Hints{}, []Result{r("127.0.0.1", 53, SockStream), r("127.0.0.1", 53, SockDgram), r("::1", 53, SockStream), r("::1", 53, SockDgram)},
			"socket type 0 gives one result per type, stream before datagram, for each address"},
		{"LocalHost", "", Hints{Family: addr.AFInet6, SockType: SockDgram}, []Result{r("::1", 0, SockDgram)},
			"names are case-insensitive; the family hint keeps IPv6 only; no port is port 0"},
		{"www.example.org", "443", Hints{SockType: SockStream}, []Result{r("192.0.2.10", 443, SockStream), r("2001:db8::10", 443, SockStream), r("192.0.2.11", 443, SockStream)},
			"a name on several lines has every address, in the order of the lines"},
		{"www", "08080", Hints{Family: addr.AFInet, SockType: SockStream}, []Result{r("192.0.2.10", 8080, SockStream)},
			"an address repeated for a name is listed once; a port may have leading zeros"},
		{"box", "65535", Hints{Family: addr.AFInet, SockType: SockDgram}, []Result{r("127.0.1.1", 65535, SockDgram)},
			"an alias resolves as the first name does"},
	} {
		got, err := h.Lookup(tc.host, tc.port, tc.hints)
		if err != nil {
			t.Errorf("task 2: Lookup(%q, %q, %+v): %v", tc.host, tc.port, tc.hints, err)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("task 2: Lookup(%q, %q, %+v)\n got %v\nwant %v\n(%s)", tc.host, tc.port, tc.hints, got, tc.want, tc.why)
		}
	}
}

func TestLookupNumeric(t *testing.T) {
	h := table(t)
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Fatalf("this machine has no interface lo: %v", err)
	}
	for _, tc := range []struct {
		host  string
		hints Hints
		want  Result
		why   string
	}{
		{"192.0.2.99", Hints{}, r("192.0.2.99", 7, SockStream), "an address not in the file is itself"},
		{"127.1", Hints{}, r("127.0.0.1", 7, SockStream), "getaddrinfo reads inet_aton's short forms (addr.ParseNumericHost does too)"},
		{"0xc0000263", Hints{NumericHost: true}, r("192.0.2.99", 7, SockStream), "a hexadecimal 32-bit number is an IPv4 address"},
		{"3221226083", Hints{Family: addr.AFInet}, r("192.0.2.99", 7, SockStream), "so is a decimal one: this is never a name"},
		{"2001:DB8::10", Hints{NumericHost: true}, r("2001:db8::10", 7, SockStream), "IPv6 text in any case"},
		{"::ffff:192.0.2.1", Hints{Family: addr.AFInet6}, r("::ffff:192.0.2.1", 7, SockStream), "a v4-mapped address is IPv6"},
		{"fe80::1%lo", Hints{Family: addr.AFInet6}, Result{Family: addr.AFInet6, SockType: SockStream, Addr: netip.MustParseAddrPort("[fe80::1%lo]:7"), ScopeID: uint32(lo.Index)},
			"a link-local address keeps its zone, and the zone's interface index is the scope ID"},
		{fmt.Sprintf("fe80::1%%%d", lo.Index), Hints{}, Result{Family: addr.AFInet6, SockType: SockStream, Addr: netip.MustParseAddrPort(fmt.Sprintf("[fe80::1%%%d]:7", lo.Index)), ScopeID: uint32(lo.Index)},
			"a zone may be the index itself"},
	} {
		tc.hints.SockType = SockStream
		got, err := h.Lookup(tc.host, "7", tc.hints)
		if err != nil {
			t.Errorf("task 2: Lookup(%q, \"7\", %+v): %v (%s)", tc.host, tc.hints, err, tc.why)
			continue
		}
		if !slices.Equal(got, []Result{tc.want}) {
			t.Errorf("task 2: Lookup(%q, \"7\", %+v)\n got %v\nwant %v\n(%s)", tc.host, tc.hints, got, []Result{tc.want}, tc.why)
		}
	}
}

func TestLookupErrors(t *testing.T) {
	h := table(t)
	for _, tc := range []struct {
		host, port string
		hints      Hints
		want       error // nil: any error, naming the host
		why        string
	}{
		{"nosuchhost", "80", Hints{}, ErrNoName, "a name the file does not list"},
		{"", "80", Hints{}, ErrNoName, "an empty host"},
		{"localhost", "80", Hints{NumericHost: true}, ErrNoName, "NumericHost refuses every name"},
		{"v6only", "80", Hints{Family: addr.AFInet}, ErrNoAddress, "the name exists, but has no IPv4 address"},
		{"192.0.2.1", "80", Hints{Family: addr.AFInet6}, ErrNoAddress, "an IPv4 address is never IPv6"},
		{"::1", "80", Hints{Family: addr.AFInet}, ErrNoAddress, "nor the other way round"},
		{"fe80::1%nosuchif0", "80", Hints{}, ErrNoName, "a zone naming no interface: a bad address, not a name"},
		{"2001:db8::1%lo", "80", Hints{}, ErrNoName, "a global address with an interface name as zone"},
		{"1.2.3.4.5", "80", Hints{}, ErrNoName, "five parts is not an address, and not in the file"},
		{"10.0.0.256", "80", Hints{}, ErrNoName, "an octet above 255 is not an address (the cheat sheet's \"octet overflow\")"},
		{"localhost", "http", Hints{}, ErrService, "services are not looked up: only numbers"},
		{"localhost", "65536", Hints{}, ErrService, "a port above 65535"},
		{"localhost", "-1", Hints{}, ErrService, "a negative port"},
		{"localhost", "+80", Hints{}, ErrService, "a sign"},
		{"localhost", " 80", Hints{}, ErrService, "a space"},
		{"localhost", "80", Hints{Family: 99}, nil, "an unknown family"},
		{"localhost", "80", Hints{SockType: 5}, nil, "an unknown socket type (SOCK_SEQPACKET)"},
	} {
		got, err := h.Lookup(tc.host, tc.port, tc.hints)
		if err == nil {
			t.Errorf("task 2: Lookup(%q, %q, %+v) = %v, want an error: %s", tc.host, tc.port, tc.hints, got, tc.why)
			continue
		}
		if errors.Is(err, errors.ErrUnsupported) {
			t.Fatalf("task 2: Lookup: %v", err)
		}
		if tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("task 2: Lookup(%q, %q, %+v): error %q does not wrap %q (%s)", tc.host, tc.port, tc.hints, err, tc.want, tc.why)
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.host)) {
			t.Errorf("task 2: Lookup(%q, %q, %+v): error %q does not name the host (quoted, %q)", tc.host, tc.port, tc.hints, err, tc.host)
		}
		if tc.want == ErrService && !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.port)) {
			t.Errorf("task 2: Lookup(%q, %q): error %q does not name the port (quoted)", tc.host, tc.port, err)
		}
	}
}

func TestIPv4(t *testing.T) {
	h := table(t)
	for name, want := range map[string]string{
		"localhost":       "127.0.0.1",
		"box.example.org": "127.0.1.1",
		"www.example.org": "192.0.2.10", // the first IPv4 address; the IPv6 one between is skipped
		"127.1":           "127.0.0.1",
		"192.0.2.200":     "192.0.2.200",
	} {
		if got, err := h.IPv4(name); err != nil || got != netip.MustParseAddr(want) {
			t.Errorf("task 3: IPv4(%q) = %v, %v; want %s", name, got, err, want)
		}
	}
	for _, name := range []string{"v6only", "::1", "nosuchhost", ""} {
		if got, err := h.IPv4(name); err == nil {
			t.Errorf("task 3: IPv4(%q) = %v, want an error: gethostbyname knows only IPv4", name, got)
		} else if !strings.Contains(err.Error(), fmt.Sprintf("%q", name)) {
			t.Errorf("task 3: IPv4(%q): error %q does not name it", name, err)
		}
	}
}

func TestSelf(t *testing.T) {
	me, err := os.Hostname()
	if err != nil {
		t.Fatalf("os.Hostname: %v", err)
	}
	if !validForTest(me) {
		t.Fatalf("this machine's host name %q cannot be written in a hosts file", me)
	}
	h, err := Parse(strings.NewReader("127.0.0.1 localhost\n::1 " + me + "\n127.0.1.1 " + strings.ToUpper(me) + "\n"))
	if err != nil {
		t.Fatalf("task 1: %v", err)
	}
	name, a, err := h.Self()
	if err != nil {
		t.Fatalf("task 4: Self with %q in the table: %v", me, err)
	}
	if name != me || a != netip.MustParseAddr("127.0.1.1") {
		t.Errorf("task 4: Self() = %q, %v; want %q (os.Hostname), 127.0.1.1 (its IPv4 address in the table)", name, a, me)
	}
	other, err := Parse(strings.NewReader("127.0.0.1 localhost\n"))
	if err != nil {
		t.Fatalf("task 1: %v", err)
	}
	if name, a, err := other.Self(); err == nil {
		t.Errorf("task 4: Self with no entry for %q = %q, %v; want an error", me, name, a)
	} else if !strings.Contains(err.Error(), me) {
		t.Errorf("task 4: Self: error %q does not name this host, %q", err, me)
	}
}

func validForTest(s string) bool {
	return s != "" && !strings.ContainsAny(s, " \t\r\n#%:")
}
