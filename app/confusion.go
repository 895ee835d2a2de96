package app

import (
	"fmt"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// confusionID is the confusion matrix table's id.
const confusionID = "confusion"

// confusionView shows a test result: the accuracy and the confusion matrix,
// true classes down, predicted classes across. Cells are shaded by their
// share of the row and always carry their count, so the table reads the
// same in any colour vision and in print.
type confusionView struct {
	app.Compo

	Test    *wire.Test
	Classes []string
	Title   string
	// On names the images tested where they are not test images
	// (wire.Started.TestOn): "validation" or "training".
	On string
}

func newConfusionView() *confusionView { return &confusionView{} }

// result says how many images the network got right, and of which.
func (v *confusionView) result(t *wire.Test) string {
	of := "test images"
	switch v.On {
	case "validation":
		of = "validation images (the set has no test part)"
	case "training":
		of = "training images (the set has no test or validation part)"
	}
	return fmt.Sprintf("%s: %.2f%% of %d %s right (loss %.3f)", v.Title, 100*t.Acc, t.N, of, t.Loss)
}

func (v *confusionView) Render() app.UI {
	t := v.Test
	if t == nil || len(t.Confusion) == 0 {
		return app.Div().Class("confusion-empty")
	}
	label := func(i int) string {
		if i < len(v.Classes) {
			return v.Classes[i]
		}
		return fmt.Sprint(i)
	}
	return app.Div().
		Class("confusion-view").
		Body(
			app.P().
				Class("test-result").
				Text(v.result(t)),
			app.Table().
				ID(confusionID).
				Class("confusion").
				DataSet("acc", fmt.Sprintf("%.4f", t.Acc)).
				Body(
					app.Caption().
						Text("Confusion matrix: true class down, predicted class across"),
					app.THead().
						Body(
							app.Tr().
								Body(
									app.Th().Text("true \\ predicted"),
									app.Range(t.Confusion).Slice(func(j int) app.UI {
										return app.Th().Attr("scope", "col").Text(label(j))
									}),
								),
						),
					app.TBody().
						Body(app.Range(t.Confusion).Slice(func(i int) app.UI {
							row := t.Confusion[i]
							sum := 0
							for _, n := range row {
								sum += n
							}
							return app.Tr().
								Body(
									app.Th().Attr("scope", "row").Text(label(i)),
									app.Range(row).Slice(func(j int) app.UI {
										share := 0.0
										if sum > 0 {
											share = float64(row[j]) / float64(sum)
										}
										cls := "cell-off"
										if i == j {
											cls = "cell-diag"
										}
										if share > 0.5 {
											cls += " cell-dark"
										}
										return app.Td().Class(cls).Style("--share", fmt.Sprintf("%.3f", share)).Title(fmt.Sprintf("true %s, predicted %s: %d", label(i), label(j), row[j])).Text(row[j])
									}),
								)
						})),
				),
		)
}
