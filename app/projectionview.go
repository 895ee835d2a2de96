package app

import (
	"fmt"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Ids and sizes of the projection view.
const (
	projectionID       = "view-projection"
	projectionCanvasID = "projection-canvas"
	projectionSize     = 420
)

// inspectClassColours are ten colours told apart by most colour vision
// (Okabe and Ito's eight, then two more dark ones), one per class.
var inspectClassColours = [][3]byte{
	{0, 114, 178}, {230, 159, 0}, {0, 158, 115}, {204, 121, 167}, {86, 180, 233},
	{213, 94, 0}, {240, 228, 66}, {0, 0, 0}, {136, 34, 85}, {120, 120, 120},
}

// projectionView plots the penultimate-layer features of a few thousand
// test images on their first two principal components, coloured by class,
// with the user's drawing as a large ringed marker among them.
type projectionView struct {
	app.Compo

	Eval    *inspect.Evaluation
	Net     *nn.Network // the network Eval was computed with
	XY      []float64
	Proj    *inspect.Projection
	Digit   []float32
	Classes []string
	Status  string

	where string // where the drawing lands, in words
}

func (v *projectionView) Render() app.UI {
	// The legend names the classes of the dots: none before an evaluation,
	// nor for a model of other classes (a thousand names, for no dots).
	legend := v.Classes
	if v.Eval == nil {
		legend = nil
	}
	text := v.Status
	if text == "" && v.Eval != nil {
		layer, _ := inspect.PenultimateLayer(v.Net)
		name := "input"
		if layer >= 0 {
			name = v.Net.Layers[layer].Name()
		}
		text = fmt.Sprintf("The %d-number feature vectors (output of %s) of %d test images, projected on their two main directions (PCA, %.0f%% of the variance). Each dot is a test image, coloured by its true class; the large red ring is your drawing.",
			v.Eval.D, name, v.Eval.N, 100*v.Proj.Explained())
	}
	return app.Div().
		ID(projectionID).
		Class("inspect-view projection").
		Body(
			app.P().Class("inspect-note").Text(text),
			app.Div().
				Class("projection-layout").
				Body(
					app.Canvas().
						ID(projectionCanvasID).
						Class("projection-canvas").
						Width(projectionSize).
						Height(projectionSize).
						Aria("label", "Feature vectors of test images in two dimensions"),
					app.Ul().
						Class("projection-legend").
						Body(app.Range(legend).Slice(func(i int) app.UI {
							c := inspectClassColours[i%len(inspectClassColours)]
							return app.Li().
								Body(
									app.Span().
										Class("projection-swatch").
										Style("background", fmt.Sprintf("rgb(%d,%d,%d)", c[0], c[1], c[2])),
									app.Text(v.Classes[i]),
								)
						})),
				),
			app.P().Class("inspect-note").Text(v.where),
		)
}

func (v *projectionView) OnMount(ctx app.Context)  { v.refresh(ctx) }
func (v *projectionView) OnUpdate(ctx app.Context) { v.refresh(ctx) }

func (v *projectionView) refresh(ctx app.Context) {
	t0 := inspectNow()
	const s = projectionSize
	px := make([]byte, 4*s*s)
	for i := range px {
		px[i] = 255
	}
	if v.Eval == nil || v.Proj == nil || len(v.XY) < 2*v.Eval.N {
		inspectPaint(projectionCanvasID, px, s, s)
		return
	}
	lox, hix, loy, hiy := v.XY[0], v.XY[0], v.XY[1], v.XY[1]
	for i := 0; i < v.Eval.N; i++ {
		x, y := v.XY[2*i], v.XY[2*i+1]
		lox, hix, loy, hiy = min(lox, x), max(hix, x), min(loy, y), max(hiy, y)
	}
	span := max(hix-lox, hiy-loy, 1e-9) * 1.06
	cx, cy := (lox+hix)/2, (loy+hiy)/2
	toPx := func(x, y float64) (int, int) {
		return int((x-cx)/span*float64(s-12)) + s/2, int(-(y-cy)/span*float64(s-12)) + s/2
	}
	dot := func(px []byte, x, y, r int, c [3]byte) {
		for yy := y - r; yy <= y+r; yy++ {
			for xx := x - r; xx <= x+r; xx++ {
				if xx < 0 || yy < 0 || xx >= s || yy >= s || (xx-x)*(xx-x)+(yy-y)*(yy-y) > r*r+r {
					continue
				}
				o := 4 * (yy*s + xx)
				px[o], px[o+1], px[o+2], px[o+3] = c[0], c[1], c[2], 255
			}
		}
	}
	for i := 0; i < v.Eval.N; i++ {
		x, y := toPx(v.XY[2*i], v.XY[2*i+1])
		dot(px, x, y, 1, inspectClassColours[int(v.Eval.Labels[i])%len(inspectClassColours)])
	}
	v.where = ""
	var f []float32
	var err error
	if v.Digit != nil {
		f, err = inspect.Penultimate(v.Net, v.Digit, 28, 28)
	}
	if err != nil {
		v.where = "Your drawing cannot be placed: " + inspectWhy(err)
	} else if v.Digit != nil {
		x, y := v.Proj.Project(f)
		// The nearest test images say which class's cloud it lands in.
		best, bd := -1, 0.0
		for i := 0; i < v.Eval.N; i++ {
			d := (v.XY[2*i]-x)*(v.XY[2*i]-x) + (v.XY[2*i+1]-y)*(v.XY[2*i+1]-y)
			if best < 0 || d < bd {
				best, bd = i, d
			}
		}
		px0, py0 := toPx(x, y)
		px0, py0 = min(max(px0, 8), s-9), min(max(py0, 8), s-9)
		dot(px, px0, py0, 8, [3]byte{255, 255, 255})
		// Red, which no class has: black is a class's colour (the 7s,
		// Fashion's sneakers), and a black marker vanished in its cloud.
		dot(px, px0, py0, 6, [3]byte{230, 0, 0})
		dot(px, px0, py0, 3, [3]byte{255, 255, 255})
		if best >= 0 {
			v.where = fmt.Sprintf("Your drawing lands at (%.1f, %.1f); the nearest test image is a “%s”.", x, y, v.Classes[v.Eval.Labels[best]])
		}
	}
	inspectPaint(projectionCanvasID, px, s, s)
	inspectMark(projectionID, t0)
	ctx.Dispatch(func(app.Context) {}) // re-render the text
}
