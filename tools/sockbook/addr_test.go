package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAddrHostname(t *testing.T) {
	host, err := os.Hostname()
	require.NoError(t, err)
	out := runCLI(t, "hostname", "-hosts-only", "localhost", "192.0.2.1")
	assert.Equal(t, "hostname: "+host+"\nlocalhost -> 127.0.0.1\n192.0.2.1 -> 192.0.2.1\n", out)

	stdout, stderr := runCLIFail(t, "hostname", "-hosts-only", "not-exist.example.com")
	assert.Contains(t, stdout, "not-exist.example.com -> no address")
	assert.Contains(t, stderr, `"not-exist.example.com"`)
}

func TestAddrGetaddrinfo(t *testing.T) {
	for host, want := range map[string]string{
		"192.0.2.244":        "AF_INET ('192.0.2.244', 0)\n",
		"2001:db8:f00d::1:d": "AF_INET6 ('2001:db8:f00d::1:d', 0, 0, 0)\n",
		"fe80::1%lo":         "AF_INET6 ('fe80::1%lo', 0, 0, 1)\n",
		"::ffff:192.0.2.128": "AF_INET6 ('::ffff:192.0.2.128', 0, 0, 0)\n",
		"0xc000027b":         "AF_INET ('192.0.2.123', 0)\n",
		"3221226198":         "AF_INET ('192.0.2.214', 0)\n",
	} {
		assert.Equal(t, want, runCLI(t, "getaddrinfo", "-hosts-only", host), host)
	}
	assert.Contains(t, runCLI(t, "getaddrinfo", "-hosts-only", "localhost"), "AF_INET ('127.0.0.1', 0)\n")

	for _, host := range []string{"10.0.0.256", "not-exist.example.com", "fe80::1%no-such-interface"} {
		stdout, stderr := runCLIFail(t, "getaddrinfo", "-hosts-only", host)
		assert.Equal(t, "Invalid\n", stdout, host)
		assert.Contains(t, stderr, host)
	}
	_, stderr := runCLIFail(t, "getaddrinfo")
	assert.Contains(t, stderr, "want exactly one host")
}

func TestAddrByteOrder(t *testing.T) {
	out := runCLI(t, "byte-order")
	assert.Contains(t, out, "host byte order: ")
	if bytes.Contains([]byte(out), []byte("LittleEndian")) {
		assert.Contains(t, out, "htons(1) = 256\nntohs(256) = 1\nhtonl(1) = 16777216\nntohl(16777216) = 1\n")
	} else {
		assert.Contains(t, out, "htons(1) = 1\nntohs(1) = 1\nhtonl(1) = 1\nntohl(1) = 1\n")
	}
	out = runCLI(t, "byte-order", "0x10000")
	assert.NotContains(t, out, "htons")
	assert.Contains(t, out, "htonl(65536) = ")

	_, stderr := runCLIFail(t, "byte-order", "4294967296")
	assert.Contains(t, stderr, `"4294967296"`)
}

func TestAddrInetAton(t *testing.T) {
	want := "inet_aton: \"\\x7f\\x00\\x00\\x01\"\ninet_ntoa: 127.0.0.1\n"
	assert.Equal(t, want, runCLI(t, "inet-aton", "127.0.0.1"))
	assert.Equal(t, want, runCLI(t, "inet-aton", "0x7f.1"))
	assert.Equal(t, want, runCLI(t, "inet-aton", "127.0.0.1 localhost"))

	_, stderr := runCLIFail(t, "inet-aton", "-exact", "127.0.0.1 localhost")
	assert.Contains(t, stderr, `addr: inet_aton "127.0.0.1 localhost": trailing text`)
	_, stderr = runCLIFail(t, "inet-aton", "10.0.0.256")
	assert.Contains(t, stderr, `"10.0.0.256"`)
}

func TestAddrMACAddress(t *testing.T) {
	want := "bytes: \"\\x00\\x112<\\xc3\\v\"\nhex: 0011323cc30b\nmac: 00:11:32:3c:c3:0b\n"
	assert.Equal(t, want, runCLI(t, "mac-address", "00:11:32:3c:c3:0b"))
	assert.Equal(t, want, runCLI(t, "mac-address", "0011323cc30b"))

	_, stderr := runCLIFail(t, "mac-address", "00:11:32:3c:c3")
	assert.Contains(t, stderr, `addr: MAC address "00:11:32:3c:c3"`)
}
