package app

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/cnnplay/cnnplay/internal/budget"
	"github.com/cnnplay/cnnplay/internal/session"
	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Element id and bases of the epoch estimate, stable for tests: the
// estimate's data-seconds is the estimated epoch, data-basis what it rests
// on.
const (
	estimateID       = "epoch-estimate"
	basisWaiting     = "waiting" // nothing measured until the panel is used
	basisMeasuring   = "measuring"
	basisMeasured    = "measured"
	basisLive        = "live"
	basisUnavailable = "unavailable"
	// measureDelay is how long the form must stay the same before its
	// network is measured: typing a layer's size measures once.
	measureDelay = 400 * time.Millisecond
)

// estimator says how long one epoch of the form's network takes on this
// machine. Once the user engages the training panel, and again whenever
// what the speed depends on changes, it asks a measuring worker to time
// training steps of the network (session.Measure); once a session trains
// that network, it uses the live rate instead. An estimate from an
// assumed operation rate was 13 times too long for the convnetjs preset.
type estimator struct {
	form *trainForm
	st   *trainState

	engaged   bool                     // a measurement was asked for once: the panel is in use
	plusMNIST *bool                    // MNIST's training images train with one's own set (transferOptions)
	want      string                   // the key of the form's network when it last changed (for the delay)
	asked     string                   // the key last posted
	answers   map[string]wire.Measured // by key
}

func newEstimator(form *trainForm, st *trainState) *estimator {
	return &estimator{form: form, st: st, answers: map[string]wire.Measured{}}
}

// measureFor returns the measure request for the form's network and what
// its speed depends on (dataset, network, optimizer, batch size,
// augmentation, workers), with a key that is the same for the same speed;
// false while a field is wrong.
func measureFor(f *trainForm, cores int) (wire.Measure, bool) {
	start, bad := f.settings.start(f.spec)
	workers, msg := parseWorkers(f.workers)
	if len(bad) > 0 || msg != "" || f.info.Err != "" {
		return wire.Measure{}, false
	}
	start.Config.Workers = workers
	if workers == 0 {
		start.AutoWorkers = defaultWorkers(cores)
	}
	return measureOf(start)
}

// measureOf returns the measure request for start's network, keyed by what
// its speed depends on: what does not change the speed does not change the
// key.
func measureOf(start wire.Start) (wire.Measure, bool) {
	start.Config.Epochs, start.Config.Seed, start.Config.Patience = 1, 1, 0
	start.Config.Optimizer.LR, start.Config.Optimizer.L2, start.Config.LRDecay = 0.01, 0, 1
	start.Limit, start.Validation, start.Paused, start.SnapshotEvery = 0, 0, false, 0
	// One's own set's images do not change a step's speed (and would make
	// the key as large as the set): a run on the set has the form's key.
	start.Own = nil
	key, err := json.Marshal(start)
	if err != nil {
		return wire.Measure{}, false
	}
	start.Config.Optimizer.LR = 1e-6 // random images: keep the weights where they are
	return wire.Measure{Key: string(key), Start: start}, true
}

// request asks the worker to measure the form's network once the form has
// stayed the same for measureDelay, unless it has an answer already.
func (e *estimator) request(ctx app.Context, post func(wire.Message) error) {
	e.engaged = true
	m, ok := measureFor(e.form, cores())
	if !ok {
		e.want = ""
		return
	}
	e.want = m.Key
	if _, done := e.answers[m.Key]; done || e.asked == m.Key {
		return
	}
	if e.training(m.Key) {
		return
	}
	ctx.Async(func() {
		time.Sleep(measureDelay)
		ctx.Dispatch(func(ctx app.Context) {
			if e.want != m.Key || e.asked == m.Key || e.training(m.Key) {
				return
			}
			if err := post(wire.Message{Kind: wire.KindMeasure, Measure: &m}); err == nil {
				e.asked = m.Key
			}
		})
	})
}

// training reports whether the session started last trains the network
// of key: the estimate then follows its live rate, and measuring it too
// would only take CPU from the training.
func (e *estimator) training(key string) bool {
	if e.st.net == nil {
		return false
	}
	m, _ := measureOf(e.st.run)
	return key == m.Key
}

// answer keeps the worker's measurement.
func (e *estimator) answer(m wire.Measured) { e.answers[m.Key] = m }

// sizes are the training and validation images the form's settings
// train on (as trainSettings.analyze counts them).
func (e *estimator) sizes() (trainN, valN int) {
	if s := pageSets.byDataset(e.form.settings.Dataset); s != nil {
		// One's own set: the worker holds out a fraction of each class
		// (imageset.DefaultsFor), and MNIST's images may train with it.
		n, _ := s.count()
		valN = int(math.Round(float64(n) * imageset.DefaultsFor(n).Val))
		trainN = n - valN
		if e.plusMNIST != nil && *e.plusMNIST && s.digitClasses() {
			trainN += maxLimit
		}
		return trainN, valN
	}
	_, limit, validation, _ := e.form.settings.config()
	n := maxLimit
	if limit > 0 {
		n = limit
	}
	if validation > 0 && validation < n {
		return n - validation, validation
	}
	return n, 0
}

// liveAfter is the first progress rate the estimate follows instead of
// its measurement: rates come every quarter second (session.ProgressInterval),
// so after about a second of training.
const liveAfter = 4

// estimate returns the estimated time of one epoch of the form's network
// (of epoch 1: it has the most quick validations), what it rests on
// (basisMeasured, basisLive…) and the sentence that says both.
func (e *estimator) estimate() (secs float64, basis, text string) {
	trainN, valN := e.sizes()
	st := e.st
	want := ""
	if m, ok := measureFor(e.form, cores()); ok {
		want = m.Key
	}
	m, measured := e.answers[want]
	// The live rate, once a session trains the form's network, and from
	// its liveAfter-th rate on where the network was measured: the first
	// rates include the workers' start and read several times too slow.
	if st.started != nil && st.eps > 0 && want != "" && want == e.runKey() &&
		(st.rates >= liveAfter || !measured || m.Error != "") {
		trainN, valN = st.started.Train, st.started.Val
		rate := budget.Rate{TrainSecs: 1 / st.eps, EvalSecs: 1 / (3 * st.eps)}
		if measured && m.Error == "" {
			rate.EvalSecs = m.EvalSecs
		}
		secs = rate.EpochSeconds(trainN, session.EpochEvalImages(trainN, valN, 1))
		return secs, basisLive, fmt.Sprintf("One epoch of %s images: about %s (live rate: %s examples/s).",
			groupDigits(trainN), budget.FormatDuration(secs), groupDigits(int(st.eps+0.5)))
	}
	switch {
	case want == "":
		return 0, basisUnavailable, "One epoch: no estimate until the settings and the network are valid."
	case !measured && !e.engaged:
		return 0, basisWaiting, "One epoch: measured on this machine once you use this panel."
	case !measured:
		return 0, basisMeasuring, "One epoch: measuring this network on this machine…"
	case m.Error != "":
		return 0, basisUnavailable, "One epoch: could not measure: " + m.Error
	}
	secs = session.Rate(m).EpochSeconds(trainN, session.EpochEvalImages(trainN, valN, 1))
	return secs, basisMeasured, fmt.Sprintf("One epoch of %s images: about %s (measured: %d steps here%s).",
		groupDigits(trainN), budget.FormatDuration(secs), m.Steps, workersNote(m.Workers))
}

// runKey is the key of the session's network and settings, "" before one.
func (e *estimator) runKey() string {
	if e.st.started == nil {
		return ""
	}
	m, _ := measureOf(e.st.run)
	return m.Key
}

func workersNote(n int) string {
	if n > 1 {
		return fmt.Sprintf(", on %d workers", n)
	}
	return ""
}

// render is the estimate's line.
func (e *estimator) render() app.UI {
	secs, basis, text := e.estimate()
	return app.P().
		ID(estimateID).
		Class("epoch-estimate").
		DataSet("seconds", fmt.Sprintf("%.2f", secs)).
		DataSet("basis", basis).
		Text(text)
}

// short is the estimate for the architecture editor's totals.
func (e *estimator) short() string {
	secs, basis, _ := e.estimate()
	switch basis {
	case basisMeasured:
		return "one epoch about " + budget.FormatDuration(secs) + " (measured here)"
	case basisLive:
		return "one epoch about " + budget.FormatDuration(secs) + " (live rate)"
	case basisMeasuring:
		return "one epoch: measuring…"
	}
	return ""
}
