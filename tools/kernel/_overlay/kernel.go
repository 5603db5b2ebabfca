package main

import (
	"log"

	interp "github.com/cosmos72/gomacro/fast"
	"github.com/cosmos72/gomacro/xreflect"

	"github.com/sockbook/sockbook/tools/kernel/session"
)

// MIMEMap holds data in several formats, by MIME type; gophernotes'
// display code renders into it.
type MIMEMap = map[string]any

// Data is a display bundle: what Display and a cell's result show.
type Data = struct {
	Data      MIMEMap
	Metadata  MIMEMap
	Transient MIMEMap
}

// Kernel is what gophernotes' display code (display.go) works with: the
// interpreter, its display package, and the rendering interfaces cell
// types may implement.
type Kernel struct {
	ir      *interp.Interp
	display *interp.Import
	render  map[string]xreflect.Type
}

// displayer connects gophernotes' display code to the session: results are
// rendered by it, and Display(...) in a cell publishes through publish.
type displayer struct {
	k       *Kernel
	publish func(data, metadata, transient map[string]any, update bool)
}

// newDisplay imports the display package into the session, as gophernotes
// does (cells use display.HTML(...) without an import), and declares
// Display.
func newDisplay(s *session.Session) *displayer {
	ir := s.Interp()
	imported, err := ir.ImportPackagesOrError(map[string]interp.PackageName{"display": "display"})
	if err != nil {
		log.Fatalf("import display: %v", err)
	}
	d := &displayer{k: &Kernel{ir: ir, display: imported["display"]}}
	d.k.initRenderers()
	ir.DeclVar("Display", nil, func(data Data) error {
		if d.publish != nil {
			d.publish(data.Data, data.Metadata, data.Transient, false)
		}
		return nil
	})
	return d
}

// render turns a cell's values into a display bundle.
func (d *displayer) render(values []any, types []xreflect.Type) map[string]any {
	return d.k.autoRenderResults(values, types).Data
}

// ensure returns bundle, or an empty one for nil; gophernotes' display
// code uses it.
func ensure(bundle MIMEMap) MIMEMap {
	if bundle == nil {
		bundle = make(MIMEMap)
	}
	return bundle
}

// merge copies b's entries into a (made if nil) and returns it; gophernotes'
// display code uses it.
func merge(a, b MIMEMap) MIMEMap {
	if len(b) == 0 {
		return a
	}
	if a == nil {
		a = make(MIMEMap)
	}
	for k, v := range b {
		a[k] = v
	}
	return a
}
