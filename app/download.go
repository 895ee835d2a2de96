package app

import (
	"fmt"
	"html"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Downloads: every view can leave the page as a picture for slides and
// documents. A PNG is drawn at twice the view's size, with the view's
// title and the model's name above it; a chart is also offered as SVG
// (it is vector already) and its data as CSV.

// downloadScale is the PNGs' resolution, in pixels per CSS pixel.
const downloadScale = 2

// Download button ids are the view's id with these suffixes.
const (
	suffixPNG = "-png"
	suffixSVG = "-svg"
	suffixCSV = "-csv"
)

// chartCSV returns the chart's data: one row per point of every series,
// at full resolution (the chart draws at most maxChartPoints of each).
func chartCSV(ss []series) string {
	var b strings.Builder
	b.WriteString("series,examples_seen,value\n")
	for _, s := range ss {
		name := s.Name
		if strings.ContainsAny(name, ",\"\n") {
			name = `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
		}
		for _, p := range s.Points {
			fmt.Fprintf(&b, "%s,%g,%g\n", name, p.X, p.Y)
		}
	}
	return b.String()
}

// exportStyle gives an exported SVG the colours the page's style sheet
// gives the chart, which a file on its own does not have.
const exportStyle = `<style>
text { font-family: system-ui, sans-serif; fill: #374151; }
.title { font-size: 15px; font-weight: 600; fill: #111827; }
.model { font-size: 11px; }
.grid { stroke: #e5e7eb; stroke-width: 1; }
.tick, .axis-label { font-size: 14px; fill: #6b7280; }
.line { fill: none; stroke-width: 2; stroke-linejoin: round; }
.line.dashed { stroke-dasharray: 6 3; }
.line.dotted { stroke-dasharray: 1.5 3.5; stroke-linecap: round; }
.s-train { stroke: #2563eb; } .dot.s-train { fill: #2563eb; }
.s-val { stroke: #d97706; } .dot.s-val { fill: #d97706; }
.s-quick { stroke: #7c3aed; } .dot.s-quick { fill: #fff; stroke-width: 2; }
</style>`

// exportHead is the height, in SVG units, of the title and model lines
// above an exported chart.
const exportHead = 40

// standaloneSVG returns the chart as a file of its own: its style, a white
// background, the title and the model's name above the plot, and a legend
// line below.
func (c *lineChart) standaloneSVG() string {
	w, h := c.exportSize()
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`, w, h, w, h)
	b.WriteString(exportStyle)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`, w, h)
	fmt.Fprintf(&b, `<text class="title" x="8" y="18">%s</text>`, html.EscapeString(c.Title))
	fmt.Fprintf(&b, `<text class="model" x="8" y="34">%s</text>`, html.EscapeString(c.Model))
	fmt.Fprintf(&b, `<g transform="translate(0,%d)">%s</g>`, exportHead, c.svgBody())
	for i, s := range c.Series {
		y := chartH + exportHead + 14 + 18*i
		fmt.Fprintf(&b, `<line class="line %s%s" x1="12" x2="40" y1="%d" y2="%d"/>`, s.Class, s.style(), y-4, y-4)
		fmt.Fprintf(&b, `<text x="48" y="%d" font-size="12">%s</text>`, y, html.EscapeString(s.Name))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// exportSize is the size of the exported chart, in SVG units (CSS pixels):
// the title, the plot and a legend line per series.
func (c *lineChart) exportSize() (w, h int) {
	return chartW, exportHead + chartH + 18*len(c.Series) + 6
}

// fileName makes a file name from a view's title and the model: lower
// case, words joined by dashes.
func fileName(parts ...string) string {
	var words []string
	for _, p := range parts {
		for _, w := range strings.FieldsFunc(strings.ToLower(p), func(r rune) bool {
			return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
		}) {
			words = append(words, w)
		}
	}
	return "cnnplay-" + strings.Join(words, "-")
}

// downloadButtons returns a row of download buttons for the view id; a
// nil handler leaves its button out.
func downloadButtons(id, what string, png, svg, csv app.EventHandler) app.UI {
	button := func(suffix, label string, h app.EventHandler) app.UI {
		if h == nil {
			return app.If(false)
		}
		return app.Button().
			ID(id+suffix).
			Type("button").
			Class("download-button").
			Aria("label", label+" of "+what).
			OnClick(h).
			Text(label)
	}
	return app.Div().
		Class("downloads").
		Body(
			button(suffixPNG, "Download PNG", png),
			button(suffixSVG, "Download SVG", svg),
			button(suffixCSV, "Download CSV", csv),
		)
}

// saveText offers text as a file.
func saveText(name, mime, text string) {
	blob := app.Window().Get("Blob").New([]any{text}, map[string]any{"type": mime})
	saveBlob(name, blob)
}

// saveBlob offers a Blob as a file, through a link that is clicked and
// dropped.
func saveBlob(name string, blob app.Value) {
	url := app.Window().Get("URL").Call("createObjectURL", blob)
	a := app.Window().Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	a.Call("click")
	// Revoked later: the download reads the URL after the click returns.
	app.Window().Call("setTimeout", app.FuncOf(func(app.Value, []app.Value) any {
		app.Window().Get("URL").Call("revokeObjectURL", url)
		return nil
	}), 60000)
}

// saveSVGAsPNG draws an SVG of w×h units at downloadScale on a white
// background and offers it as a PNG file.
func saveSVGAsPNG(name, svg string, w, h int) {
	img := app.Window().Get("Image").New()
	var onload app.Func
	onload = app.FuncOf(func(app.Value, []app.Value) any {
		cv := app.Window().Get("document").Call("createElement", "canvas")
		cv.Set("width", w*downloadScale)
		cv.Set("height", h*downloadScale)
		g := cv.Call("getContext", "2d")
		g.Set("fillStyle", "#fff")
		g.Call("fillRect", 0, 0, w*downloadScale, h*downloadScale)
		g.Call("drawImage", img, 0, 0, w*downloadScale, h*downloadScale)
		savePNG(name, cv)
		onload.Release()
		return nil
	})
	img.Set("onload", onload)
	img.Set("src", "data:image/svg+xml;charset=utf-8,"+app.Window().Call("encodeURIComponent", svg).String())
}

// savePNG offers a canvas as a PNG file.
func savePNG(name string, cv app.Value) {
	var done app.Func
	done = app.FuncOf(func(_ app.Value, args []app.Value) any {
		if len(args) > 0 && args[0].Truthy() {
			saveBlob(name, args[0])
		}
		done.Release()
		return nil
	})
	cv.Call("toBlob", done, "image/png")
}
