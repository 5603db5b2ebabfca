// Package imports holds the import tables that link Go packages into the
// sockbook kernel: for each package, the functions, variables, constants and
// types that interpreted notebook code may use, as reflect values.
//
// Only this file is committed. The kernel build ("go run ./tools/kernel
// build", see buildkernel.go there) generates the rest from the current
// sources and adds it to this package with go build -overlay: one table per
// package, each registering itself in Packages, and docs.go, which declares
// DocsJSON, the documentation of every name the tables bind. So the kernel
// always has the tables of the sources it is built from, and built without
// the overlay this package registers nothing.
//
// To read what the build generates (the tables, manifest.json listing each
// table with its exported functions and the generic declarations the
// interpreter cannot bind, and docs.json), run
//
//	go run ./tools/kernel gen -out DIR
package imports

import "github.com/cosmos72/gomacro/imports"

// Package is one package's table, in the interpreter's own format.
type Package = imports.Package

// Packages is the interpreter's registry of importable packages. It is the
// same map as gomacro's, so the tables registered here replace gomacro's
// older built-in ones for the same import paths.
var Packages = imports.Packages
