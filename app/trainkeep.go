package app

import (
	"strings"

	"github.com/cnnplay/cnnplay/internal/autosave"
	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The training panel's side of keeping work in the browser (see keeper):
// the training as it goes, and bringing a kept one back.

// keepTraining keeps the session's latest weights after a batch of worker
// messages: as the best model too when the worker said they are the best
// (at the end of training, or restored by the user), and at once (force)
// when an epoch ended or training paused or finished. The worker posts the
// best weights only when it puts them back (at the end, after divergence,
// or on Restore best), so until then the kept run has no best model rather
// than a guess at one.
func (p *trainPanel) keepTraining(ctx app.Context, best, force bool) {
	if p.Keep == nil || p.st.started == nil {
		return
	}
	m := p.st.current(p.form.settings.Preset)
	var bestModel *model.Model
	if best {
		bestModel = m
	}
	p.Keep.save(ctx, m, bestModel, force, p.st.history)
}

// restore brings back a training kept in the browser: its settings, charts
// and model, which classifies the drawing (its best model stays at hand for
// Restore best). There is no session: Start trains a new network, which
// replaces the one kept. problems are the page's own, to show beside any
// found here.
func (p *trainPanel) restore(ctx app.Context, r *autosave.Restored, problems []string) {
	p.setup()
	if r.Settings != nil {
		if f, err := decodeForm(r.Settings); err != nil {
			problems = append(problems, err.Error())
		} else {
			p.form = f
			p.formChanged()
		}
	}
	if r.History != nil {
		if err := p.st.restoreHistory(r.History); err != nil {
			problems = append(problems, err.Error())
		}
	}
	m, what := r.Current, "The model you were training"
	if m == nil {
		m, what = r.Best, "The best model of the training you were doing"
	}
	p.restoredBest = r.Best
	p.st.detach()
	p.st.show(what + ", restored from this browser" + describeRecord(m.Record))
	p.st.restored = "Restored the training kept in this browser. Start trains a new network from the beginning, which replaces it."
	if len(problems) > 0 {
		p.st.fail(strings.Join(problems, " "))
	}
	p.Model = m
	if p.OnModel != nil {
		p.OnModel(ctx, m)
	}
	p.Update()
	p.refresh()
}

// canRestoreBest says whether Restore best has something to restore: the
// session's best weights, or the best model of a restored training.
func (p *trainPanel) canRestoreBest() bool {
	if p.st.session() {
		return p.st.hasBest
	}
	return p.restoredBest != nil
}

// onRestoreBest asks the worker for the session's best weights or, with no
// session, makes the restored best model classify the drawing.
func (p *trainPanel) onRestoreBest(ctx app.Context, e app.Event) {
	if p.st.session() || p.restoredBest == nil {
		p.command(wire.KindRestoreBest)(ctx, e)
		return
	}
	m := p.restoredBest
	p.st.show("The best model of your training, restored from this browser" + describeRecord(m.Record))
	p.Model = m
	if p.OnModel != nil {
		p.OnModel(ctx, m)
	}
}
