package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Element ids of the training panel, stable for tests and CSS. The panel's
// data-state is the session's phase; the progress view's data attributes
// (data-seen, data-steps, data-val-acc, data-best-val, data-eps,
// data-loss-points, data-t97 and data-seen97: the time in ms since the
// session started and the examples seen when validation accuracy first
// reached 97%, data-download-ms, data-prepare-ms) mirror what it shows, for
// tests.
const (
	trainPanelID   = "train-panel"
	trainStatusID  = "train-status"
	trainProgID    = "train-progress"
	trainErrorID   = "train-error"
	dataProgressID = "data-progress"
	lossChartID    = "loss-chart"
	accChartID     = "acc-chart"
	startID        = "train-start"
	pauseID        = "train-pause"
	resumeID       = "train-resume"
	stepID         = "train-step"
	resetID        = "train-reset"
	stopID         = "train-stop"
	restoreBestID  = "train-restore-best"
	datasetID      = "train-dataset"
	presetID       = "train-preset"
	optimizerID    = "train-optimizer"
	shiftID        = "train-aug-shift"
	rotateID       = "train-aug-rotate"
	scaleID        = "train-aug-scale"
)

// trainPanel trains a network in the Web Worker: dataset, architecture and
// hyperparameters; start, pause, resume, step, reset, stop, restore best;
// live charts; the test result; saving and loading models. It passes the
// latest weight snapshot to OnModel as a model, so the drawing's prediction
// follows the network as it learns.
//
// What the controls hold is a trainForm, rendered and handled in
// trainpanelform.go; what the worker's messages say is a trainState, which
// the two live views render. The messages are queued as they arrive and
// applied together at most every uiInterval (see receive). While training,
// only the live views re-render (status, and progress with the charts):
// the settings, the architecture editor and the model file controls render
// again only when the session's phase or the user's settings change.
type trainPanel struct {
	app.Compo

	Model   *model.Model // the model classifying the drawing, to save
	OnModel func(ctx app.Context, m *model.Model)
	Setup   *Setup // the settings and network the panel opens with (a link's); nil for the defaults
	// Keep, if set, keeps the training and the settings in the browser;
	// OnNewRun is told when a new training replaces the one kept.
	Keep     *keeper
	OnNewRun func(ctx app.Context)
	// OnOwnRun is told the result of a training on one of the user's own
	// sets when it is done.
	OnOwnRun func(ctx app.Context, dataset string, r myRun)

	form   trainForm
	st     *trainState // nil until setup
	worker *trainWorker
	// measurer times networks for the epoch estimate in a Web Worker of
	// its own, closed once it has answered: WebAssembly memory never
	// shrinks, and a measurement in the training worker raised its peak
	// for the training after it (+20 MB for the mlp preset, +55 MB for
	// keras on two workers).
	measurer *trainWorker
	inbox    trainInbox

	status   *trainStatusView   // the live views, re-rendered on their own
	progress *trainProgressView // (see flush)
	est      *estimator         // the epoch estimate (estimate.go)
	mounted  app.Context        // the context OnMount had, for measuring as the form changes

	restoredBest *model.Model // the best model of a training restored from the browser, until a new one starts
	transfer     transferOptions
}

// newTrainPanel returns the panel. It is cheap: the page renders it on
// every change of the drawing; the mounted instance sets itself up once.
func newTrainPanel() *trainPanel { return &trainPanel{} }

// Current sets the model that classifies the drawing (for Save).
func (p *trainPanel) Current(m *model.Model) *trainPanel {
	p.Model = m
	return p
}

// Link sets the settings and network the panel opens with.
func (p *trainPanel) Link(s *Setup) *trainPanel {
	p.Setup = s
	return p
}

// OnModelChange sets the callback that makes a model classify the drawing.
func (p *trainPanel) OnModelChange(f func(ctx app.Context, m *model.Model)) *trainPanel {
	p.OnModel = f
	return p
}

// setup gives a new panel its default settings and network, once.
func (p *trainPanel) setup() {
	if p.st != nil {
		return
	}
	p.form = newTrainForm(p.Setup)
	p.st = newTrainState(now, p.shippedText())
	p.est = newEstimator(&p.form, p.st)
	p.est.plusMNIST = &p.transfer.plusMNIST
	p.status = &trainStatusView{State: p.st, Form: &p.form, Est: p.est}
	p.progress = &trainProgressView{State: p.st, Form: &p.form}
}

// OnMount makes the panel's ends of the training and measuring workers;
// each starts with the first message posted to it (see onEngage).
func (p *trainPanel) OnMount(ctx app.Context) {
	p.setup()
	if p.worker == nil {
		p.worker = newTrainWorker(func(m wire.Message) { p.receive(ctx, m) })
		p.measurer = newTrainWorker(func(m wire.Message) { p.receiveMeasured(ctx, m) })
	}
	p.mounted = ctx
}

// receiveMeasured passes the measuring worker's answer on, and its failure
// as the answer to the measurement asked for; it posts nothing else.
func (p *trainPanel) receiveMeasured(ctx app.Context, m wire.Message) {
	switch m.Kind {
	case wire.KindMeasured:
		p.receive(ctx, m)
	case wire.KindError:
		ctx.Dispatch(func(ctx app.Context) {
			p.receive(ctx, wire.Message{Kind: wire.KindMeasured, Measured: &wire.Measured{Key: p.est.asked, Error: m.Error.Message}})
		})
	}
}

// onEngage measures the form's network for the epoch estimate the first
// time a pointer enters the panel or focus moves into it. Measuring starts
// a worker (worker.wasm, 1.3 MB gzipped, which the training worker then
// takes from the HTTP cache) and 20 training steps of CPU, which a visitor
// who only draws never needs: a phone on a slow network would pay for them
// before its first stroke.
func (p *trainPanel) onEngage(ctx app.Context, e app.Event) {
	if p.est.engaged || p.measurer == nil {
		return
	}
	p.est.request(ctx, p.measurer.post)
	p.status.Update()
}

func (p *trainPanel) Render() app.UI {
	p.setup()
	return app.Section().
		ID(trainPanelID).
		Class("panel train-panel").
		Aria("label", "Training").
		On("pointerenter", p.onEngage).
		On("focusin", p.onEngage).
		DataSet("state", p.st.phase).
		DataSet("workers", p.st.workers()).
		Body(
			app.H2().
				Text("Train"),
			app.Div().
				Class("train-layout").
				Body(
					app.Div().
						Class("train-controls").
						Body(
							p.renderSettings(),
							p.renderTransfer(),
							p.renderButtons(),
							p.status,
							&shareMenu{Setup: p.linkSetup()},
						),
					p.progress,
				),
			app.H3().
				Text("Architecture"),
			app.P().
				Class("hint").
				Text("Edit the layers: shapes, parameters and cost update as you type. Changes apply when you press Start."),
			&archEditor{Spec: p.form.spec, Info: p.form.info, Epoch: p.est.short(), OnChange: p.onSpec},
			app.H3().
				Text("Model file"),
			&modelFiles{Model: p.Model, Describe: p.st.describe, FileName: p.fileName(), OnLoad: p.onLoad, OnShipped: p.onShipped},
			p.storageView(),
		)
}

// storageView is the line that says whether the work is kept in the
// browser; nothing where the panel keeps nothing (an embed).
func (p *trainPanel) storageView() app.UI {
	if p.Keep == nil {
		return app.If(false)
	}
	return p.Keep.view
}

func (p *trainPanel) renderButtons() app.UI {
	st := p.st
	running, paused, session := st.running(), st.paused(), st.session()
	startText := "Start"
	if st.started != nil {
		startText = "Start again"
	}
	return app.Div().
		Class("button-row train-buttons").
		Body(
			app.Button().ID(startID).Class("primary").Disabled(st.phase == phaseLoading).OnClick(p.onStart).Text(startText),
			app.Button().ID(pauseID).Disabled(!running).OnClick(p.command(wire.KindPause)).Text("Pause"),
			app.Button().ID(resumeID).Disabled(!paused).OnClick(p.command(wire.KindResume)).Text("Resume"),
			app.Button().ID(stepID).Disabled(!running && !paused).OnClick(p.command(wire.KindStep)).Text("Step"),
			app.Button().ID(resetID).Disabled(!session).OnClick(p.command(wire.KindReset)).Text("Reset"),
			app.Button().ID(stopID).Disabled(!running && !paused).OnClick(p.command(wire.KindStop)).Text("Stop and test"),
			app.Button().ID(restoreBestID).Disabled(!p.canRestoreBest()).OnClick(p.onRestoreBest).Text("Restore best"),
		)
}

// datasetName is the title of the named dataset, as people read it, or the
// name itself for a dataset this page does not know (a model file's record
// may name any).
func datasetName(d string) string {
	if s := pageSets.byDataset(d); s != nil {
		return s.title()
	}
	if e, err := dataset.Lookup(d); err == nil {
		return e.Title
	}
	return d
}

func (p *trainPanel) fileName() string {
	preset := p.form.settings.Preset
	dataset := p.form.settings.Dataset
	if p.Model != nil && p.Model.Record.Dataset != "" {
		dataset = p.Model.Record.Dataset
	}
	if !p.st.follow {
		if p.Model != nil && p.Model.Net != nil {
			preset = "model"
		}
	}
	return "cnnplay-" + dataset + "-" + preset + ".cnn"
}

// linkSetup is the setup the controls show, for the share menu.
func (p *trainPanel) linkSetup() Setup {
	s := defaultSetup()
	if p.Setup != nil {
		s = *p.Setup
	}
	s.Settings, s.Spec = p.form.settings, p.form.spec
	return s
}

func (p *trainPanel) onStart(ctx app.Context, e app.Event) {
	defer p.refresh()
	start, net, ok := p.form.start(cores())
	if !ok {
		return
	}
	if !p.ownSet(&start) {
		return
	}
	if start.Own != nil && p.transfer.fromDigits {
		p.startFromDigits(ctx, start)
		return
	}
	if p.worker == nil {
		p.OnMount(ctx)
	}
	if err := p.worker.post(wire.StartMessage(start, nil)); err != nil {
		p.st.fail(err.Error())
		return
	}
	p.st.begin(start, net)
	p.newRun(ctx)
}

// newRun starts keeping a new training in place of the one kept.
func (p *trainPanel) newRun(ctx app.Context) {
	p.restoredBest = nil
	if p.Keep == nil {
		return
	}
	p.Keep.startRun(p.form.settings.Preset)
	p.Keep.keepForm(&p.form)
	if p.OnNewRun != nil {
		p.OnNewRun(ctx)
	}
}

// formChanged keeps the settings as they change.
func (p *trainPanel) formChanged() {
	if p.Keep != nil {
		p.Keep.keepForm(&p.form)
	}
	if p.mounted != nil && p.measurer != nil {
		p.est.request(p.mounted, p.measurer.post)
	}
}

func (p *trainPanel) command(k wire.Kind) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		defer p.refresh()
		if p.worker == nil {
			return
		}
		p.st.command(k)
		if err := p.worker.post(wire.Command(k)); err != nil {
			p.st.fail(err.Error())
			return
		}
		if k == wire.KindReset {
			p.newRun(ctx)
		}
	}
}

func (p *trainPanel) onLoad(ctx app.Context, m *model.Model, name string) {
	p.st.detach()
	p.st.show("Loaded from " + name + describeRecord(m.Record))
	p.Model = m
	if p.OnModel != nil {
		p.OnModel(ctx, m)
	}
	p.Update() // the model files say which model this is
}

// shippedName is the shipped model the page opened with: the link's
// (digits or fashion).
func (p *trainPanel) shippedName() string {
	if p.Setup != nil && p.Setup.Model != "" {
		return p.Setup.Model
	}
	return dataset.Default().Model
}

// shippedText says which shipped model classifies the drawing.
func (p *trainPanel) shippedText() string {
	if e, ok := dataset.ForShipped(p.shippedName()); ok && e.Name != dataset.Default().Name {
		return "The shipped " + e.Title + " model classifies your drawing."
	}
	return "The shipped digits model classifies your drawing."
}

func (p *trainPanel) onShipped(ctx app.Context) {
	defer p.refresh()
	p.st.detach()
	ctx.Async(func() {
		m, err := fetchModel(shippedModelURL(p.shippedName()))
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.st.fail("The shipped model could not be loaded: " + err.Error())
				return
			}
			p.st.show(p.shippedText())
			p.Model = m
			if p.OnModel != nil {
				p.OnModel(ctx, m)
			}
			p.Update() // the model files say which model this is
		})
	})
}

func describeRecord(r model.Record) string {
	var parts []string
	if r.Dataset != "" {
		parts = append(parts, datasetName(r.Dataset))
	}
	if r.Examples > 0 {
		parts = append(parts, groupDigits(r.Examples)+" examples")
	}
	if r.ValAcc > 0 {
		parts = append(parts, fmt.Sprintf("validation %.2f%%", 100*r.ValAcc))
	}
	if r.TestAcc > 0 {
		parts = append(parts, fmt.Sprintf("test %.2f%%", 100*r.TestAcc))
	}
	if len(parts) == 0 {
		return "."
	}
	return " (" + strings.Join(parts, ", ") + ")."
}

// receive queues a message from the worker; it runs in the worker's
// message callback, so it only schedules the flush that applies the queue
// on the UI goroutine (see trainInbox.push).
func (p *trainPanel) receive(ctx app.Context, m wire.Message) {
	schedule, wait := p.inbox.push(m, time.Now())
	if !schedule {
		return
	}
	// Mode Next runs flush without re-rendering the panel: flush decides.
	flush := app.Dispatch{Mode: app.Next, Source: p, Function: p.flush}
	if wait <= 0 {
		ctx.Dispatcher().Dispatch(flush)
		return
	}
	ctx.Async(func() {
		time.Sleep(wait)
		ctx.Dispatcher().Dispatch(flush)
	})
}

// flush applies the queued messages, publishes the latest weights once,
// and re-renders what they changed: the whole panel when the session's
// phase or an error changed, otherwise only the live views.
func (p *trainPanel) flush(ctx app.Context) {
	st := p.st
	phase, errMsg, best := st.phase, st.err, st.hasBest
	var snap, bestSnap, force, measured bool
	for _, m := range p.inbox.take(time.Now()) {
		if m.Kind == wire.KindMeasured {
			p.est.answer(*m.Measured)
			if m.Measured.Key == p.est.asked {
				p.measurer.close() // nothing else asked meanwhile
			}
			measured = true // the editor's totals say it too
			continue
		}
		if !st.handle(m) {
			continue
		}
		switch m.Kind {
		case wire.KindSnapshot:
			snap = true
			bestSnap = m.Snapshot.Best
		case wire.KindEpoch, wire.KindDone:
			force = true
		}
	}
	if st.phase != phase && (st.paused() || st.phase == string(wire.StateDone)) {
		force = true
	}
	if st.phase != phase && st.phase == string(wire.StateDone) {
		p.ownRunDone(ctx)
	}
	if snap || force {
		p.keepTraining(ctx, bestSnap, force)
	}
	if st.publishing() {
		// Half an interval later, so that the prediction and the views of
		// the network re-render in another frame than the charts.
		ctx.Async(func() {
			time.Sleep(uiInterval / 2)
			ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Next, Source: p, Function: p.publish})
		})
	}
	p.refresh()
	if st.phase != phase || st.err != errMsg || st.hasBest != best || measured {
		p.Update()
	}
}

// refresh re-renders the live views.
func (p *trainPanel) refresh() {
	for _, c := range []app.Composer{p.status, p.progress} {
		if c != nil && c.Mounted() {
			c.Update()
		}
	}
}

// publish passes the session's network, as a model, to OnModel, which
// updates what shows the prediction (not the whole page: this happens twice
// a second while training).
func (p *trainPanel) publish(ctx app.Context) {
	m := p.st.publish(p.form.settings.Preset)
	if m == nil {
		return
	}
	p.Model = m
	if p.OnModel != nil {
		p.OnModel(ctx, m)
	}
}

// now is the page time in milliseconds.
func now() float64 {
	perf := app.Window().Get("performance")
	if !perf.Truthy() {
		return 0
	}
	return perf.Call("now").Float()
}
