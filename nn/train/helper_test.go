package train

import (
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
)

// replicaWeights waits for the goroutine helpers' last jobs and returns
// their weights.
func replicaWeights(tr *Trainer) [][]float32 {
	var ws [][]float32
	for _, h := range tr.helpers {
		lh := h.(*localHelper)
		<-lh.prev
		ws = append(ws, lh.r.w.net.WeightData())
	}
	return ws
}

// TestHelpersStayInStep: the helpers take the Trainer's optimizer steps
// themselves (with one helper from the Trainer's part of the gradient and
// its own, with more from the whole), so their weights must equal the
// Trainer's bit for bit after every step: with a learning rate that decays
// between epochs, with last batches too small to give every helper a part
// (or any, at batch size 1), with momentum, and after the best weights are
// restored mid-training, which starts the optimizers afresh.
func TestHelpersStayInStep(t *testing.T) {
	data := fixture(t, "train-2000", 41) // last batches of 20 and 1
	val := fixture(t, "t10k-500", 40)
	for _, c := range []struct {
		workers, batch int
		opt            nn.OptimizerSpec
	}{
		{2, 21, nn.OptimizerSpec{Kind: "adam", LR: 0.01}}, // parts of 11 and 10
		{3, 20, nn.OptimizerSpec{Kind: "sgd", LR: 0.05, Momentum: 0.9, L2: 1e-3}},
		{2, 1, nn.OptimizerSpec{Kind: "adadelta"}},
	} {
		cfg := Config{Optimizer: c.opt, BatchSize: c.batch, Epochs: 3, Seed: 3, LRDecay: 0.7, Workers: c.workers}
		tr := newTrainer(t, "lenet5", cfg, data, val)
		check := func(when string) {
			t.Helper()
			for i, w := range replicaWeights(tr) {
				if !slices.Equal(w, tr.Net.WeightData()) {
					t.Fatalf("%d workers, batch %d, %s: helper %d's weights differ from the Trainer's", c.workers, c.batch, when, i+1)
				}
			}
		}
		steps := 0
		for !tr.Done() {
			st, err := tr.Step()
			if err != nil {
				t.Fatal(err)
			}
			steps++
			if st.EpochEnd != nil && st.EpochEnd.Epoch == 1 {
				check("after an epoch")
				tr.RestoreBest()
			}
			if steps%7 == 0 {
				tr.Settle()
				check("after a step")
			}
		}
		check("at the end")
	}
}

// TestRestoreBestAcrossWorkers: after the best weights are restored
// mid-training, one worker and two (nothing random) go on to train the
// same weights up to float rounding: both start their optimizers afresh.
func TestRestoreBestAcrossWorkers(t *testing.T) {
	data := fixture(t, "train-2000", 100)
	val := fixture(t, "t10k-500", 50)
	run := func(workers int) []float32 {
		cfg := Config{Optimizer: nn.OptimizerSpec{Kind: "adam", LR: 0.002}, BatchSize: 25, Epochs: 2, Seed: 9, Workers: workers}
		tr := newTrainer(t, "lenet5", cfg, data, val)
		for !tr.Done() {
			st, err := tr.Step()
			if err != nil {
				t.Fatal(err)
			}
			if st.EpochEnd != nil && st.EpochEnd.Epoch == 1 {
				tr.RestoreBest()
			}
		}
		return tr.Net.Weights()
	}
	one, two := run(1), run(2)
	worst := 0.0
	for i := range one {
		worst = max(worst, float64(abs(one[i]-two[i])))
	}
	if worst > 1e-4 {
		t.Errorf("after restoring the best weights, two workers differ from one by up to %g", worst)
	}
}

// TestNoStaleWeightWork: the layers keep work derived from their weights
// between passes (nn.Param), so every way this package sets weights must
// say so: after the best weights are restored, and after a helper's job
// brings weights, the next inference equals a fresh network's with the
// same weights, bit for bit.
func TestNoStaleWeightWork(t *testing.T) {
	data := fixture(t, "train-2000", 60)
	val := fixture(t, "t10k-500", 30)
	cfg := Config{Optimizer: nn.OptimizerSpec{Kind: "adam", LR: 0.01}, BatchSize: 10, Epochs: 3, Seed: 4, Workers: 2}
	tr := newTrainer(t, "lenet5", cfg, data, val)
	x := make([]float32, 4*tr.Net.InShape().Size())
	for i := range x {
		x[i] = float32(i%17) / 17
	}
	same := func(what string, net *nn.Network) {
		t.Helper()
		got := slices.Clone(net.Forward(x, 4, nn.Pass{}))
		if want := net.Clone().Forward(x, 4, nn.Pass{}); !slices.Equal(got, want) {
			t.Fatalf("%s: the inference differs from a fresh network's with the same weights", what)
		}
	}
	for !tr.Done() {
		st, err := tr.Step()
		if err != nil {
			t.Fatal(err)
		}
		same("after a step", tr.Net)
		if st.EpochEnd != nil && st.EpochEnd.Epoch == 2 {
			tr.RestoreBest()
			same("after RestoreBest", tr.Net)
		}
	}

	r, err := NewReplica(tr.Net.Spec, data, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	half := tr.Net.Weights()
	for i := range half {
		half[i] *= 0.5
	}
	for i, w := range [][]float32{tr.Net.Weights(), half} {
		if _, err := r.Do(Job{Weights: w, Examples: []int{0, 1, 2}}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.w.net.WeightData(), w) {
			t.Fatalf("job %d: the replica does not hold the job's weights", i)
		}
		same("a replica after a job with weights", r.w.net)
	}
}
