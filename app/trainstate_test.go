package app

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/train"
)

// The messages a worker posts, shortened for the tables.

func data(loaded, total int64, parsing bool) wire.Message {
	return wire.Message{Kind: wire.KindData, Data: &wire.Data{Loaded: loaded, Total: total, Parsing: parsing}}
}

func started(dataset string, classes []string) wire.Message {
	return wire.Message{Kind: wire.KindStarted, Started: &wire.Started{Dataset: dataset, Classes: classes,
		Train: 5000, Val: 1000, Test: 10000, Workers: 2, DownloadSeconds: 0.5, PrepareSeconds: 0.25}}
}

func status(s wire.State, seen, steps int) wire.Message {
	return wire.Message{Kind: wire.KindStatus, Status: &wire.Status{State: s, Epoch: 1, Seen: seen, Steps: steps}}
}

func progress(seen int, loss, acc float64) wire.Message {
	return wire.Message{Kind: wire.KindProgress, Progress: &wire.Progress{Epoch: 1, Seen: seen, Steps: seen / 20,
		Loss: loss, Acc: acc, ExamplesPerSec: 1000, MemoryBytes: 64 << 20}}
}

func epochEnd(seen int, valAcc float64, best bool) wire.Message {
	return wire.Message{Kind: wire.KindEpoch, Epoch: &wire.Epoch{Epoch: 1, Seen: seen, ValLoss: 1 - valAcc, ValAcc: valAcc, Best: best}}
}

func snapshotOf(net *nn.Network, seen int, best bool) wire.Message {
	return wire.Message{Kind: wire.KindSnapshot, Snapshot: &wire.Snapshot{Epoch: 1, Seen: seen, Steps: seen / 20, Best: best},
		Weights: make([]float32, len(net.WeightData()))}
}

func done(seen int, acc float64) wire.Message {
	return wire.Message{Kind: wire.KindDone, Done: &wire.Done{Reason: "stopped", Seen: seen, Test: wire.Test{N: 10000, Acc: acc}}}
}

func evaluation(acc float64) wire.Message {
	return wire.Message{Kind: wire.KindEvaluation, Test: &wire.Test{N: 10000, Acc: acc}}
}

func failure(msg string, diverged bool) wire.Message {
	return wire.Message{Kind: wire.KindError, Error: &wire.Error{Message: msg, Diverged: diverged}}
}

// testRun is the start message of the tests' sessions: 2 epochs of batches
// of 20, with shift and scale augmentation.
var testRun = wire.Start{Dataset: "mnist", Config: train.Config{Epochs: 2, BatchSize: 20, Seed: 7,
	Optimizer: nn.OptimizerSpec{Kind: "adam", LR: 0.001}, Augment: dataset.Augment{MaxShift: 2, MaxScale: 0.1}}}

// testNet builds the tests' small network (784 → 10).
func testNet(t *testing.T) *nn.Network {
	t.Helper()
	spec := nn.Spec{Input: nn.Shape{H: 28, W: 28, C: 1}, Layers: []nn.LayerSpec{{Type: "flatten"}, {Type: "dense", Units: 10}, {Type: "softmax"}}}
	net, err := nn.Build(spec, rand.New(rand.NewPCG(1, 0)))
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// stateView is what the panel shows of a trainState, to compare.
type stateView struct {
	phase, err, status    string
	seen, steps           int
	loss, acc, valPts     int // chart points
	best                  float64
	hasBest               bool
	testTitle             string
	testAcc               float64
	publishAt             int
	describe              string
	session, follow       bool
	loaded, total         int64
	startedSet            bool
	eps                   float64
	t97, seen97           float64
	workers, memory, test int
}

func viewOf(s *trainState) stateView {
	v := stateView{phase: s.phase, err: s.err, status: s.statusText("mnist"), seen: s.seen, steps: s.steps,
		loss: len(s.lossPts), acc: len(s.accPts), valPts: len(s.valAcc), best: s.bestVal, hasBest: s.hasBest,
		testTitle: s.testTitle, publishAt: s.publishAt, describe: s.describe, session: s.session(), follow: s.follow,
		loaded: s.loaded, total: s.total, startedSet: s.started != nil, eps: s.eps, t97: s.t97, seen97: s.seen97,
		workers: s.workers(), memory: int(s.workerMem >> 20), test: s.testN()}
	if len(s.valLoss) != len(s.valAcc) {
		v.valPts = -1
	}
	if s.test != nil {
		v.testAcc = s.test.Acc
	}
	return v
}

// TestTrainState feeds the state message sequences, with the user's
// actions between them, and compares what the panel would show.
func TestTrainState(t *testing.T) {
	net := testNet(t)
	const shipped = "The shipped digits model classifies your drawing."
	// Actions of the user between messages.
	begin := func(s *trainState) { s.begin(testRun, net) }
	command := func(k wire.Kind) func(*trainState) { return func(s *trainState) { s.command(k) } }
	detach := func(s *trainState) { s.detach() }
	// running is a session that has started and trained 1000 examples.
	running := []any{begin, data(11<<20, 11<<20, true), started("mnist", dataset.MNISTClasses), status(wire.StateRunning, 0, 0),
		progress(500, 1.5, 0.6), progress(1000, 0.9, 0.8)}
	with := func(steps ...any) []any { return append(slices.Clip(running), steps...) }
	base := stateView{phase: "running", status: "Training on MNIST digits: epoch 1 of 2.", seen: 1000, steps: 50, loss: 2, acc: 2,
		publishAt: -1, describe: shipped, session: true, follow: true, loaded: 11 << 20, total: 11 << 20, startedSet: true,
		eps: 1000, workers: 2, memory: 64, test: 10000}
	for _, c := range []struct {
		name  string
		steps []any // wire.Message from the worker, or func(*trainState) for the user
		want  func(v *stateView)
	}{
		{"idle", nil, func(v *stateView) {
			*v = stateView{phase: phaseIdle, status: "Choose a network and press Start. The first time, the browser downloads the dataset (about 11 MB).",
				publishAt: -1, describe: shipped, test: 10000}
		}},
		{"downloading", []any{begin, data(1<<20, 11<<20, false)}, func(v *stateView) {
			*v = stateView{phase: phaseLoading, status: "Downloading MNIST digits: 1 MB of 11 MB", publishAt: -1, describe: shipped,
				follow: true, loaded: 1 << 20, total: 11 << 20, test: 10000}
		}},
		{"preparing", []any{begin, data(11<<20, 11<<20, false), data(11<<20, 11<<20, true)}, func(v *stateView) {
			*v = stateView{phase: phaseLoading, status: "Preparing the MNIST digits images…", publishAt: -1, describe: shipped,
				follow: true, loaded: 11 << 20, total: 11 << 20, test: 10000}
		}},
		{"running", running, func(v *stateView) {}},
		{"epoch and snapshot", with(epochEnd(1000, 0.95, true), snapshotOf(net, 1000, false)), func(v *stateView) {
			v.valPts, v.best, v.hasBest, v.publishAt = 1, 0.95, true, 1000
		}},
		{"a worse epoch is not the best", with(epochEnd(1000, 0.95, true), epochEnd(2000, 0.9, false)), func(v *stateView) {
			v.valPts, v.best, v.hasBest = 2, 0.95, true
		}},
		{"no validation set", with(wire.Message{Kind: wire.KindEpoch, Epoch: &wire.Epoch{Epoch: 1, Seen: 1000, NoValidation: true}}), func(v *stateView) {}},
		{"97% validation, once", with(epochEnd(1000, 0.975, true), epochEnd(2000, 0.98, true)), func(v *stateView) {
			// The clock ticks 1000 ms a reading: started read 1000, the
			// first epoch 2000.
			v.valPts, v.best, v.hasBest, v.t97, v.seen97 = 2, 0.98, true, 1000, 1000
		}},
		{"pause", with(snapshotOf(net, 1000, false), status(wire.StatePaused, 1000, 50)), func(v *stateView) {
			v.phase, v.status, v.publishAt = "paused", "Paused after 1 000 examples. Resume, or step one batch of 20 at a time.", 1000
		}},
		{"evaluate the current weights", with(status(wire.StateEvaluating, 1000, 50), evaluation(0.91), status(wire.StateRunning, 1000, 50)), func(v *stateView) {
			v.testTitle, v.testAcc = "Test of the current weights", 0.91
		}},
		{"evaluating", with(command(wire.KindStop), status(wire.StateEvaluating, 1000, 50)), func(v *stateView) {
			v.phase, v.status = "evaluating", "Testing on the 10 000 test images, which training never saw…"
		}},
		{"stop and test", with(command(wire.KindStop), status(wire.StateEvaluating, 1000, 50), snapshotOf(net, 1000, true), done(1000, 0.97)), func(v *stateView) {
			v.phase, v.status, v.testTitle, v.testAcc = "done", "Done after 1 000 examples: 97.00% of the test images right.", "Test", 0.97
			v.publishAt, v.describe = 1000, describeBest
		}},
		{"stopped without a test", with(status(wire.StateDone, 1000, 50)), func(v *stateView) {
			v.phase, v.status = "done", "Stopped after 1 000 examples."
		}},
		{"divergence", with(progress(1500, math.NaN(), math.Inf(1)), epochEnd(1500, math.NaN(), true), snapshotOf(net, 1000, true),
			failure("the loss is not a finite number", true), status(wire.StateDone, 1500, 75)), func(v *stateView) {
			// Non-finite figures are not charted and never the best.
			v.phase, v.status, v.seen, v.steps = "done", "Stopped after 1 500 examples.", 1500, 75
			v.err = "Training stopped: the loss is not a finite number."
			v.publishAt, v.describe = 1000, describeBest
		}},
		{"a refused command", with(failure("no epoch has ended yet", false)), func(v *stateView) {
			v.err = "no epoch has ended yet"
		}},
		{"a command clears the error", with(failure("no epoch has ended yet", false), command(wire.KindPause)), func(v *stateView) {}},
		{"a snapshot that does not fit", with(wire.Message{Kind: wire.KindSnapshot, Snapshot: &wire.Snapshot{Seen: 1000}, Weights: make([]float32, 3)}),
			func(v *stateView) {
				v.err = "A weight snapshot did not fit the network: weights: got 3 values, the network has 7850"
			}},
		{"another model chosen: snapshots stay in the panel", with(detach, snapshotOf(net, 1000, false), done(1000, 0.97)), func(v *stateView) {
			v.follow, v.phase, v.status, v.testTitle, v.testAcc = false, "done", "Done after 1 000 examples: 97.00% of the test images right.", "Test", 0.97
		}},
		{"resume follows the session again", with(detach, command(wire.KindResume), snapshotOf(net, 1000, false)), func(v *stateView) {
			v.publishAt = 1000
		}},
		{"restore best", with(epochEnd(1000, 0.95, true), command(wire.KindRestoreBest), snapshotOf(net, 1000, true), status(wire.StateRunning, 1000, 50)),
			func(v *stateView) {
				v.valPts, v.best, v.hasBest, v.publishAt, v.describe = 1, 0.95, true, 1000, describeBest
			}},
		{"a refused start", []any{begin, failure("the dataset could not be downloaded", false)}, func(v *stateView) {
			*v = stateView{phase: phaseIdle, err: "the dataset could not be downloaded", publishAt: -1, describe: shipped, follow: true, test: 10000,
				status: "Choose a network and press Start. The first time, the browser downloads the dataset (about 11 MB)."}
		}},
		{"a start that fails once started", []any{begin, started("mnist", dataset.MNISTClasses), failure("out of memory", false)}, func(v *stateView) {
			*v = stateView{phase: "done", err: "out of memory", status: "Stopped after 0 examples.", publishAt: -1, describe: shipped,
				session: true, follow: true, startedSet: true, workers: 2, test: 10000}
		}},
		{"start again: the last session's messages are stale until started",
			with(epochEnd(1000, 0.95, true), begin, progress(1500, 0.5, 0.9), epochEnd(1500, 0.96, true), snapshotOf(net, 1500, true),
				status(wire.StatePaused, 1500, 75), failure("the loss is not a finite number", true), done(1500, 0.97), evaluation(0.9)),
			func(v *stateView) {
				// The worker's memory is its peak, whatever the session.
				*v = stateView{phase: phaseLoading, status: "Downloading MNIST digits…", publishAt: -1, describe: shipped, follow: true, test: 10000, memory: 64}
			}},
		{"start again: the new session's messages count",
			with(begin, progress(1500, 0.5, 0.9), data(2<<20, 11<<20, false), started("mnist", dataset.MNISTClasses), status(wire.StateRunning, 0, 0), progress(20, 2, 0.1)),
			func(v *stateView) {
				v.seen, v.steps, v.loss, v.acc, v.loaded = 20, 1, 1, 1, 2<<20
			}},
		{"reset: the training before it is stale until its status",
			with(epochEnd(1000, 0.95, true), command(wire.KindReset), progress(1500, 0.5, 0.9), epochEnd(1500, 0.96, true), snapshotOf(net, 1500, false),
				status(wire.StateRunning, 1500, 75), done(1500, 0.97), failure("the loss is not a finite number", true)),
			func(v *stateView) {
				v.status, v.seen, v.steps, v.loss, v.acc, v.eps = "Training on MNIST digits: epoch 0 of 2.", 0, 0, 0, 0, 0
			}},
		{"reset: its snapshot and status, then training again",
			with(command(wire.KindReset), progress(1500, 0.5, 0.9), snapshotOf(net, 0, false), status(wire.StatePaused, 0, 0),
				command(wire.KindResume), status(wire.StateRunning, 0, 0), progress(20, 2, 0.1)),
			func(v *stateView) {
				v.seen, v.steps, v.loss, v.acc, v.publishAt = 20, 1, 1, 1, 0
			}},
		{"reset refused: the session's messages count again",
			with(command(wire.KindReset), failure("could not reach training worker 2", false), progress(1500, 0.5, 0.9)),
			func(v *stateView) {
				v.err, v.seen, v.steps, v.loss, v.acc = "could not reach training worker 2", 1500, 75, 1, 1
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			clock := 0.0
			s := newTrainState(func() float64 { clock += 1000; return clock }, shipped)
			for _, step := range c.steps {
				switch step := step.(type) {
				case wire.Message:
					if err := step.Check(); err != nil {
						t.Fatalf("the test's message: %v", err)
					}
					s.handle(step)
				case func(*trainState):
					step(s)
				default:
					t.Fatalf("step %T", step)
				}
			}
			want := base
			c.want(&want)
			if got := viewOf(s); got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestTrainStatePublish: a snapshot's weights go into the session's
// network, published once as a model whose record says how it was
// trained.
func TestTrainStatePublish(t *testing.T) {
	net := testNet(t)
	s := newTrainState(func() float64 { return 0 }, "shipped")
	if s.publishing() || s.publish("convnetjs") != nil {
		t.Fatal("a model to publish before any session")
	}
	s.begin(testRun, net)
	for _, m := range []wire.Message{started("fashion", dataset.FashionClasses), status(wire.StateRunning, 0, 0),
		progress(1000, 0.9, 0.8), epochEnd(1000, 0.9, true)} {
		s.handle(m)
	}
	snap := snapshotOf(net, 1000, false)
	snap.Weights[0] = 0.5
	s.handle(snap)
	if !s.publishing() || net.WeightData()[0] != 0.5 {
		t.Fatalf("the snapshot is not in the network to publish (publishing %v, weight %v)", s.publishing(), net.WeightData()[0])
	}
	s.handle(done(1200, 0.93))
	m := s.publish("custom")
	if m == nil {
		t.Fatal("nothing published")
	}
	if m.Net != net || !slices.Equal(m.Classes, dataset.FashionClasses) {
		t.Errorf("published %p with classes %v, want the session's network %p and Fashion-MNIST's", m.Net, m.Classes, net)
	}
	r := m.Record
	if r.Dataset != "mnist" || r.Examples != 1200 || r.Epochs != 1 || r.Seed != 7 || r.Batch != 20 || r.Optimizer.Kind != "adam" ||
		r.Augment != "shift ±2 px, scale ±10%" || r.ValAcc != 0.9 || r.TestAcc != 0.93 || r.Command != "cnnplay in the browser, preset custom" {
		t.Errorf("record %+v", r)
	}
	if s.describe != describeTraining {
		t.Errorf("describe = %q", s.describe)
	}
	if s.publishing() || s.publish("custom") != nil {
		t.Error("published twice")
	}
	// The best weights, restored, keep saying so once training is over;
	// while it runs, the weights change and the text says that.
	s.handle(snapshotOf(net, 1200, true))
	s.publish("custom")
	if s.describe != describeBest {
		t.Errorf("after the best weights, done: describe = %q", s.describe)
	}
	s.handle(status(wire.StateRunning, 1200, 60))
	s.handle(snapshotOf(net, 1200, true))
	s.publish("custom")
	if s.describe != describeTraining {
		t.Errorf("after the best weights, running: describe = %q", s.describe)
	}
}

// TestTrainStateTexts: the status line names the session's dataset, or the
// settings' before one has started, and the classes follow.
func TestTrainStateTexts(t *testing.T) {
	s := newTrainState(func() float64 { return 0 }, "")
	s.begin(testRun, testNet(t))
	if got := s.statusText("fashion"); got != "Downloading Fashion-MNIST…" {
		t.Errorf("before started: %q", got)
	}
	if got := s.classes("fashion"); !slices.Equal(got, dataset.FashionClasses) {
		t.Errorf("classes before started: %v", got)
	}
	s.handle(started("mnist", dataset.MNISTClasses))
	if got := s.statusText("fashion"); got != "Downloading MNIST digits…" {
		t.Errorf("after started: %q", got)
	}
	if got := s.classes("fashion"); !slices.Equal(got, dataset.MNISTClasses) {
		t.Errorf("classes after started: %v", got)
	}
	if s.loadTimes != [2]float64{0.5, 0.25} {
		t.Errorf("load times %v", s.loadTimes)
	}
}

// TestDescribeRecord: a model file's record names its dataset by the
// registry's title, and a dataset this page does not know by its own name,
// not as MNIST.
func TestDescribeRecord(t *testing.T) {
	for _, c := range []struct {
		r    model.Record
		want string
	}{
		{model.Record{Dataset: "fashion", Examples: 1200, TestAcc: 0.9}, " (Fashion-MNIST, 1 200 examples, test 90.00%)."},
		{model.Record{Dataset: "cifar10"}, " (cifar10)."},
		{model.Record{}, "."},
	} {
		if got := describeRecord(c.r); got != c.want {
			t.Errorf("describeRecord(%+v) = %q, want %q", c.r, got, c.want)
		}
	}
}
