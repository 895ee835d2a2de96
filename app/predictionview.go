package app

import (
	"fmt"
	"strconv"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Element ids of the prediction panel, stable for tests and CSS.
const (
	predictionID = "prediction"
	digitViewID  = "digit-view"
	barsID       = "probabilities"
	barsNoteID   = "probabilities-note"
	// barsAll is the most classes that get a bar each, in class order;
	// of more (a 1000-class model) the barsTop most likely are shown.
	barsAll = 20
	barsTop = 10
)

// predictionView shows the predicted class large, one bar per class
// probability, and the 28x28 image the network actually sees. The bars use
// one hue and differ by length and text, so they read the same to every
// kind of colour vision.
type predictionView struct {
	app.Compo

	Classes []string
	Pred    prediction
	Status  string // shown instead of a prediction: loading, errors, hints
}

func newPredictionView() *predictionView { return &predictionView{} }

func (v *predictionView) Render() app.UI {
	best := -1
	probs := v.Pred.probs
	if len(probs) != len(v.Classes) {
		probs = nil // of a model before the current one
	}
	if probs != nil {
		best = nn.Argmax(probs)
	}
	shown, note := barClasses(probs, len(v.Classes))
	label, confidence := "–", ""
	if best >= 0 {
		label = v.Classes[best]
		confidence = fmt.Sprintf("%.1f%% sure", 100*probs[best])
	}
	return app.Div().
		Class("prediction").
		Body(
			app.Div().
				Class("prediction-top").
				Body(
					app.Div().
						Class("prediction-main").
						Body(
							app.Div().
								ID(predictionID).
								Class("prediction-label").
								Aria("live", "polite").
								Aria("label", "Predicted class").
								Text(label),
							app.Div().
								Class("prediction-confidence").
								Text(confidence),
						),
					app.Figure().
						Class("digit-figure").
						Body(
							app.Canvas().
								ID(digitViewID).
								Class("digit-view").
								Width(28).
								Height(28).
								Aria("label", "The 28x28 image the network sees"),
							app.FigCaption().
								Text("what the network sees"),
						),
				),
			app.P().
				Class("prediction-status").
				Text(v.Status),
			app.If(note != "",
				app.P().
					ID(barsNoteID).
					Class("hint").
					Text(note),
			),
			app.Ol().
				ID(barsID).
				Class("bars").
				Aria("label", "Class probabilities").
				Body(app.Range(shown).Slice(func(j int) app.UI {
					i := shown[j]
					p := float32(0)
					if probs != nil {
						p = probs[i]
					}
					cls := "bar"
					if i == best {
						cls += " bar-best"
					}
					return app.Li().
						Class(cls).
						DataSet("p", strconv.FormatFloat(float64(p), 'f', 4, 32)).
						Body(
							app.Span().
								Class("bar-label").
								Text(v.Classes[i]),
							app.Span().
								Class("bar-track").
								Body(
									app.Span().
										Class("bar-fill").
										Style("width", fmt.Sprintf("%.1f%%", 100*p)),
								),
							app.Span().
								Class("bar-value").
								Text(fmt.Sprintf("%.1f%%", 100*p)),
						)
				})),
		)
}

// barClasses returns the classes that get a bar, in order, and a note on
// those left out: all k in class order when they fit, else the barsTop
// most probable, most probable first (none before a prediction).
func barClasses(probs []float32, k int) (shown []int, note string) {
	if k <= barsAll {
		shown = make([]int, k)
		for i := range shown {
			shown[i] = i
		}
		return shown, ""
	}
	if probs == nil {
		return nil, fmt.Sprintf("This model tells %d classes apart; the %d most likely show here once something is drawn.", k, barsTop)
	}
	for _, cp := range inspect.TopK(probs, barsTop) {
		shown = append(shown, cp.Class)
	}
	return shown, fmt.Sprintf("The %d most likely of %d classes.", len(shown), k)
}

// OnUpdate repaints the 28x28 view when the page passes a new prediction.
func (v *predictionView) OnUpdate(ctx app.Context) { v.paint() }

// OnMount paints the current prediction (blank when there is none).
func (v *predictionView) OnMount(ctx app.Context) { v.paint() }

// paint draws the network's input as grey levels, white ink on black as in
// MNIST.
func (v *predictionView) paint() {
	canvas := app.Window().GetElementByID(digitViewID)
	if !canvas.Truthy() {
		return
	}
	g := canvas.Call("getContext", "2d")
	img := g.Call("createImageData", 28, 28)
	px := make([]byte, 28*28*4)
	for i := 0; i < 28*28; i++ {
		var c byte
		if v.Pred.digit != nil {
			c = byte(255*min(max(v.Pred.digit[i], 0), 1) + 0.5)
		}
		px[4*i], px[4*i+1], px[4*i+2], px[4*i+3] = c, c, c, 255
	}
	app.CopyBytesToJS(img.Get("data"), px)
	g.Call("putImageData", img, 0, 0)
}
