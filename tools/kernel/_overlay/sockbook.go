// This file joins gophernotes' main package when tools/kernel builds the
// sockbook kernel (see buildkernel.go); it is never compiled on its own.

// gomacro predates materialised type aliases in go/types.
//go:debug gotypesalias=0

package main

import (
	"os/signal"
	"syscall"

	// The import tables of the sockbook packages and of current versions
	// of the standard packages notebooks use.
	_ "github.com/sockbook/sockbook/tools/kernel/imports"
)

// gophernotes cannot stop a running cell; without this, Jupyter's
// "interrupt" (SIGINT) would kill the kernel and lose every variable.
func init() {
	signal.Ignore(syscall.SIGINT)
}
