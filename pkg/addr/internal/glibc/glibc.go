//go:build glibc && cgo

package glibc

/*
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>

// numeric_host runs getaddrinfo(host, NULL, AI_NUMERICHOST, IPPROTO_TCP) and
// copies out its first result. It returns getaddrinfo's error code and, in
// *count, how many results there were.
static int numeric_host(const char *host, int *family, unsigned char addr[16],
                        unsigned int *scope, int *count) {
	struct addrinfo hints, *res, *p;
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_protocol = IPPROTO_TCP;
	int err = getaddrinfo(host, NULL, &hints, &res);
	if (err != 0) {
		return err;
	}
	*count = 0;
	for (p = res; p != NULL; p = p->ai_next) {
		(*count)++;
	}
	*family = res->ai_family;
	if (res->ai_family == AF_INET) {
		memcpy(addr, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
	} else if (res->ai_family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)res->ai_addr;
		memcpy(addr, &sin6->sin6_addr, 16);
		*scope = sin6->sin6_scope_id;
	}
	freeaddrinfo(res);
	return 0;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"strings"
	"unsafe"
)

// errNUL reports input that C cannot see whole.
var errNUL = errors.New("glibc: input contains a NUL byte")

// InetAton calls inet_aton(s) and returns the address in network byte order
// and whether inet_aton accepted s. s must not contain a NUL byte.
func InetAton(s string) ([4]byte, bool, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return [4]byte{}, false, errNUL
	}
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	var in C.struct_in_addr
	if C.inet_aton(cs, &in) == 0 {
		return [4]byte{}, false, nil
	}
	return *(*[4]byte)(unsafe.Pointer(&in.s_addr)), true, nil
}

// Host is the first result of a numeric getaddrinfo call.
type Host struct {
	Family  int      // AF_INET or AF_INET6
	Addr    [16]byte // the first 4 bytes for AF_INET
	ScopeID uint32   // AF_INET6 only
	Count   int      // how many results getaddrinfo returned
}

// NumericHost calls getaddrinfo(host, NULL, &hints, &res) with
// AI_NUMERICHOST and IPPROTO_TCP. ok is false when getaddrinfo fails with
// EAI_NONAME, the answer for text that is not a numeric address; any other
// failure is an error. host must not contain a NUL byte.
func NumericHost(host string) (h Host, ok bool, err error) {
	if strings.IndexByte(host, 0) >= 0 {
		return Host{}, false, errNUL
	}
	cs := C.CString(host)
	defer C.free(unsafe.Pointer(cs))
	var (
		family, count C.int
		addr          [16]C.uchar
		scope         C.uint
	)
	switch rc := C.numeric_host(cs, &family, &addr[0], &scope, &count); rc {
	case 0:
	case C.EAI_NONAME:
		return Host{}, false, nil
	default:
		return Host{}, false, fmt.Errorf("glibc: getaddrinfo(%q): %s", host, C.GoString(C.gai_strerror(rc)))
	}
	h = Host{Family: int(family), ScopeID: uint32(scope), Count: int(count)}
	for i := range addr {
		h.Addr[i] = byte(addr[i])
	}
	return h, true, nil
}
