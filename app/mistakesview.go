package app

import (
	"fmt"
	"strconv"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Ids and sizes of the mistakes view.
const (
	mistakesID       = "view-mistakes"
	mistakesTableID  = "mistakes-confusion"
	mistakesCellID   = "mistakes-cell"
	mistakesWrongID  = "mistakes-wrong"
	mistakesImgID    = "mk-"
	mistakesGallery  = 24 // most confidently wrong images shown
	mistakesCellShow = 40 // images shown for one confusion cell
)

// mistakesView shows the confusion matrix on the evaluated test images,
// whose cells open the images behind them, and a gallery of the most
// confidently wrong test images with their top predictions.
type mistakesView struct {
	app.Compo

	Eval    *inspect.Evaluation
	Test    *dataset.Set
	Classes []string
	Status  string

	truth, pred int // the open cell, or -1
}

func (v *mistakesView) OnMount(ctx app.Context) {
	v.truth, v.pred = -1, -1
	ctx.Defer(func(app.Context) { v.paint() })
}

func (v *mistakesView) OnUpdate(ctx app.Context) {
	if v.Eval == nil || v.truth >= v.Eval.K {
		v.truth, v.pred = -1, -1
	}
	ctx.Defer(func(app.Context) { v.paint() })
}

func (v *mistakesView) Render() app.UI {
	if v.Eval == nil || v.Test == nil {
		return app.Div().ID(mistakesID).Class("inspect-view mistakes").Body(app.P().Class("inspect-note").Text(v.Status))
	}
	conf := v.Eval.Confusion()
	off, diag := 1, 1
	for t, row := range conf {
		for p, c := range row {
			if t == p {
				diag = max(diag, c)
			} else {
				off = max(off, c)
			}
		}
	}
	var cellIdx []int
	if v.truth >= 0 {
		cellIdx = v.Eval.Cell(v.truth, v.pred)
	}
	wrong := v.Eval.Wrong(mistakesGallery)
	ui := app.Div().
		ID(mistakesID).
		Class("inspect-view mistakes").
		Body(
			app.P().Class("inspect-note").Text(fmt.Sprintf("%d test images: %.1f%% right. Rows are the true class, columns the prediction; click a cell to see its images.", v.Eval.N, 100*v.Eval.Accuracy())),
			app.Div().
				Class("mistakes-layout").
				Body(
					app.Table().
						ID(mistakesTableID).
						Class("confusion-table").
						Body(
							app.THead().Body(app.Tr().Body(
								app.Th().Text("true ↓ / predicted →"),
								app.Range(v.Classes).Slice(func(p int) app.UI { return app.Th().Attr("scope", "col").Text(inspectShort(v.Classes[p])) }),
							)),
							app.TBody().Body(app.Range(conf).Slice(func(t int) app.UI {
								return app.Tr().Body(
									app.Th().Attr("scope", "row").Text(v.Classes[t]),
									app.Range(conf[t]).Slice(func(p int) app.UI {
										c := conf[t][p]
										alpha := float64(c) / float64(off)
										bg := fmt.Sprintf("rgba(230,97,1,%.2f)", 0.85*alpha)
										if t == p {
											bg = fmt.Sprintf("rgba(33,102,172,%.2f)", 0.15+0.5*float64(c)/float64(diag))
										}
										cls := "confusion-cell"
										if t == v.truth && p == v.pred {
											cls += " confusion-open"
										}
										return app.Td().Body(
											app.Button().
												Class(cls).
												DataSet("truth", t).
												DataSet("pred", p).
												Style("background", bg).
												Aria("label", fmt.Sprintf("%d images of %s predicted as %s", c, v.Classes[t], v.Classes[p])).
												Disabled(c == 0).
												Text(strconv.Itoa(c)).
												OnClick(v.onCell(t, p)),
										)
									}),
								)
							})),
						),
					app.Section().
						ID(mistakesCellID).
						Class("mistakes-gallery").
						Body(
							app.If(v.truth >= 0,
								app.H3().Text(v.cellTitle(len(cellIdx))),
								app.Div().Class("gallery").Body(app.Range(cellIdx[:min(len(cellIdx), mistakesCellShow)]).Slice(func(j int) app.UI {
									return v.figure("c"+strconv.Itoa(j), cellIdx[j])
								})),
							).Else(
								app.P().Class("inspect-note").Text("No cell open."),
							),
						),
				),
			app.Section().
				ID(mistakesWrongID).
				Class("mistakes-gallery").
				Body(
					app.H3().Text("Most confidently wrong"),
					app.Div().Class("gallery").Body(app.Range(wrong).Slice(func(j int) app.UI {
						return v.figure("w"+strconv.Itoa(j), wrong[j])
					})),
				),
		)
	return ui
}

func (v *mistakesView) cellTitle(n int) string {
	if v.truth < 0 || v.pred < 0 {
		return ""
	}
	if v.truth == v.pred {
		return fmt.Sprintf("%d images of %s read right, least sure last", n, v.Classes[v.truth])
	}
	return fmt.Sprintf("%d images of %s read as %s, most sure first", n, v.Classes[v.truth], v.Classes[v.pred])
}

// figure is one test image with its true class and top predictions; the
// image is painted after render from its data-index.
func (v *mistakesView) figure(key string, i int) app.UI {
	top := v.Eval.Top(i, 3)
	cap := "true: " + v.Classes[v.Eval.Labels[i]]
	for _, t := range top {
		cap += fmt.Sprintf(" · %s %.0f%%", inspectShort(v.Classes[t.Class]), 100*t.P)
	}
	return app.Figure().
		Class("gallery-item").
		Body(
			app.Canvas().
				ID(mistakesImgID+key).
				Class("gallery-canvas").
				DataSet("index", i).
				Width(28).
				Height(28),
			app.FigCaption().Text(cap),
		)
}

// inspectShort shortens a Fashion-MNIST class name for tight places.
func inspectShort(s string) string {
	if len(s) > 8 {
		return s[:7] + "…"
	}
	return s
}

func (v *mistakesView) onCell(t, p int) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		v.truth, v.pred = t, p
		ctx.Defer(func(app.Context) { v.paint() })
	}
}

// paint draws every gallery image the last render placed.
func (v *mistakesView) paint() {
	if v.Test == nil || v.Eval == nil {
		return
	}
	t0 := inspectNow()
	list := app.Window().Get("document").Call("querySelectorAll", "#"+mistakesID+" canvas.gallery-canvas")
	rgba := make([]byte, 4*v.Test.H*v.Test.W)
	for j := 0; j < list.Length(); j++ {
		c := list.Index(j)
		i, err := strconv.Atoi(c.Get("dataset").Get("index").String())
		if err != nil || i < 0 || i >= v.Test.N {
			continue
		}
		inspectPaint(c.Get("id").String(), inspect.GreyRGBA(rgba, v.Test.Image(i), 0, 1), v.Test.W, v.Test.H)
	}
	inspectMark(mistakesID, t0)
}
