package app

import (
	"strconv"

	"github.com/cnnplay/cnnplay/internal/autosave"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Element ids and attributes of the page shell, stable for tests and CSS.
const (
	pageID       = "page"
	pageHeadline = "cnnplay"
	// inkAttr on the prediction panel is the number of inked canvas pixels
	// of the drawing last classified; tests wait for it to match the canvas.
	inkAttr = "data-ink"
	// readyAttr on the prediction panel is the page time (performance.now(),
	// ms) at which the model was loaded and prediction became possible.
	readyAttr    = "data-ready"
	predPanelID  = "prediction-panel"
	statusLoad   = "Loading the model…"
	statusDraw   = "Draw in the box, or classify a picture."
	statusFailed = "The model could not be loaded: "
)

// page is the playground: the drawing canvas and the live prediction.
type page struct {
	app.Compo

	model   *model.Model
	live    *livePanels // the prediction and inspect views, and their state
	drawing []byte      // the latest canvas pixels (RGBA), kept to re-classify
	dw, dh  int
	// digit is the drawing as a model trained on digitFor sees it (see
	// prepare), kept while the drawing stays (digitOK): while training, a
	// new model arrives twice a second.
	digit    []float32
	digitFor string
	digitErr error
	digitOK  bool
	link     Setup    // the setup the page's link asked for (see ParseSetup)
	notes    []string // what the link asked for that was ignored, and why
	present  bool     // present mode (present.go)

	keep   *keeper            // keeps the work in the browser
	kept   *autosave.Restored // what an earlier visit kept, offered until restored or dismissed
	canvas *drawCanvas
	train  *trainPanel
	mydata *myDataPanel // the user's own sets (pagemydata.go)
	addBar *myAddBar
}

// newPage returns the playground page.
func newPage() *page {
	p := &page{live: &livePanels{Status: statusLoad, Classes: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}}}
	p.link, p.notes = ParseSetup(app.Window().URL().RawQuery)
	p.present = presentOn(app.Window().URL().RawQuery)
	p.live.Tab = p.link.inspectTab()
	p.keep = newKeeper()
	p.canvas = newDrawCanvas().OnChanged(p.onDrawingChange)
	p.canvas.OnStrokes = p.onStrokes
	p.train = newTrainPanel()
	p.train.Keep = p.keep
	p.train.OnNewRun = p.onNewRun
	p.setupMyData()
	return p
}

// OnMount loads the shipped model the link names (digits unless it says
// fashion) in the background.
func (p *page) OnMount(ctx app.Context) {
	if p.model != nil {
		return
	}
	p.showLinkView(ctx)
	p.keep.open(ctx, p.onKept)
	ctx.Async(func() {
		m, err := fetchModel(shippedModelURL(p.link.Model))
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.live.Status = statusFailed + err.Error()
				p.live.Update()
				return
			}
			p.live.Ready = strconv.FormatFloat(app.Window().Get("performance").Call("now").Float(), 'f', 1, 64)
			p.setModel(m)
		})
	})
}

// Render returns the page shell.
func (p *page) Render() app.UI {
	return app.Div().
		ID(pageID).
		Class("page").
		Class(map[bool]string{true: presentClass}[p.present]).
		DataSet("theme", p.link.Theme).
		Body(
			app.Header().
				Class("page-header").
				Body(
					app.H1().
						Text(pageHeadline),
					app.P().
						Class("tagline").
						Text("Draw a digit. Train a small convolutional network in your browser."),
					&presenter{On: p.present, OnToggle: p.onPresent},
				),
			app.Main().
				Class("page-main").
				Body(
					app.Div().
						Class("page-banners").
						Body(
							p.renderKept(),
							app.If(len(p.notes) > 0,
								renderNotes(p.notes),
							),
						),
					app.Section().
						Class("panel draw-panel").
						Aria("label", "Drawing").
						On("dragover", p.onDragOver).
						On("drop", p.onDrop).
						Body(
							app.H2().
								Text("Draw"),
							p.canvas,
							p.addBar,
							&imagePicker{OnImage: p.onImage, OnError: p.onImageError},
						),
					p.live,
					p.mydata,
					p.train.
						Link(&p.link).
						Current(p.model).
						OnModelChange(p.onModel),
				),
		)
}

// onPresent turns present mode on or off.
func (p *page) onPresent(ctx app.Context, on bool) {
	p.present = on
	p.Update()
}

// onModel makes a model from the training panel (a weight snapshot, a
// loaded file, the shipped model) classify the drawing.
func (p *page) onModel(ctx app.Context, m *model.Model) { p.setModel(m) }

// setModel makes m the model that classifies the drawing (the shipped one,
// a snapshot from training, a loaded file) and re-classifies what is drawn.
func (p *page) setModel(m *model.Model) {
	p.model = m
	p.live.Model, p.live.Classes = m, m.Classes
	if p.live.Status == statusLoad {
		p.live.Status = statusDraw
	}
	p.classifyDrawing()
	p.live.Update()
}

// onDrawingChange classifies the canvas pixels as they change.
// Only the live panels update (the canvas calls this without updating its
// parents).
func (p *page) onDrawingChange(ctx app.Context, rgba []byte, w, h int) {
	p.drawing, p.dw, p.dh = append(p.drawing[:0], rgba...), w, h
	p.digitOK = false
	p.classifyDrawing()
	p.live.Update()
}

// onImage classifies a picture the user chose or dropped, as if drawn.
func (p *page) onImage(ctx app.Context, name string, rgba []byte, w, h int) {
	p.drawing, p.dw, p.dh = rgba, w, h
	p.digitOK = false
	p.classifyDrawing()
	p.live.Update()
}

func (p *page) onImageError(ctx app.Context, msg string) {
	p.live.Status = msg
	p.live.Update()
}

// onDragOver lets files be dropped on the drawing panel.
func (p *page) onDragOver(ctx app.Context, e app.Event) {
	e.PreventDefault()
}

// onDrop classifies a dropped picture.
func (p *page) onDrop(ctx app.Context, e app.Event) {
	e.PreventDefault()
	files := e.Get("dataTransfer").Get("files")
	if files.Length() > 0 {
		readImage(ctx, files.Index(0), p.onImage, p.onImageError)
	}
}

// classifyDrawing classifies the latest drawing with the current model.
func (p *page) classifyDrawing() {
	if p.model == nil || p.drawing == nil {
		return
	}
	l := p.live
	l.Ink = inkedPixels(p.drawing)
	if ds := p.model.Record.Dataset; !p.digitOK || p.digitFor != ds {
		p.digit, p.digitErr = prepare(ds, p.drawing, p.dw, p.dh)
		p.digitFor, p.digitOK = ds, true
	}
	pred, err := predict(p.model, p.digit)
	if p.digitErr != nil {
		err = p.digitErr
	}
	switch {
	case err != nil:
		l.Status = err.Error()
	case pred.probs == nil:
		l.Status = statusDraw
	default:
		l.Status = ""
	}
	l.Pred = pred
}

// inkedPixels counts the pixels of an RGBA buffer whose alpha is not zero.
func inkedPixels(rgba []byte) int {
	n := 0
	for i := 3; i < len(rgba); i += 4 {
		if rgba[i] != 0 {
			n++
		}
	}
	return n
}

// showLinkView scrolls to the panel of the view a shared link names.
func (p *page) showLinkView(ctx app.Context) {
	id := map[string]string{"": "", "draw": pageID, "train": trainPanelID}[p.link.View]
	if p.link.View != "" && id == "" {
		id = inspectPanelID
	}
	if id == "" || id == pageID {
		return
	}
	ctx.Defer(func(ctx app.Context) {
		if e := app.Window().GetElementByID(id); e.Truthy() {
			e.Call("scrollIntoView")
		}
	})
}
