package app

import (
	"fmt"
	"strconv"
	"time"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Ids and settings of the saliency view.
const (
	saliencyID         = "view-saliency"
	saliencyInputID    = "saliency-input"
	saliencyGradID     = "saliency-gradient"
	saliencyOcclID     = "saliency-occlusion"
	saliencyClassID    = "saliency-class"
	saliencyPatch      = 6
	saliencyStride     = 2
	saliencyBatch      = 4
	saliencyPredicted  = -1
	saliencyScaleUp    = 4
	saliencyOcclMsAttr = "data-occlusion-ms"
)

// saliencyView shows what matters in the drawing for a class (the
// predicted one unless the user picks another): the gradient of the class's
// score with respect to each pixel, and how much the class's probability
// drops when a square of the image is hidden (occlusion).
type saliencyView struct {
	app.Compo

	Net     *nn.Network
	Digit   []float32
	Classes []string

	class int    // saliencyPredicted or a class index
	shown int    // the class the maps are for
	err   string // why a map cannot be shown for this model, or ""
	gen   int    // counts drawing updates and occlusions; a pending one checks it
}

func (v *saliencyView) Render() app.UI {
	note := "Draw something to see which pixels the prediction depends on."
	if v.Digit != nil && v.shown >= 0 && v.shown < len(v.Classes) {
		note = fmt.Sprintf("Which pixels matter for “%s”. Darker means more.", v.Classes[v.shown])
	}
	if v.err != "" {
		note += " " + v.err
	}
	return app.Div().
		ID(saliencyID).
		Class("inspect-view saliency").
		Body(
			app.Label().
				Class("inspect-control").
				Body(
					app.Text("Class "),
					app.Select().
						ID(saliencyClassID).
						OnChange(v.onClass).
						Body(
							app.Option().Value("-1").Selected(v.class == saliencyPredicted).Text("the predicted class"),
							app.Range(v.Classes).Slice(func(i int) app.UI {
								return app.Option().Value(strconv.Itoa(i)).Selected(v.class == i).Text(v.Classes[i])
							}),
						),
				),
			app.P().Class("inspect-note").Text(note),
			app.Div().
				Class("saliency-row").
				Body(
					inspectFigure(saliencyInputID, "the network's input"),
					inspectFigure(saliencyGradID, "gradient: how strongly each pixel moves the class's score"),
					inspectFigure(saliencyOcclID, fmt.Sprintf("occlusion: how much hiding a %dx%d square around each pixel lowers the class's probability (blue: raises it)", saliencyPatch, saliencyPatch)),
				),
		)
}

// inspectFigure is a canvas with a caption.
func inspectFigure(id, caption string) app.UI {
	return app.Figure().
		Class("inspect-figure").
		Body(
			app.Canvas().ID(id).Class("inspect-canvas").Width(1).Height(1),
			app.FigCaption().Text(caption),
		)
}

func (v *saliencyView) onClass(ctx app.Context, e app.Event) {
	c, err := strconv.Atoi(ctx.JSSrc().Get("value").String())
	if err != nil {
		return
	}
	v.class = c
	v.refresh(ctx)
	v.occlude(ctx)
}

func (v *saliencyView) OnMount(ctx app.Context) {
	v.class = saliencyPredicted
	v.refresh(ctx)
	v.occlude(ctx)
}

// OnUpdate follows the drawing and the model: the gradient map at once, the
// occlusion map (one forward pass per square, hundreds of milliseconds for
// the shipped model) once the drawing has rested for occludeDelay, a few
// squares per animation frame, so drawing and training stay smooth with
// this tab open.
func (v *saliencyView) OnUpdate(ctx app.Context) {
	v.refresh(ctx)
	v.gen++
	gen := v.gen
	ctx.After(occludeDelay, func(ctx app.Context) {
		if gen == v.gen && v.Mounted() {
			v.occlude(ctx)
		}
	})
}

// occludeDelay is how long the drawing must rest before the occlusion map
// is recomputed.
const occludeDelay = 300 * time.Millisecond

// refresh paints the input and the gradient saliency of the shown class,
// or says in the note why it cannot.
func (v *saliencyView) refresh(ctx app.Context) {
	old := v.err
	v.err = ""
	defer func() {
		if v.err != old {
			ctx.Dispatch(func(app.Context) {}) // re-render the note
		}
	}()
	if v.Net == nil {
		return
	}
	t0 := inspectNow()
	if v.Digit == nil {
		for _, id := range []string{saliencyInputID, saliencyGradID, saliencyOcclID} {
			inspectPaint(id, []byte{255, 255, 255, 255}, 1, 1)
		}
		v.shown = -1
		inspectMark(saliencyID, t0)
		return
	}
	class := v.class
	if class < 0 || class >= v.Net.Classes() {
		x := make([]float32, v.Net.InShape().Size())
		if err := model.Input(v.Net, x, v.Digit, 28, 28); err != nil {
			v.err, v.shown = "The maps cannot be computed for this model: "+inspectWhy(err), -1
			return
		}
		class = nn.Argmax(v.Net.Predict(x))
	}
	v.shown = class
	rgba := make([]byte, 4*28*28)
	inspectPaint(saliencyInputID, inspectScaleRGBA(inspect.GreyRGBA(rgba, v.Digit, 0, 1), 28, 28, saliencyScaleUp), 28*saliencyScaleUp, 28*saliencyScaleUp)
	g, err := inspect.Gradient(v.Net, v.Digit, 28, 28, class)
	if err != nil {
		v.err = "The gradient map cannot be shown: " + inspectWhy(err)
		g = make([]float32, 28*28)
	}
	_, hi := inspect.Range(g)
	inspectPaint(saliencyGradID, inspectScaleRGBA(inspect.HeatRGBA(make([]byte, 4*28*28), g, hi), 28, 28, saliencyScaleUp), 28*saliencyScaleUp, 28*saliencyScaleUp)
	inspectMark(saliencyID, t0)
}

// occlude computes the occlusion map of the class refresh last showed, a
// few batches of squares per animation frame, and paints it.
func (v *saliencyView) occlude(ctx app.Context) {
	if v.Net == nil || v.Digit == nil || v.shown < 0 {
		return
	}
	v.gen++
	gen, t1 := v.gen, inspectNow()
	o, err := inspect.NewOccluder(v.Net, v.Digit, 28, 28, v.shown, saliencyPatch, saliencyStride, saliencyBatch)
	if err != nil {
		v.err = "The occlusion map cannot be shown: " + inspectWhy(err)
		ctx.Dispatch(func(app.Context) {})
		return
	}
	inFrames(ctx, v, 0, o.Batches(), func() bool { return gen == v.gen }, func(int) { o.Step() }, func() {
		m := o.Map()
		inspectPaint(saliencyOcclID, inspectScaleRGBA(inspect.DivergingRGBA(make([]byte, 4*28*28), m, inspect.MaxAbs(m)), 28, 28, saliencyScaleUp), 28*saliencyScaleUp, 28*saliencyScaleUp)
		if el := app.Window().GetElementByID(saliencyID); el.Truthy() {
			el.Call("setAttribute", saliencyOcclMsAttr, strconv.FormatFloat(inspectNow()-t1, 'f', 2, 64))
		}
	})
}
