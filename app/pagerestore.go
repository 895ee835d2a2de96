package app

import (
	"github.com/cnnplay/cnnplay/internal/autosave"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The page's side of keeping work in the browser (see keeper): the offer
// to restore what an earlier visit kept, and the drawing kept as it
// changes.

// onKept receives what the store holds when the page opens: a training to
// offer, or problems to report.
func (p *page) onKept(ctx app.Context, r *autosave.Restored) {
	if r == nil || (r.Offer == "" && len(r.Problems) == 0) {
		return
	}
	p.kept = r
	p.Update()
}

// renderKept renders the offer while there is one, in a slot that is
// always there: go-app matches children by position, and the panels after
// it hold components (the canvas) that must not be mounted again.
func (p *page) renderKept() app.UI {
	slot := app.Div().Class("restore-slot")
	if p.kept == nil {
		return slot
	}
	return slot.Body(
		&restoreBanner{Offer: p.kept.Offer, Problems: p.kept.Problems, OnRestore: p.onRestore, OnDismiss: p.onDismiss},
	)
}

// onRestore brings back the kept training: its model (current and best),
// charts, settings and drawing. The model classifies the drawing and can be
// saved and inspected; Start trains a new network.
func (p *page) onRestore(ctx app.Context) {
	r := p.kept
	p.kept = nil
	if r == nil || (r.Current == nil && r.Best == nil) {
		p.Update()
		return
	}
	var problems []string
	if r.Drawing != nil {
		if strokes, err := decodeStrokes(r.Drawing); err != nil {
			problems = append(problems, err.Error())
		} else {
			defer p.canvas.setStrokes(ctx, strokes) // classified by the restored model
		}
	}
	p.train.restore(ctx, r, problems)
	p.Update()
}

// onDismiss forgets the kept training: the user does not want it, or it
// cannot be read.
func (p *page) onDismiss(ctx app.Context) {
	if p.kept != nil {
		p.keep.discard()
	}
	p.kept = nil
	p.Update()
}

// onNewRun hides the offer: a new training replaces what was kept.
func (p *page) onNewRun(ctx app.Context) {
	if p.kept != nil && p.kept.Offer != "" {
		p.kept = nil
		p.Update()
	}
}

// onStrokes keeps the drawing when a stroke ends, is undone or cleared.
func (p *page) onStrokes(ctx app.Context, strokes [][]point) { p.keep.keepStrokes(ctx, strokes) }
