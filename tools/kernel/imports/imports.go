// Package imports holds the import tables that link Go packages into the
// sockbook kernel: for each package, the functions, variables, constants and
// types that interpreted notebook code may use, as reflect values.
//
// Every other file in this folder is generated from the packages themselves;
// after any change under pkg/ (or to the package list in tools/kernel),
// regenerate them with
//
//	go generate ./tools/kernel
//
// manifest.json lists each table with its exported functions and the generic
// declarations the interpreter cannot bind, which are left out. docs.json
// holds the documentation of every name the tables bind (see DocsJSON).
package imports

import (
	_ "embed" // for DocsJSON

	"github.com/cosmos72/gomacro/imports"
)

// Package is one package's table, in the interpreter's own format.
type Package = imports.Package

// Packages is the interpreter's registry of importable packages. It is the
// same map as gomacro's, so the tables registered here replace gomacro's
// older built-in ones for the same import paths.
var Packages = imports.Packages

// DocsJSON is docs.json: the documentation of every name the tables bind
// (the package itself, functions, types with their methods and fields,
// constants and variables), generated from the packages' sources with the
// tables. The kernel answers inspect requests from it; package
// github.com/sockbook/sockbook/tools/kernel/docs reads it.
//
//go:embed docs.json
var DocsJSON []byte
