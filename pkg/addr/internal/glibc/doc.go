// Package glibc calls the C library's address parsers, so that tests can
// compare package addr with them. It is empty unless built with cgo and the
// glibc build tag:
//
//	CGO_ENABLED=1 go test -tags glibc -run Glibc ./pkg/addr/...
package glibc
