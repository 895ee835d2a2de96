package app

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// myRunsID is the table of a set's trainings: validation accuracy
// against examples per class.
const myRunsID = "mydata-runs"

// addRun keeps the result of a training on the set named by dataset.
func (p *myDataPanel) addRun(ctx app.Context, dataset string, r myRun) {
	s := p.sets.byDataset(dataset)
	if s == nil {
		return
	}
	s.addRun(r)
	p.keep(s.metaChange())
	p.changed(ctx)
}

// renderRuns is the figure that matters for a small set: the best
// validation accuracy of each training against the examples per class it
// had, sorted by that number, so that adding examples shows its worth.
func (p *myDataPanel) renderRuns(s *mySet) app.UI {
	if s == nil || len(s.Runs) == 0 {
		return app.If(false)
	}
	runs := slices.Clone(s.Runs)
	slices.SortStableFunc(runs, func(a, b myRun) int { return a.PerClass - b.PerClass })
	return app.Table().
		ID(myRunsID).
		Class("mydata-runs").
		Body(
			app.Caption().Text("Your trainings on this set: validation accuracy against examples per class"),
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col").Text("Examples per class"),
				app.Th().Scope("col").Text("Validation accuracy"),
				app.Th().Scope("col").Text("Network"),
			)),
			app.TBody().Body(app.Range(runs).Slice(func(i int) app.UI {
				r := runs[i]
				net := r.Net
				if r.Frozen {
					net += ", convolutions frozen"
				}
				return app.Tr().
					DataSet("per-class", r.PerClass).
					DataSet("val-acc", strconv.FormatFloat(r.ValAcc, 'f', 4, 64)).
					Body(
						app.Td().Text(r.PerClass),
						app.Td().Body(
							app.Span().Class("mydata-run-bar").Style("width", fmt.Sprintf("%.0fpx", 120*r.ValAcc)),
							app.Text(fmt.Sprintf(" %.1f%%", 100*r.ValAcc)),
						),
						app.Td().Text(net),
					)
			})),
		)
}
