package app

import (
	"fmt"
	"strconv"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Ids and sizes of the feature-map view.
const (
	featureMapsID      = "view-maps"
	featureMapPrefix   = "fm-"
	featureDetailMap   = "fm-detail-map"
	featureDetailFiler = "fm-detail-filter"
	// mapCSSPx is about the on-screen size of one map in CSS pixels: a
	// 28x28 map doubles, a 7x7 one grows eightfold, so a student sees
	// every map's pixels and a phone still fits five maps in a row.
	mapCSSPx = 48
	// vectorCols is how many cells of a long vector (a flattened stack, a
	// dense layer) one strip row holds.
	vectorCols = 64
	// classNamesMax is the most classes whose names label the class
	// vectors: more (a 1000-class model) would not fit under the strip.
	classNamesMax = 20
)

// featureMapsView shows, for the current drawing, every layer's output:
// the maps after each convolution, activation and pooling as images with
// their shapes, the dense layers' vectors as strips, and the class scores
// under the class names. Hovering or tapping a map shows it large with the
// filter that made it.
type featureMapsView struct {
	app.Compo

	Net     *nn.Network
	Digit   []float32
	Classes []string

	stages  []inspect.Stage // of stageOf on stageIn
	err     error           // why there are no stages for a drawing
	stageOf *nn.Network
	stageIn []float32
	t0      float64 // when Render last computed the stages
	sel     int     // selected stage, or -1
	selCh   int
	painted int // refreshes started, so that a stale one stops
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
	// Render computes the stages, which the headings need, once per
	// network and drawing: hovering a map renders again but changes
	// neither. A new drawing or model is always a new slice or network.
	if v.Net != v.stageOf || len(v.Digit) != len(v.stageIn) || (len(v.Digit) > 0 && &v.Digit[0] != &v.stageIn[0]) {
		v.t0 = inspectNow()
		v.stageOf, v.stageIn, v.stages, v.err = v.Net, v.Digit, nil, nil
		if v.Digit != nil {
			v.stages, v.err = inspect.Activations(v.Net, v.Digit, 28, 28)
		}
	}
	note := "Hover over or tap a map to see it large with the filter that made it. Each layer has its own colour scale: blue negative, white zero, orange positive."
	switch {
	case v.err != nil:
		note = "The feature maps cannot be shown for this model: " + inspectWhy(v.err)
	case v.Digit == nil:
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
						Body(app.Range(v.stages).Slice(func(i int) app.UI {
							return v.renderStage(i)
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

// renderStage returns stage i: its name, shape and range, then one canvas
// per map (wrapping), or one strip for a vector, labelled with the class
// names when it holds one value per class.
func (v *featureMapsView) renderStage(i int) app.UI {
	s := v.stages[i]
	id := featureMapPrefix + strconv.Itoa(i)
	lo, hi := inspect.Range(s.Values)
	var body app.UI
	switch {
	case s.Maps():
		cssW := s.Shape.W * inspect.Zoom(s.Shape.W, s.Shape.H, mapCSSPx)
		body = app.Div().
			ID(id).
			Class("fm-maps").
			Body(app.Range(make([]struct{}, s.Shape.C)).Slice(func(c int) app.UI {
				return app.Canvas().
					ID(id+"-"+strconv.Itoa(c)).
					Class("fm-canvas").
					Width(1).
					Height(1).
					Style("width", strconv.Itoa(cssW)+"px").
					Title(fmt.Sprintf("map %d", c+1)).
					TabIndex(0).
					Attr("role", "button").
					Aria("label", fmt.Sprintf("%s, map %d of %d: show it large", s.Layer, c+1, s.Shape.C)).
					OnMouseOver(v.onPick(i, c)).
					OnClick(v.onPick(i, c)).
					OnKeyDown(onActivate(v.onPick(i, c)))
			}))
	case s.Shape.Size() == len(v.Classes) && len(v.Classes) <= classNamesMax:
		body = app.Div().
			ID(id).
			Class("fm-classvec").
			Style("--n", strconv.Itoa(len(v.Classes))).
			Body(
				app.Canvas().
					ID(id+"-0").
					Class("fm-classvec-canvas").
					Width(1).
					Height(1),
				app.Ol().
					Class("fm-classnames").
					Body(app.Range(v.Classes).Slice(func(c int) app.UI {
						return app.Li().Title(v.Classes[c]).Text(v.Classes[c])
					})),
			)
	default:
		body = app.Div().
			ID(id).
			Body(app.Canvas().
				ID(id + "-0").
				Class("fm-vector").
				Width(1).
				Height(1))
	}
	return app.Li().
		Class("fm-stage fm-"+s.Kind).
		Body(
			app.Div().
				Class("fm-head").
				Body(
					app.Strong().Text(s.Layer),
					app.Span().Class("fm-shape").Text(" "+s.Shape.String()+" "),
					app.Span().Class("fm-kind").Text(inspectKindText[s.Kind]),
					app.Span().Class("fm-range").Text(" · values "+inspectNum(lo)+" to "+inspectNum(hi)),
				),
			body,
		)
}

// inspectNum writes a value with three significant digits, and values too
// small to tell from zero at that precision (a probability of 6.8e-19) as 0.
func inspectNum(x float32) string {
	if x > -5e-4 && x < 5e-4 {
		return "0"
	}
	return strconv.FormatFloat(float64(x), 'g', 3, 32)
}

func (v *featureMapsView) detailText() string {
	if v.sel < 0 || v.sel >= len(v.stages) {
		return "No map selected."
	}
	s := v.stages[v.sel]
	t := fmt.Sprintf("%s, map %d of %d (%dx%d)", s.Layer, v.selCh+1, s.Shape.C, s.Shape.H, s.Shape.W)
	if s.Filter >= 0 {
		t += fmt.Sprintf("; below: filter %d of conv layer %d, one kernel per input channel", v.selCh+1, s.Filter+1)
	}
	return t
}

func (v *featureMapsView) OnMount(ctx app.Context)  { v.sel = -1; v.refresh(ctx) }
func (v *featureMapsView) OnUpdate(ctx app.Context) { v.refresh(ctx) }

// onPick selects map c of stage i for the detail panel.
func (v *featureMapsView) onPick(i, c int) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if v.sel == i && v.selCh == c {
			ctx.PreventUpdate()
			return
		}
		v.sel, v.selCh = i, c
		// The event alone did not re-render the view (neither Enter nor a
		// click changed the detail's title: e2e/teacher's keyboard test).
		v.Update()
		ctx.Defer(func(app.Context) { v.paintDetail() })
	}
}

// refresh paints every stage Render computed, a few stages per animation
// frame (a ConvNetJS net has about 70 maps, repainted with each snapshot
// while training), then the detail panel.
func (v *featureMapsView) refresh(ctx app.Context) {
	if v.Net == nil {
		return
	}
	v.painted++
	gen, stages := v.painted, v.stages
	inFrames(ctx, v, 0, len(stages), func() bool { return gen == v.painted },
		func(i int) { inspectPaintStage(featureMapPrefix+strconv.Itoa(i), stages[i]) },
		func() {
			if v.sel < 0 || v.sel >= len(v.stages) || !v.stages[v.sel].Maps() || v.selCh >= v.stages[v.sel].Shape.C {
				v.sel, v.selCh = -1, 0
				if len(v.stages) > 1 && v.stages[1].Maps() {
					v.sel = 1
				}
			}
			v.paintDetail()
			inspectMark(featureMapsID, v.t0)
		})
}

// inspectPaintStage paints one stage on the canvases renderStage made: a
// map per canvas (the input in grey, other maps on the stage's own
// symmetric scale), or a vector as a strip of cells, probabilities on a
// heat scale.
func inspectPaintStage(id string, s inspect.Stage) {
	scale := inspect.MaxAbs(s.Values)
	if !s.Maps() {
		n := s.Shape.Size()
		cols := min(n, vectorCols)
		rgba := make([]byte, 4*cols*((n+cols-1)/cols))
		for i := len(s.Values) * 4; i < len(rgba); i += 4 {
			rgba[i], rgba[i+1], rgba[i+2], rgba[i+3] = inspect.GutterRGB[0], inspect.GutterRGB[1], inspect.GutterRGB[2], 255
		}
		if s.Kind == "softmax" {
			inspect.HeatRGBA(rgba[:4*n], s.Values, 1)
		} else {
			inspect.DivergingRGBA(rgba[:4*n], s.Values, scale)
		}
		inspectPaint(id+"-0", rgba, cols, len(rgba)/4/cols)
		return
	}
	h, w := s.Shape.H, s.Shape.W
	plane := make([]float32, h*w)
	rgba := make([]byte, 4*h*w)
	lo, hi := inspect.Range(s.Values)
	for c := 0; c < s.Shape.C; c++ {
		s.Channel(plane, c)
		if s.Kind == "input" {
			inspect.GreyRGBA(rgba, plane, lo, hi)
		} else {
			inspect.DivergingRGBA(rgba, plane, scale)
		}
		inspectPaint(id+"-"+strconv.Itoa(c), rgba, w, h)
	}
}

// paintDetail paints the selected map large and the filter that made it.
func (v *featureMapsView) paintDetail() {
	if v.sel < 0 {
		inspectPaint(featureDetailMap, []byte{255, 255, 255, 255}, 1, 1)
		inspectPaint(featureDetailFiler, []byte{255, 255, 255, 255}, 1, 1)
		return
	}
	s := v.stages[v.sel]
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
	f, w, h := b.Block(v.selCh)
	inspectPaint(featureDetailFiler, f, w, h)
}
