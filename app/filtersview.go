package app

import (
	"fmt"
	"strconv"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Ids and sizes of the filters view.
const (
	filtersID      = "view-filters"
	filtersPrefix  = "filters-"
	templatesID    = "filters-templates"
	templatePrefix = "template-"
	// templatesShown bounds the dense-unit templates drawn for an MLP.
	templatesShown = 128
	// filterCSSPx and friends are the on-screen size, in CSS pixels, a
	// filter, a multi-channel filter block and a template are scaled to:
	// big enough to read each weight at a glance, small enough that a
	// phone fits three to five in a row.
	filterCSSPx   = 56
	blockCSSPx    = 72
	templateCSSPx = 56
)

// filtersView draws every convolution layer's kernels, one small image per
// filter (its input channels' kernels in a block), wrapping like words, on
// the layer's shared symmetric colour scale; for an MLP on raw pixels, each
// first-layer unit's weights as a 28x28 template. The browser scales each
// canvas up by a whole factor with CSS (image-rendering: pixelated), so the
// weights stay crisp squares. It repaints whenever the model changes, so the
// filters form while training.
type filtersView struct {
	app.Compo

	Net *nn.Network

	banks   []inspect.FilterBank // of Net, from the last Render
	painted int                  // refreshes started, so that a stale one stops
}

func (v *filtersView) Render() app.UI {
	if v.Net == nil {
		return app.Div().ID(filtersID)
	}
	v.banks = inspect.Filters(v.Net)
	tpl, th, tw, tscale, mlp := inspect.Templates(v.Net)
	return app.Div().
		ID(filtersID).
		Class("inspect-view filters").
		Body(
			app.If(len(v.banks) == 0 && !mlp,
				app.P().Class("inspect-note").Text("This network has no convolution layer and no dense layer on raw pixels to show."),
			),
			app.Range(v.banks).Slice(func(i int) app.UI {
				b := v.banks[i]
				cols, rows := inspect.KernelGrid(b.In)
				bw, bh := cols*(b.K+1)-1, rows*(b.K+1)-1
				z := inspect.Zoom(bw, bh, blockCSSPx)
				if b.In == 1 {
					z = inspect.Zoom(bw, bh, filterCSSPx)
				}
				return app.Section().
					Class("filters-layer").
					Body(
						app.H3().Text(fmt.Sprintf("%s: %d filters of %dx%dx%d", b.Layer, b.Out, b.K, b.K, b.In)),
						app.P().Class("inspect-note").Text(inspectFilterNote(b, cols, rows)),
						inspectScaleLegend(b.Scale),
						app.Div().
							ID(filtersPrefix+strconv.Itoa(i)).
							Class("filters-grid").
							Body(app.Range(make([]struct{}, b.Out)).Slice(func(o int) app.UI {
								return inspectTile(filtersPrefix+strconv.Itoa(i)+"-"+strconv.Itoa(o), bw*z, strconv.Itoa(o+1))
							})),
					)
			}),
			app.If(mlp,
				app.Section().
					Class("filters-layer").
					Body(
						app.H3().Text("First dense layer: each unit's weights as a template"),
						app.P().Class("inspect-note").Text(fmt.Sprintf("A unit's output grows where ink meets orange and shrinks where it meets blue. The first %d units are shown.", templatesShown)),
						inspectScaleLegend(tscale),
						app.Div().
							ID(templatesID).
							Class("filters-grid").
							Body(app.Range(make([]struct{}, min(len(tpl), templatesShown))).Slice(func(u int) app.UI {
								return inspectTile(templatePrefix+strconv.Itoa(u), tw*inspect.Zoom(tw, th, templateCSSPx), strconv.Itoa(u+1))
							})),
					),
			),
		)
}

// inspectTile is one small labelled canvas of a wrapping grid, cssWidth CSS
// pixels wide (its height follows the canvas's aspect ratio).
func inspectTile(id string, cssWidth int, label string) app.UI {
	return app.Figure().
		Class("inspect-tile").
		Body(
			app.Canvas().
				ID(id).
				Class("inspect-tile-canvas").
				Width(1).
				Height(1).
				Style("width", strconv.Itoa(cssWidth)+"px"),
			app.FigCaption().Text(label),
		)
}

func inspectFilterNote(b inspect.FilterBank, cols, rows int) string {
	if b.In == 1 {
		return "Each square is one filter's weights, slid over the image; the same colour scale for the whole layer."
	}
	return fmt.Sprintf("Each block is one filter: its %d small squares (%d across, %d down) are its weights for each input channel, the maps of the layer before, in order.", b.In, cols, rows)
}

func (v *filtersView) OnMount(ctx app.Context)  { v.refresh(ctx) }
func (v *filtersView) OnUpdate(ctx app.Context) { v.refresh(ctx) }

// refresh paints the filters, a few layers per animation frame (the
// keras net has 96 filter blocks, repainted with each snapshot while
// training), then the templates.
func (v *filtersView) refresh(ctx app.Context) {
	if v.Net == nil {
		return
	}
	t0 := inspectNow()
	v.painted++
	gen, banks, net := v.painted, v.banks, v.Net
	inFrames(ctx, v, 0, len(banks), func() bool { return gen == v.painted }, func(i int) {
		b := banks[i]
		for o := 0; o < b.Out; o++ {
			rgba, w, h := b.Block(o)
			inspectPaint(filtersPrefix+strconv.Itoa(i)+"-"+strconv.Itoa(o), rgba, w, h)
		}
	}, func() {
		if tpl, h, w, scale, ok := inspect.Templates(net); ok {
			rgba := make([]byte, 4*h*w)
			for u := 0; u < min(len(tpl), templatesShown); u++ {
				inspectPaint(templatePrefix+strconv.Itoa(u), inspect.DivergingRGBA(rgba, tpl[u], scale), w, h)
			}
		}
		inspectMark(filtersID, t0)
	})
}
