package app

import (
	"fmt"
	"math"

	"github.com/cnnplay/cnnplay/internal/budget"
	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
)

// Phases of a training session besides the worker's states.
const (
	phaseIdle    = "idle"    // no session yet
	phaseLoading = "loading" // start sent: downloading and parsing
)

// Describe texts: which model classifies the drawing.
const (
	describeBest     = "The best weights by validation accuracy classify your drawing."
	describeTraining = "The network you are training classifies your drawing; it changes as the network learns."
)

// awaiting says which of the worker's messages are stale: its messages
// carry no session number, so those it posted before it read the user's
// last start or reset are told apart by what answers that.
type awaiting int

const (
	awaitNothing awaiting = iota
	// awaitStarted: after a start, the last session's messages are stale
	// until the new session's started (the download's data messages and
	// a refused start's error come before it).
	awaitStarted
	// awaitReset: after a reset, the messages of the training before it
	// are stale until the reset's status, at step 0 (its snapshot, of the
	// fresh weights, comes just before).
	awaitReset
)

// trainState is what the training worker's messages have told the page:
// the session's phase, the dataset download, the sizes of the sets, the
// progress with its charts, the best validation accuracy, the test result,
// the last error, and the session's network holding the latest weights. It
// has no UI: the training panel changes it through its methods (the user's
// actions, and handle for each message) and its views render from it.
type trainState struct {
	clock func() float64 // the page's time, ms (performance.now)

	phase string // phaseIdle, phaseLoading or a wire.State
	err   string // the last error, in words for the user
	await awaiting

	loaded, total int64 // bytes of the dataset downloaded, of all
	parsing       bool  // the download is in and being read
	started       *wire.Started
	run           wire.Start // what the session trains
	startedAt     float64    // clock at started
	t97, seen97   float64    // ms after started and examples seen when validation accuracy first reached 97%
	loadTimes     [2]float64 // the worker's download and preparation, s

	seen, steps, epoch int
	eps                float64 // examples per second, the latest reported
	rates              int     // how many rates the session reported
	workerMem          int64   // the worker's WebAssembly memory, bytes (see wire.Progress)
	lossPts, accPts    []chartPoint
	valLoss, valAcc    []chartPoint
	quickLoss, quickAc []chartPoint // validation on a subset during epochs (wire.QuickVal)
	epochMs            []float64    // how long each epoch took, ms of the page's clock
	epochAt            float64      // clock at the last epoch's end, or at started
	bestVal            float64
	hasBest            bool
	test               *wire.Test
	testTitle          string

	net       *nn.Network // the session's architecture, holding the latest snapshot
	follow    bool        // whether snapshots replace the page's model
	describe  string      // which model classifies the drawing
	publishAt int         // examples seen by the weights to publish; -1 for none
	// restored says what was restored from the browser (see
	// restoreHistory) while no session has begun since; "" otherwise.
	restored string
}

// newTrainState returns the state before any session, with describe
// saying which model classifies the drawing.
func newTrainState(clock func() float64, describe string) *trainState {
	return &trainState{clock: clock, phase: phaseIdle, describe: describe, publishAt: -1}
}

// running, paused and session report the phase as the buttons need it:
// a session is under way (started, not loading another) for reset and
// restore best.
func (s *trainState) running() bool { return s.phase == string(wire.StateRunning) }
func (s *trainState) paused() bool  { return s.phase == string(wire.StatePaused) }
func (s *trainState) session() bool { return s.started != nil && s.phase != phaseLoading }

// begin starts a session: the start message for run has been posted and
// net is its network, which the session's snapshots will fill.
func (s *trainState) begin(run wire.Start, net *nn.Network) {
	s.run, s.net, s.follow, s.restored = run, net, true, ""
	s.phase, s.err, s.loaded, s.total, s.parsing, s.started = phaseLoading, "", 0, 0, false, nil
	s.await = awaitStarted
	s.resetProgress()
}

// command notes a command posted to the worker: the weights it changes
// classify the drawing again, and a reset forgets the progress.
func (s *trainState) command(k wire.Kind) {
	switch k {
	case wire.KindResume, wire.KindStep, wire.KindRestoreBest:
		s.follow = true
	case wire.KindReset:
		s.resetProgress()
		s.follow = true
		s.await = awaitReset
	}
	s.err = ""
}

// fail shows an error of the page's own (a message it could not post, a
// model it could not load).
func (s *trainState) fail(msg string) { s.err = msg }

// detach keeps the session's snapshots from replacing the page's model:
// the user chose another one.
func (s *trainState) detach() { s.follow = false }

// show says which model classifies the drawing.
func (s *trainState) show(describe string) { s.describe = describe }

// resetProgress forgets the charts and counters of the last session.
func (s *trainState) resetProgress() {
	s.seen, s.steps, s.epoch, s.eps, s.rates = 0, 0, 0, 0, 0
	s.lossPts, s.accPts, s.valLoss, s.valAcc = nil, nil, nil, nil
	s.quickLoss, s.quickAc, s.epochMs = nil, nil, nil
	s.bestVal, s.hasBest, s.test, s.t97, s.seen97 = 0, false, nil, 0, 0
}

// handle applies a message from the worker, unless it is stale, and
// reports whether it did.
func (s *trainState) handle(m wire.Message) bool {
	if s.stale(m) {
		return false
	}
	switch m.Kind {
	case wire.KindData:
		s.loaded, s.total, s.parsing = m.Data.Loaded, m.Data.Total, m.Data.Parsing
	case wire.KindStarted:
		s.started = m.Started
		s.startedAt = s.clock()
		s.epochAt = s.startedAt
		s.loadTimes = [2]float64{m.Started.DownloadSeconds, m.Started.PrepareSeconds}
	case wire.KindStatus:
		s.phase = string(m.Status.State)
		s.seen, s.steps, s.epoch = m.Status.Seen, m.Status.Steps, m.Status.Epoch
	case wire.KindProgress:
		pr := m.Progress
		s.seen, s.steps, s.epoch = pr.Seen, pr.Steps, pr.Epoch
		if pr.ExamplesPerSec > 0 && finite(pr.ExamplesPerSec) {
			s.eps = pr.ExamplesPerSec
			s.rates++
		}
		if pr.MemoryBytes > 0 {
			s.workerMem = pr.MemoryBytes // it never shrinks: the peak
		}
		s.lossPts = appendPoint(s.lossPts, pr.Seen, pr.Loss)
		s.accPts = appendPoint(s.accPts, pr.Seen, pr.Acc)
	case wire.KindQuickVal:
		s.quickLoss = appendPoint(s.quickLoss, m.QuickVal.Seen, m.QuickVal.Loss)
		s.quickAc = appendPoint(s.quickAc, m.QuickVal.Seen, m.QuickVal.Acc)
	case wire.KindEpoch:
		ep := m.Epoch
		now := s.clock()
		s.epochMs = append(s.epochMs, now-s.epochAt)
		s.epochAt = now
		if !ep.NoValidation {
			s.valLoss = appendPoint(s.valLoss, ep.Seen, ep.ValLoss)
			s.valAcc = appendPoint(s.valAcc, ep.Seen, ep.ValAcc)
			if ep.ValAcc >= 0.97 && s.t97 == 0 {
				s.t97, s.seen97 = now-s.startedAt, float64(ep.Seen)
			}
		}
		if ep.Best && finite(ep.ValAcc) {
			s.hasBest = true
			s.bestVal = max(s.bestVal, ep.ValAcc)
		}
	case wire.KindSnapshot:
		s.snapshot(m)
	case wire.KindEvaluation:
		s.test, s.testTitle = m.Test, "Test of the current weights"
	case wire.KindDone:
		t := m.Done.Test
		s.test, s.testTitle = &t, "Test"
		s.phase = string(wire.StateDone)
		if s.follow && s.net != nil {
			s.publishAt = m.Done.Seen
		}
	case wire.KindError:
		s.err = m.Error.Message
		if m.Error.Diverged {
			s.err = "Training stopped: " + m.Error.Message + "."
			s.phase = string(wire.StateDone)
		} else if s.phase == phaseLoading {
			s.phase = phaseIdle
			if s.started != nil {
				s.phase = string(wire.StateDone)
			}
		}
	}
	return true
}

// stale reports whether m was posted before the worker read the user's
// last start or reset (see awaiting), and stops waiting at the message
// that answers it. A divergence is always the training's before: a new
// session has not trained yet.
func (s *trainState) stale(m wire.Message) bool {
	switch s.await {
	case awaitStarted:
		switch m.Kind {
		case wire.KindStarted:
			s.await = awaitNothing
			return false
		case wire.KindData:
			return false
		case wire.KindError:
			return m.Error.Diverged
		}
		return true
	case awaitReset:
		switch m.Kind {
		case wire.KindStatus:
			if m.Status.Steps != 0 {
				return true
			}
			s.await = awaitNothing
			return false
		case wire.KindSnapshot:
			return m.Snapshot.Steps != 0
		case wire.KindError:
			if m.Error.Diverged {
				return true
			}
			s.await = awaitNothing // the reset failed: no status answers it
			return false
		}
		return true
	}
	return false
}

// appendPoint adds a chart point, unless y is not a finite number.
func appendPoint(pts []chartPoint, seen int, y float64) []chartPoint {
	if !finite(y) {
		return pts
	}
	return append(pts, chartPoint{float64(seen), y})
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// snapshot puts the worker's weights into the session's network and, unless
// the user chose another model since, asks for it to be published.
func (s *trainState) snapshot(m wire.Message) {
	if s.net == nil {
		return
	}
	if err := s.net.SetWeights(m.Weights); err != nil {
		s.err = "A weight snapshot did not fit the network: " + err.Error()
		return
	}
	if m.Snapshot.Best {
		s.describe = describeBest
	}
	if s.follow {
		s.publishAt = m.Snapshot.Seen
	}
}

// publishing reports whether weights wait to be published.
func (s *trainState) publishing() bool { return s.publishAt >= 0 }

// publish returns the session's network, as a model whose record says how
// it was trained (preset names the settings' network), to classify the
// drawing with; nil when no weights wait. The model holds the network
// itself, whose weights the next snapshot replaces.
func (s *trainState) publish(preset string) *model.Model {
	if s.publishAt < 0 || s.net == nil {
		return nil
	}
	seen := s.publishAt
	s.publishAt = -1
	m := s.current(preset)
	m.Record.Examples = seen
	if s.describe != describeBest || s.running() {
		s.describe = describeTraining
	}
	return m
}

// current returns the session's network with its latest weights, as a
// model whose record says how it was trained (preset names the settings'
// network); nil before a session. The model holds the network itself.
func (s *trainState) current(preset string) *model.Model {
	if s.net == nil {
		return nil
	}
	cfg := s.run.Config
	rec := model.Record{Dataset: s.run.Dataset, Epochs: s.epoch, Examples: s.seen, Seed: cfg.Seed,
		Optimizer: cfg.Optimizer, Batch: cfg.BatchSize, Augment: cfg.Augment.String(), ValAcc: s.bestVal,
		Command: "cnnplay in the browser, preset " + preset}
	if s.test != nil {
		rec.TestAcc = s.test.Acc
	}
	if o := s.run.Own; o != nil {
		rec.Set, rec.Framing = o.Name, o.Framing
	}
	classes := classesOf(s.run.Dataset)
	if s.started != nil {
		classes = s.started.Classes
	}
	return &model.Model{Net: s.net, Classes: classes, Record: rec}
}

// testN is the size of the test set.
func (s *trainState) testN() int {
	if s.started != nil {
		return s.started.Test
	}
	return 10000
}

// classes are the class names of the session's dataset, or of dataset
// (the settings') before one has started.
func (s *trainState) classes(dataset string) []string {
	if s.started != nil {
		return s.started.Classes
	}
	return classesOf(dataset)
}

// workers is the number of workers the session trains on, 0 before one
// has started.
func (s *trainState) workers() int {
	if s.started == nil {
		return 0
	}
	return s.started.Workers
}

// statusText says what the session is doing; dataset is the settings'
// before a session has started.
func (s *trainState) statusText(dataset string) string {
	name := datasetName(dataset)
	if s.started != nil {
		name = datasetName(s.started.Dataset)
	}
	switch s.phase {
	case phaseIdle:
		if s.restored != "" {
			return s.restored
		}
		return "Choose a network and press Start. The first time, the browser downloads the dataset (about 11 MB)."
	case phaseLoading:
		switch {
		case s.parsing:
			return "Preparing the " + name + " images…"
		case s.total > 0:
			return fmt.Sprintf("Downloading %s: %s of %s", name, budget.FormatBytes(s.loaded), budget.FormatBytes(s.total))
		}
		return "Downloading " + name + "…"
	case string(wire.StateRunning):
		return fmt.Sprintf("Training on %s: epoch %d of %d.", name, s.epoch, s.run.Config.Epochs)
	case string(wire.StatePaused):
		return fmt.Sprintf("Paused after %s examples. Resume, or step one batch of %d at a time.", groupDigits(s.seen), s.run.Config.BatchSize)
	case string(wire.StateEvaluating):
		return "Testing on the " + groupDigits(s.testN()) + " test images, which training never saw…"
	case string(wire.StateDone):
		if s.test != nil {
			of := "test"
			if on := s.testOn(); on != "" {
				of = on
			}
			return fmt.Sprintf("Done after %s examples: %.2f%% of the %s images right.", groupDigits(s.seen), 100*s.test.Acc, of)
		}
		return fmt.Sprintf("Stopped after %s examples.", groupDigits(s.seen))
	}
	return ""
}

// testOn names the images the session tests on where they are not test
// images (wire.Started.TestOn).
func (s *trainState) testOn() string {
	if s.started == nil {
		return ""
	}
	return s.started.TestOn
}
