package app

import (
	"fmt"
	"strconv"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Ids of the filters view.
const (
	filtersID     = "view-filters"
	filtersPrefix = "filters-"
	templatesID   = "filters-templates"
	// templatesShown bounds the dense-unit templates drawn for an MLP.
	templatesShown = 128
)

// filtersView draws every convolution layer's kernels, one small image per
// filter (row) and input channel (column), on the layer's shared symmetric
// colour scale; for an MLP on raw pixels, each first-layer unit's weights
// as a 28x28 template. It repaints whenever the model changes, so the
// filters form while training.
type filtersView struct {
	app.Compo

	Net *nn.Network
}

func (v *filtersView) Render() app.UI {
	if v.Net == nil {
		return app.Div().ID(filtersID)
	}
	banks := inspect.Filters(v.Net)
	_, _, _, tscale, mlp := inspect.Templates(v.Net)
	return app.Div().
		ID(filtersID).
		Class("inspect-view filters").
		Body(
			app.If(len(banks) == 0 && !mlp,
				app.P().Class("inspect-note").Text("This network has no convolution layer and no dense layer on raw pixels to show."),
			),
			app.Range(banks).Slice(func(i int) app.UI {
				b := banks[i]
				return app.Section().
					Class("filters-layer").
					Body(
						app.H3().Text(fmt.Sprintf("%s: %d filters of %dx%dx%d", b.Layer, b.Out, b.K, b.K, b.In)),
						app.P().Class("inspect-note").Text(inspectFilterNote(b)),
						inspectScaleLegend(b.Scale),
						app.Canvas().
							ID(filtersPrefix+strconv.Itoa(i)).
							Class("filters-canvas").
							Width(1).
							Height(1),
					)
			}),
			app.If(mlp,
				app.Section().
					Class("filters-layer").
					Body(
						app.H3().Text("First dense layer: each unit's weights as a template"),
						app.P().Class("inspect-note").Text(fmt.Sprintf("A unit's output grows where ink meets orange and shrinks where it meets blue. The first %d units are shown.", templatesShown)),
						inspectScaleLegend(tscale),
						app.Canvas().
							ID(templatesID).
							Class("filters-canvas").
							Width(1).
							Height(1),
					),
			),
		)
}

func inspectFilterNote(b inspect.FilterBank) string {
	if b.In == 1 {
		return "Each square is one filter's weights, slid over the image; the same colour scale for the whole layer."
	}
	return fmt.Sprintf("Each row is one filter; its %d squares are its weights for each input channel (the maps of the layer before).", b.In)
}

func (v *filtersView) OnMount(ctx app.Context)  { v.refresh() }
func (v *filtersView) OnUpdate(ctx app.Context) { v.refresh() }

func (v *filtersView) refresh() {
	if v.Net == nil {
		return
	}
	t0 := inspectNow()
	for i, b := range inspect.Filters(v.Net) {
		f := max(1, 12/b.K)
		// One filter per row: its input channels side by side; a
		// single-channel layer wraps its filters in rows of 16.
		n, cols := b.Out*b.In, b.In
		if b.In == 1 {
			cols = min(b.Out, 16)
		}
		m := newInspectMosaic(n, cols, b.K*f, b.K*f, 1)
		k := make([]float32, b.K*b.K)
		tile := make([]byte, 4*b.K*b.K)
		for o := 0; o < b.Out; o++ {
			for in := 0; in < b.In; in++ {
				inspect.DivergingRGBA(tile, b.Kernel(k, o, in), b.Scale)
				m.put(o*b.In+in, inspectScaleRGBA(tile, b.K, b.K, f))
			}
		}
		inspectPaint(filtersPrefix+strconv.Itoa(i), m.px, m.w, m.h)
	}
	if tpl, h, w, scale, ok := inspect.Templates(v.Net); ok {
		n := min(len(tpl), templatesShown)
		m := newInspectMosaic(n, 16, w, h, 2)
		tile := make([]byte, 4*h*w)
		for u := 0; u < n; u++ {
			m.put(u, inspect.DivergingRGBA(tile, tpl[u], scale))
		}
		inspectPaint(templatesID, m.px, m.w, m.h)
	}
	inspectMark(filtersID, t0)
}
