package app

import (
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Chart geometry, in SVG user units (the SVG scales to its box, about 300
// to 420 pixels wide, so the labels' 14 units read as 10 to 14 pixels).
const (
	chartW, chartH = 420, 210
	chartLeft      = 50
	chartRight     = 14
	chartTop       = 10
	chartBottom    = 38
)

// maxChartPoints is the most points a series is drawn with: a long run
// reports progress thousands of times, and a line of a few hundred points
// already has more detail than the chart has pixels, while the SVG's size
// (rebuilt four times a second while training) grows with every point.
const maxChartPoints = 300

// chartPoint is one measurement: y against the training examples seen.
type chartPoint struct{ X, Y float64 }

// series is one line of a chart. Dashed lines stay distinguishable without
// colour.
type series struct {
	Name   string
	Class  string // CSS class: its stroke colour
	Dashed bool
	Dotted bool // a dotted line: a third style, for a third series
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
	Model   string // the model's name, on downloads
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
			app.Div().
				Class("chart-tools").
				Body(
					downloadButtons(c.ID, c.Title, c.onPNG, c.onSVG, c.onCSV),
					c.table(),
				),
			app.Ul().
				Class("chart-legend").
				Body(app.Range(c.Series).Slice(func(i int) app.UI {
					s := c.Series[i]
					cls := "legend-key " + s.Class + s.style()
					return app.Li().
						Body(
							app.Span().
								Class(cls),
							app.Text(s.Name),
						)
				})),
		)
}

func (c *lineChart) onPNG(ctx app.Context, e app.Event) {
	w, h := c.exportSize()
	saveSVGAsPNG(fileName(c.Title, c.Model)+".png", c.standaloneSVG(), w, h)
}

func (c *lineChart) onSVG(ctx app.Context, e app.Event) {
	saveText(fileName(c.Title, c.Model)+".svg", "image/svg+xml", c.standaloneSVG())
}

func (c *lineChart) onCSV(ctx app.Context, e app.Event) {
	saveText(fileName(c.Title, c.Model)+".csv", "text/csv", chartCSV(c.Series))
}

// svg returns the chart's markup.
func (c *lineChart) svg() string {
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		chartW, chartH, html.EscapeString(c.Title)) + c.svgBody() + `</svg>`
}

// svgBody returns the chart's grid, labels and lines, in SVG units of a
// chartW×chartH box.
func (c *lineChart) svgBody() string {
	xmax, ymin, ymax := 0.0, math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, p := range s.Points {
			xmax = math.Max(xmax, p.X)
			if !math.IsNaN(p.Y) && !math.IsInf(p.Y, 0) {
				ymin, ymax = math.Min(ymin, p.Y), math.Max(ymax, p.Y)
			}
		}
	}
	var ystep float64
	if c.Percent {
		// Zoom in as accuracy climbs: the interesting part is near 100%.
		lo := 0.0
		if ymin <= 1 {
			lo = math.Max(0, math.Floor(ymin*10)/10)
		}
		ymin, ymax = lo, 1
		ystep = niceStep((ymax - ymin) / 4)
	} else {
		ymin = 0
		if !(ymax > 0) || math.IsInf(ymax, 0) {
			ymax = 1
		}
		// Round the top up to a whole step, so the ticks are round numbers
		// and the line fills most of the height.
		ystep = niceStep(ymax / 4)
		ymax = math.Ceil(ymax/ystep*(1-1e-9)) * ystep
	}
	// The x axis has five ticks, at quarters: at least 4 examples, so
	// that an empty chart's ticks are distinct whole numbers.
	xmax = max(niceCeilFine(xmax), 4)
	pw, ph := float64(chartW-chartLeft-chartRight), float64(chartH-chartTop-chartBottom)
	sx := func(x float64) float64 { return chartLeft + x/xmax*pw }
	sy := func(y float64) float64 {
		y = math.Min(math.Max(y, ymin), ymax)
		return chartTop + (1-(y-ymin)/(ymax-ymin))*ph
	}
	var b strings.Builder
	// Grid and axis labels.
	for i := 0; ; i++ {
		y := ymin + ystep*float64(i)
		if y > ymax*(1+1e-9) {
			break
		}
		py := sy(y)
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, chartLeft, chartW-chartRight, py, py)
		label := trimFloat(y)
		if c.Percent {
			label = trimFloat(100*y) + "%"
		}
		fmt.Fprintf(&b, `<text class="tick" x="%d" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`, chartLeft-5, py, label)
	}
	for i := 0; i <= 4; i++ {
		x := xmax * float64(i) / 4
		px := sx(x)
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" x2="%.1f" y1="%d" y2="%d"/>`, px, px, chartTop, chartH-chartBottom)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`, px, chartH-chartBottom+17, countText(x))
	}
	fmt.Fprintf(&b, `<text class="axis-label" x="%d" y="%d" text-anchor="end">examples seen</text>`, chartW-chartRight, chartH-3)
	for _, s := range c.Series {
		if len(s.Points) == 0 {
			continue
		}
		pts := thin(s.Points, maxChartPoints)
		var d strings.Builder
		for i, p := range pts {
			cmd := 'L'
			if i == 0 {
				cmd = 'M'
			}
			fmt.Fprintf(&d, "%c%.1f %.1f", cmd, sx(p.X), sy(p.Y))
		}
		cls := "line " + s.Class + s.style()
		fmt.Fprintf(&b, `<path class="%s" d="%s"/>`, cls, d.String())
		if s.Dots || len(pts) == 1 {
			for _, p := range pts {
				fmt.Fprintf(&b, `<circle class="dot %s" cx="%.1f" cy="%.1f" r="3"/>`, s.Class, sx(p.X), sy(p.Y))
			}
		}
	}
	return b.String()
}

// style is the classes of the series' line style: " dashed", " dotted"
// or none.
func (s series) style() string {
	switch {
	case s.Dashed:
		return " dashed"
	case s.Dotted:
		return " dotted"
	}
	return ""
}

// thin returns pts, or when it has more than n points, the means of n
// runs of consecutive points (the last point kept as it is, so the line
// ends at the latest value): a long series drawn at the chart's resolution,
// its noise averaged rather than dropped at random.
func thin(pts []chartPoint, n int) []chartPoint {
	if len(pts) <= n {
		return pts
	}
	out := make([]chartPoint, 0, n)
	body := pts[:len(pts)-1]
	for i := range n - 1 {
		run := body[i*len(body)/(n-1) : (i+1)*len(body)/(n-1)]
		var m chartPoint
		for _, p := range run {
			m.X += p.X
			m.Y += p.Y
		}
		out = append(out, chartPoint{m.X / float64(len(run)), m.Y / float64(len(run))})
	}
	return append(out, pts[len(pts)-1])
}

// niceStep rounds v up to 1, 2, 2.5 or 5 times a power of ten: a tick
// spacing that gives round labels.
func niceStep(v float64) float64 {
	if !(v > 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
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
