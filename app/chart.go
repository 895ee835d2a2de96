package app

import (
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Chart geometry, in SVG user units (the SVG scales to its box).
const (
	chartW, chartH = 420, 200
	chartLeft      = 44
	chartRight     = 12
	chartTop       = 10
	chartBottom    = 30
)

// chartPoint is one measurement: y against the training examples seen.
type chartPoint struct{ X, Y float64 }

// series is one line of a chart. Dashed lines stay distinguishable without
// colour.
type series struct {
	Name   string
	Class  string // CSS class: its stroke colour
	Dashed bool
	Dots   bool // mark every point (sparse series, such as one per epoch)
	Points []chartPoint
}

// lineChart is an SVG line chart of series against examples seen, rendered
// as markup by go-app (no chart library). Percent formats the y axis as
// percentages.
type lineChart struct {
	app.Compo

	ID      string
	Title   string
	Percent bool
	Series  []series
}

func newLineChart() *lineChart { return &lineChart{} }

func (c *lineChart) Render() app.UI {
	n := 0
	for _, s := range c.Series {
		n += len(s.Points)
	}
	return app.Figure().
		ID(c.ID).
		Class("chart").
		DataSet("points", n).
		Body(
			app.FigCaption().
				Class("chart-title").
				Text(c.Title),
			app.Div().
				Class("chart-svg").
				Body(app.Raw(c.svg())),
			app.Ul().
				Class("chart-legend").
				Body(app.Range(c.Series).Slice(func(i int) app.UI {
					s := c.Series[i]
					cls := "legend-key " + s.Class
					if s.Dashed {
						cls += " dashed"
					}
					return app.Li().
						Body(
							app.Span().
								Class(cls),
							app.Text(s.Name),
						)
				})),
		)
}

// svg returns the chart's markup.
func (c *lineChart) svg() string {
	xmax, ymin, ymax := 0.0, math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, p := range s.Points {
			xmax = math.Max(xmax, p.X)
			if !math.IsNaN(p.Y) && !math.IsInf(p.Y, 0) {
				ymin, ymax = math.Min(ymin, p.Y), math.Max(ymax, p.Y)
			}
		}
	}
	if c.Percent {
		// Zoom in as accuracy climbs: the interesting part is near 100%.
		lo := 0.0
		if ymin <= 1 {
			lo = math.Max(0, math.Floor(ymin*10)/10)
		}
		ymin, ymax = lo, 1
	} else {
		ymin = 0
		if !(ymax > 0) || math.IsInf(ymax, 0) {
			ymax = 1
		}
		ymax = niceCeil(ymax)
	}
	if xmax <= 0 {
		xmax = 1
	}
	xmax = niceCeilFine(xmax)
	pw, ph := float64(chartW-chartLeft-chartRight), float64(chartH-chartTop-chartBottom)
	sx := func(x float64) float64 { return chartLeft + x/xmax*pw }
	sy := func(y float64) float64 {
		y = math.Min(math.Max(y, ymin), ymax)
		return chartTop + (1-(y-ymin)/(ymax-ymin))*ph
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		chartW, chartH, html.EscapeString(c.Title))
	// Grid and axis labels.
	for i := 0; i <= 4; i++ {
		y := ymin + (ymax-ymin)*float64(i)/4
		py := sy(y)
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, chartLeft, chartW-chartRight, py, py)
		label := trimFloat(y)
		if c.Percent {
			label = fmt.Sprintf("%.0f%%", 100*y)
		}
		fmt.Fprintf(&b, `<text class="tick" x="%d" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`, chartLeft-4, py, label)
	}
	for i := 0; i <= 4; i++ {
		x := xmax * float64(i) / 4
		px := sx(x)
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" x2="%.1f" y1="%d" y2="%d"/>`, px, px, chartTop, chartH-chartBottom)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`, px, chartH-chartBottom+14, countText(x))
	}
	fmt.Fprintf(&b, `<text class="axis-label" x="%d" y="%d" text-anchor="end">examples seen</text>`, chartW-chartRight, chartH-2)
	for _, s := range c.Series {
		if len(s.Points) == 0 {
			continue
		}
		var d strings.Builder
		for i, p := range s.Points {
			cmd := 'L'
			if i == 0 {
				cmd = 'M'
			}
			fmt.Fprintf(&d, "%c%.1f %.1f", cmd, sx(p.X), sy(p.Y))
		}
		cls := "line " + s.Class
		if s.Dashed {
			cls += " dashed"
		}
		fmt.Fprintf(&b, `<path class="%s" d="%s"/>`, cls, d.String())
		if s.Dots || len(s.Points) == 1 {
			for _, p := range s.Points {
				fmt.Fprintf(&b, `<circle class="dot %s" cx="%.1f" cy="%.1f" r="3"/>`, s.Class, sx(p.X), sy(p.Y))
			}
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// niceCeilFine rounds v up to a round number at most 25% above it, so
// that the data fill most of the x axis.
func niceCeilFine(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// trimFloat formats an axis value briefly.
func trimFloat(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// countText formats a count of examples: 1200, 15k, 1.2M.
func countText(v float64) string {
	switch {
	case v >= 1e6:
		return trimFloat(v/1e6) + "M"
	case v >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case v >= 1e3:
		return trimFloat(v/1e3) + "k"
	}
	return fmt.Sprintf("%.0f", v)
}
