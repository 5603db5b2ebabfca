package main

import (
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The backgrounds a bar is seen on: the chart's own white panel, and the
// same panel under the dark theme's brightness(.9) filter in
// site/assets/style.css.
func chartPanels() map[string]string {
	return map[string]string{"light theme": "#ffffff", "dark theme": "#e6e6e6"}
}

// Every colour of the palette keeps the 3:1 contrast WCAG 2.1 asks of
// graphical objects (SC 1.4.11) on both panels, and no two series share a
// colour.
func TestPaletteContrast(t *testing.T) {
	owner := map[string]string{}
	for series, color := range seriesColors() {
		c := parseHex(t, color)
		for theme, panel := range chartPanels() {
			ratio := contrast(c, parseHex(t, panel))
			assert.GreaterOrEqual(t, ratio, 3.0, "%s %s on the %s panel %s: contrast %.2f:1", series, color, theme, panel, ratio)
		}
		if other, ok := owner[color]; ok {
			t.Errorf("%s and %s share the colour %s", series, other, color)
		}
		owner[color] = series
	}
}

// minDistance is the least CIEDE2000 difference allowed between two series
// of one chart, under normal vision and each simulated dichromacy: well
// past the 2 or so at which a difference becomes visible at all, so that
// bars side by side read as different colours, not shades of one.
const minDistance = 8

// Within every committed chart the colours stay apart for readers with
// normal colour vision, protanopia, deuteranopia and tritanopia.
func TestPaletteDistinguishable(t *testing.T) {
	reports, err := loadReports("results")
	require.NoError(t, err)
	for _, r := range reports {
		for _, c := range r.Charts {
			names, colors, err := c.series()
			require.NoError(t, err)
			for i, a := range names {
				for _, b := range names[i+1:] {
					for vision, m := range visions() {
						ca, cb := parseHex(t, colors[a]), parseHex(t, colors[b])
						d := ciede2000(lab(m.apply(ca)), lab(m.apply(cb)))
						assert.GreaterOrEqual(t, d, float64(minDistance), "%s: %s %s and %s %s differ by ΔE00 %.1f for %s",
							c.File, a, colors[a], b, colors[b], d, vision)
					}
				}
			}
		}
	}
}

// TestColorScience checks the helpers against published figures, so that
// the palette tests measure what they say.
func TestColorScience(t *testing.T) {
	white, black := parseHex(t, "#ffffff"), parseHex(t, "#000000")
	assert.InDelta(t, 21, contrast(white, black), 1e-9)
	assert.InDelta(t, 4.54, contrast(parseHex(t, "#767676"), white), 0.01, "WebAIM's lightest grey passing 4.5:1 on white")
	l := lab(parseHex(t, "#ff0000"))
	assert.InDelta(t, 53.24, l[0], 0.05)
	assert.InDelta(t, 80.09, l[1], 0.1)
	assert.InDelta(t, 67.20, l[2], 0.1)
	// Sharma, Wu and Dalal (2005), table 1, pairs 1 and 17.
	assert.InDelta(t, 2.0425, ciede2000([3]float64{50, 2.6772, -79.7751}, [3]float64{50, 0, -82.7485}), 1e-4)
	assert.InDelta(t, 27.1492, ciede2000([3]float64{50, 2.5, 0}, [3]float64{73, 25, -18}), 1e-4)
	// A dichromat does not tell red from green by hue: simulated, they
	// come much closer than they are.
	red, green := parseHex(t, "#d00000"), parseHex(t, "#00a000")
	normal := ciede2000(lab(red), lab(green))
	deut := visions()["deuteranopia"]
	assert.Less(t, ciede2000(lab(deut.apply(red)), lab(deut.apply(green))), normal/2)
}

// linearRGB is a colour in linear-light sRGB, each channel 0 to 1.
type linearRGB [3]float64

func parseHex(t *testing.T, s string) linearRGB {
	t.Helper()
	require.Len(t, s, 7, "colour %q", s)
	var c linearRGB
	for i := range c {
		v, err := strconv.ParseUint(s[1+2*i:3+2*i], 16, 8)
		require.NoError(t, err, "colour %q", s)
		x := float64(v) / 255
		if x <= 0.04045 {
			c[i] = x / 12.92
		} else {
			c[i] = math.Pow((x+0.055)/1.055, 2.4)
		}
	}
	return c
}

// luminance is the relative luminance of WCAG 2.1.
func (c linearRGB) luminance() float64 { return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2] }

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b linearRGB) float64 {
	la, lb := a.luminance(), b.luminance()
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// A dichromacy is the linear-RGB matrix of Machado, Oliveira and
// Fernandes (2009) at severity 1.
type dichromacy [3][3]float64

func visions() map[string]dichromacy {
	return map[string]dichromacy{
		"normal vision": {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
		"protanopia":    {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
		"deuteranopia":  {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
		"tritanopia":    {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}},
	}
}

func (m dichromacy) apply(c linearRGB) linearRGB {
	var o linearRGB
	for i := range o {
		o[i] = min(max(m[i][0]*c[0]+m[i][1]*c[1]+m[i][2]*c[2], 0), 1)
	}
	return o
}

// lab converts to CIELAB under D65.
func lab(c linearRGB) [3]float64 {
	x := (0.4124*c[0] + 0.3576*c[1] + 0.1805*c[2]) / 0.95047
	y := 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
	z := (0.0193*c[0] + 0.1192*c[1] + 0.9505*c[2]) / 1.08883
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	fx, fy, fz := f(x), f(y), f(z)
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

// ciede2000 is the CIE colour difference ΔE00 of two CIELAB colours, as
// Sharma, Wu and Dalal (2005) state it.
func ciede2000(p, q [3]float64) float64 {
	deg := math.Pi / 180
	c1, c2 := math.Hypot(p[1], p[2]), math.Hypot(q[1], q[2])
	cb7 := math.Pow((c1+c2)/2, 7)
	g := 0.5 * (1 - math.Sqrt(cb7/(cb7+math.Pow(25, 7))))
	a1, a2 := (1+g)*p[1], (1+g)*q[1]
	c1p, c2p := math.Hypot(a1, p[2]), math.Hypot(a2, q[2])
	hue := func(b, a float64) float64 {
		if a == 0 && b == 0 {
			return 0
		}
		h := math.Atan2(b, a) / deg
		if h < 0 {
			h += 360
		}
		return h
	}
	h1, h2 := hue(p[2], a1), hue(q[2], a2)
	dL, dC := q[0]-p[0], c2p-c1p
	dh := 0.0
	if c1p*c2p != 0 {
		dh = h2 - h1
		if dh > 180 {
			dh -= 360
		} else if dh < -180 {
			dh += 360
		}
	}
	dH := 2 * math.Sqrt(c1p*c2p) * math.Sin(dh/2*deg)
	lb, cbp := (p[0]+q[0])/2, (c1p+c2p)/2
	hb := h1 + h2
	if c1p*c2p != 0 {
		switch {
		case math.Abs(h1-h2) <= 180:
			hb = (h1 + h2) / 2
		case h1+h2 < 360:
			hb = (h1 + h2 + 360) / 2
		default:
			hb = (h1 + h2 - 360) / 2
		}
	}
	tt := 1 - 0.17*math.Cos((hb-30)*deg) + 0.24*math.Cos(2*hb*deg) + 0.32*math.Cos((3*hb+6)*deg) - 0.20*math.Cos((4*hb-63)*deg)
	dTheta := 30 * math.Exp(-math.Pow((hb-275)/25, 2))
	cbp7 := math.Pow(cbp, 7)
	rc := 2 * math.Sqrt(cbp7/(cbp7+math.Pow(25, 7)))
	sl := 1 + 0.015*(lb-50)*(lb-50)/math.Sqrt(20+(lb-50)*(lb-50))
	sc := 1 + 0.045*cbp
	sh := 1 + 0.015*cbp*tt
	rt := -math.Sin(2*dTheta*deg) * rc
	return math.Sqrt(math.Pow(dL/sl, 2) + math.Pow(dC/sc, 2) + math.Pow(dH/sh, 2) + rt*(dC/sc)*(dH/sh))
}
