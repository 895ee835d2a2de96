package session

import (
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/train"
)

// fixtures reads the MNIST extracts: 2000 training and 500 test digits.
func fixtures(t *testing.T) Data {
	t.Helper()
	return BytesData(fixtureFiles(t))
}

// fixtureFiles returns the bytes of the files fixtures reads.
func fixtureFiles(t *testing.T) [4][]byte {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile("../../testdata/mnist/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return [4][]byte{
		read("train-2000-images-idx3-ubyte.gz"), read("train-2000-labels-idx1-ubyte.gz"),
		read("t10k-500-images-idx3-ubyte.gz"), read("t10k-500-labels-idx1-ubyte.gz"),
	}
}

func preset(t *testing.T, name string) nn.Spec {
	t.Helper()
	s, err := nn.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fakeClock advances by tick at every reading, so that time budgets and
// throttling are deterministic.
type fakeClock struct {
	t    time.Time
	tick time.Duration
}

func (c *fakeClock) now() time.Time { c.t = c.t.Add(c.tick); return c.t }

func newSession(t *testing.T, start wire.Start, data Data) *Session {
	t.Helper()
	s, err := New(start, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	setClock(s, time.Millisecond)
	return s
}

func setClock(s *Session, tick time.Duration) {
	s.now = (&fakeClock{t: time.Unix(0, 0), tick: tick}).now
	s.lastProg, s.lastSnap = s.now(), s.now()
}

// runToEnd runs s in 30 ms chunks until it is no longer busy and returns
// every message, each checked to encode.
func runToEnd(t *testing.T, s *Session) []wire.Message {
	t.Helper()
	var all []wire.Message
	for i := 0; s.Busy(); i++ {
		if i > 100000 {
			t.Fatal("the session never finished")
		}
		all = append(all, s.Run(30*time.Millisecond)...)
	}
	checkEncode(t, all)
	return all
}

func checkEncode(t *testing.T, msgs []wire.Message) {
	t.Helper()
	for _, m := range msgs {
		if _, _, err := wire.Encode(m); err != nil {
			t.Fatalf("message %+v does not encode: %v", m, err)
		}
	}
}

func kinds(msgs []wire.Message, k wire.Kind) []wire.Message {
	var out []wire.Message
	for _, m := range msgs {
		if m.Kind == k {
			out = append(out, m)
		}
	}
	return out
}

func adadelta(batch, epochs int) train.Config {
	return train.Config{Optimizer: nn.OptimizerSpec{Kind: "adadelta"}, BatchSize: batch, Epochs: epochs, Seed: 1}
}

// TestTrainsConvNetJS trains ConvNetJS's net for two epochs on 1800 real
// digits (200 held out for validation) and checks the whole conversation:
// progress, epochs with rising validation accuracy, snapshots, and at the end
// the best weights and the test results on 500 unseen digits.
func TestTrainsConvNetJS(t *testing.T) {
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "convnetjs"), Config: adadelta(20, 2), Validation: 200}
	s := newSession(t, start, fixtures(t))
	setClock(s, 10*time.Millisecond) // about 40 ms a batch
	st := s.Started().Started
	if st.Train != 1800 || st.Val != 200 || st.Test != 500 || st.EpochBatches != 90 || st.Params != s.net.ParamCount() {
		t.Fatalf("started %+v", st)
	}
	before := train.Evaluate(s.net, s.valSet, 100).Acc
	msgs := runToEnd(t, s)

	epochs := kinds(msgs, wire.KindEpoch)
	if len(epochs) != 2 {
		t.Fatalf("%d epoch messages, want 2", len(epochs))
	}
	e1, e2 := epochs[0].Epoch, epochs[1].Epoch
	t.Logf("validation accuracy %.3f before training, %.3f and %.3f after epochs 1 and 2", before, e1.ValAcc, e2.ValAcc)
	if before > 0.3 || e1.ValAcc < 0.75 || max(e1.ValAcc, e2.ValAcc) < 0.85 || e2.Seen != 3600 {
		t.Errorf("validation accuracy did not rise as expected: before %.3f, epochs %+v, %+v", before, e1, e2)
	}
	progress := kinds(msgs, wire.KindProgress)
	if len(progress) < 10 {
		t.Errorf("%d progress messages for 180 batches", len(progress))
	}
	for i, m := range progress {
		p := m.Progress
		if i > 0 && p.Seen <= progress[i-1].Progress.Seen || math.IsNaN(p.Loss) || p.Acc < 0 || p.Acc > 1 || p.ExamplesPerSec <= 0 {
			t.Fatalf("progress %d: %+v", i, p)
		}
	}
	if last := progress[len(progress)-1].Progress; last.Seen != 3600 || last.Steps != 180 || last.Epoch != 2 {
		t.Errorf("last progress %+v, want all 3600 examples in 180 steps of epoch 2", last)
	}
	snaps := kinds(msgs, wire.KindSnapshot)
	if len(snaps) < 3 {
		t.Errorf("%d snapshots", len(snaps))
	}
	for _, m := range snaps {
		if len(m.Weights) != s.net.ParamCount() {
			t.Fatalf("snapshot of %d weights, the network has %d", len(m.Weights), s.net.ParamCount())
		}
	}

	// The end: the best weights, done, status done, in that order.
	n := len(msgs)
	if n < 3 || msgs[n-3].Kind != wire.KindSnapshot || msgs[n-2].Kind != wire.KindDone || msgs[n-1].Kind != wire.KindStatus {
		t.Fatalf("the conversation ends with %s, %s, %s", msgs[n-3].Kind, msgs[n-2].Kind, msgs[n-1].Kind)
	}
	final, done := msgs[n-3], msgs[n-2].Done
	if !final.Snapshot.Best || !slices.Equal(final.Weights, s.net.Weights()) || msgs[n-1].Status.State != wire.StateDone {
		t.Errorf("final snapshot %+v is not the network's best weights", final.Snapshot)
	}
	if done.Reason != "finished" || done.Epochs != 2 || done.Seen != 3600 || done.BestValAcc != max(e1.ValAcc, e2.ValAcc) {
		t.Errorf("done %+v", done)
	}
	want := train.Evaluate(s.net, s.testSet, 100)
	if done.Test.N != 500 || math.Abs(done.Test.Acc-want.Acc) > 1e-12 || !slices.EqualFunc(done.Test.Confusion, want.Confusion, slices.Equal) {
		t.Errorf("test result %.4f on %d, train.Evaluate says %.4f", done.Test.Acc, done.Test.N, want.Acc)
	}
	t.Logf("test accuracy %.3f, %d mistakes shown", done.Test.Acc, len(done.Test.Mistakes))
	if done.Test.Acc < 0.8 {
		t.Errorf("test accuracy %.3f, want at least 0.8", done.Test.Acc)
	}
	if nm := len(done.Test.Mistakes); nm == 0 || nm > MaxMistakes || nm > 500-int(math.Round(done.Test.Acc*500)) {
		t.Errorf("%d mistakes", nm)
	}
	for _, m := range done.Test.Mistakes {
		if m.Label == m.Pred || len(m.Pixels) != done.Test.H*done.Test.W || done.Test.H != 28 || !slices.ContainsFunc(m.Pixels, func(b byte) bool { return b > 200 }) {
			t.Fatalf("mistake %+v", m)
		}
	}
	if got := s.Run(time.Second); got != nil {
		t.Errorf("Run after done returned %d messages", len(got))
	}
}

// TestPauseStepResume: a paused session does not train; step trains exactly
// one batch; pause stops training at once and posts the weights.
func TestPauseStepResume(t *testing.T) {
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "lenet5"), Config: adadelta(16, 1), Paused: true, Limit: 480}
	s := newSession(t, start, fixtures(t))
	if s.Busy() || s.State() != wire.StatePaused {
		t.Fatalf("a session started paused is %s", s.State())
	}
	if got := s.Run(time.Second); got != nil || s.tr.Seen() != 0 {
		t.Fatalf("a paused session trained: %d messages, %d seen", len(got), s.tr.Seen())
	}
	initial := s.net.Weights()
	msgs := s.Handle(wire.Command(wire.KindStep))
	checkEncode(t, msgs)
	if s.tr.Seen() != 16 || s.State() != wire.StatePaused {
		t.Fatalf("after step: %d seen, state %s; want one batch of 16, paused", s.tr.Seen(), s.State())
	}
	if ks := kindList(msgs); !slices.Equal(ks, []wire.Kind{wire.KindProgress, wire.KindSnapshot, wire.KindStatus}) {
		t.Fatalf("step answered %v", ks)
	}
	if p := msgs[0].Progress; p.Steps != 1 || p.Seen != 16 || p.Epoch != 1 {
		t.Errorf("step progress %+v", p)
	}
	if slices.Equal(msgs[1].Weights, initial) {
		t.Error("the snapshot after a step holds the initial weights")
	}
	if st := msgs[2].Status; st.State != wire.StatePaused || st.Steps != 1 || st.Seen != 16 {
		t.Errorf("status %+v", st)
	}
	s.Handle(wire.Command(wire.KindStep))
	if s.tr.Seen() != 32 {
		t.Fatalf("after two steps %d seen", s.tr.Seen())
	}

	s.Handle(wire.Command(wire.KindResume))
	if !s.Busy() {
		t.Fatal("resume did not resume")
	}
	s.Run(5 * time.Millisecond)
	seen := s.tr.Seen()
	if seen <= 32 {
		t.Fatalf("resumed session trained nothing")
	}
	msgs = s.Handle(wire.Command(wire.KindPause))
	if ks := kindList(msgs); !slices.Equal(ks, []wire.Kind{wire.KindProgress, wire.KindSnapshot, wire.KindStatus}) || msgs[2].Status.State != wire.StatePaused {
		t.Fatalf("pause answered %v", ks)
	}
	if got := s.Run(time.Second); got != nil || s.tr.Seen() != seen {
		t.Errorf("paused session kept training: %d messages, %d seen (was %d)", len(got), s.tr.Seen(), seen)
	}

	// Reset: the initial weights again, nothing seen, still paused.
	msgs = s.Handle(wire.Command(wire.KindReset))
	if ks := kindList(msgs); !slices.Equal(ks, []wire.Kind{wire.KindSnapshot, wire.KindStatus}) || !slices.Equal(msgs[0].Weights, initial) ||
		msgs[1].Status.Seen != 0 || s.State() != wire.StatePaused {
		t.Errorf("reset answered %v, state %s", ks, s.State())
	}
	s.Handle(wire.Command(wire.KindStep))
	if s.tr.Seen() != 16 {
		t.Errorf("after reset and step: %d seen", s.tr.Seen())
	}
}

func kindList(msgs []wire.Message) []wire.Kind {
	var ks []wire.Kind
	for _, m := range msgs {
		ks = append(ks, m.Kind)
	}
	return ks
}

// TestRunKeepsToBudget: Run stops once its budget has passed.
func TestRunKeepsToBudget(t *testing.T) {
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"), Config: adadelta(10, 1), Limit: 600}
	s := newSession(t, start, fixtures(t))
	s.Run(10 * time.Millisecond) // the fake clock ticks 1 ms a reading, a few per step
	if n := s.tr.Seen() / 10; n < 1 || n > 5 {
		t.Errorf("a 10 ms budget ran %d steps at 3 fake ms each", n)
	}
}

// TestRunEndsAtSnapshot: a snapshot's weights are the network's memory, so
// Run returns after one, whatever its budget, with the weights of that
// moment.
func TestRunEndsAtSnapshot(t *testing.T) {
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"), Config: adadelta(10, 1), Limit: 600, SnapshotEvery: 2}
	s := newSession(t, start, fixtures(t))
	for range 3 {
		msgs := s.Run(time.Hour)
		snaps := kinds(msgs, wire.KindSnapshot)
		if len(snaps) != 1 || msgs[len(msgs)-1].Kind != wire.KindSnapshot || snaps[0].Snapshot.Steps%2 != 0 {
			t.Fatalf("one Run: %v", kindList(msgs))
		}
		if !slices.Equal(snaps[0].Weights, s.net.Weights()) {
			t.Fatal("the snapshot's weights are not the network's")
		}
	}
}

// TestFirstStepReported: the first step's progress comes at once, the
// next ones only every ProgressInterval.
func TestFirstStepReported(t *testing.T) {
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"), Config: adadelta(10, 1), Limit: 600}
	s := newSession(t, start, fixtures(t))
	setClock(s, time.Millisecond) // a few fake ms a step, so Run(1 ms) runs one
	msgs := s.Run(time.Millisecond)
	p := kinds(msgs, wire.KindProgress)
	if len(p) != 1 || p[0].Progress.Steps != 1 || p[0].Progress.Seen != 10 {
		t.Fatalf("after one step: %v", kindList(msgs))
	}
	for range 5 {
		if p := kinds(s.Run(time.Millisecond), wire.KindProgress); len(p) != 0 {
			t.Fatalf("step %d reported progress before ProgressInterval", p[0].Progress.Steps)
		}
	}
}

// TestEvaluateAndStop: evaluate answers with the test result and training
// goes on; stop ends training with the current weights and done.
func TestEvaluateAndStop(t *testing.T) {
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"), Config: adadelta(20, 5), Limit: 600, SnapshotEvery: 3}
	s := newSession(t, start, fixtures(t))
	msgs := s.Run(20 * time.Millisecond)
	if n := len(kinds(msgs, wire.KindSnapshot)); n == 0 {
		t.Error("no snapshot every 3 steps")
	}
	s.Handle(wire.Command(wire.KindEvaluate))
	if s.State() != wire.StateEvaluating {
		t.Fatalf("state %s after evaluate", s.State())
	}
	seen := s.tr.Seen()
	msgs = nil
	for s.State() == wire.StateEvaluating {
		msgs = append(msgs, s.Run(time.Millisecond)...)
	}
	ev := kinds(msgs, wire.KindEvaluation)
	if len(ev) != 1 || ev[0].Test.N != 500 || ev[0].Test.Seen != seen || s.State() != wire.StateRunning || s.tr.Seen() != seen {
		t.Fatalf("evaluation %v, state %s", kindList(msgs), s.State())
	}
	s.Run(10 * time.Millisecond)
	weights := s.net.Weights()
	s.Handle(wire.Command(wire.KindStop))
	msgs = runToEnd(t, s)
	n := len(msgs)
	if n < 3 || msgs[n-2].Kind != wire.KindDone || msgs[n-2].Done.Reason != "stopped" || msgs[n-3].Snapshot.Best ||
		!slices.Equal(msgs[n-3].Weights, weights) || s.State() != wire.StateDone {
		t.Fatalf("stop ended with %v", kindList(msgs))
	}
	if got := s.Handle(wire.Command(wire.KindResume)); s.Busy() || got[len(got)-1].Status.State != wire.StateDone {
		t.Error("a finished session resumed")
	}
}

// TestRefusesHugeNetworks: networks that would not fit a tab, or would take
// days per epoch, are refused before any data is parsed, with the estimates
// (budget.CheckFits; its tests check that the presets pass).
func TestRefusesHugeNetworks(t *testing.T) {
	conv := func(filters int) nn.LayerSpec { return nn.LayerSpec{Type: "conv", Filters: filters, Size: 3, Pad: 1} }
	wide := nn.Spec{Input: nn.Shape{H: 28, W: 28, C: 1}, Layers: []nn.LayerSpec{
		conv(1024), {Type: "relu"}, conv(1024), {Type: "relu"}, {Type: "maxpool", Size: 28},
		{Type: "flatten"}, {Type: "dense", Units: 10}, {Type: "softmax"}}}
	_, err := New(wire.Start{Dataset: "mnist", Spec: wide, Config: adadelta(256, 1)}, Data{}, nil)
	if err == nil || !strings.Contains(err.Error(), "too large to train in a browser tab") || !strings.Contains(err.Error(), "GB") ||
		!strings.Contains(err.Error(), "one epoch of 55000 images would take about") {
		t.Errorf("huge network: %v", err)
	} else {
		t.Log(err)
	}
	deep := nn.Spec{Input: nn.Shape{H: 28, W: 28, C: 1}, Layers: []nn.LayerSpec{
		conv(256), conv(256), conv(256), conv(256), {Type: "maxpool", Size: 28},
		{Type: "flatten"}, {Type: "dense", Units: 10}, {Type: "softmax"}}}
	_, err = New(wire.Start{Dataset: "mnist", Spec: deep, Config: adadelta(1, 1)}, Data{}, nil)
	if err == nil || !strings.Contains(err.Error(), "too slow to train") || !strings.Contains(err.Error(), "days") {
		t.Errorf("slow network: %v", err)
	} else {
		t.Log(err)
	}
}

func TestRefusesBadStarts(t *testing.T) {
	data := fixtures(t)
	spec := preset(t, "mlp")
	five := preset(t, "mlp")
	five.Layers[len(five.Layers)-2].Units = 5
	for _, c := range []struct {
		start wire.Start
		want  string
	}{
		{wire.Start{Dataset: "cifar", Spec: spec, Config: adadelta(10, 1)}, `unknown dataset "cifar"`},
		{wire.Start{Dataset: "mnist", Spec: spec, Config: adadelta(0, 1)}, "batch size"},
		{wire.Start{Dataset: "mnist", Spec: five, Config: adadelta(10, 1)}, "the network tells 5 classes apart but the dataset has 10"},
		{wire.Start{Dataset: "mnist", Spec: spec, Config: adadelta(10, 1), Validation: 2000}, "leaves none"},
		{wire.Start{Dataset: "mnist", Spec: nn.Spec{}, Config: adadelta(10, 1)}, "input"},
	} {
		if _, err := New(c.start, data, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.start, err, c.want)
		}
	}
	if _, err := New(wire.Start{Dataset: "mnist", Spec: spec, Config: adadelta(10, 1)}, data, []float32{1, 2}); err == nil {
		t.Error("weights of the wrong size accepted")
	}
	files := fixtureFiles(t)
	files[3] = files[3][:20]
	if _, err := New(wire.Start{Dataset: "mnist", Spec: spec, Config: adadelta(10, 1)}, BytesData(files), nil); err == nil {
		t.Error("a truncated labels file accepted")
	}
}

// TestDivergence: SGD with learning rate 10 makes the MLP's loss NaN; the
// session posts the best weights (here the initial ones) and an error that
// explains, then stops.
func TestDivergence(t *testing.T) {
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"),
		Config: train.Config{Optimizer: nn.OptimizerSpec{Kind: "sgd", LR: 10}, BatchSize: 10, Epochs: 3, Seed: 1}}
	s := newSession(t, start, fixtures(t))
	initial := s.net.Weights()
	msgs := runToEnd(t, s)
	n := len(msgs)
	if n < 3 || msgs[n-3].Kind != wire.KindSnapshot || msgs[n-2].Kind != wire.KindError || msgs[n-1].Status.State != wire.StateDone {
		t.Fatalf("divergence ended with %v", kindList(msgs))
	}
	e := msgs[n-2].Error
	t.Log(e.Message)
	if !e.Diverged || !strings.Contains(e.Message, "learning rate (10) is probably too high") || !strings.Contains(e.Message, "initial weights") {
		t.Errorf("error %+v", e)
	}
	if !slices.Equal(msgs[n-3].Weights, initial) {
		t.Error("the last snapshot is not the best (initial) weights")
	}
	if len(kinds(msgs, wire.KindDone)) != 0 {
		t.Error("a diverged session posted done")
	}
	if s.Busy() {
		t.Error("a diverged session is still busy")
	}
}

// TestSplit: Limit and the default validation size, and the split in place
// keeps every image with its label, disjointly.
func TestSplit(t *testing.T) {
	data := fixtures(t)
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"), Config: adadelta(10, 1), Limit: 600, Paused: true}
	s := newSession(t, start, data)
	if s.trainSet.N != 550 || s.valSet.N != 50 {
		t.Fatalf("split %d/%d, want 550/50 (a twelfth held out)", s.trainSet.N, s.valSet.N)
	}
	ref := newSession(t, wire.Start{Dataset: "mnist", Spec: preset(t, "mlp"), Config: adadelta(10, 1), Limit: 600, Validation: -1}, data)
	if ref.valSet != nil || ref.trainSet.N != 600 {
		t.Fatalf("no validation: %d training images, val %v", ref.trainSet.N, ref.valSet)
	}
	// ref's training set is shuffled too; match images by content.
	key := func(img []float32, label uint8) string {
		b := pixels(img)
		return string(append(b, label))
	}
	all := map[string]int{}
	for i := range ref.trainSet.N {
		all[key(ref.trainSet.Image(i), ref.trainSet.Labels[i])]++
	}
	for i := range s.trainSet.N {
		all[key(s.trainSet.Image(i), s.trainSet.Labels[i])]--
	}
	for i := range s.valSet.N {
		all[key(s.valSet.Image(i), s.valSet.Labels[i])]--
	}
	for _, c := range all {
		if c != 0 {
			t.Fatal("the split lost, duplicated or mislabelled images")
		}
	}
	// Seeds make splits reproducible.
	again := newSession(t, start, data)
	if !slices.Equal(again.valSet.Labels, s.valSet.Labels) {
		t.Error("the same seed split differently")
	}
}
