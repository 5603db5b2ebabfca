package sitegen

import (
	"html/template"

	"github.com/sockbook/sockbook/tools/nbformat"
)

// RenderOutput shows one code cell output as a chapter page shows its
// stored outputs; the served site renders a live run's outputs with it.
func RenderOutput(o *nbformat.Output) template.HTML {
	return renderOutputs([]*nbformat.Output{o})
}
