package app

import (
	"strconv"

	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// PathEmbed is the route of the embed page: one view alone, for an iframe.
// It ends in .html so that a static export serves it from any file server.
const PathEmbed = "/embed.html"

// Element ids of the embed page, stable for tests and CSS. The root carries
// data-view, data-theme and, once the model is loaded, data-ready (the page
// time, ms, at which the view became usable).
const (
	embedID     = "embed"
	linkNotesID = "link-notes"
	embedOpenID = "embed-open"
)

// embedPage shows one view of the playground, chosen by the query (see
// ParseSetup), without the page header, sized by its iframe. Views that
// show something of a drawing get a small drawing canvas beside them.
type embedPage struct {
	app.Compo

	setup Setup
	notes []string
	base  string // the site's base URL, for the "open in cnnplay" link

	model   *model.Model
	classes []string
	pred    prediction
	status  string
	ink     int
	ready   string
	drawing []byte
	dw, dh  int

	resize   app.Value // a ResizeObserver of the root, posting its height to the host page
	onResize app.Func
}

// embedHeightMessage is the type of the message the embed posts to the
// page that holds its iframe whenever its height changes:
// {type: "cnnplay:height", height: <CSS pixels>}. A host page may size the
// iframe to it (docs/example.html shows how); ignoring it is harmless.
const embedHeightMessage = "cnnplay:height"

// newEmbedPage reads the setup from the window's URL (natively, when the
// server pre-renders the page, there is none: the default view).
func newEmbedPage() *embedPage {
	e := &embedPage{status: statusLoad, classes: dataset.Default().Classes}
	u := app.Window().URL()
	e.setup, e.notes = ParseSetup(u.RawQuery)
	if e.setup.View == "" {
		e.setup.View = "draw"
	}
	e.base = siteBase(u.Scheme, u.Host, u.Path)
	return e
}

// modelURL is the shipped model the setup names.
func (e *embedPage) modelURL() string { return shippedModelURL(e.setup.Model) }

// OnMount loads the model the setup names and starts telling the host
// page the embed's height.
func (e *embedPage) OnMount(ctx app.Context) {
	e.observeHeight()
	if e.model != nil {
		return
	}
	url := e.modelURL()
	ctx.Async(func() {
		m, err := fetchModel(url)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				e.status = statusFailed + err.Error()
				return
			}
			e.ready = strconv.FormatFloat(now(), 'f', 1, 64)
			e.model, e.classes = m, m.Classes
			e.status = statusDraw
			e.classify()
		})
	})
}

// observeHeight posts the root's height to the parent window as it
// changes, when the page is in a frame and the browser has ResizeObserver.
func (e *embedPage) observeHeight() {
	win := app.Window()
	parent := win.Get("parent")
	ro := win.Get("ResizeObserver")
	root := win.GetElementByID(embedID)
	if e.resize != nil || !ro.Truthy() || !parent.Truthy() || parent.Equal(win.JSValue()) || !root.Truthy() {
		return
	}
	e.onResize = app.FuncOf(func(this app.Value, args []app.Value) any {
		msg := app.Window().Get("Object").New()
		msg.Set("type", embedHeightMessage)
		msg.Set("height", root.Get("offsetHeight").Int())
		parent.Call("postMessage", msg, "*")
		return nil
	})
	e.resize = ro.New(e.onResize)
	e.resize.Call("observe", root)
}

// OnDismount stops the height observer.
func (e *embedPage) OnDismount() {
	if e.resize != nil {
		e.resize.Call("disconnect")
		e.onResize.Release()
		e.resize = nil
	}
}

func (e *embedPage) Render() app.UI {
	title := viewTitle(e.setup.View)
	return app.Div().
		ID(embedID).
		Class("embed").
		DataSet("view", e.setup.View).
		DataSet("theme", e.setup.Theme).
		DataSet("ready", e.ready).
		Body(
			app.If(len(e.notes) > 0,
				renderNotes(e.notes),
			),
			e.renderView(title),
			app.Footer().
				Class("embed-footer").
				Body(
					app.Span().
						Class("embed-title").
						Text("cnnplay · "+title),
					app.A().
						ID(embedOpenID).
						Href(e.base+queryPrefix(e.fullPageQuery())).
						Target("_blank").
						Rel("noopener").
						Text("Open in cnnplay ↗"),
				),
		)
}

// fullPageQuery is the setup without the view and theme: the playground.
func (e *embedPage) fullPageQuery() string {
	s := e.setup
	s.View, s.Theme = "", defaultSetup().Theme
	return s.Query()
}

func (e *embedPage) renderView(title string) app.UI {
	switch e.setup.View {
	case "train":
		return newTrainPanel().
			Link(&e.setup).
			Current(e.model).
			OnModelChange(e.onModel)
	case "draw":
		return app.Div().
			Class("embed-row").
			Body(
				e.renderCanvas(),
				e.renderPrediction(),
			)
	}
	tab := e.setup.inspectTab()
	withCanvas := tab == inspectTabMaps || tab == inspectTabNetwork || tab == inspectTabSaliency || tab == inspectTabConv
	return app.Div().
		Class("embed-row").
		Body(
			app.If(withCanvas,
				e.renderCanvas(),
			),
			app.Section().
				Class("panel inspect-panel").
				Aria("label", title).
				Body(
					app.If(e.model == nil,
						app.P().Class("inspect-note").Text(e.status),
					),
					&inspectPanel{Model: e.model, Digit: e.pred.digit, Tab: tab},
				),
		)
}

func (e *embedPage) renderCanvas() app.UI {
	return app.Section().
		Class("panel draw-panel").
		Aria("label", "Drawing").
		Body(
			newDrawCanvas().
				OnChanged(e.onDrawingChange),
		)
}

func (e *embedPage) renderPrediction() app.UI {
	return app.Section().
		ID(predPanelID).
		Class("panel prediction-panel").
		Aria("label", "Prediction").
		Attr(inkAttr, e.ink).
		Attr(readyAttr, e.ready).
		Body(
			&predictionView{Classes: e.classes, Pred: e.pred, Status: e.status},
		)
}

func (e *embedPage) onModel(ctx app.Context, m *model.Model) {
	e.model, e.classes = m, m.Classes
	e.classify()
}

// The canvas does not update its parents while drawing, so the embed
// updates itself.
func (e *embedPage) onDrawingChange(ctx app.Context, rgba []byte, w, h int) {
	e.drawing, e.dw, e.dh = append(e.drawing[:0], rgba...), w, h
	e.classify()
	e.Update()
}

func (e *embedPage) classify() {
	if e.model == nil || e.drawing == nil {
		return
	}
	e.ink = inkedPixels(e.drawing)
	pred, err := classify(e.model, e.drawing, e.dw, e.dh)
	switch {
	case err != nil:
		e.status = err.Error()
	case pred.probs == nil:
		e.status = statusDraw
	default:
		e.status = ""
	}
	e.pred = pred
}

// renderNotes lists what a link asked for that was ignored, as text.
func renderNotes(notes []string) app.UI {
	return app.Ul().
		ID(linkNotesID).
		Class("link-notes").
		Attr("role", "status").
		Body(app.Range(notes).Slice(func(i int) app.UI {
			return app.Li().Text(notes[i])
		}))
}

// siteBase returns the URL of the folder the page is in, ending in "/",
// so that links work at a site's root and under a path prefix alike.
// Natively (pre-rendering) it is "/".
func siteBase(scheme, host, path string) string {
	dir := "/"
	if i := lastSlash(path); i >= 0 {
		dir = path[:i+1]
	}
	if host == "" {
		return dir
	}
	return scheme + "://" + host + dir
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}

// queryPrefix returns "?"+q, or "" for an empty query.
func queryPrefix(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}
