package app

import (
	"strconv"

	"github.com/cnnplay/cnnplay/internal/inspect"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// inspectPaint puts w×h RGBA pixels on the canvas with the given id, sizing
// the canvas to them; CSS scales it (pixelated). It does nothing when the
// canvas is not in the page.
func inspectPaint(id string, rgba []byte, w, h int) {
	canvas := app.Window().GetElementByID(id)
	if !canvas.Truthy() || w <= 0 || h <= 0 {
		return
	}
	if canvas.Get("width").Int() != w {
		canvas.Set("width", w)
	}
	if canvas.Get("height").Int() != h {
		canvas.Set("height", h)
	}
	t := paintTargets[id]
	if t == nil || !t.canvas.Equal(canvas) || t.w != w || t.h != h {
		g := canvas.Call("getContext", "2d")
		img := g.Call("createImageData", w, h)
		t = &paintTarget{canvas: canvas, g: g, img: img, data: img.Get("data"), w: w, h: h}
		paintTargets[id] = t
	}
	app.CopyBytesToJS(t.data, rgba)
	t.g.Call("putImageData", t.img, 0, 0)
}

// paintTarget is a canvas's 2D context and an image of its size, kept from
// one paint to the next: the views repaint dozens of canvases for each
// weight snapshot while training, and a new ImageData for each would be
// garbage that the browser collects in long pauses.
type paintTarget struct {
	canvas, g, img, data app.Value
	w, h                 int
}

// paintTargets holds the paint target of each canvas id the views painted.
// Canvas ids are fixed per view and layer, so it stays small.
var paintTargets = map[string]*paintTarget{}

// inspectNow is the page time in milliseconds (performance.now()).
func inspectNow() float64 {
	return app.Window().Get("performance").Call("now").Float()
}

// inspectMark records on the element with the given id how long its update
// took since t0 (inspectMsAttr) and counts its updates (inspectCountAttr),
// for tests and for anyone curious.
func inspectMark(id string, t0 float64) {
	el := app.Window().GetElementByID(id)
	if !el.Truthy() {
		return
	}
	n, _ := strconv.Atoi(el.Call("getAttribute", inspectCountAttr).String())
	el.Call("setAttribute", inspectMsAttr, strconv.FormatFloat(inspectNow()-t0, 'f', 2, 64))
	el.Call("setAttribute", inspectCountAttr, strconv.Itoa(n+1))
}

// inspectMosaic lays out n tiles of tw×th pixels in a grid of cols columns
// with gap-pixel gutters, as one RGBA image for one canvas.
type inspectMosaic struct {
	cols, tw, th, gap int
	w, h              int
	px                []byte
}

func newInspectMosaic(n, cols, tw, th, gap int) *inspectMosaic {
	cols = max(1, min(cols, n))
	rows := (n + cols - 1) / cols
	m := &inspectMosaic{cols: cols, tw: tw, th: th, gap: gap, w: cols*(tw+gap) - gap, h: max(rows*(th+gap)-gap, 1)}
	m.px = make([]byte, 4*m.w*m.h)
	for i := 0; i < len(m.px); i += 4 {
		m.px[i], m.px[i+1], m.px[i+2], m.px[i+3] = inspect.GutterRGB[0], inspect.GutterRGB[1], inspect.GutterRGB[2], 255
	}
	return m
}

// put copies tile i's tw×th RGBA pixels into place.
func (m *inspectMosaic) put(i int, tile []byte) {
	x0, y0 := (i%m.cols)*(m.tw+m.gap), (i/m.cols)*(m.th+m.gap)
	for y := 0; y < m.th; y++ {
		copy(m.px[4*((y0+y)*m.w+x0):], tile[4*y*m.tw:4*(y+1)*m.tw])
	}
}

// at returns the tile under the point (x, y) in mosaic pixels, or -1.
func (m *inspectMosaic) at(x, y int) int {
	if x < 0 || y < 0 || x >= m.w || y >= m.h {
		return -1
	}
	c, r := x/(m.tw+m.gap), y/(m.th+m.gap)
	if x%(m.tw+m.gap) >= m.tw || y%(m.th+m.gap) >= m.th {
		return -1
	}
	return r*m.cols + c
}

// inspectScaleRGBA enlarges w×h RGBA pixels by an integer factor (nearest
// neighbour), for tiles that should not blur.
func inspectScaleRGBA(src []byte, w, h, f int) []byte {
	if f == 1 {
		return src
	}
	dst := make([]byte, 4*w*f*h*f)
	for y := 0; y < h*f; y++ {
		for x := 0; x < w*f; x++ {
			copy(dst[4*(y*w*f+x):4*(y*w*f+x)+4], src[4*((y/f)*w+x/f):])
		}
	}
	return dst
}

// inspectEventTile maps a mouse event on a canvas showing m (scaled by CSS)
// to the tile under the pointer, or -1.
func inspectEventTile(m *inspectMosaic, e app.Event) int {
	if m == nil {
		return -1
	}
	t := e.Get("currentTarget")
	r := t.Call("getBoundingClientRect")
	rw, rh := r.Get("width").Float(), r.Get("height").Float()
	if rw <= 0 || rh <= 0 {
		return -1
	}
	x := (e.Get("clientX").Float() - r.Get("left").Float()) * float64(m.w) / rw
	y := (e.Get("clientY").Float() - r.Get("top").Float()) * float64(m.h) / rh
	return m.at(int(x), int(y))
}

// inspectScaleLegend shows a diverging colour scale from −scale to +scale.
func inspectScaleLegend(scale float32) app.UI {
	return app.Div().
		Class("inspect-legend").
		Aria("label", "Colour scale").
		Body(
			app.Span().Text("−"+strconv.FormatFloat(float64(scale), 'g', 3, 32)),
			app.Span().Class("inspect-legend-bar"),
			app.Span().Text("+"+strconv.FormatFloat(float64(scale), 'g', 3, 32)),
			app.Span().Class("inspect-legend-note").Text("blue negative · white zero · orange positive"),
		)
}
