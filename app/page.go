package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Element ids of the page shell, stable for tests and CSS.
const (
	pageID       = "page"
	inkStatusID  = "ink-status"
	pageHeadline = "cnnplay"
)

// page is the shell of the playground: a header and a main area holding the
// drawing canvas.
type page struct {
	app.Compo

	// inked is how many canvas pixels carry ink, as last reported by the
	// canvas. It is a placeholder until the predictor consumes the drawing.
	inked int
}

// newPage returns the playground page.
func newPage() *page {
	return &page{}
}

// Render returns the page shell.
func (p *page) Render() app.UI {
	return app.Div().
		ID(pageID).
		Class("page").
		Body(
			app.Header().
				Class("page-header").
				Body(
					app.H1().
						Text(pageHeadline),
					app.P().
						Class("tagline").
						Text("Draw a digit. Train a small convolutional network in your browser."),
				),
			app.Main().
				Class("page-main").
				Body(
					app.Section().
						Class("panel draw-panel").
						Aria("label", "Drawing").
						Body(
							app.H2().
								Text("Draw"),
							newDrawCanvas().
								OnChanged(p.onDrawingChange),
							app.Output().
								ID(inkStatusID).
								Class("ink-status").
								Aria("live", "polite").
								Text(p.inkText()),
						),
				),
		)
}

// onDrawingChange receives the canvas pixels. For now it only counts the
// inked pixels; the predictor hooks in here.
func (p *page) onDrawingChange(ctx app.Context, rgba []byte, w, h int) {
	p.inked = inkedPixels(rgba)
}

func (p *page) inkText() string {
	if p.inked == 0 {
		return "Empty canvas"
	}
	return strconv.Itoa(p.inked) + " inked pixels"
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
