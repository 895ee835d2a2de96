package session

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/cnnplay/cnnplay/internal/budget"
	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/train"
)

// Measuring speed: the page estimates an epoch's time from a short
// measurement of the chosen network on this machine, rather than from its
// operation count and an assumed rate (budget.AssumedFLOPS), which was
// 13 times off for the convnetjs preset once the SIMD kernels came. The
// measurement is a session like any other, on the same workers, trained on
// random images (Start.Synthetic), so that nothing is downloaded.

// Measurement sizes and bounds.
const (
	// MeasureSteps is the fewest training steps timed (unless
	// MeasureBudget runs out first).
	MeasureSteps = 20
	// measureWarmup steps go first, untimed, for at least
	// measureWarmupTime: the first steps allocate buffers and run code the
	// browser has not compiled fully yet (V8 compiles WebAssembly quickly
	// first and optimises hot functions in the background). The measuring
	// worker is a fresh one: 3 steps of the convnetjs preset (60 ms) left
	// its estimate 1.8 times the real epoch.
	measureWarmup     = 3
	measureWarmupTime = 500 * time.Millisecond
	// measureTime is the least time the timed steps take, so that a small
	// network is timed on more than a few milliseconds.
	measureTime = 500 * time.Millisecond
	// measureMaxSteps bounds the steps of warmup and timing alike (the
	// random images are made for that many).
	measureMaxSteps = 400
	// MeasureBudget is the most time the timed steps may take: a large
	// network is timed on fewer steps rather than keep the worker busy.
	MeasureBudget = 2 * time.Second
	// measureEvalImages is the number of forward passes timed for the
	// validation's share of an epoch.
	measureEvalImages = 200
	// syntheticSide is the side of the random images: that of the
	// registry's images (MNIST's, and one's own prepared like them).
	syntheticSide = 28
)

// Measure times training steps of start's network, with start's
// optimizer, batch size and augmentation, on random images of the
// dataset's size, on len(ports)+1 workers (ports as for NewWithHelpers;
// nil for one). The error is meant for the user: a network that cannot
// train says why, as New does.
func Measure(m wire.Measure, ports []Port) (wire.Measured, error) {
	start := m.Start
	batch := max(start.Config.BatchSize, 1)
	// One more batch than the steps, so that no epoch ends (and no
	// validation or copy of the best weights is timed).
	start.Synthetic = batch * (2*measureMaxSteps + 1)
	start.Validation, start.Limit, start.Paused, start.SnapshotEvery = -1, 0, false, 0
	start.Config.Epochs, start.Config.Patience = 1, 0
	var s *Session
	var err error
	if len(ports) > 0 {
		s, err = NewWithHelpers(start, Data{}, nil, ports)
	} else {
		start.Config.Workers, start.AutoWorkers = 1, 0
		s, err = New(start, Data{}, nil)
	}
	if err != nil {
		return wire.Measured{}, err
	}
	defer s.Close()
	out := wire.Measured{Key: m.Key, Batch: batch, Workers: max(s.cfg.Workers, 1)}
	t0 := time.Now()
	for warm := 0; warm < measureWarmup || (warm < measureMaxSteps && time.Since(t0) < measureWarmupTime); warm++ {
		if _, err := s.tr.Step(); err != nil {
			return wire.Measured{}, fmt.Errorf("measuring the network: %w", err)
		}
	}
	t0 = time.Now()
	for out.Steps == 0 || (out.Steps < measureMaxSteps && time.Since(t0) < MeasureBudget &&
		(out.Steps < MeasureSteps || time.Since(t0) < measureTime)) {
		if _, err := s.tr.Step(); err != nil {
			return wire.Measured{}, fmt.Errorf("measuring the network: %w", err)
		}
		out.Steps++
	}
	out.TrainSecs = time.Since(t0).Seconds() / float64(out.Steps*batch)
	eval := syntheticSet(start, s.classes, measureEvalImages, 0x6576)
	t0 = time.Now()
	train.Evaluate(s.net, eval, s.tr.EvalBatch())
	out.EvalSecs = time.Since(t0).Seconds() / float64(eval.N)
	return out, nil
}

// Rate is a measurement's speed, for budget.
func Rate(m wire.Measured) budget.Rate {
	return budget.Rate{TrainSecs: m.TrainSecs, EvalSecs: m.EvalSecs}
}

// syntheticSet returns n random images of the dataset's size (at least the
// network's input) with random labels, from start's seed and stream: the
// same on the leader and its helpers.
func syntheticSet(start wire.Start, classes []string, n int, stream uint64) *dataset.Set {
	h, w := max(start.Spec.Input.H, syntheticSide), max(start.Spec.Input.W, syntheticSide)
	rng := rand.New(rand.NewPCG(start.Config.Seed, stream))
	s := &dataset.Set{Name: "random", Pixels: make([]byte, n*h*w), Labels: make([]uint8, n), N: n, H: h, W: w, Classes: classes}
	for i := range s.Pixels {
		s.Pixels[i] = uint8(rng.UintN(256))
	}
	for i := range s.Labels {
		s.Labels[i] = uint8(rng.IntN(max(len(classes), 1)))
	}
	return s
}

// testSet reads the test set of data, or makes a small random one for a
// session that only measures.
func testSet(start wire.Start, classes []string, data Data) (*dataset.Set, error) {
	if start.Synthetic > 0 {
		return syntheticSet(start, classes, 1, 0x7465), nil
	}
	return dataset.Load(data.Open(2), data.Open(3), start.Dataset+"-test", classes)
}
