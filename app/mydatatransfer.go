package app

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Element ids of the transfer options, shown when the training dataset is
// one of the user's own sets.
const (
	fromDigitsID = "train-from-digits"
	freezeID     = "train-freeze"
	ownSplitID   = "train-own-split"
	ownTooFewID  = "train-too-few"
)

// transferOptions says whether a training on one's own set starts from the
// shipped digits model's convolutions, and whether they stay frozen.
type transferOptions struct {
	fromDigits, freeze bool
	plusMNIST          bool // train with MNIST's training images too (mydatatrain.go)
}

// renderTransfer is the "Start from the digits model" choice, for one's
// own sets only.
func (p *trainPanel) renderTransfer() app.UI {
	s := pageSets.byDataset(p.form.settings.Dataset)
	if s == nil {
		// An element all the same: go-app updates the panel's children by
		// position, and with nothing here the status view, a mounted
		// component, would move up a place, which go-app refuses with a
		// panic ("already mounted") that leaves the page dead (deleting
		// the set being trained on did that).
		return app.Div()
	}
	n, _ := s.count()
	val := imageset.DefaultsFor(n).Val
	var tooFew []string
	if st := p.st.started; st != nil && st.Dataset == s.datasetName() {
		tooFew = st.TooFew
	}
	return app.Div().
		Class("train-transfer").
		Body(
			app.P().
				ID(ownSplitID).
				Class("hint").
				Text(fmt.Sprintf("%s: %d examples. %.0f%% of each class is held out to validate (a stratified split); the image counts above do not apply.", s.Name, n, 100*val)),
			app.If(len(tooFew) > 0,
				app.P().
					ID(ownTooFewID).
					Class("field-error").
					Text("Too few examples to validate: "+strings.Join(tooFew, ", ")+". Add more of them."),
			),
			app.Label().
				Body(
					app.Input().ID(fromDigitsID).Type("checkbox").Checked(p.transfer.fromDigits).
						OnChange(func(ctx app.Context, e app.Event) { p.transfer.fromDigits = ctx.JSSrc().Get("checked").Bool() }),
					app.Text(" Start from the digits model (its convolutions, a new dense head)"),
				),
			app.Label().
				Body(
					app.Input().ID(freezeID).Type("checkbox").Checked(p.transfer.freeze).Disabled(!p.transfer.fromDigits).
						OnChange(func(ctx app.Context, e app.Event) { p.transfer.freeze = ctx.JSSrc().Get("checked").Bool() }),
					app.Text(" Freeze its convolutions"),
				),
			p.renderPlusMNIST(s),
		)
}

// startFromDigits fetches the shipped digits model and starts training on
// start's own set with its architecture, its convolution weights (frozen
// or not) and a classifier sized to the set's classes (nn.TransferSpec;
// the worker copies the weights with nn.CopyFeatures). The architecture
// editor's network is not used.
func (p *trainPanel) startFromDigits(ctx app.Context, start wire.Start) {
	freeze := p.transfer.freeze
	ctx.Async(func() {
		m, err := fetchModel(shippedModelURL(dataset.Default().Model))
		ctx.Dispatch(func(ctx app.Context) {
			defer p.Update()
			if err != nil {
				p.st.fail("The digits model to start from could not be loaded: " + err.Error())
				return
			}
			spec, err := nn.TransferSpec(m.Net.Spec, len(start.Own.Classes), freeze)
			var net *nn.Network
			if err == nil {
				net, err = nn.Build(spec, rand.New(rand.NewPCG(start.Config.Seed, 0)))
			}
			if err != nil {
				p.st.fail("The digits model cannot start this training: " + err.Error())
				return
			}
			start.Spec, start.Transfer = spec, &wire.Transfer{From: m.Net.Spec}
			if p.worker == nil {
				p.OnMount(ctx)
			}
			if err := p.worker.post(wire.StartMessage(start, m.Net.Weights())); err != nil {
				p.st.fail(err.Error())
				return
			}
			p.st.begin(start, net)
			p.newRun(ctx)
		})
	})
}

// ownRunDone tells the My data panel (OnOwnRun) how a training on one of the
// user's own sets ended, to keep it with the set.
func (p *trainPanel) ownRunDone(ctx app.Context) {
	run := p.st.run
	if run.Own == nil || p.OnOwnRun == nil || p.st.bestVal == 0 {
		return
	}
	r := myRun{ValAcc: p.st.bestVal, FromDigits: run.Transfer != nil, Net: p.form.settings.Preset}
	if s := pageSets.byDataset(run.Dataset); s != nil && len(s.Classes) > 0 {
		n, _ := s.count()
		r.PerClass = (n + len(s.Classes)/2) / len(s.Classes)
	}
	for _, l := range run.Spec.Layers {
		r.Frozen = r.Frozen || l.Frozen
	}
	if r.FromDigits {
		r.Net = "digits model"
	}
	if run.Own.Plus != "" {
		r.Net += " + " + run.Own.Plus
	}
	p.OnOwnRun(ctx, run.Dataset, r)
}
