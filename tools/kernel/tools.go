//go:build tools

package main

// The kernel is gophernotes' main package compiled together with our files
// (see buildkernel.go). Nothing imports gophernotes' main package, so this
// blank import, never compiled, is what keeps its module in go.mod.
import _ "github.com/gopherdata/gophernotes"
