package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// drawnChart is what a reader of an SVG chart sees: its title, its legend
// and its bars.
type drawnChart struct {
	Title  string `xml:"title"`
	Desc   string `xml:"desc"`
	Legend []struct {
		Class  string `xml:"class,attr"`
		Series string `xml:"data-series,attr"`
		Swatch struct {
			Fill string `xml:"fill,attr"`
		} `xml:"rect"`
		Text string `xml:"text"`
	} `xml:"g>g"`
	Rects []struct {
		Class  string `xml:"class,attr"`
		Series string `xml:"data-series,attr"`
		Fill   string `xml:"fill,attr"`
		Width  string `xml:"width,attr"`
		Title  string `xml:"title"`
	} `xml:"rect"`
	Texts []string `xml:"text"`
}

// draw renders c and parses the SVG back, failing t on malformed XML.
func draw(t *testing.T, c Chart) (drawnChart, []byte) {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, c.WriteSVG(&buf), c.File)
	var d drawnChart
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &d), "%s:\n%s", c.File, buf.String())
	return d, buf.Bytes()
}

// legendColors returns the legend's visible names and their swatches.
func (d drawnChart) legendColors() map[string]string {
	m := map[string]string{}
	for _, e := range d.Legend {
		if e.Class == "legend-entry" {
			m[e.Text] = e.Swatch.Fill
		}
	}
	return m
}

// bars returns the rectangles drawn for bars, without background and swatches.
func (d drawnChart) bars() (series, fills, widths, titles []string) {
	for _, r := range d.Rects {
		if r.Class == "bar" {
			series, fills, widths, titles = append(series, r.Series), append(fills, r.Fill), append(widths, r.Width), append(titles, r.Title)
		}
	}
	return series, fills, widths, titles
}

func TestChartSVG(t *testing.T) {
	c := Chart{File: "x.svg", Title: `Echoes <per> "second" & more`, Unit: "/s", Bars: []Bar{
		{Label: "epoll", Series: "epoll", Value: 50000},
		{Label: "gnet", Series: "gnet", Value: 25000},
		{Label: "select", Series: "select", Missing: true},
		{Label: "zero", Series: "epoll", Value: 0},
	}}
	d, svg := draw(t, c)
	assert.Equal(t, `Echoes <per> "second" & more`, d.Title, "the title, escaped and read back")
	assert.Contains(t, d.Texts, `Echoes <per> "second" & more`)
	assert.Contains(t, d.Texts, "50000 /s")
	assert.Contains(t, d.Texts, "n/a")
	assert.Contains(t, d.Desc, "select: n/a")

	palette := seriesColors()
	assert.Equal(t, map[string]string{"epoll": palette["epoll"], "gnet": palette["gnet"], "select": palette["select"]}, d.legendColors(),
		"one legend entry a series, a missing bar's included, in the palette's colour")
	series, fills, widths, titles := d.bars()
	assert.Equal(t, []string{"epoll", "gnet", "epoll"}, series, "one rectangle a present bar")
	assert.Equal(t, []string{palette["epoll"], palette["gnet"], palette["epoll"]}, fills)
	// The longest bar spans the plot; half the value, half the width; a
	// zero still shows.
	assert.Equal(t, []string{"416.0", "208.0", "1.0"}, widths)
	assert.Equal(t, "gnet: 25000 /s", titles[1])
	assert.Contains(t, string(svg), `aria-labelledby="chart-title chart-desc"`)
}

func TestChartSVGWrapsLegend(t *testing.T) {
	c := Chart{File: "x.svg", Title: "t", Unit: "s"}
	for s := range seriesColors() {
		c.Bars = append(c.Bars, Bar{Label: s, Series: s, Value: 1})
	}
	d, _ := draw(t, c)
	assert.Len(t, d.legendColors(), len(seriesColors()))
	entries, height := layoutLegend([]string{"a", "b"}, nil)
	require.Len(t, entries, 2)
	assert.Equal(t, entries[0].y, entries[1].y, "two short names share a row")
	entries, tall := layoutLegend(func() []string {
		var names []string
		for range 20 {
			names = append(names, "copy_file_range")
		}
		return names
	}(), nil)
	assert.Greater(t, tall, height, "many names wrap to more rows")
	for _, e := range entries {
		assert.LessOrEqual(t, e.x, chartWidth-chartMargin)
	}
}

func TestChartSVGRefusesUnknownSeries(t *testing.T) {
	err := Chart{File: "x.svg", Bars: []Bar{{Label: "mystery", Series: "mystery"}}}.WriteSVG(new(bytes.Buffer))
	assert.ErrorContains(t, err, `series "mystery" has no colour`)
}

// The committed charts are what `bench render` draws from the committed
// results; every series of every chart has a legend entry naming it, in the
// colour of its bars; and a series has the same colour in every chart.
func TestCommittedCharts(t *testing.T) {
	reports, err := loadReports("results")
	require.NoError(t, err)
	seen := map[string]string{} // series → colour, across every chart
	where := map[string]string{}
	charts := 0
	for _, r := range reports {
		for _, c := range r.Charts {
			charts++
			d, svg := draw(t, c)
			committed, err := os.ReadFile(filepath.Join("results", c.File))
			require.NoError(t, err)
			assert.Equal(t, string(svg), string(committed), "%s is not what `go run ./tools/bench render` draws from %s.json", c.File, r.Name)

			legend := d.legendColors()
			series, fills, _, _ := d.bars()
			present := 0
			for _, b := range c.Bars {
				require.NotEmpty(t, b.Series, "%s: bar %q names no series", c.File, b.Label)
				assert.Contains(t, legend, b.Series, "%s: series %q has no legend entry", c.File, b.Series)
				if !b.Missing {
					require.Less(t, present, len(series), "%s: fewer bars drawn than measured", c.File)
					assert.Equal(t, b.Series, series[present], "%s: bar %q", c.File, b.Label)
					assert.Equal(t, legend[b.Series], fills[present], "%s: bar %q is not in its legend colour", c.File, b.Label)
					present++
				}
			}
			assert.Len(t, series, present, "%s: one rectangle a present bar", c.File)
			for s, color := range legend {
				if prev, ok := seen[s]; ok {
					assert.Equal(t, prev, color, "series %q: one colour in %s, another in %s", s, where[s], c.File)
				} else {
					seen[s], where[s] = color, c.File
				}
			}
		}
	}
	assert.GreaterOrEqual(t, charts, 9, "every family's charts")
	for s := range seriesColors() {
		assert.Contains(t, seen, s, "palette series %q is in no committed chart", s)
	}
}
