package train

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

func fixture(t *testing.T, name string, n int) *dataset.Set {
	t.Helper()
	s, err := dataset.LoadFiles(
		"../../testdata/mnist/"+name+"-images-idx3-ubyte.gz",
		"../../testdata/mnist/"+name+"-labels-idx1-ubyte.gz",
		"mnist-"+name, dataset.MNISTClasses)
	if err != nil {
		t.Fatal(err)
	}
	return s.Head(n)
}

func newTrainer(t *testing.T, preset string, cfg Config, trainSet, val *dataset.Set) *Trainer {
	t.Helper()
	spec, err := nn.Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	net, err := nn.Build(spec, rand.New(rand.NewPCG(cfg.Seed, 0)))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := New(net, trainSet, val, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func runAll(t *testing.T, tr *Trainer) []*Epoch {
	t.Helper()
	var epochs []*Epoch
	for !tr.Done() {
		st, err := tr.Step()
		if err != nil {
			t.Fatal(err)
		}
		if st.EpochEnd != nil {
			epochs = append(epochs, st.EpochEnd)
		}
	}
	return epochs
}

// TestConvergesOnRealMNIST trains ConvNetJS's net for one epoch on 2000 real
// MNIST digits (1800 after the validation split) and demands test accuracy
// far above chance on 500 unseen test digits.
func TestConvergesOnRealMNIST(t *testing.T) {
	all := fixture(t, "train-2000", 2000)
	trainSet, val := all.Split(200, rand.New(rand.NewPCG(1, 1)))
	test := fixture(t, "t10k-500", 500)
	cfg := Config{Optimizer: nn.OptimizerSpec{Kind: "adadelta"}, BatchSize: 20, Epochs: 1, Seed: 1}
	tr := newTrainer(t, "convnetjs", cfg, trainSet, val)
	before := Evaluate(tr.Net, test, 100)
	epochs := runAll(t, tr)
	if len(epochs) != 1 || !epochs[0].Best {
		t.Fatalf("epochs %+v", epochs)
	}
	after := Evaluate(tr.Net, test, 100)
	t.Logf("test accuracy %.3f before, %.3f after one epoch; validation %.3f", before.Acc, after.Acc, epochs[0].ValAcc)
	if after.Acc < 0.80 {
		t.Errorf("test accuracy %.3f after one epoch on 1800 digits, want at least 0.80", after.Acc)
	}
	total := 0
	for y, row := range after.Confusion {
		for _, c := range row {
			total += c
		}
		if row[y] == 0 {
			t.Errorf("class %d never predicted right", y)
		}
	}
	if total != 500 {
		t.Errorf("confusion matrix counts %d examples, want 500", total)
	}
}

// TestDeterministicAndWorkersAgree: the same seed trains the same weights bit
// for bit, and two workers give the same model up to float rounding.
func TestDeterministicAndWorkersAgree(t *testing.T) {
	data := fixture(t, "train-2000", 240)
	cfg := Config{Optimizer: nn.OptimizerSpec{Kind: "sgd", LR: 0.05, Momentum: 0.9}, BatchSize: 24, Epochs: 1, Seed: 3}
	run := func(workers int) []float32 {
		c := cfg
		c.Workers = workers
		tr := newTrainer(t, "lenet5", c, data, nil)
		runAll(t, tr)
		return tr.Net.Weights()
	}
	a, b, two := run(1), run(1), run(2)
	if !slices.Equal(a, b) {
		t.Fatal("the same seed trained different weights")
	}
	worst := 0.0
	for i := range a {
		worst = max(worst, float64(abs(a[i]-two[i])))
	}
	if worst > 1e-4 {
		t.Errorf("two workers differ from one by up to %g", worst)
	}
}

func abs(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

// TestDivergenceKeepsBestWeights: an absurd learning rate makes the loss NaN;
// Step says so, names the learning rate, and the network holds the best
// weights (here the initial ones, since no epoch completed).
func TestDivergenceKeepsBestWeights(t *testing.T) {
	data := fixture(t, "train-2000", 200)
	cfg := Config{Optimizer: nn.OptimizerSpec{Kind: "sgd", LR: 10}, BatchSize: 10, Epochs: 3, Seed: 1}
	tr := newTrainer(t, "mlp", cfg, data, nil)
	initial := tr.Net.Weights()
	var err error
	for !tr.Done() && err == nil {
		_, err = tr.Step()
	}
	if !errors.Is(err, ErrDiverged) || !strings.Contains(err.Error(), "learning rate (10) is probably too high") {
		t.Fatalf("error %v, want divergence naming the learning rate", err)
	}
	if !slices.Equal(tr.Net.Weights(), initial) {
		t.Error("the network does not hold the best weights after divergence")
	}
}

func TestEarlyStoppingAndBest(t *testing.T) {
	data := fixture(t, "train-2000", 100)
	val := fixture(t, "t10k-500", 100)
	// A tiny learning rate barely moves validation accuracy, so patience 1
	// stops within a few epochs rather than running all 50.
	cfg := Config{Optimizer: nn.OptimizerSpec{Kind: "sgd", LR: 1e-7}, BatchSize: 50, Epochs: 50, Seed: 1, Patience: 1}
	tr := newTrainer(t, "lenet5", cfg, data, val)
	epochs := runAll(t, tr)
	last := epochs[len(epochs)-1]
	if !last.StoppedEarly || len(epochs) == 50 {
		t.Fatalf("ran %d epochs, last %+v; want an early stop", len(epochs), last)
	}
	tr.RestoreBest()
	bestAcc := 0.0
	for _, e := range epochs {
		bestAcc = max(bestAcc, e.ValAcc)
	}
	if got := Evaluate(tr.Net, val, 50).Acc; got != bestAcc {
		t.Errorf("restored weights score %.3f, the best epoch scored %.3f", got, bestAcc)
	}
}

func TestConfigRejectsAbsurdValues(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{BatchSize: 0, Epochs: 1}, "batch size must be between 1 and 4096, got 0"},
		{Config{BatchSize: 10, Epochs: 0}, "epochs must be between 1 and 1000"},
		{Config{BatchSize: 10, Epochs: 1, Augment: dataset.Augment{MaxRotate: 720}}, "rotation"},
	} {
		if err := c.cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
	}
}

func TestLRDecayPerEpoch(t *testing.T) {
	data := fixture(t, "train-2000", 40)
	cfg := Config{Optimizer: nn.OptimizerSpec{Kind: "sgd", LR: 0.1}, BatchSize: 20, Epochs: 3, Seed: 1, LRDecay: 0.5}
	tr := newTrainer(t, "lenet5", cfg, data, nil)
	runAll(t, tr)
	if got := tr.opt.LR(); got != 0.1*0.5*0.5*0.5 {
		t.Errorf("learning rate after 3 epochs with decay 0.5: %v, want %v", got, 0.1*0.125)
	}
}

// syncHelper is a Helper that does each job as it starts, in the
// Trainer's goroutine, on a Replica built on its own copy of the training
// set, and hands out copies of its gradients: nothing is shared and
// nothing runs at the same time, unlike the goroutine helpers.
type syncHelper struct {
	r       *Replica
	answers []answer
}

func (h *syncHelper) Start(j Job) {
	s, err := h.r.Do(j)
	if len(j.Examples) == 0 {
		return
	}
	for k := range s.Grads {
		s.Grads[k] = slices.Clone(s.Grads[k])
	}
	h.answers = append(h.answers, answer{s, err})
	h.r.Ahead()
}

func (h *syncHelper) Wait() (Share, error) {
	a := h.answers[0]
	h.answers = h.answers[1:]
	return a.s, a.err
}

// TestHelpersMatchGoroutineWorkers: a Trainer whose helpers do their jobs
// one at a time as they start trains the same weights, bit for bit, as one with goroutine workers, with
// dropout and augmentation on; and the same as one worker up to rounding
// without them.
func TestHelpersMatchGoroutineWorkers(t *testing.T) {
	data := fixture(t, "train-2000", 300)
	spec, err := nn.Preset("mlp")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Optimizer: nn.OptimizerSpec{Kind: "adam", LR: 0.001}, BatchSize: 50, Epochs: 1, Seed: 5,
		Augment: dataset.Augment{MaxShift: 2, MaxRotate: 10}}
	run := func(cfg Config, helpers int) []float32 {
		net, err := nn.Build(spec, rand.New(rand.NewPCG(cfg.Seed, 0)))
		if err != nil {
			t.Fatal(err)
		}
		var hs []Helper
		if helpers >= 0 {
			hs = []Helper{}
			for i := 1; i <= helpers; i++ {
				own := *data
				own.Pixels, own.Labels = slices.Clone(data.Pixels), slices.Clone(data.Labels)
				r, err := NewReplica(spec, &own, cfg, i)
				if err != nil {
					t.Fatal(err)
				}
				hs = append(hs, &syncHelper{r: r})
			}
		}
		tr, err := NewWithHelpers(net, data, nil, cfg, hs)
		if err != nil {
			t.Fatal(err)
		}
		runAll(t, tr)
		return tr.Net.Weights()
	}
	for _, workers := range []int{2, 3} {
		c := cfg
		c.Workers = workers
		if !slices.Equal(run(c, -1), run(c, workers-1)) {
			t.Errorf("%d workers: helpers trained other weights than goroutine workers", workers)
		}
	}
	plain := cfg
	plain.Augment = dataset.Augment{}
	spec, err = nn.Preset("lenet5")
	if err != nil {
		t.Fatal(err)
	}
	one := run(plain, -1)
	plain.Workers = 3
	three := run(plain, 2)
	worst := 0.0
	for i := range one {
		worst = max(worst, float64(abs(one[i]-three[i])))
	}
	if worst > 1e-4 {
		t.Errorf("three workers (helpers) differ from one by up to %g", worst)
	}
	if _, err := NewWithHelpers(nil, data, nil, Config{BatchSize: 1, Epochs: 1, Workers: 3, Optimizer: cfg.Optimizer}, []Helper{}); err == nil {
		t.Error("NewWithHelpers accepted no helpers for 3 workers")
	}
}

// TestValidationNeedsNoMoreMemory: validation runs the Trainer's network in
// batches of its part of a training batch, so its buffers never grow
// beyond what training needs.
func TestValidationNeedsNoMoreMemory(t *testing.T) {
	data, val := fixture(t, "train-2000", 120), fixture(t, "t10k-500", 100)
	for _, c := range []struct{ workers, want int }{{1, 24}, {2, 12}, {3, 8}} {
		cfg := Config{Optimizer: nn.OptimizerSpec{Kind: "sgd", LR: 0.05}, BatchSize: 24, Epochs: 1, Seed: 3, Workers: c.workers}
		tr := newTrainer(t, "lenet5", cfg, data, val)
		if got := tr.EvalBatch(); got != c.want {
			t.Errorf("%d workers: EvalBatch %d, want %d", c.workers, got, c.want)
		}
		if e := runAll(t, tr); len(e) != 1 || e[0].ValidationMissed {
			t.Fatalf("%d workers: epochs %+v, want one validated", c.workers, e)
		}
		per := tr.Net.Layers[0].OutShape().Size()
		if got := cap(tr.Net.Output(0)) / per; got != c.want {
			t.Errorf("%d workers: after validation the network holds buffers for %d examples, want %d", c.workers, got, c.want)
		}
	}
}

// TestBestBreaksTiesByLoss trains on an easy set whose small validation set
// is classified without a mistake from early on: the weights kept are not
// those of the first epoch at that accuracy but those of the lowest
// validation loss among the epochs that reach it.
func TestBestBreaksTiesByLoss(t *testing.T) {
	ones := func(s *dataset.Set) *dataset.Set {
		var idx []int
		for i, l := range s.Labels {
			if l <= 1 {
				idx = append(idx, i)
			}
		}
		return s.Subset(idx)
	}
	data, val := ones(fixture(t, "train-2000", 2000)).Head(200), ones(fixture(t, "t10k-500", 500)).Head(20)
	cfg := Config{Optimizer: nn.OptimizerSpec{Kind: "adam"}, BatchSize: 20, Epochs: 6, Seed: 1, Workers: 1}
	tr := newTrainer(t, "lenet5", cfg, data, val)
	epochs := runAll(t, tr)
	bestAcc, first, lowest := 0.0, 0, 0
	for i, e := range epochs {
		t.Logf("epoch %d: accuracy %.3f loss %.5f best %v", e.Epoch, e.ValAcc, e.ValLoss, e.Best)
		if e.ValAcc > bestAcc {
			bestAcc, first, lowest = e.ValAcc, i, i
		} else if e.ValAcc == bestAcc && e.ValLoss < epochs[lowest].ValLoss {
			lowest = i
		}
	}
	if lowest == first {
		t.Fatalf("no later epoch tied the best accuracy with a lower loss: the test shows nothing")
	}
	tr.RestoreBest()
	if r := Evaluate(tr.Net, val, 20); r.Acc != bestAcc || math.Abs(r.Loss-epochs[lowest].ValLoss) > 1e-9 {
		t.Errorf("restored weights: accuracy %.3f loss %.5f; want epoch %d's %.3f and %.5f", r.Acc, r.Loss, lowest+1, bestAcc, epochs[lowest].ValLoss)
	}
}
