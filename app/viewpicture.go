package app

import (
	"fmt"
	"strings"

	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// A view's picture: the inside-the-network views are canvases, small SVGs
// and HTML (tables, captions), so their PNG is painted from what the page
// shows, at downloadScale: each element's background, each canvas, each
// SVG and each line of text, at its place on the screen, under the view's
// title and the model's name.

// inspectViewID is the id of the inspect panel's view, whose download
// buttons are inspectViewID+suffixPNG.
const inspectViewID = "inspect-view"

// modelLabel names a model for a picture's heading: "ConvNetJS demo on
// MNIST digits, 12 000 examples".
func modelLabel(m *model.Model) string {
	if m == nil {
		return ""
	}
	r := m.Record
	name := "model"
	if p := strings.TrimPrefix(r.Command, "cnnplay in the browser, preset "); p != r.Command {
		name = presetLabels([]string{p})[0]
	}
	parts := []string{name}
	if r.Dataset != "" {
		parts = append(parts, "on "+datasetName(r.Dataset))
	}
	s := strings.Join(parts, " ")
	if r.Examples > 0 {
		s += ", " + groupDigits(r.Examples) + " examples"
	}
	return s
}

// saveViewPNG paints the element root as the page shows it and offers it
// as a PNG named name, with title and label above it.
func saveViewPNG(name, title, label string, root app.Value) {
	const head, pad = 54, 8
	win := app.Window()
	doc := win.Get("document")
	box := root.Call("getBoundingClientRect")
	x0, y0 := box.Get("left").Float(), box.Get("top").Float()
	w, h := box.Get("width").Float()+2*pad, box.Get("height").Float()+head+pad
	cv := doc.Call("createElement", "canvas")
	cv.Set("width", int(w*downloadScale))
	cv.Set("height", int(h*downloadScale))
	g := cv.Call("getContext", "2d")
	g.Call("scale", downloadScale, downloadScale)
	g.Set("fillStyle", "#fff")
	g.Call("fillRect", 0, 0, w, h)
	g.Set("fillStyle", "#111827")
	g.Set("font", "600 16px system-ui, sans-serif")
	g.Call("fillText", title, pad, 20)
	g.Set("fillStyle", "#374151")
	g.Set("font", "12px system-ui, sans-serif")
	g.Call("fillText", label, pad, 38)
	g.Call("translate", pad-x0, head-y0)

	var svgs []app.Value
	all := root.Call("querySelectorAll", "*")
	for i := range all.Length() {
		el := all.Index(i)
		r := el.Call("getBoundingClientRect")
		x, y, ew, eh := r.Get("left").Float(), r.Get("top").Float(), r.Get("width").Float(), r.Get("height").Float()
		if ew == 0 || eh == 0 || el.Call("closest", ".downloads").Truthy() {
			continue
		}
		cs := win.Call("getComputedStyle", el)
		if cs.Get("visibility").String() == "hidden" || cs.Get("display").String() == "none" {
			continue
		}
		tag := el.Get("tagName").String()
		if bg := cs.Get("backgroundColor").String(); bg != "rgba(0, 0, 0, 0)" && bg != "transparent" && tag != "svg" {
			g.Set("fillStyle", bg)
			g.Call("fillRect", x, y, ew, eh)
		}
		switch tag {
		case "CANVAS":
			g.Call("drawImage", el, x, y, ew, eh)
			continue
		case "svg":
			svgs = append(svgs, el)
			continue
		}
		if el.Call("closest", "svg").Truthy() {
			continue // drawn with its SVG
		}
		paintText(g, cs, el, x, y, ew, eh)
	}
	paintSVGs(g, svgs, func() { savePNG(name, cv) })
}

// paintText paints the text directly inside el (not its children's), on
// one line, with el's font, colour and alignment.
func paintText(g, cs, el app.Value, x, y, w, h float64) {
	var text strings.Builder
	kids := el.Get("childNodes")
	for i := range kids.Length() {
		if n := kids.Index(i); n.Get("nodeType").Int() == 3 {
			text.WriteString(n.Get("textContent").String())
		}
	}
	t := strings.Join(strings.Fields(text.String()), " ")
	if t == "" {
		return
	}
	g.Set("font", cs.Get("font").String())
	g.Set("fillStyle", cs.Get("color").String())
	g.Set("textBaseline", "middle")
	align := cs.Get("textAlign").String()
	tx := x
	switch align {
	case "right", "end":
		g.Set("textAlign", "right")
		tx = x + w
	case "center":
		g.Set("textAlign", "center")
		tx = x + w/2
	default:
		g.Set("textAlign", "left")
	}
	// A line of its own: a wrapped paragraph is squeezed into its width
	// rather than drawn over what follows.
	line := strings.Count(t, " ") > 0 && h > 1.8*fontPx(cs)
	ty := y + h/2
	if line {
		ty = y + fontPx(cs)*0.7
	}
	g.Call("fillText", t, tx, ty, w)
}

// fontPx is an element's font size in CSS pixels.
func fontPx(cs app.Value) float64 {
	var px float64
	fmt.Sscanf(cs.Get("fontSize").String(), "%gpx", &px)
	return max(px, 1)
}

// paintSVGs paints each SVG element at its place, one after another (an
// image loads asynchronously), then calls done.
func paintSVGs(g app.Value, svgs []app.Value, done func()) {
	if len(svgs) == 0 {
		done()
		return
	}
	el := svgs[0]
	r := el.Call("getBoundingClientRect")
	copy := el.Call("cloneNode", true)
	copy.Call("setAttribute", "xmlns", "http://www.w3.org/2000/svg")
	copy.Call("setAttribute", "width", r.Get("width").Float())
	copy.Call("setAttribute", "height", r.Get("height").Float())
	inlineStyles(el, copy)
	markup := app.Window().Get("XMLSerializer").New().Call("serializeToString", copy).String()
	img := app.Window().Get("Image").New()
	var onDone app.Func
	onDone = app.FuncOf(func(app.Value, []app.Value) any {
		if img.Get("complete").Bool() && img.Get("naturalWidth").Int() > 0 {
			g.Call("drawImage", img, r.Get("left").Float(), r.Get("top").Float(), r.Get("width").Float(), r.Get("height").Float())
		}
		onDone.Release()
		paintSVGs(g, svgs[1:], done)
		return nil
	})
	img.Set("onload", onDone)
	img.Set("onerror", onDone)
	img.Set("src", "data:image/svg+xml;charset=utf-8,"+app.Window().Call("encodeURIComponent", markup).String())
}

// inlineStyles copies the computed paint of src's elements onto copy's
// (the page's style sheet does not reach an SVG drawn as an image).
func inlineStyles(src, copy app.Value) {
	a := src.Call("querySelectorAll", "*")
	b := copy.Call("querySelectorAll", "*")
	for i := range min(a.Length(), b.Length()) {
		cs := app.Window().Call("getComputedStyle", a.Index(i))
		var style strings.Builder
		for _, p := range []string{"fill", "stroke", "stroke-width", "stroke-dasharray", "font-size", "font-family", "font-weight", "opacity"} {
			if v := cs.Call("getPropertyValue", p).String(); v != "" {
				style.WriteString(p + ":" + v + ";")
			}
		}
		b.Index(i).Call("setAttribute", "style", style.String())
	}
}

// tabLabel is the title of the inspect panel's view.
func (ip *inspectPanel) tabLabel() string {
	for _, t := range inspectTabs {
		if t.id == ip.tab {
			return t.label
		}
	}
	return ip.tab
}

// onViewPNG offers the inspect panel's view as a PNG.
func (ip *inspectPanel) onViewPNG(ctx app.Context, e app.Event) {
	root := app.Window().GetElementByID(inspectViewID)
	if !root.Truthy() {
		return
	}
	label := modelLabel(ip.Model)
	saveViewPNG(fileName(ip.tabLabel(), label)+".png", ip.tabLabel(), label, root)
}
