package app

import (
	"fmt"
	"strings"

	"github.com/cnnplay/cnnplay/internal/budget"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// quickName names the quick validation's series (session.QuickValSize
// images during the epoch), told apart from the full validation at each
// epoch's end.
const quickName = "validation, 1,000 images, during the epoch"

// joinFloats formats numbers as a comma-separated list, for a data
// attribute.
func joinFloats(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("%.0f", x)
	}
	return strings.Join(parts, ",")
}

// trainProgressView is the training panel's live column: the figures, the
// loss and accuracy charts and the test result. Like trainStatusView it
// renders the session's state and is updated on its own.
type trainProgressView struct {
	app.Compo

	State *trainState
	Form  *trainForm
}

func (v *trainProgressView) Render() app.UI {
	st := v.State
	val := 0.0
	if n := len(st.valAcc); n > 0 {
		val = st.valAcc[n-1].Y
	}
	return app.Div().
		ID(trainProgID).
		Class("train-charts").
		DataSet("seen", st.seen).
		DataSet("steps", st.steps).
		DataSet("val-acc", fmt.Sprintf("%.4f", val)).
		DataSet("best-val", fmt.Sprintf("%.4f", st.bestVal)).
		DataSet("eps", fmt.Sprintf("%.0f", st.eps)).
		DataSet("memory-mb", fmt.Sprintf("%.0f", float64(st.workerMem)/(1<<20))).
		DataSet("loss-points", len(st.lossPts)).
		DataSet("t97", fmt.Sprintf("%.0f", st.t97)).
		DataSet("seen97", fmt.Sprintf("%.0f", st.seen97)).
		DataSet("download-ms", fmt.Sprintf("%.0f", 1000*st.loadTimes[0])).
		DataSet("prepare-ms", fmt.Sprintf("%.0f", 1000*st.loadTimes[1])).
		DataSet("epoch-ms", joinFloats(st.epochMs)).
		DataSet("quick-points", len(st.quickAc)).
		Body(
			v.renderStats(),
			&lineChart{ID: lossChartID, Title: "Loss (lower is better)", Model: v.modelName(), Series: []series{
				{Name: "training", Class: "s-train", Points: st.lossPts},
				{Name: "validation, each epoch's end", Class: "s-val", Dashed: true, Dots: true, Points: st.valLoss},
				{Name: quickName, Class: "s-quick", Dotted: true, Dots: true, Points: st.quickLoss},
			}},
			&lineChart{ID: accChartID, Title: "Accuracy", Model: v.modelName(), Percent: true, Series: []series{
				{Name: "training", Class: "s-train", Points: st.accPts},
				{Name: "validation, each epoch's end", Class: "s-val", Dashed: true, Dots: true, Points: st.valAcc},
				{Name: quickName, Class: "s-quick", Dotted: true, Dots: true, Points: st.quickAc},
			}},
			&confusionView{Test: st.test, Classes: st.classes(v.Form.dataset()), Title: st.testTitle, On: st.testOn()},
		)
}

// modelName names the network the charts are of, for their downloads:
// "ConvNetJS demo on MNIST digits, 12 000 examples".
func (v *trainProgressView) modelName() string {
	preset := v.Form.settings.Preset
	if names := presetLabels([]string{preset}); len(names) == 1 {
		preset = names[0]
	}
	ds := v.Form.dataset()
	if v.State.started != nil {
		ds = v.State.started.Dataset
	}
	return fmt.Sprintf("%s on %s, %s examples", preset, datasetName(ds), groupDigits(v.State.seen))
}

func (v *trainProgressView) renderStats() app.UI {
	st := v.State
	best := "–"
	if st.hasBest {
		best = fmt.Sprintf("%.2f%%", 100*st.bestVal)
	}
	eps := "–"
	if st.eps > 0 {
		eps = fmt.Sprintf("%.0f", st.eps)
	}
	reached := "–"
	if st.t97 > 0 {
		reached = fmt.Sprintf("after %s examples, %.0f s", groupDigits(int(st.seen97)), st.t97/1000)
	}
	// The worker's WebAssembly memory never shrinks: its size is the peak
	// of every session it ran. With helpers, it is the leader's alone.
	mem := "–"
	if st.workerMem > 0 {
		mem = budget.FormatBytes(st.workerMem)
	}
	stat := func(label, value string) app.UI {
		return app.Div().
			Class("stat").
			Body(
				app.Span().Class("stat-label").Text(label),
				app.Span().Class("stat-value").Text(value),
			)
	}
	return app.Div().
		Class("train-stats").
		Body(
			stat("epoch", fmt.Sprintf("%d", st.epoch)),
			stat("examples seen", groupDigits(st.seen)),
			stat("examples/s", eps),
			stat("best validation", best),
			stat("97% validation", reached),
			app.Div().
				Title("The training worker's WebAssembly memory (with several workers, the first one's). It never shrinks, so this is its peak.").
				Body(stat("worker memory", mem)),
		)
}
