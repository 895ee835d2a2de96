// Package session is the training session that cnnplay's Web Worker drives:
// built from a start message and the dataset files' bytes, it trains in
// chunks bounded by a time budget and returns the messages to post to the
// UI. It is pure Go, with no syscall/js, so it is tested natively; the worker
// program (wasm/worker) only fetches files, passes messages and yields to the
// event loop between chunks.
//
// The data are split three ways: the training set, a validation set held out
// of it (checked at every epoch end to keep the best weights and to stop
// early), and the test set, kept apart and evaluated only when training ends
// or when the UI asks.
//
// A Session is not safe for concurrent use: one goroutine calls Handle and
// Run.
package session

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/cnnplay/cnnplay/internal/budget"
	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/cnnplay/cnnplay/nn/train"
)

// Limits and rates of a session.
const (
	// ProgressInterval is the least time between progress messages.
	ProgressInterval = 250 * time.Millisecond
	// SnapshotInterval is the least time between weight snapshots when
	// Start.SnapshotEvery is 0.
	SnapshotInterval = 500 * time.Millisecond
	// MaxMistakes is how many misclassified test images a Test carries.
	MaxMistakes = 60

	evalBatch = 200 // the most test images per evaluation chunk (see also Trainer.EvalBatch)
)

// Data is a dataset's four files, gzipped IDX as served, in the order of
// dataset.Entry.Files: training images, training labels, test images, test
// labels.
type Data struct {
	// Open returns a reader of file i, read once. The worker's readers
	// give the bytes as they download, so that the training images are
	// unzipped and parsed while the rest arrives: doing one after the
	// other took about 2.1 s from Train to the first step on full MNIST.
	Open func(i int) io.Reader
}

// BytesData is the Data of files already in memory.
func BytesData(files [4][]byte) Data {
	return Data{Open: func(i int) io.Reader { return bytes.NewReader(files[i]) }}
}

// classesOf returns the class names of the dataset named name in the
// registry (see dataset.Lookup).
func classesOf(name string) ([]string, error) {
	e, err := dataset.Lookup(name)
	return e.Classes, err
}

// Session is one training run.
type Session struct {
	start                     wire.Start
	cfg                       train.Config
	classes                   []string
	trainSet, valSet, testSet *dataset.Set
	net                       *nn.Network
	init                      []float32 // the weights at the start, for reset
	tr                        *train.Trainer
	ports                     []Port // to the helper workers, if any
	now                       func() time.Time

	state  wire.State
	after  wire.State // the state to return to after an evaluate request
	reason string     // why training ended: "finished", "early", "stopped"
	eval   *evaluation

	tooFew      []string // classes of one's own set too few to validate
	testOn      string   // what the test uses where it is not a test set (wire.Started.TestOn)
	transferred []string // layers whose weights came from Start.Transfer

	steps, epochs int
	bestVal       float64
	hasBest       bool // an epoch has ended, so the trainer has best weights

	quick quickVal // validation on a subset during epochs (quickval.go)

	// Progress since the last progress message.
	pLoss, pAcc float64
	pSteps      int
	pSeen       int
	pBusy       time.Duration // time spent in Trainer.Step
	lastProg    time.Time
	lastSnap    time.Time
	snapSteps   int
}

// New checks start, parses data and returns a session ready to Run (or
// paused, if start.Paused). weights, if not nil, replace the initial weights
// (to continue training a loaded model). The error is meant for the user: a
// network too large for a browser tab is refused with the estimated memory
// and epoch time. With start.Config.Workers above 1, goroutines compute
// parts of every batch (see train.New).
func New(start wire.Start, data Data, weights []float32) (*Session, error) {
	return NewWithHelpers(start, data, weights, nil)
}

// NewWithHelpers is New with helper workers behind ports (other Web Workers
// in the browser) computing parts of every batch: start.Config.Workers
// becomes len(ports)+1. Each helper gets a join at once, so that it loads
// the data while the session does, then a job every step (see Helper).
func NewWithHelpers(start wire.Start, data Data, weights []float32, ports []Port) (*Session, error) {
	classes, err := startClasses(start)
	if err != nil {
		return nil, err
	}
	var own *imageset.Split
	if start.Own != nil {
		// One's own set is small and in the message: read it first, so
		// that its size sets the defaults and the budget.
		if own, err = ownSets(start, classes); err != nil {
			return nil, err
		}
		autoAugment(&start, own.Train.N+own.Val.N+own.Test.N)
	}
	if ports != nil {
		start.Config.Workers = len(ports) + 1
	} else if start.AutoWorkers > 0 {
		start.Config.Workers = Workers(start)
	}
	cfg := start.Config
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	// Refuse before allocating the network or parsing the data, which
	// takes a while: guess the training set's size from the usual 60000.
	sum, err := nn.Analyze(start.Spec)
	if err != nil {
		return nil, err
	}
	trainSize := guessTrainSize(start)
	if own != nil {
		trainSize = own.Train.N
		if start.Own.Plus != "" {
			trainSize += 60000 // MNIST's and Fashion-MNIST's training images
		}
	}
	if err := budget.CheckFits(sum, cfg.BatchSize, trainSize, len(classes)); err != nil {
		return nil, err
	}
	if start.Limit < 0 {
		return nil, fmt.Errorf("the training image limit must not be negative, got %d", start.Limit)
	}
	s := &Session{start: start, cfg: cfg, classes: classes, ports: ports, now: time.Now}
	if err := s.join(); err != nil {
		return nil, err
	}
	net, err := nn.Build(start.Spec, rand.New(rand.NewPCG(cfg.Seed, 0)))
	if err != nil {
		return nil, err
	}
	switch {
	case start.Transfer != nil:
		if s.transferred, err = transfer(net, start.Transfer.From, weights); err != nil {
			return nil, err
		}
	case weights != nil:
		if err := net.SetWeights(weights); err != nil {
			return nil, fmt.Errorf("the weights to continue from do not fit the network: %w", err)
		}
	}
	var trainSet, valSet, test *dataset.Set
	if own != nil {
		test, s.testOn = ownTest(own)
		trainSet, s.tooFew = own.Train, own.TooFew
		if own.Val.N > 0 {
			valSet = own.Val
		}
		if start.Own.Plus != "" {
			if trainSet, err = plusTrain(start, classes, data, own.Train); err != nil {
				return nil, err
			}
		}
	} else {
		if trainSet, valSet, err = trainingSets(start, classes, data); err != nil {
			return nil, err
		}
		if test, err = testSet(start, classes, data); err != nil {
			return nil, err
		}
	}
	s.trainSet, s.valSet, s.testSet, s.net, s.init = trainSet, valSet, test, net, net.Weights()
	s.quick.set = quickSubset(valSet)
	if err := s.newTrainer(); err != nil {
		return nil, err
	}
	s.state = wire.StateRunning
	if start.Paused {
		s.state = wire.StatePaused
	}
	return s, nil
}

// trainingSets reads the training images of data (only the first
// start.Limit, if set) and splits off the validation set, the same way for
// the session and its helpers.
func trainingSets(start wire.Start, classes []string, data Data) (trainSet, valSet *dataset.Set, err error) {
	if start.Own != nil {
		sp, err := ownSets(start, classes)
		if err != nil {
			return nil, nil, err
		}
		if sp.Val.N > 0 {
			valSet = sp.Val
		}
		if start.Own.Plus != "" {
			t, err := plusTrain(start, classes, data, sp.Train)
			return t, valSet, err
		}
		return sp.Train, valSet, nil
	}
	if start.Synthetic > 0 {
		return syntheticSet(start, classes, start.Synthetic, 0x7472), nil, nil
	}
	// With a limit, only the images kept are gunzipped: the first step
	// comes sooner.
	full, err := dataset.LoadN(data.Open(0), data.Open(1), start.Dataset+"-train", classes, start.Limit)
	if err != nil {
		return nil, nil, err
	}
	nVal, err := validationSize(start.Validation, full.N)
	if err != nil {
		return nil, nil, err
	}
	trainSet, valSet = splitInPlace(full, nVal, rand.New(rand.NewPCG(start.Config.Seed, 0x76616c)))
	return trainSet, valSet, nil
}

func guessTrainSize(start wire.Start) int {
	n := 60000
	if start.Limit > 0 {
		n = min(n, start.Limit)
	}
	v, err := validationSize(start.Validation, n)
	if err != nil {
		return n
	}
	return n - v
}

// validationSize resolves Start.Validation for a set of n images: 0 means
// DefaultValidation, but never more than a twelfth of the set (5000 of
// 60000), and -1 means none.
func validationSize(v, n int) (int, error) {
	switch {
	case v == 0:
		return min(wire.DefaultValidation, n/12), nil
	case v == -1:
		return 0, nil
	case v < 0:
		return 0, fmt.Errorf("the validation size must be -1 (none), 0 (default) or positive, got %d", v)
	case v >= n:
		return 0, fmt.Errorf("a validation set of %d images leaves none of the %d training images to train on", v, n)
	}
	return v, nil
}

// splitInPlace shuffles the images of s (as dataset.Load makes it, with
// bytes) with rng and returns the first N-nVal as the training set and the
// rest as the validation set, both views of s's storage: unlike
// dataset.Set.Split it copies nothing, which saves the 47 MB that a copy of
// MNIST's training images costs in a tab.
func splitInPlace(s *dataset.Set, nVal int, rng *rand.Rand) (trainSet, val *dataset.Set) {
	px := s.H * s.W
	tmp := make([]byte, px)
	for i := s.N - 1; i > 0; i-- {
		j := rng.IntN(i + 1)
		if i == j {
			continue
		}
		a, b := s.Pixels[i*px:(i+1)*px], s.Pixels[j*px:(j+1)*px]
		copy(tmp, a)
		copy(a, b)
		copy(b, tmp)
		s.Labels[i], s.Labels[j] = s.Labels[j], s.Labels[i]
	}
	nt := s.N - nVal
	view := func(name string, from, to int) *dataset.Set {
		return &dataset.Set{Name: name, Pixels: s.Pixels[from*px : to*px : to*px], Labels: s.Labels[from:to:to],
			N: to - from, H: s.H, W: s.W, Classes: s.Classes}
	}
	trainSet = view(s.Name, 0, nt)
	if nVal > 0 {
		val = view(s.Name+"-val", nt, s.N)
	}
	return trainSet, val
}

func (s *Session) newTrainer() error {
	var val *dataset.Set
	if s.valSet != nil {
		val = s.valSet
	}
	var helpers []train.Helper
	if s.ports != nil {
		helpers = []train.Helper{}
		for _, p := range s.ports {
			helpers = append(helpers, newRemote(p, s.net))
		}
	}
	tr, err := train.NewWithHelpers(s.net, s.trainSet, val, s.cfg, helpers)
	if err != nil {
		return err
	}
	s.tr = tr
	s.steps, s.epochs, s.bestVal, s.hasBest, s.reason, s.eval = 0, 0, 0, false, "", nil
	s.quick.restart()
	s.pLoss, s.pAcc, s.pSteps, s.pSeen, s.pBusy, s.snapSteps = 0, 0, 0, 0, 0, 0
	s.lastProg, s.lastSnap = s.now(), s.now()
	return nil
}

// Started describes the session for the UI's started message.
func (s *Session) Started() wire.Message {
	st := &wire.Started{Dataset: s.start.Dataset, Classes: s.classes,
		Train: s.trainSet.N, Test: s.testSet.N,
		EpochBatches: (s.trainSet.N + s.cfg.BatchSize - 1) / s.cfg.BatchSize,
		Params:       s.net.ParamCount(), MemoryBytes: s.net.MemoryBytes(s.cfg.BatchSize),
		FLOPs: int64(s.net.FLOPs()), Workers: max(s.cfg.Workers, 1),
		Augment: s.cfg.Augment, TooFew: s.tooFew, Transferred: s.transferred, TestOn: s.testOn}
	if sum, err := nn.Analyze(s.net.Spec); err == nil {
		st.EpochSeconds = budget.EpochSeconds(sum, s.trainSet.N)
	}
	if s.valSet != nil {
		st.Val = s.valSet.N
	}
	return wire.Message{Kind: wire.KindStarted, Started: st}
}

// Close waits for the helpers to finish the work they started ahead: call
// it before the helpers serve another session.
func (s *Session) Close() { s.tr.Settle() }

// State is what the session is doing.
func (s *Session) State() wire.State { return s.state }

// Busy reports whether Run has work to do: training or evaluating.
func (s *Session) Busy() bool {
	return s.state == wire.StateRunning || s.state == wire.StateEvaluating
}

// Net is the session's network (its weights change as it trains).
func (s *Session) Net() *nn.Network { return s.net }

// Status returns a status message for the current state.
func (s *Session) Status() wire.Message {
	return wire.Message{Kind: wire.KindStatus, Status: &wire.Status{State: s.state,
		Epoch: s.epoch(), Seen: s.tr.Seen(), Steps: s.steps}}
}

// epoch is the 1-based epoch the next batch belongs to (or the last one, when
// done).
func (s *Session) epoch() int {
	return min(s.epochs+1, s.cfg.Epochs)
}

// Handle applies a command from the UI and returns the messages to post.
// Start is not a command: the worker builds a new Session for it.
func (s *Session) Handle(m wire.Message) []wire.Message {
	var out []wire.Message
	switch m.Kind {
	case wire.KindPause:
		switch s.state {
		case wire.StateRunning:
			s.state = wire.StatePaused
			out = s.flushProgress(out)
			out = append(out, s.snapshot(false))
		case wire.StateEvaluating:
			if s.after == wire.StateRunning {
				s.after = wire.StatePaused
			}
		}
	case wire.KindResume:
		switch s.state {
		case wire.StatePaused:
			s.state = wire.StateRunning
			s.lastProg = s.now()
		case wire.StateEvaluating:
			if s.after == wire.StatePaused {
				s.after = wire.StateRunning
			}
		}
	case wire.KindStep:
		if s.state == wire.StateRunning || s.state == wire.StatePaused {
			s.state = wire.StatePaused
			out = s.step(out)
			if s.state == wire.StatePaused {
				out = s.flushProgress(out)
				out = append(out, s.snapshot(false))
			}
		}
	case wire.KindReset:
		s.tr.Settle() // before the helpers join again
		if err := s.net.SetWeights(s.init); err != nil {
			return append(out, wire.ErrorMessage(err))
		}
		// The helpers start their random streams again too.
		if err := s.join(); err != nil {
			return append(out, wire.ErrorMessage(err))
		}
		if err := s.newTrainer(); err != nil {
			return append(out, wire.ErrorMessage(err))
		}
		s.state = wire.StatePaused
		out = append(out, s.snapshot(false))
	case wire.KindStop:
		if s.state == wire.StateRunning || s.state == wire.StatePaused || (s.state == wire.StateEvaluating && !s.eval.final) {
			out = s.flushProgress(out)
			s.reason = "stopped"
			s.evaluate(true)
		}
	case wire.KindRestoreBest:
		if !s.hasBest {
			return append(out, wire.ErrorMessage(errors.New("no epoch has ended yet, so there are no best weights to restore")))
		}
		s.tr.RestoreBest()
		s.quick.pending = false
		out = append(out, s.snapshot(true))
	case wire.KindEvaluate:
		if s.state == wire.StateRunning || s.state == wire.StatePaused {
			out = s.flushProgress(out)
			s.evaluate(false)
		}
	default:
		return append(out, wire.ErrorMessage(fmt.Errorf("the training session cannot handle a %q message", m.Kind)))
	}
	return append(out, s.Status())
}

// Run trains (or evaluates) until budget has passed, at least one batch, and
// returns the messages to post: progress a few times a second, epoch
// summaries, snapshots, and at the end the best weights and done, or error.
// It does nothing while paused or done.
func (s *Session) Run(budget time.Duration) []wire.Message {
	start := s.now()
	var out []wire.Message
	for s.Busy() {
		switch {
		case s.state == wire.StateRunning && s.quick.due():
			out = s.quickChunk(out)
		case s.state == wire.StateRunning:
			epochs := s.epochs
			out = s.step(out)
			s.quick.after(s.tr.Seen(), s.epochs != epochs || s.tr.Done())
		default:
			out = s.evalChunk(out)
		}
		// A snapshot's weights are the network's, until the next step.
		if s.now().Sub(start) >= budget || len(out) > 0 && out[len(out)-1].Kind == wire.KindSnapshot {
			break
		}
	}
	return out
}

// step trains one batch and appends the messages it calls for.
func (s *Session) step(out []wire.Message) []wire.Message {
	s.quick.pending = false // a check under way would mix two weights' results
	t0 := s.now()
	st, err := s.tr.Step()
	s.pBusy += s.now().Sub(t0)
	if err != nil {
		out = s.flushProgress(out)
		s.state = wire.StateDone
		diverged := errors.Is(err, train.ErrDiverged)
		msg := err.Error()
		if diverged && !s.hasBest {
			msg += " (no epoch had ended, so these are the initial weights)"
		}
		out = append(out, s.snapshot(diverged && s.hasBest),
			wire.Message{Kind: wire.KindError, Error: &wire.Error{Message: msg, Diverged: diverged}},
			s.Status())
		return out
	}
	s.steps++
	s.snapSteps++
	s.pLoss += st.Loss
	s.pAcc += st.Acc
	s.pSteps++
	if e := st.EpochEnd; e != nil {
		out = s.flushProgress(out)
		s.epochs = e.Epoch
		if e.Best {
			s.hasBest = true
			s.bestVal = math.Max(s.bestVal, e.ValAcc)
		}
		out = append(out, wire.Message{Kind: wire.KindEpoch, Epoch: &wire.Epoch{Epoch: e.Epoch, Seen: e.Seen,
			TrainLoss: e.TrainLoss, TrainAcc: e.TrainAcc, ValLoss: e.ValLoss, ValAcc: e.ValAcc,
			ExamplesPerSec: e.ExamplesPerSec, Best: e.Best, StoppedEarly: e.StoppedEarly, NoValidation: e.ValidationMissed}})
		if e.StoppedEarly {
			s.reason = "early"
		}
	}
	now := s.now()
	// The first step is reported at once: the page shows that training
	// has started, then progress every ProgressInterval.
	if s.state == wire.StateRunning && (now.Sub(s.lastProg) >= ProgressInterval || s.steps == 1) {
		out = s.flushProgress(out)
	}
	if s.tr.Done() {
		if s.reason == "" {
			s.reason = "finished"
		}
		out = s.flushProgress(out)
		if s.hasBest {
			s.tr.RestoreBest()
		}
		s.evaluate(true)
		return append(out, s.Status())
	}
	if s.state == wire.StateRunning {
		if n := s.start.SnapshotEvery; (n > 0 && s.snapSteps >= n) || (n <= 0 && now.Sub(s.lastSnap) >= SnapshotInterval) {
			out = append(out, s.snapshot(false))
		}
	}
	return out
}

// flushProgress appends a progress message for the batches since the last
// one, if any.
func (s *Session) flushProgress(out []wire.Message) []wire.Message {
	if s.pSteps == 0 {
		return out
	}
	seen := s.tr.Seen()
	p := &wire.Progress{Epoch: s.progressEpoch(), Seen: seen, Steps: s.steps,
		Loss: s.pLoss / float64(s.pSteps), Acc: s.pAcc / float64(s.pSteps)}
	if s.pBusy > 0 {
		p.ExamplesPerSec = float64(seen-s.pSeen) / s.pBusy.Seconds()
	}
	s.pLoss, s.pAcc, s.pSteps, s.pSeen, s.pBusy = 0, 0, 0, seen, 0
	s.lastProg = s.now()
	return append(out, wire.Message{Kind: wire.KindProgress, Progress: p})
}

// progressEpoch is the epoch of the last batch trained.
func (s *Session) progressEpoch() int {
	if s.epochs > 0 && s.tr.Seen() == s.epochs*s.trainSet.N {
		return s.epochs
	}
	return s.epochs + 1
}

// snapshot returns a snapshot of the network's current weights, which are
// the network's own memory: Run and Handle return at most one, last, and
// the worker posts it (copying the weights) before calling them again. A
// copy for each of the keras preset's snapshots cost the leading worker
// 1.4 ms on average while its helper waited (a new 4.8 MB slice each
// time, 7 ms).
func (s *Session) snapshot(best bool) wire.Message {
	s.snapSteps, s.lastSnap = 0, s.now()
	return wire.Message{Kind: wire.KindSnapshot,
		Snapshot: &wire.Snapshot{Epoch: s.progressEpoch(), Seen: s.tr.Seen(), Steps: s.steps, Best: best},
		Weights:  s.net.WeightData()}
}
