package main

import (
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
)

// A Chart is a horizontal bar chart: one bar per variant, longest is best
// or worst as Unit says. Horizontal bars keep long variant names readable.
type Chart struct {
	File  string `json:"file"`  // the SVG's name in the results folder
	Title string `json:"title"` // what is measured, with the direction: "echoes/s (higher is better)"
	Unit  string `json:"unit"`  // printed after each value
	Bars  []Bar  `json:"bars"`
}

// A Bar is one variant's value. Missing bars (a variant that could not
// run) are drawn as a label with "n/a" so that the absence is visible.
type Bar struct {
	Label   string  `json:"label"`
	Value   float64 `json:"value"`
	Missing bool    `json:"missing,omitempty"`
}

// Layout of a chart, in SVG user units (pixels at 100%).
const (
	chartWidth  = 720
	labelWidth  = 170
	valueWidth  = 110
	barHeight   = 22
	barGap      = 8
	titleHeight = 34
	chartMargin = 12
)

// WriteSVG draws c as a standalone SVG document. It uses only rectangles
// and text in the page's sans-serif font, so it renders the same in a
// browser, an image viewer or a Markdown preview.
func (c Chart) WriteSVG(w io.Writer) error {
	peak := 0.0
	for _, b := range c.Bars {
		if !b.Missing && b.Value > peak {
			peak = b.Value
		}
	}
	if peak <= 0 || math.IsInf(peak, 0) || math.IsNaN(peak) {
		peak = 1
	}
	height := titleHeight + len(c.Bars)*(barHeight+barGap) + chartMargin
	span := float64(chartWidth - labelWidth - valueWidth - 2*chartMargin)

	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`+"\n",
		chartWidth, height, chartWidth, height, html.EscapeString(c.Title))
	fmt.Fprintf(&s, `<rect width="100%%" height="100%%" fill="#ffffff"/>`+"\n")
	fmt.Fprintf(&s, `<text x="%d" y="22" font-family="sans-serif" font-size="15" font-weight="bold" fill="#222">%s</text>`+"\n",
		chartMargin, html.EscapeString(c.Title))
	for i, b := range c.Bars {
		y := titleHeight + i*(barHeight+barGap)
		mid := y + barHeight/2 + 5
		fmt.Fprintf(&s, `<text x="%d" y="%d" font-family="sans-serif" font-size="13" text-anchor="end" fill="#222">%s</text>`+"\n",
			chartMargin+labelWidth-8, mid, html.EscapeString(b.Label))
		if b.Missing {
			fmt.Fprintf(&s, `<text x="%d" y="%d" font-family="sans-serif" font-size="13" fill="#888">n/a</text>`+"\n",
				chartMargin+labelWidth, mid)
			continue
		}
		width := math.Max(span*math.Max(b.Value, 0)/peak, 1)
		fmt.Fprintf(&s, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n",
			chartMargin+labelWidth, y, width, barHeight, barColor(b.Label))
		fmt.Fprintf(&s, `<text x="%.1f" y="%d" font-family="sans-serif" font-size="13" fill="#222">%s</text>`+"\n",
			float64(chartMargin+labelWidth)+width+6, mid, html.EscapeString(formatValue(b.Value)+" "+c.Unit))
	}
	s.WriteString("</svg>\n")
	_, err := io.WriteString(w, s.String())
	return err
}

// barColor sets outside anchors (gnet, cp, gopacket, crypto/cipher when
// compared with the kernel) apart from the project's own code.
func barColor(label string) string {
	for _, anchor := range []string{"gnet", "cp", "gopacket"} {
		if strings.Contains(label, anchor) {
			return "#e8a33d"
		}
	}
	return "#3d7be8"
}

// formatValue prints v with three significant digits and no exponent,
// the precision the noise of a shared machine allows.
func formatValue(v float64) string {
	switch a := math.Abs(v); {
	case a == 0:
		return "0"
	case a >= 100:
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}
