package main

import (
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A Chart is a horizontal bar chart: one bar per row, longest is best or
// worst as Title says. Horizontal bars keep long row names readable.
type Chart struct {
	File  string `json:"file"`  // the SVG's name in the results folder
	Title string `json:"title"` // what is measured, with the direction: "echoes/s (higher is better)"
	Unit  string `json:"unit"`  // printed after each value
	Bars  []Bar  `json:"bars"`
}

// A Bar is one row of a chart. Label names the row; Series names the
// implementation measured, which gives the bar its colour and its entry in
// the legend. They differ where one implementation has several rows ("file:
// sendfile" and "tcp: sendfile" are both sendfile). Missing bars (a variant
// that could not run) are drawn as a label with "n/a" so that the absence
// is visible.
type Bar struct {
	Label   string  `json:"label"`
	Series  string  `json:"series"`
	Value   float64 `json:"value"`
	Missing bool    `json:"missing,omitempty"`
}

// seriesColors gives every implementation that tools/bench measures the
// one colour it has in every chart, so that a reader who has learnt a
// colour on one chart can trust it on the next. Charts keep a white panel
// in both of the site's themes (style.css dims it to #e6e6e6 in the dark
// one), so each colour is chosen for at least 3:1 contrast against both;
// the colours of one chart stay apart under normal vision and simulated
// protanopia, deuteranopia and tritanopia. palette_test.go checks both.
// A new series needs a colour here: WriteSVG refuses one without.
func seriesColors() map[string]string {
	return map[string]string{
		// echo: the servers of pkg/ and the gnet anchor.
		"goroutine":     "#4e8016",
		"socketserver":  "#3c8a85",
		"select":        "#7f5b47",
		"poll":          "#6e6662",
		"epoll":         "#332288",
		"selector":      "#7570b3",
		"tls-goroutine": "#882255",
		"tls-selector":  "#e7298a",
		"gnet":          "#333333",

		// sendfile: the copy methods and the cp anchor.
		"read/write 32 KiB": "#8e5a82",
		"io.Copy":           "#377eb8",
		"sendfile":          "#5e3c99",
		"copy_file_range":   "#c05566",
		"cp (coreutils)":    "#e41a1c",

		// decode: pkg/sniff's two ways and the gopacket anchor.
		"sniff Decode": "#1f4e79",
		"sniff Parse":  "#2e8b7a",
		"gopacket":     "#c85200",

		// aes-gcm: the two backends.
		"AF_ALG (kernel)":    "#0072b2",
		"crypto/cipher (Go)": "#d55e00",

		// kernel: one implementation, many measurements.
		"sockbook kernel": "#4477aa",
	}
}

// Layout of a chart, in SVG user units (pixels at 100%).
const (
	chartWidth   = 720
	labelWidth   = 170
	valueWidth   = 110
	barHeight    = 22
	barGap       = 8
	titleHeight  = 34
	chartMargin  = 12
	legendRow    = 20 // height of one line of legend entries
	legendSwatch = 12
	legendFont   = 12
)

// legendEntry is one series in a chart's legend, at its place.
type legendEntry struct {
	series, color string
	x, y          int
}

// series returns the chart's series in the order of their first bar, each
// with its colour, or an error naming a series the palette lacks.
func (c Chart) series() (names []string, colors map[string]string, err error) {
	palette := seriesColors()
	colors = map[string]string{}
	for _, b := range c.Bars {
		if _, seen := colors[b.Series]; seen {
			continue
		}
		color, ok := palette[b.Series]
		if !ok {
			return nil, nil, fmt.Errorf("chart %s: bar %q: series %q has no colour in seriesColors", c.File, b.Label, b.Series)
		}
		names = append(names, b.Series)
		colors[b.Series] = color
	}
	return names, colors, nil
}

// layoutLegend places the entries in rows below the title, wrapping at the
// chart's width, and returns them with the height they take. Text width
// is estimated at 0.6 em a character, wide enough for the sans-serif fonts
// a viewer may substitute.
func layoutLegend(names []string, colors map[string]string) ([]legendEntry, int) {
	var entries []legendEntry
	x, y := chartMargin, titleHeight
	for _, name := range names {
		w := legendSwatch + 6 + int(math.Ceil(0.6*legendFont*float64(utf8.RuneCountInString(name)))) + 18
		if x > chartMargin && x+w > chartWidth-chartMargin {
			x, y = chartMargin, y+legendRow
		}
		entries = append(entries, legendEntry{series: name, color: colors[name], x: x, y: y})
		x += w
	}
	if len(entries) == 0 {
		return nil, 0
	}
	return entries, y + legendRow - titleHeight + 4
}

// WriteSVG draws c as a standalone SVG document: title, legend, then the
// bars. It uses only rectangles and text in the page's sans-serif font, so
// it renders the same in a browser, an image viewer or a Markdown preview;
// a <title> and a <desc> give screen readers the chart in words.
func (c Chart) WriteSVG(w io.Writer) error {
	names, colors, err := c.series()
	if err != nil {
		return err
	}
	peak := 0.0
	for _, b := range c.Bars {
		if !b.Missing && b.Value > peak {
			peak = b.Value
		}
	}
	if peak <= 0 || math.IsInf(peak, 0) || math.IsNaN(peak) {
		peak = 1
	}
	legend, legendHeight := layoutLegend(names, colors)
	top := titleHeight + legendHeight
	height := top + len(c.Bars)*(barHeight+barGap) + chartMargin
	span := float64(chartWidth - labelWidth - valueWidth - 2*chartMargin)
	esc := html.EscapeString

	var values []string
	for _, b := range c.Bars {
		v := "n/a"
		if !b.Missing {
			v = formatValue(b.Value) + " " + c.Unit
		}
		values = append(values, b.Label+": "+v)
	}

	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="chart-title chart-desc">`+"\n",
		chartWidth, height, chartWidth, height)
	fmt.Fprintf(&s, "<title id=\"chart-title\">%s</title>\n", esc(c.Title))
	fmt.Fprintf(&s, "<desc id=\"chart-desc\">Series: %s. %s.</desc>\n", esc(strings.Join(names, ", ")), esc(strings.Join(values, "; ")))
	fmt.Fprintf(&s, `<rect width="100%%" height="100%%" fill="#ffffff"/>`+"\n")
	fmt.Fprintf(&s, `<text x="%d" y="22" font-family="sans-serif" font-size="15" font-weight="bold" fill="#222">%s</text>`+"\n",
		chartMargin, esc(c.Title))
	s.WriteString(`<g class="legend">` + "\n")
	for _, e := range legend {
		fmt.Fprintf(&s, `<g class="legend-entry" data-series="%s"><rect x="%d" y="%d" width="%d" height="%d" fill="%s"/><text x="%d" y="%d" font-family="sans-serif" font-size="%d" fill="#222">%s</text></g>`+"\n",
			esc(e.series), e.x, e.y+2, legendSwatch, legendSwatch, e.color, e.x+legendSwatch+6, e.y+legendSwatch+1, legendFont, esc(e.series))
	}
	s.WriteString("</g>\n")
	for i, b := range c.Bars {
		y := top + i*(barHeight+barGap)
		mid := y + barHeight/2 + 5
		fmt.Fprintf(&s, `<text x="%d" y="%d" font-family="sans-serif" font-size="13" text-anchor="end" fill="#222">%s</text>`+"\n",
			chartMargin+labelWidth-8, mid, esc(b.Label))
		if b.Missing {
			fmt.Fprintf(&s, `<text x="%d" y="%d" font-family="sans-serif" font-size="13" fill="#666">n/a</text>`+"\n",
				chartMargin+labelWidth, mid)
			continue
		}
		width := math.Max(span*math.Max(b.Value, 0)/peak, 1)
		fmt.Fprintf(&s, `<rect class="bar" data-series="%s" x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>`+"\n",
			esc(b.Series), chartMargin+labelWidth, y, width, barHeight, colors[b.Series], esc(values[i]))
		fmt.Fprintf(&s, `<text x="%.1f" y="%d" font-family="sans-serif" font-size="13" fill="#222">%s</text>`+"\n",
			float64(chartMargin+labelWidth)+width+6, mid, esc(formatValue(b.Value)+" "+c.Unit))
	}
	s.WriteString("</svg>\n")
	_, err = io.WriteString(w, s.String())
	return err
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
