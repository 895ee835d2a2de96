package app

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
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
	customPreset   = "custom"
)

// Phases of the panel besides the worker's states.
const (
	phaseIdle    = "idle"    // no session yet
	phaseLoading = "loading" // start sent: downloading and parsing
)

// uiInterval is the least time between two applications of the worker's
// messages to the page: progress arrives four times a second and a weight
// snapshot twice, and each application re-renders the live parts of the
// panel and re-classifies the drawing, so more would only cost frames.
const uiInterval = 250 * time.Millisecond

// trainPanel trains a network in the Web Worker: dataset, architecture and
// hyperparameters; start, pause, resume, step, reset, stop, restore best;
// live charts; the test result; saving and loading models. It passes the
// latest weight snapshot to OnModel as a model, so the drawing's prediction
// follows the network as it learns.
//
// The worker's messages are queued as they arrive and applied together at
// most every uiInterval (see receive). While training, only the two live
// views re-render (status, and progress with the charts): the settings, the
// architecture editor and the model file controls render again only when
// the session's phase or the user's settings change.
type trainPanel struct {
	app.Compo

	Model   *model.Model // the model classifying the drawing, to save
	OnModel func(ctx app.Context, m *model.Model)
	Setup   *Setup // the settings and network the panel opens with (a link's); nil for the defaults

	settings trainSettings
	workers  string // the worker count field, kept apart from settings: it belongs to the device, not to a shared setup
	bad      map[string]string
	spec     nn.Spec
	info     archInfo

	worker *trainWorker
	phase  string // phaseIdle, phaseLoading or a wire.State
	errMsg string

	status   *trainStatusView   // the live views, re-rendered on their own
	progress *trainProgressView // (see flush)

	inboxMu   sync.Mutex
	inbox     []wire.Message // the worker's messages not yet applied
	flushing  bool           // a flush of the inbox is scheduled
	lastFlush time.Time
	// progressed says a progress message of the current session came:
	// the first is applied at once, so the charts start with the first
	// step rather than a flush interval later.
	progressed bool
	publishAt  int // examples seen by the weights to publish after this flush; -1 for none

	loaded, total int64
	parsing       bool
	started       *wire.Started
	run           wire.Start // what the session trains
	startedAt     float64    // performance.now() at started, ms
	t97, seen97   float64    // when validation accuracy first reached 97%
	loadTimes     [2]float64 // the worker's download and preparation, s

	seen, steps, epoch int
	eps                float64
	workerMem          int64 // the worker's WebAssembly memory, bytes (see wire.Progress)
	lossPts, accPts    []chartPoint
	valLoss, valAcc    []chartPoint
	bestVal            float64
	hasBest            bool
	test               *wire.Test
	testTitle          string

	net      *nn.Network // the session's architecture, holding the latest snapshot
	follow   bool        // whether snapshots replace the page's model
	describe string      // which model classifies the drawing
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
	if p.phase != "" {
		return
	}
	p.settings, p.phase = defaultSettings(), phaseIdle
	p.workers = autoWorkers
	p.status, p.progress = &trainStatusView{p: p}, &trainProgressView{p: p}
	p.publishAt = -1
	p.describe = p.shippedText()
	p.spec, _ = nn.Preset(p.settings.Preset)
	if p.Setup != nil {
		p.settings, p.spec = p.Setup.Settings, p.Setup.Spec
	}
	p.analyze()
}

// OnMount starts the worker early, so that its program is loaded by the
// time the user presses Start.
func (p *trainPanel) OnMount(ctx app.Context) {
	p.setup()
	if p.worker == nil {
		p.worker = newTrainWorker(func(m wire.Message) { p.receive(ctx, m) })
	}
}

func (p *trainPanel) Render() app.UI {
	p.setup()
	running := p.phase == string(wire.StateRunning)
	paused := p.phase == string(wire.StatePaused)
	session := p.started != nil && p.phase != phaseLoading
	return app.Section().
		ID(trainPanelID).
		Class("panel train-panel").
		Aria("label", "Training").
		DataSet("state", p.phase).
		DataSet("workers", p.trainingWorkers()).
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
							p.renderButtons(running, paused, session),
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
			&archEditor{Spec: p.spec, Info: p.info, OnChange: p.onSpec},
			app.H3().
				Text("Model file"),
			&modelFiles{Model: p.Model, Describe: p.describe, FileName: p.fileName(), OnLoad: p.onLoad, OnShipped: p.onShipped},
		)
}

func (p *trainPanel) renderSettings() app.UI {
	s := p.settings
	presets := append(nn.PresetNames(), customPreset)
	return app.Div().
		Class("train-settings").
		Body(
			p.selectField(datasetID, "Dataset", s.Dataset, []string{"mnist", "fashion"}, []string{"MNIST digits", "Fashion-MNIST"}, p.onDataset),
			p.selectField(presetID, "Network", s.Preset, presets, presetLabels(presets), p.onPreset),
			p.selectField(optimizerID, "Optimizer", s.Optimizer, []string{"sgd", "adam", "adadelta"}, []string{"SGD", "Adam", "Adadelta"}, p.onOptimizer),
			p.textField(fieldLR, "Learning rate", s.LR, "decimal"),
			p.textField(fieldBatch, "Batch size", s.Batch, "numeric"),
			p.textField(fieldEpochs, "Epochs", s.Epochs, "numeric"),
			p.textField(fieldL2, "L2 decay", s.L2, "decimal"),
			p.textField(fieldSeed, "Seed", s.Seed, "numeric"),
			p.textField(fieldLimit, "Training images (0: all)", s.Limit, "numeric"),
			p.textField(fieldValidation, "Validation images", s.Validation, "numeric"),
			p.textField(fieldWorkers, p.workersLabel(), p.workers, "numeric"),
			app.FieldSet().
				Class("augment").
				Body(
					app.Legend().
						Text("Augmentation"),
					p.checkField(shiftID, "shift ±2 px", s.Shift),
					p.checkField(rotateID, "rotate ±10°", s.Rotate),
					p.checkField(scaleID, "scale ±10%", s.Scale),
				),
		)
}

func (p *trainPanel) renderButtons(running, paused, session bool) app.UI {
	startText := "Start"
	if p.started != nil {
		startText = "Start again"
	}
	return app.Div().
		Class("button-row train-buttons").
		Body(
			app.Button().ID(startID).Class("primary").Disabled(p.phase == phaseLoading).OnClick(p.onStart).Text(startText),
			app.Button().ID(pauseID).Disabled(!running).OnClick(p.command(wire.KindPause)).Text("Pause"),
			app.Button().ID(resumeID).Disabled(!paused).OnClick(p.command(wire.KindResume)).Text("Resume"),
			app.Button().ID(stepID).Disabled(!running && !paused).OnClick(p.command(wire.KindStep)).Text("Step"),
			app.Button().ID(resetID).Disabled(!session).OnClick(p.command(wire.KindReset)).Text("Reset"),
			app.Button().ID(stopID).Disabled(!running && !paused).OnClick(p.command(wire.KindStop)).Text("Stop and test"),
			app.Button().ID(restoreBestID).Disabled(!p.hasBest || !session).OnClick(p.command(wire.KindRestoreBest)).Text("Restore best"),
		)
}

func (p *trainPanel) selectField(id, label, value string, values, labels []string, h app.EventHandler) app.UI {
	return app.Div().
		Class("field").
		Body(
			app.Label().For(id).Text(label),
			app.Select().
				ID(id).
				OnChange(h).
				Body(app.Range(values).Slice(func(i int) app.UI {
					return app.Option().Value(values[i]).Text(labels[i]).Selected(values[i] == value)
				})),
		)
}

func (p *trainPanel) textField(field, label, value, mode string) app.UI {
	id := "train-" + field
	msg := p.bad[field]
	return app.Div().
		Class("field").
		Body(
			app.Label().For(id).Text(label),
			app.Input().
				ID(id).
				Type("text").
				Attr("inputmode", mode).
				Aria("invalid", msg != "").
				Value(value).
				OnInput(p.onText(field)),
			app.If(msg != "",
				app.Div().ID(id+"-error").Class("field-error").Text(msg),
			),
		)
}

func (p *trainPanel) checkField(id, label string, on bool) app.UI {
	return app.Label().
		Class("check").
		Body(
			app.Input().
				ID(id).
				Type("checkbox").
				Checked(on).
				OnChange(p.onCheck(id)),
			app.Text(" "+label),
		)
}

func presetLabels(names []string) []string {
	labels := map[string]string{"convnetjs": "ConvNetJS demo", "keras": "Keras mnist_cnn", "lenet5": "LeNet-5", "mlp": "MLP 512-512", customPreset: "custom (edited)"}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if l, ok := labels[n]; ok {
			out[i] = l
		}
	}
	return out
}

func (p *trainPanel) testN() int {
	if p.started != nil {
		return p.started.Test
	}
	return 10000
}

func datasetName(d string) string {
	if d == "fashion" {
		return "Fashion-MNIST"
	}
	return "MNIST"
}

// classes are the class names of the dataset in use.
func (p *trainPanel) classes() []string {
	if p.started != nil {
		return p.started.Classes
	}
	return classesOf(p.settings.Dataset)
}

func (p *trainPanel) fileName() string {
	preset := p.settings.Preset
	dataset := p.settings.Dataset
	if p.Model != nil && p.Model.Record.Dataset != "" {
		dataset = p.Model.Record.Dataset
	}
	if !p.follow {
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
	s.Settings, s.Spec = p.settings, p.spec
	return s
}

// analyze recomputes what the editor shows for the current spec and settings.
func (p *trainPanel) analyze() {
	cfg, limit, validation, _ := p.settings.config()
	n := maxLimit
	if limit > 0 {
		n = limit
	}
	if validation > 0 && validation < n {
		n -= validation
	}
	p.info = analyzeSpec(p.spec, max(cfg.BatchSize, 1), n, len(classesOf(p.settings.Dataset)))
}

// Handlers of the controls.

func (p *trainPanel) onDataset(ctx app.Context, e app.Event) {
	defer p.refresh()
	p.settings.Dataset = ctx.JSSrc().Get("value").String()
	p.analyze()
}

func (p *trainPanel) onPreset(ctx app.Context, e app.Event) {
	defer p.refresh()
	name := ctx.JSSrc().Get("value").String()
	if name == customPreset {
		p.settings.Preset = name
		return
	}
	spec, err := nn.Preset(name)
	if err != nil {
		p.bad = map[string]string{"": err.Error()}
		return
	}
	p.settings.Preset, p.spec = name, spec
	p.analyze()
}

func (p *trainPanel) onOptimizer(ctx app.Context, e app.Event) {
	defer p.refresh()
	p.settings.Optimizer = ctx.JSSrc().Get("value").String()
	p.settings.LR = defaultLR(p.settings.Optimizer)
	p.validate()
}

func (p *trainPanel) onText(field string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		defer p.refresh()
		v := ctx.JSSrc().Get("value").String()
		s := &p.settings
		switch field {
		case fieldLR:
			s.LR = v
		case fieldBatch:
			s.Batch = v
		case fieldEpochs:
			s.Epochs = v
		case fieldL2:
			s.L2 = v
		case fieldSeed:
			s.Seed = v
		case fieldLimit:
			s.Limit = v
		case fieldValidation:
			s.Validation = v
		case fieldWorkers:
			p.workers = v
		}
		p.validate()
		p.analyze()
	}
}

func (p *trainPanel) onCheck(id string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		on := ctx.JSSrc().Get("checked").Bool()
		switch id {
		case shiftID:
			p.settings.Shift = on
		case rotateID:
			p.settings.Rotate = on
		case scaleID:
			p.settings.Scale = on
		}
	}
}

// validate updates the inline messages of the fields.
func (p *trainPanel) validate() {
	_, _, _, p.bad = p.settings.config()
	if _, msg := parseWorkers(p.workers); msg != "" {
		p.bad[fieldWorkers] = msg
	}
}

// trainingWorkers is the number of workers the session trains on, 0 before
// one has started.
func (p *trainPanel) trainingWorkers() int {
	if p.started == nil {
		return 0
	}
	return p.started.Workers
}

// workersLabel labels the worker count field with the cores the browser
// reports and, once a session has started, the workers it trains on.
func (p *trainPanel) workersLabel() string {
	label := fmt.Sprintf("Workers (auto or 1–%d", maxWorkers)
	if n := cores(); n > 0 {
		label += fmt.Sprintf("; %d cores", n)
	}
	if p.started != nil && p.started.Workers > 0 {
		label += fmt.Sprintf("; training on %d", p.started.Workers)
	}
	return label + ")"
}

func (p *trainPanel) onSpec(ctx app.Context, spec nn.Spec) {
	p.spec = spec
	p.settings.Preset = customPreset
	p.analyze()
}

func (p *trainPanel) onStart(ctx app.Context, e app.Event) {
	defer p.refresh()
	start, bad := p.settings.start(p.spec)
	workers, msg := parseWorkers(p.workers)
	if msg != "" {
		if bad == nil {
			bad = map[string]string{}
		}
		bad[fieldWorkers] = msg
	}
	p.bad = bad
	if len(bad) > 0 {
		return
	}
	start.Config.Workers = workers
	if workers == 0 {
		start.AutoWorkers = defaultWorkers(cores())
	}
	p.analyze()
	if p.info.Err != "" {
		p.bad = map[string]string{"": "Fix the architecture first: " + p.info.Err}
		return
	}
	net, err := nn.Build(p.spec, rand.New(rand.NewPCG(start.Config.Seed, 0)))
	if err != nil {
		p.bad = map[string]string{"": err.Error()}
		return
	}
	if p.worker == nil {
		p.OnMount(ctx)
	}
	p.inboxMu.Lock()
	p.progressed = false
	p.inboxMu.Unlock()
	if err := p.worker.post(wire.StartMessage(start, nil)); err != nil {
		p.errMsg = err.Error()
		return
	}
	p.run, p.net, p.follow = start, net, true
	p.phase, p.errMsg, p.loaded, p.total, p.parsing, p.started = phaseLoading, "", 0, 0, false, nil
	p.resetProgress()
}

// resetProgress forgets the charts and counters of the last session.
func (p *trainPanel) resetProgress() {
	p.seen, p.steps, p.epoch, p.eps = 0, 0, 0, 0
	p.lossPts, p.accPts, p.valLoss, p.valAcc = nil, nil, nil, nil
	p.bestVal, p.hasBest, p.test, p.t97, p.seen97 = 0, false, nil, 0, 0
}

func (p *trainPanel) command(k wire.Kind) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		defer p.refresh()
		if p.worker == nil {
			return
		}
		switch k {
		case wire.KindResume, wire.KindStep, wire.KindRestoreBest:
			p.follow = true
		case wire.KindReset:
			p.resetProgress()
			p.follow = true
		}
		p.errMsg = ""
		if err := p.worker.post(wire.Command(k)); err != nil {
			p.errMsg = err.Error()
		}
	}
}

func (p *trainPanel) onLoad(ctx app.Context, m *model.Model, name string) {
	p.follow = false
	p.Model = m
	p.describe = "Loaded from " + name + describeRecord(m.Record)
	if p.OnModel != nil {
		p.OnModel(ctx, m)
	}
}

// shippedName is the shipped model the page opened with: the link's
// (digits or fashion).
func (p *trainPanel) shippedName() string {
	if p.Setup != nil && p.Setup.Model != "" {
		return p.Setup.Model
	}
	return "digits"
}

// shippedText says which shipped model classifies the drawing.
func (p *trainPanel) shippedText() string {
	if p.shippedName() == "fashion" {
		return "The shipped Fashion-MNIST model classifies your drawing."
	}
	return "The shipped digits model classifies your drawing."
}

func (p *trainPanel) onShipped(ctx app.Context) {
	defer p.refresh()
	p.follow = false
	ctx.Async(func() {
		m, err := fetchModel(shippedModelURL(p.shippedName()))
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.errMsg = "The shipped model could not be loaded: " + err.Error()
				return
			}
			p.describe = p.shippedText()
			p.Model = m
			if p.OnModel != nil {
				p.OnModel(ctx, m)
			}
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
// on the UI goroutine: at once when the last flush was uiInterval ago or
// the message is the session's first progress, otherwise when it will
// have been.
func (p *trainPanel) receive(ctx app.Context, m wire.Message) {
	p.inboxMu.Lock()
	p.inbox = append(p.inbox, m)
	scheduled := p.flushing
	p.flushing = true
	wait := uiInterval - time.Since(p.lastFlush)
	first := m.Kind == wire.KindProgress && !p.progressed
	p.progressed = p.progressed || m.Kind == wire.KindProgress
	p.inboxMu.Unlock()
	if scheduled {
		return
	}
	// Mode Next runs flush without re-rendering the panel: flush decides.
	flush := app.Dispatch{Mode: app.Next, Source: p, Function: p.flush}
	if wait <= 0 || first {
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
	p.inboxMu.Lock()
	ms := p.inbox
	p.inbox, p.flushing, p.lastFlush = nil, false, time.Now()
	p.inboxMu.Unlock()
	phase, errMsg, best := p.phase, p.errMsg, p.hasBest
	for _, m := range ms {
		p.handle(m)
	}
	if p.publishAt >= 0 {
		// Half an interval later, so that the prediction and the views of
		// the network re-render in another frame than the charts.
		ctx.Async(func() {
			time.Sleep(uiInterval / 2)
			ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Next, Source: p, Function: func(ctx app.Context) {
				if p.publishAt >= 0 {
					p.publish(ctx, p.publishAt)
					p.publishAt = -1
				}
			}})
		})
	}
	p.refresh()
	if p.phase != phase || p.errMsg != errMsg || p.hasBest != best {
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

// handle applies a message from the worker.
func (p *trainPanel) handle(m wire.Message) {
	switch m.Kind {
	case wire.KindData:
		p.loaded, p.total, p.parsing = m.Data.Loaded, m.Data.Total, m.Data.Parsing
	case wire.KindStarted:
		p.started = m.Started
		p.startedAt = now()
		p.loadTimes = [2]float64{m.Started.DownloadSeconds, m.Started.PrepareSeconds}
	case wire.KindStatus:
		p.phase = string(m.Status.State)
		p.seen, p.steps, p.epoch = m.Status.Seen, m.Status.Steps, m.Status.Epoch
	case wire.KindProgress:
		pr := m.Progress
		p.seen, p.steps, p.epoch = pr.Seen, pr.Steps, pr.Epoch
		if pr.ExamplesPerSec > 0 {
			p.eps = pr.ExamplesPerSec
		}
		if pr.MemoryBytes > 0 {
			p.workerMem = pr.MemoryBytes // it never shrinks: the peak
		}
		p.lossPts = append(p.lossPts, chartPoint{float64(pr.Seen), pr.Loss})
		p.accPts = append(p.accPts, chartPoint{float64(pr.Seen), pr.Acc})
	case wire.KindEpoch:
		ep := m.Epoch
		if !ep.NoValidation {
			p.valLoss = append(p.valLoss, chartPoint{float64(ep.Seen), ep.ValLoss})
			p.valAcc = append(p.valAcc, chartPoint{float64(ep.Seen), ep.ValAcc})
			if ep.ValAcc >= 0.97 && p.t97 == 0 {
				p.t97, p.seen97 = now()-p.startedAt, float64(ep.Seen)
			}
		}
		if ep.Best {
			p.hasBest = true
			p.bestVal = max(p.bestVal, ep.ValAcc)
		}
	case wire.KindSnapshot:
		p.snapshot(m)
	case wire.KindEvaluation:
		p.test, p.testTitle = m.Test, "Test of the current weights"
	case wire.KindDone:
		t := m.Done.Test
		p.test, p.testTitle = &t, "Test"
		p.phase = string(wire.StateDone)
		if p.follow && p.net != nil {
			p.publishAt = m.Done.Seen
		}
	case wire.KindError:
		p.errMsg = m.Error.Message
		if m.Error.Diverged {
			p.errMsg = "Training stopped: " + m.Error.Message + "."
			p.phase = string(wire.StateDone)
		} else if p.phase == phaseLoading {
			p.phase = phaseIdle
			if p.started != nil {
				p.phase = string(wire.StateDone)
			}
		}
	}
}

// snapshot puts the worker's weights into the panel's copy of the network
// and, unless the user chose another model since, has flush make it
// classify the drawing.
func (p *trainPanel) snapshot(m wire.Message) {
	if p.net == nil {
		return
	}
	if err := p.net.SetWeights(m.Weights); err != nil {
		p.errMsg = "A weight snapshot did not fit the network: " + err.Error()
		return
	}
	if m.Snapshot.Best {
		p.describe = "The best weights by validation accuracy classify your drawing."
	}
	if p.follow {
		p.publishAt = m.Snapshot.Seen
	}
}

// publish passes the session's network, as a model, to OnModel, which
// updates what shows the prediction (not the whole page: this happens twice
// a second while training).
func (p *trainPanel) publish(ctx app.Context, seen int) {
	cfg := p.run.Config
	rec := model.Record{Dataset: p.run.Dataset, Epochs: p.epoch, Examples: seen, Seed: cfg.Seed,
		Optimizer: cfg.Optimizer, Batch: cfg.BatchSize, Augment: augmentText(cfg.Augment), ValAcc: p.bestVal,
		Command: "cnnplay in the browser, preset " + p.settings.Preset}
	if p.test != nil {
		rec.TestAcc = p.test.Acc
	}
	classes := classesOf(p.run.Dataset)
	if p.started != nil {
		classes = p.started.Classes
	}
	m := &model.Model{Net: p.net, Classes: classes, Record: rec}
	if !strings.HasPrefix(p.describe, "The best") || p.phase == string(wire.StateRunning) {
		p.describe = "The network you are training classifies your drawing; it changes as the network learns."
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
