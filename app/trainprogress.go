package app

import (
	"fmt"

	"github.com/cnnplay/cnnplay/internal/budget"
	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// trainStatusView is the training panel's status line, download progress
// bar and messages. It reads the panel's state; the panel keeps one
// instance and updates it on its own (refresh), so that a message from the
// worker re-renders this and not the panel's settings and editor.
type trainStatusView struct {
	app.Compo

	p *trainPanel
}

func (v *trainStatusView) Render() app.UI {
	p := v.p
	pct := 0.0
	if p.total > 0 {
		pct = float64(p.loaded) / float64(p.total)
	}
	return app.Div().
		Class("train-status-box").
		Body(
			app.P().
				ID(trainStatusID).
				Class("train-status").
				Aria("live", "polite").
				Text(p.statusText()),
			app.If(p.phase == phaseLoading && !p.parsing,
				app.Progress().
					ID(dataProgressID).
					Class("data-progress").
					Max(1).
					Value(fmt.Sprintf("%.3f", pct)).
					Aria("label", "Dataset download"),
			),
			app.If(p.bad[""] != "",
				app.P().Class("field-error").Text(p.bad[""]),
			),
			app.If(p.errMsg != "",
				app.P().
					ID(trainErrorID).
					Class("train-error").
					Attr("role", "alert").
					Text(p.errMsg),
			),
		)
}

// trainProgressView is the training panel's live column: the figures, the
// loss and accuracy charts and the test result. Like trainStatusView it
// reads the panel's state and is updated on its own.
type trainProgressView struct {
	app.Compo

	p *trainPanel
}

func (v *trainProgressView) Render() app.UI {
	p := v.p
	val := 0.0
	if n := len(p.valAcc); n > 0 {
		val = p.valAcc[n-1].Y
	}
	return app.Div().
		ID(trainProgID).
		Class("train-charts").
		DataSet("seen", p.seen).
		DataSet("steps", p.steps).
		DataSet("val-acc", fmt.Sprintf("%.4f", val)).
		DataSet("best-val", fmt.Sprintf("%.4f", p.bestVal)).
		DataSet("eps", fmt.Sprintf("%.0f", p.eps)).
		DataSet("memory-mb", fmt.Sprintf("%.0f", float64(p.workerMem)/(1<<20))).
		DataSet("loss-points", len(p.lossPts)).
		DataSet("t97", fmt.Sprintf("%.0f", p.t97)).
		DataSet("seen97", fmt.Sprintf("%.0f", p.seen97)).
		DataSet("download-ms", fmt.Sprintf("%.0f", 1000*p.loadTimes[0])).
		DataSet("prepare-ms", fmt.Sprintf("%.0f", 1000*p.loadTimes[1])).
		Body(
			v.renderStats(),
			&lineChart{ID: lossChartID, Title: "Loss (lower is better)", Series: []series{
				{Name: "training", Class: "s-train", Points: p.lossPts},
				{Name: "validation", Class: "s-val", Dashed: true, Dots: true, Points: p.valLoss},
			}},
			&lineChart{ID: accChartID, Title: "Accuracy", Percent: true, Series: []series{
				{Name: "training", Class: "s-train", Points: p.accPts},
				{Name: "validation", Class: "s-val", Dashed: true, Dots: true, Points: p.valAcc},
			}},
			&confusionView{Test: p.test, Classes: p.classes(), Title: p.testTitle},
		)
}

func (v *trainProgressView) renderStats() app.UI {
	p := v.p
	best := "–"
	if p.hasBest {
		best = fmt.Sprintf("%.2f%%", 100*p.bestVal)
	}
	eps := "–"
	if p.eps > 0 {
		eps = fmt.Sprintf("%.0f", p.eps)
	}
	reached := "–"
	if p.t97 > 0 {
		reached = fmt.Sprintf("after %s examples, %.0f s", groupDigits(int(p.seen97)), p.t97/1000)
	}
	// The worker's WebAssembly memory never shrinks: its size is the peak
	// of every session it ran. With helpers, it is the leader's alone.
	mem := "–"
	if p.workerMem > 0 {
		mem = budget.FormatBytes(p.workerMem)
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
			stat("epoch", fmt.Sprintf("%d", p.epoch)),
			stat("examples seen", groupDigits(p.seen)),
			stat("examples/s", eps),
			stat("best validation", best),
			stat("97% validation", reached),
			app.Div().
				Title("The training worker's WebAssembly memory (with several workers, the first one's). It never shrinks, so this is its peak.").
				Body(stat("worker memory", mem)),
		)
}

// statusText says what the session is doing.
func (p *trainPanel) statusText() string {
	name := datasetName(p.settings.Dataset)
	if p.started != nil {
		name = datasetName(p.started.Dataset)
	}
	switch p.phase {
	case phaseIdle:
		return "Choose a network and press Start. The first time, the browser downloads the dataset (about 11 MB)."
	case phaseLoading:
		switch {
		case p.parsing:
			return "Preparing the " + name + " images…"
		case p.total > 0:
			return fmt.Sprintf("Downloading %s: %s of %s", name, budget.FormatBytes(p.loaded), budget.FormatBytes(p.total))
		}
		return "Downloading " + name + "…"
	case string(wire.StateRunning):
		return fmt.Sprintf("Training on %s: epoch %d of %d.", name, p.epoch, p.run.Config.Epochs)
	case string(wire.StatePaused):
		return fmt.Sprintf("Paused after %s examples. Resume, or step one batch of %d at a time.", groupDigits(p.seen), p.run.Config.BatchSize)
	case string(wire.StateEvaluating):
		return "Testing on the " + groupDigits(p.testN()) + " test images, which training never saw…"
	case string(wire.StateDone):
		if p.test != nil {
			return fmt.Sprintf("Done after %s examples: %.2f%% of the test images right.", groupDigits(p.seen), 100*p.test.Acc)
		}
		return fmt.Sprintf("Stopped after %s examples.", groupDigits(p.seen))
	}
	return ""
}
