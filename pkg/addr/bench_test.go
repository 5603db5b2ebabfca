package addr

import (
	"net"
	"net/netip"
	"testing"
)

// BenchmarkParseNumericHost times the numeric-host path of getaddrinfo,
// the one that never touches a resolver.
func BenchmarkParseNumericHost(b *testing.B) {
	for _, host := range []string{"127.0.0.1", "::1", "fe80::1%1"} {
		b.Run(host, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseNumericHost(host); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseAddrStdlib is the standard library's parser on the same
// hosts, for scale.
func BenchmarkParseAddrStdlib(b *testing.B) {
	for _, host := range []string{"127.0.0.1", "::1", "fe80::1%1"} {
		b.Run(host, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := netip.ParseAddr(host); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseMAC times both forms the mac recipe accepts, next to
// net.ParseMAC on the colon form.
func BenchmarkParseMAC(b *testing.B) {
	for _, s := range []string{"00:11:32:3c:c3:0b", "0011323cc30b"} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseMAC(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("net.ParseMAC", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := net.ParseMAC("00:11:32:3c:c3:0b"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
