package app

import (
	"fmt"
	"strconv"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Ids of the feature-map view.
const (
	featureMapsID      = "view-maps"
	featureMapPrefix   = "fm-"
	featureDetailMap   = "fm-detail-map"
	featureDetailFiler = "fm-detail-filter"
)

// featureMapsView shows, for the current drawing, every layer's output:
// the maps after each convolution, activation and pooling as images with
// their shapes, the dense layers' vectors as strips, and the class scores.
// Hovering or tapping a map shows it large with the filter that made it.
type featureMapsView struct {
	app.Compo

	Net     *nn.Network
	Digit   []float32
	Classes []string

	stages []inspect.Stage
	mos    []*inspectMosaic
	sel    int // selected stage, or -1
	selCh  int
}

// inspectKindText says what a stage's output is after.
var inspectKindText = map[string]string{
	"input": "the image as the network sees it (normalised)", "conv": "after convolution",
	"relu": "after ReLU", "leakyrelu": "after leaky ReLU", "tanh": "after tanh", "sigmoid": "after sigmoid",
	"maxpool": "after max pooling", "avgpool": "after average pooling", "dropout": "after dropout (inactive when predicting)",
	"flatten": "flattened to a vector", "dense": "dense layer output", "softmax": "class probabilities",
}

func (v *featureMapsView) Render() app.UI {
	if v.Net == nil {
		return app.Div().ID(featureMapsID)
	}
	type row struct {
		name, kind string
		shape      nn.Shape
	}
	rows := []row{{"input", "input", v.Net.InShape()}}
	for _, l := range v.Net.Layers {
		rows = append(rows, row{l.Name(), inspect.Kind(l.Name()), l.OutShape()})
	}
	note := "Hover over or tap a map to see it large with the filter that made it."
	if v.Digit == nil {
		note = "Draw something to see what every layer makes of it."
	}
	return app.Div().
		ID(featureMapsID).
		Class("inspect-view feature-maps").
		Body(
			app.P().
				Class("inspect-note").
				Text(note),
			app.Div().
				Class("fm-layout").
				Body(
					app.Ol().
						Class("fm-stages").
						Body(app.Range(rows).Slice(func(i int) app.UI {
							r := rows[i]
							return app.Li().
								Class("fm-stage fm-"+r.kind).
								Body(
									app.Div().
										Class("fm-head").
										Body(
											app.Strong().Text(r.name),
											app.Span().Class("fm-shape").Text(" "+r.shape.String()+" "),
											app.Span().Class("fm-kind").Text(inspectKindText[r.kind]),
										),
									app.Canvas().
										ID(featureMapPrefix+strconv.Itoa(i)).
										Class("fm-canvas").
										Width(1).
										Height(1).
										OnMouseMove(v.onHover(i)).
										OnClick(v.onHover(i)),
								)
						})),
					app.Aside().
						Class("fm-detail").
						Body(
							app.P().
								Class("fm-detail-title").
								Text(v.detailText()),
							app.Canvas().
								ID(featureDetailMap).
								Class("fm-detail-canvas").
								Width(1).
								Height(1),
							app.Canvas().
								ID(featureDetailFiler).
								Class("fm-detail-canvas fm-detail-filter").
								Width(1).
								Height(1),
						),
				),
		)
}

func (v *featureMapsView) detailText() string {
	if v.sel < 0 || v.sel >= len(v.stages) {
		return "No map selected."
	}
	s := v.stages[v.sel]
	if !s.Maps() {
		return fmt.Sprintf("%s value %d", s.Layer, v.selCh)
	}
	t := fmt.Sprintf("%s, map %d of %d (%dx%d)", s.Layer, v.selCh+1, s.Shape.C, s.Shape.H, s.Shape.W)
	if s.Filter >= 0 {
		t += fmt.Sprintf("; below: filter %d of conv layer %d, one kernel per input channel", v.selCh+1, s.Filter+1)
	}
	return t
}

func (v *featureMapsView) OnMount(ctx app.Context)  { v.sel = -1; v.refresh() }
func (v *featureMapsView) OnUpdate(ctx app.Context) { v.refresh() }

func (v *featureMapsView) onHover(i int) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if i >= len(v.mos) {
			return
		}
		t := inspectEventTile(v.mos[i], e)
		if t < 0 || (v.sel == i && v.selCh == t) {
			ctx.PreventUpdate()
			return
		}
		v.sel, v.selCh = i, t
		v.paintDetail()
	}
}

// refresh runs the network on the drawing and paints every stage.
func (v *featureMapsView) refresh() {
	if v.Net == nil {
		return
	}
	t0 := inspectNow()
	v.stages, v.mos = nil, nil
	if v.Digit != nil {
		v.stages = inspect.Activations(v.Net, v.Digit, 28, 28)
	}
	for i, s := range v.stages {
		m := inspectStageMosaic(s)
		v.mos = append(v.mos, m)
		inspectPaint(featureMapPrefix+strconv.Itoa(i), m.px, m.w, m.h)
	}
	if v.stages == nil {
		for i := 0; i <= len(v.Net.Layers); i++ {
			inspectPaint(featureMapPrefix+strconv.Itoa(i), []byte{255, 255, 255, 255}, 1, 1)
		}
	}
	if v.sel < 0 && len(v.stages) > 1 {
		v.sel, v.selCh = 1, 0
	}
	v.paintDetail()
	inspectMark(featureMapsID, t0)
}

// inspectStageMosaic draws one stage: a tile per map (enlarged to about
// 28 pixels), or a strip of cells for a vector, on the stage's own
// symmetric scale.
func inspectStageMosaic(s inspect.Stage) *inspectMosaic {
	scale := inspect.MaxAbs(s.Values)
	if !s.Maps() {
		n := s.Shape.Size()
		m := newInspectMosaic(n, min(n, 64), 8, 16, 1)
		tile := make([]byte, 4*8*16)
		for i, val := range s.Values {
			one := inspect.DivergingRGBA(make([]byte, 4), []float32{val}, scale)
			if s.Kind == "softmax" {
				one = inspect.HeatRGBA(one, []float32{val}, 1)
			}
			for j := 0; j < len(tile); j += 4 {
				copy(tile[j:j+4], one)
			}
			m.put(i, tile)
		}
		return m
	}
	h, w := s.Shape.H, s.Shape.W
	f := max(1, 28/max(h, w))
	m := newInspectMosaic(s.Shape.C, min(s.Shape.C, 16), w*f, h*f, 2)
	plane := make([]float32, h*w)
	rgba := make([]byte, 4*h*w)
	for c := 0; c < s.Shape.C; c++ {
		s.Channel(plane, c)
		if s.Kind == "input" {
			lo, hi := inspect.Range(s.Values)
			inspect.GreyRGBA(rgba, plane, lo, hi)
		} else {
			inspect.DivergingRGBA(rgba, plane, scale)
		}
		m.put(c, inspectScaleRGBA(rgba, w, h, f))
	}
	return m
}

// paintDetail paints the selected map large and the filter that made it.
func (v *featureMapsView) paintDetail() {
	if v.sel < 0 || v.sel >= len(v.stages) {
		inspectPaint(featureDetailMap, []byte{255, 255, 255, 255}, 1, 1)
		inspectPaint(featureDetailFiler, []byte{255, 255, 255, 255}, 1, 1)
		return
	}
	s := v.stages[v.sel]
	if !s.Maps() || v.selCh >= s.Shape.C {
		return
	}
	plane := s.Channel(nil, v.selCh)
	rgba := make([]byte, 4*len(plane))
	if s.Kind == "input" {
		lo, hi := inspect.Range(s.Values)
		inspect.GreyRGBA(rgba, plane, lo, hi)
	} else {
		inspect.DivergingRGBA(rgba, plane, inspect.MaxAbs(s.Values))
	}
	inspectPaint(featureDetailMap, rgba, s.Shape.W, s.Shape.H)
	if s.Filter < 0 {
		inspectPaint(featureDetailFiler, []byte{255, 255, 255, 255}, 1, 1)
		return
	}
	b := inspect.Filters(v.Net)[s.Filter]
	m := newInspectMosaic(b.In, min(b.In, 8), b.K*4, b.K*4, 2)
	k := make([]float32, b.K*b.K)
	tile := make([]byte, 4*b.K*b.K)
	for in := 0; in < b.In; in++ {
		inspect.DivergingRGBA(tile, b.Kernel(k, v.selCh, in), b.Scale)
		m.put(in, inspectScaleRGBA(tile, b.K, b.K, 4))
	}
	inspectPaint(featureDetailFiler, m.px, m.w, m.h)
}
