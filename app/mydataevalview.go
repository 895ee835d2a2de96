package app

import (
	"fmt"

	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Element ids of "test a model on my set", stable for tests and CSS. The
// result's data-acc is the share right, data-n the pictures tested.
const (
	myEvalShippedID = "mydata-eval-shipped"
	myEvalCurrentID = "mydata-eval-current"
	myEvalID        = "mydata-eval"
	myConfusionID   = "mydata-confusion"
)

// renderEvalButtons are the buttons that test a model on the set.
func (p *myDataPanel) renderEvalButtons(s *mySet) app.UI {
	if s == nil {
		return app.If(false)
	}
	n, _ := s.count()
	return app.Div().
		Class("mydata-eval-buttons").
		Body(
			app.Button().ID(myEvalShippedID).Class("button").Type("button").Disabled(n == 0 || p.evaluating).
				Title("Classes named 0 to 9 are tested with the model the page ships").
				OnClick(p.onEvalShipped).Text("Test the digits model on my handwriting"),
			app.Button().ID(myEvalCurrentID).Class("button").Type("button").Disabled(n == 0 || p.evaluating || p.CurrentModel == nil).
				OnClick(p.onEvalCurrent).Text("Test the current model on this set"),
		)
}

func (p *myDataPanel) onEvalShipped(ctx app.Context, e app.Event) {
	s := p.set()
	if s == nil {
		return
	}
	p.evaluating = true
	p.say("Loading the digits model…", false)
	ctx.Async(func() {
		m, err := fetchModel(shippedModelURL(dataset.Default().Model))
		ctx.Dispatch(func(ctx app.Context) {
			p.evaluating = false
			if err != nil {
				p.say("The digits model could not be loaded: "+err.Error(), true)
				return
			}
			p.runEval(m, "the shipped digits model", s)
		})
	})
}

func (p *myDataPanel) onEvalCurrent(ctx app.Context, e app.Event) {
	s := p.set()
	if s == nil || p.CurrentModel == nil {
		return
	}
	m := p.CurrentModel()
	if m == nil {
		p.say("There is no model yet.", true)
		return
	}
	p.runEval(m, "the current model", s)
}

// runEval tests m on s (on this thread: a few seconds for thousands of
// pictures) and shows the result.
func (p *myDataPanel) runEval(m *model.Model, name string, s *mySet) {
	ev, err := evaluate(m, name, s)
	if err != nil {
		p.eval = nil
		p.say(err.Error(), true)
		return
	}
	p.eval, p.evalSet = ev, s.ID
	p.say(fmt.Sprintf("Tested %s on %s: %d of %d right.", name, s.Name, ev.Right, ev.N), false)
}

// renderEval shows the last test of a model on the set shown: accuracy per
// class, the confusion matrix and the most confident mistakes as the
// user's own pictures.
func (p *myDataPanel) renderEval(s *mySet) app.UI {
	ev := p.eval
	if s == nil || ev == nil || p.evalSet != s.ID {
		return app.If(false)
	}
	return app.Div().
		ID(myEvalID).
		Class("mydata-eval").
		DataSet("acc", fmt.Sprintf("%.4f", ev.acc())).
		DataSet("n", ev.N).
		Body(
			app.H3().Text(fmt.Sprintf("%s on %s: %.1f%% right (%d of %d)", capitalize(ev.Model), s.Name, 100*ev.acc(), ev.Right, ev.N)),
			app.Table().
				Class("mydata-eval-classes").
				Body(
					app.Caption().Text("Accuracy per class"),
					app.TBody().Body(app.Range(ev.PerClass).Slice(func(i int) app.UI {
						r := ev.PerClass[i]
						acc := 0.0
						if r.N > 0 {
							acc = float64(r.Right) / float64(r.N)
						}
						return app.Tr().DataSet("class", r.Name).DataSet("right", r.Right).DataSet("n", r.N).Body(
							app.Th().Scope("row").Text(r.Name),
							app.Td().Body(
								app.Span().Class("mydata-run-bar").Style("width", fmt.Sprintf("%.0fpx", 120*acc)),
								app.Text(fmt.Sprintf(" %.0f%% (%d of %d)", 100*acc, r.Right, r.N)),
							),
						)
					})),
				),
			p.renderConfusion(ev),
			app.If(len(ev.Worst) > 0,
				app.H4().Text("The most confident mistakes"),
			),
			app.Div().
				Class("mydata-worst").
				Body(app.Range(ev.Worst).Slice(func(i int) app.UI {
					w := ev.Worst[i]
					return app.Figure().
						Class("mydata-mistake").
						Body(
							app.Img().Src(p.thumb(w.Example)).Alt(w.Class+"/"+w.Example.File).Width(56).Height(56),
							app.FigCaption().Text(fmt.Sprintf("%s seen as %s (%.0f%%)", w.Class, w.Pred, 100*w.Prob)),
						)
				})),
			app.If(len(ev.Skipped) > 0,
				app.P().Class("hint").Text(fmt.Sprintf("%d pictures could not be tested: %v", len(ev.Skipped), ev.Skipped)),
			),
		)
}

// renderConfusion is the evaluation's confusion matrix, over the rows of
// the classes the set has.
func (p *myDataPanel) renderConfusion(ev *myEval) app.UI {
	var rows []int
	for i, r := range ev.Confusion {
		for _, n := range r {
			if n > 0 {
				rows = append(rows, i)
				break
			}
		}
	}
	return app.Table().
		ID(myConfusionID).
		Class("confusion").
		Body(
			app.Caption().Text("Confusion matrix: your class down, the model's answer across"),
			app.THead().Body(app.Tr().Body(
				app.Th().Text("yours \\ model"),
				app.Range(ev.Classes).Slice(func(j int) app.UI { return app.Th().Scope("col").Text(ev.Classes[j]) }),
			)),
			app.TBody().Body(app.Range(rows).Slice(func(k int) app.UI {
				i := rows[k]
				sum := 0
				for _, n := range ev.Confusion[i] {
					sum += n
				}
				return app.Tr().Body(
					app.Th().Scope("row").Text(ev.Classes[i]),
					app.Range(ev.Confusion[i]).Slice(func(j int) app.UI {
						n := ev.Confusion[i][j]
						share := float64(n) / float64(max(sum, 1))
						cls := "cell-off"
						if i == j {
							cls = "cell-diag"
						}
						if share > 0.5 {
							cls += " cell-dark"
						}
						return app.Td().Class(cls).Style("--share", fmt.Sprintf("%.3f", share)).Text(n)
					}),
				)
			})),
		)
}

// capitalize returns s with its first letter upper case (ASCII).
func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
