package app

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Ids of the convolution demo.
const (
	convDemoID     = "view-convolution"
	convInputID    = "conv-input"
	convOutputID   = "conv-output"
	convPoolID     = "conv-pooled"
	convPresetID   = "conv-preset"
	convCellPrefix = "conv-k-"
	convScaleUp    = 5
)

// convDemo applies a hand-editable 3x3 or 5x5 kernel to the drawing (or a
// test image when nothing is drawn) with stride and padding, shows the
// result and explains its size; then max-pools the result with a window and
// stride of the user's choosing.
type convDemo struct {
	app.Compo

	Digit  []float32
	Sample []float32

	preset      int
	k           int
	kernel      []float32
	stride, pad int
	window      int
	poolStride  int
	err         string
	outH, outW  int
	poolH       int
	poolW       int
}

func (v *convDemo) OnMount(ctx app.Context) {
	if v.kernel == nil {
		v.setPreset(1)
		v.stride, v.window, v.poolStride = 1, 2, 2
	}
	v.refresh()
	ctx.Dispatch(func(app.Context) {})
}

func (v *convDemo) OnUpdate(ctx app.Context) { v.refresh() }

func (v *convDemo) setPreset(i int) {
	kn := inspect.Kernels[i]
	v.preset, v.k, v.kernel = i, kn.K, slices.Clone(kn.W)
	v.pad = kn.K / 2
}

func (v *convDemo) image() []float32 {
	if v.Digit != nil {
		return v.Digit
	}
	return v.Sample
}

func (v *convDemo) Render() app.UI {
	src := "your drawing"
	if v.Digit == nil {
		src = "a test image (draw to use your own)"
	}
	num := func(label, id string, val, lo, hi int, set func(int)) app.UI {
		return app.Label().Class("inspect-control").Body(
			app.Text(label+" "),
			app.Input().ID(id).Type("number").Min(lo).Max(hi).Value(val).
				OnChange(func(ctx app.Context, e app.Event) {
					n, err := strconv.Atoi(ctx.JSSrc().Get("value").String())
					if err != nil {
						return
					}
					set(n)
					v.refresh()
				}),
		)
	}
	explain, poolExplain := "", ""
	if v.err == "" {
		explain = fmt.Sprintf("Output size: %s, so %dx%d.", inspect.ExplainSize(28, v.k, v.stride, v.pad), v.outH, v.outW)
		if v.poolH > 0 {
			poolExplain = fmt.Sprintf("Pooled size: %s, so %dx%d.", inspect.ExplainSize(v.outH, v.window, v.poolStride, 0), v.poolH, v.poolW)
		}
	}
	return app.Div().
		ID(convDemoID).
		Class("inspect-view conv-demo").
		Body(
			app.P().Class("inspect-note").Text("A convolution slides a small grid of weights over the image; each output pixel is the sum of the pixels under the grid times its weights. Edit the weights and watch "+src+" change."),
			app.Div().Class("conv-controls").Body(
				app.Label().Class("inspect-control").Body(
					app.Text("Kernel "),
					app.Select().ID(convPresetID).OnChange(v.onPreset).Body(
						app.Range(inspect.Kernels).Slice(func(i int) app.UI {
							return app.Option().Value(strconv.Itoa(i)).Selected(i == v.preset).Text(inspect.Kernels[i].Name)
						}),
					),
				),
				num("Stride", "conv-stride", v.stride, 1, 4, func(n int) { v.stride = n }),
				num("Padding", "conv-pad", v.pad, 0, 4, func(n int) { v.pad = n }),
			),
			app.Div().Class("conv-row").Body(
				inspectFigure(convInputID, "input 28x28"),
				app.Div().
					Class("conv-kernel").
					Style("grid-template-columns", fmt.Sprintf("repeat(%d, 3.6em)", v.k)).
					Body(app.Range(v.kernel).Slice(func(i int) app.UI {
						return app.Input().
							ID(convCellPrefix+strconv.Itoa(i)).
							Class("conv-cell").
							Type("number").
							Step(0.1).
							Aria("label", fmt.Sprintf("weight row %d column %d", i/v.k+1, i%v.k+1)).
							Value(strconv.FormatFloat(float64(v.kernel[i]), 'g', 3, 32)).
							OnChange(v.onCell(i))
					})),
				inspectFigure(convOutputID, fmt.Sprintf("output %dx%d (blue negative, orange positive)", v.outH, v.outW)),
			),
			app.P().Class("conv-explain").Text(explain),
			app.P().Class("inspect-error").Text(v.err),
			app.H3().Text("Max pooling"),
			app.P().Class("inspect-note").Text("Pooling keeps the largest value of each window: the map shrinks, the strongest responses stay."),
			app.Div().Class("conv-controls").Body(
				num("Window", "pool-window", v.window, 1, 6, func(n int) { v.window = n }),
				num("Stride", "pool-stride", v.poolStride, 1, 6, func(n int) { v.poolStride = n }),
			),
			app.Div().Class("conv-row").Body(
				inspectFigure(convPoolID, fmt.Sprintf("pooled %dx%d", v.poolH, v.poolW)),
			),
			app.P().Class("conv-explain").Text(poolExplain),
		)
}

func (v *convDemo) onPreset(ctx app.Context, e app.Event) {
	i, err := strconv.Atoi(ctx.JSSrc().Get("value").String())
	if err != nil || i < 0 || i >= len(inspect.Kernels) {
		return
	}
	v.setPreset(i)
	v.refresh()
}

func (v *convDemo) onCell(i int) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		f, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 32)
		if err != nil || i >= len(v.kernel) {
			return
		}
		v.kernel[i] = float32(f)
		v.refresh()
	}
}

func (v *convDemo) refresh() {
	img := v.image()
	if img == nil || v.kernel == nil {
		return
	}
	t0 := inspectNow()
	rgba := make([]byte, 4*28*28)
	inspectPaint(convInputID, inspectScaleRGBA(inspect.GreyRGBA(rgba, img, 0, 1), 28, 28, convScaleUp), 28*convScaleUp, 28*convScaleUp)
	out, oh, ow, err := inspect.Convolve(img, 28, 28, v.kernel, v.k, v.stride, v.pad)
	v.err, v.outH, v.outW, v.poolH, v.poolW = "", oh, ow, 0, 0
	if err != nil {
		v.err = err.Error()
		return
	}
	f := max(1, 28*convScaleUp/max(oh, ow))
	o := inspect.DivergingRGBA(make([]byte, 4*oh*ow), out, inspect.MaxAbs(out))
	inspectPaint(convOutputID, inspectScaleRGBA(o, ow, oh, f), ow*f, oh*f)
	pooled, ph, pw, err := inspect.MaxPool(out, oh, ow, v.window, v.poolStride)
	if err != nil {
		v.err = "Pooling: " + err.Error()
	} else {
		v.poolH, v.poolW = ph, pw
		f := max(1, 28*convScaleUp/max(ph, pw))
		p := inspect.DivergingRGBA(make([]byte, 4*ph*pw), pooled, inspect.MaxAbs(out))
		inspectPaint(convPoolID, inspectScaleRGBA(p, pw, ph, f), pw*f, ph*f)
	}
	inspectMark(convDemoID, t0)
}
