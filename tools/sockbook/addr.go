package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"

	"github.com/sockbook/sockbook/pkg/addr"
)

// resolverFlag adds -hosts-only to fs and returns a function giving the
// resolver it selects.
func resolverFlag(fs *flag.FlagSet) func() *net.Resolver {
	hostsOnly := fs.Bool("hosts-only", false, "resolve names from /etc/hosts only, sending no DNS query")
	return func() *net.Resolver {
		if *hostsOnly {
			return addr.HostsOnlyResolver()
		}
		return net.DefaultResolver
	}
}

func hostnameFlags(fs *flag.FlagSet) runFunc {
	resolver := resolverFlag(fs)
	return func(ctx context.Context, names []string, out io.Writer) error {
		return hostname(ctx, resolver(), names, out)
	}
}

func hostname(ctx context.Context, resolver *net.Resolver, names []string, out io.Writer) error {
	host, err := os.Hostname()
	if err != nil {
		return fmt.Errorf("hostname: %w", err)
	}
	fmt.Fprintln(out, "hostname:", host)
	if len(names) == 0 {
		names = []string{host, "localhost"}
	}
	var errs []error
	for _, name := range names {
		ip, err := addr.LookupIPv4(ctx, resolver, name)
		if err != nil {
			fmt.Fprintf(out, "%s -> no address\n", name)
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(out, "%s -> %v\n", name, ip)
	}
	return errors.Join(errs...)
}

// getaddrinfoFlags returns a getaddrinfo that prints what gai.py prints.
// For a host that is neither an address nor a name that resolves, it
// prints "Invalid", as gai.py does, and then fails (exit status 1, the
// reason on stderr) so that scripts can tell.
func getaddrinfoFlags(fs *flag.FlagSet) runFunc {
	resolver := resolverFlag(fs)
	return func(ctx context.Context, args []string, out io.Writer) error {
		if len(args) != 1 {
			return usageError(fs, "getaddrinfo: want exactly one host")
		}
		infos, err := addr.Resolve(ctx, resolver(), args[0])
		if err != nil {
			fmt.Fprintln(out, "Invalid")
			return err
		}
		for _, ai := range infos {
			fmt.Fprintln(out, ai)
		}
		return nil
	}
}

func byteOrderFlags(fs *flag.FlagSet) runFunc {
	return func(_ context.Context, args []string, out io.Writer) error {
		if len(args) > 1 {
			return usageError(fs, "byte-order: want at most one number")
		}
		n := uint64(1)
		if len(args) == 1 {
			var err error
			if n, err = strconv.ParseUint(args[0], 0, 32); err != nil {
				return fmt.Errorf("byte-order: %q is not an unsigned 32-bit number: %w", args[0], err)
			}
		}
		byteOrder(n, out)
		return nil
	}
}

// byteOrder prints n converted to network byte order and back.
func byteOrder(n uint64, out io.Writer) {
	fmt.Fprintln(out, "host byte order:", addr.HostByteOrder())
	if n <= 0xffff {
		s := addr.Htons(uint16(n))
		fmt.Fprintf(out, "htons(%d) = %d\n", n, s)
		fmt.Fprintf(out, "ntohs(%d) = %d\n", s, addr.Ntohs(s))
	}
	l := addr.Htonl(uint32(n))
	fmt.Fprintf(out, "htonl(%d) = %d\n", n, l)
	fmt.Fprintf(out, "ntohl(%d) = %d\n", l, addr.Ntohl(l))
}

func inetAtonFlags(fs *flag.FlagSet) runFunc {
	exact := fs.Bool("exact", false, "reject text after the address, as getaddrinfo does")
	return func(_ context.Context, args []string, out io.Writer) error {
		if len(args) != 1 {
			return usageError(fs, "inet-aton: want exactly one address")
		}
		parse := addr.InetAton
		if *exact {
			parse = addr.InetAtonExact
		}
		b, err := parse(args[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "inet_aton: %q\n", b[:])
		fmt.Fprintln(out, "inet_ntoa:", addr.InetNtoa(b))
		return nil
	}
}

func macAddressFlags(fs *flag.FlagSet) runFunc {
	return func(_ context.Context, args []string, out io.Writer) error {
		if len(args) != 1 {
			return usageError(fs, "mac-address: want exactly one MAC address")
		}
		mac, err := addr.ParseMAC(args[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "bytes: %q\n", []byte(mac))
		fmt.Fprintf(out, "hex: %x\n", []byte(mac))
		fmt.Fprintln(out, "mac:", mac)
		return nil
	}
}
