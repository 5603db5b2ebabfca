// This file and the others in this folder join gophernotes' display code
// (display.go, image.go and a corrected display table) when tools/kernel
// builds the sockbook kernel (see buildkernel.go); they are never compiled
// on their own.

// gomacro predates materialised type aliases in go/types.
//go:debug gotypesalias=0

package main

import (
	// The import tables of the sockbook packages and of current versions
	// of the standard packages notebooks use.
	_ "github.com/sockbook/sockbook/tools/kernel/imports"
)
