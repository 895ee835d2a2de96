package wire

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/train"
)

func TestFloatsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	f := []float32{0, float32(math.Copysign(0, -1)), 1, -1, math.MaxFloat32, math.SmallestNonzeroFloat32,
		float32(math.Inf(1)), float32(math.Inf(-1)), math.Float32frombits(0x7fc00001)}
	for range 1000 {
		f = append(f, float32(rng.NormFloat64()))
	}
	b := EncodeFloats(nil, f)
	if len(b) != 4*len(f) {
		t.Fatalf("EncodeFloats: %d bytes for %d values", len(b), len(f))
	}
	// The layout is what a JS Float32Array over the same buffer reads on
	// every little-endian machine: 1.0 is 00 00 80 3f.
	if got := b[8:12]; !reflect.DeepEqual(got, []byte{0, 0, 0x80, 0x3f}) {
		t.Errorf("1.0 encodes as % x, want 00 00 80 3f", got)
	}
	g, err := DecodeFloats(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range f {
		if math.Float32bits(f[i]) != math.Float32bits(g[i]) {
			t.Fatalf("value %d: %v (%08x) came back as %v (%08x)", i, f[i], math.Float32bits(f[i]), g[i], math.Float32bits(g[i]))
		}
	}
	// Appending keeps what dst held.
	if b2 := EncodeFloats([]byte{9}, f[:1]); len(b2) != 5 || b2[0] != 9 {
		t.Errorf("EncodeFloats did not append: % x", b2)
	}
	if g, err := DecodeFloats(nil); err != nil || len(g) != 0 {
		t.Errorf("DecodeFloats(nil) = %v, %v", g, err)
	}
	if _, err := DecodeFloats(make([]byte, 7)); err == nil || !strings.Contains(err.Error(), "multiple of 4") {
		t.Errorf("DecodeFloats of 7 bytes: err %v", err)
	}
}

func TestMessageRoundTrip(t *testing.T) {
	spec, err := nn.Preset("convnetjs")
	if err != nil {
		t.Fatal(err)
	}
	msgs := []Message{
		StartMessage(Start{Dataset: "mnist", Spec: spec, Config: train.Config{
			Optimizer: nn.OptimizerSpec{Kind: "adadelta", L2: 0.001}, BatchSize: 20, Epochs: 3, Seed: 7,
		}, Validation: 5000, SnapshotEvery: 50}, nil),
		StartMessage(Start{Dataset: "fashion", Spec: spec}, []float32{1, 2, 3}),
		Command(KindPause), Command(KindResume), Command(KindStep), Command(KindReset),
		Command(KindStop), Command(KindRestoreBest), Command(KindEvaluate), Command(KindReady),
		{Kind: KindData, Data: &Data{Loaded: 100, Total: 11594722}},
		{Kind: KindStarted, Started: &Started{Dataset: "mnist", Classes: []string{"a", "b"}, Train: 55000, Val: 5000, Test: 10000,
			EpochBatches: 2750, Params: 1234, MemoryBytes: 1 << 20, FLOPs: 1e6, EpochSeconds: 12.5}},
		{Kind: KindStatus, Status: &Status{State: StatePaused, Epoch: 1, Seen: 20, Steps: 1}},
		{Kind: KindProgress, Progress: &Progress{Epoch: 1, Seen: 200, Steps: 10, Loss: 0.5, Acc: 0.75, ExamplesPerSec: 1500}},
		{Kind: KindProgress, Progress: &Progress{Epoch: 2, Seen: 400, Steps: 20, Loss: 0.25, Acc: 0.875, ExamplesPerSec: 900, MemoryBytes: 3 << 30}},
		{Kind: KindEpoch, Epoch: &Epoch{Epoch: 1, Seen: 55000, TrainLoss: 0.3, TrainAcc: 0.9, ValLoss: 0.2, ValAcc: 0.95, Best: true}},
		{Kind: KindSnapshot, Snapshot: &Snapshot{Epoch: 1, Seen: 200, Best: true}, Weights: []float32{0.5, -0.25, 3}},
		{Kind: KindEvaluation, Test: &Test{N: 2, Acc: 0.5, Loss: 1, Confusion: [][]int{{1, 0}, {1, 0}},
			Mistakes: []Mistake{{Index: 1, Label: 1, Pred: 0, Prob: 0.75, Pixels: []byte{0, 128, 255, 7}}}, H: 2, W: 2}},
		{Kind: KindDone, Done: &Done{Reason: "finished", Epochs: 3, Seen: 165000, BestValAcc: 0.98, Test: Test{N: 1, Acc: 1, Confusion: [][]int{{1}}}}},
		ErrorMessage(train.ErrDiverged),
		{Kind: KindJoin, Join: &Join{Start: Start{Dataset: "mnist", Spec: spec, Config: train.Config{BatchSize: 128, Epochs: 1, Workers: 3}, Limit: 600}, Index: 2}},
		{Kind: KindJob, Job: &Job{Examples: []int{5, 0, 59999}, Weights: true}, Weights: []float32{1, -2}},
		{Kind: KindJob, Job: &Job{Examples: []int{7}, Next: 6}},
		{Kind: KindJob, Job: &Job{Update: &Update{LR: 0.001, Part: true, Own: 0.5238095, Mine: 0.47619048}}, Weights: []float32{1, -2}},
		{Kind: KindJob, Job: &Job{Examples: []int{1}, Weights: true, Update: &Update{LR: 1}}, Weights: []float32{1, -2, 3, 4}},
		{Kind: KindGradient, Gradient: &Gradient{N: 3, Loss: 0.7, Right: 2}, Weights: []float32{0.5, 0}},
	}
	for _, m := range msgs {
		head, body, err := Encode(m)
		if err != nil {
			t.Fatalf("Encode(%s): %v", m.Kind, err)
		}
		if (body != nil) != (m.Weights != nil) {
			t.Errorf("%s: body %d bytes for %d weights", m.Kind, len(body), len(m.Weights))
		}
		got, err := Decode(head, body)
		if err != nil {
			t.Fatalf("Decode(%s): %v\nhead %s", m.Kind, err, head)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("%s: round trip changed the message\n got %+v\nwant %+v\nhead %s", m.Kind, got, m, head)
		}
	}
}

// TestProgressMemoryOptional checks that a progress message without the
// worker's memory size (natively, or from an older worker) leaves it out of
// the head and decodes it as 0, and that a size above 2 GB survives.
func TestProgressMemoryOptional(t *testing.T) {
	head, _, err := Encode(Message{Kind: KindProgress, Progress: &Progress{Epoch: 1, Seen: 20}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(head), "memoryBytes") {
		t.Errorf("progress without memory: head %s names it", head)
	}
	m, err := Decode([]byte(`{"kind":"progress","progress":{"epoch":1,"seen":20}}`), nil)
	if err != nil || m.Progress.MemoryBytes != 0 {
		t.Errorf("progress without memory decodes as %+v, %v", m.Progress, err)
	}
	m, err = Decode([]byte(`{"kind":"progress","progress":{"epoch":1,"seen":20,"memoryBytes":4294967296}}`), nil)
	if err != nil || m.Progress.MemoryBytes != 4<<30 {
		t.Errorf("progress with 4 GB of memory decodes as %+v, %v", m.Progress, err)
	}
}

func TestHeadIsSmall(t *testing.T) {
	// A snapshot's head must stay small however many weights it carries.
	m := Message{Kind: KindSnapshot, Snapshot: &Snapshot{Epoch: 1}, Weights: make([]float32, 100000)}
	head, body, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(head) > 100 || len(body) != 400000 {
		t.Errorf("head %d bytes (%s), body %d bytes", len(head), head, len(body))
	}
}

func TestBadMessages(t *testing.T) {
	for _, c := range []struct {
		head, body string
		want       string
	}{
		{`nonsense`, "", "bad message head"},
		{`{"kind":"launch"}`, "", `unknown message kind "launch"`},
		{`{"kind":"start"}`, "", `start message without its "start" payload`},
		{`{"kind":"evaluation"}`, "", `"test" payload`},
		{`{"kind":"snapshot","snapshot":{}}`, "", "snapshot message without weights"},
		{`{"kind":"snapshot","snapshot":{}}`, "abcde", "not a multiple of 4"},
		{`{"kind":"start","start":{"spec":{"layers":3}}}`, "", "bad message head"},
		{`{"kind":"job","job":{"examples":[1],"weights":true}}`, "", "job message with 0 values"},
		{`{"kind":"job","job":{"examples":[1]}}`, "abcd", "job message with 1 values"},
		{`{"kind":"job","job":{"weights":true,"update":{"lr":1}}}`, "abcd", "job message with 1 values"},
		{`{"kind":"gradient"}`, "", `"gradient" payload`},
	} {
		_, err := Decode([]byte(c.head), []byte(c.body))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Decode(%s): err %v, want it to say %q", c.head, err, c.want)
		}
	}
	if _, _, err := Encode(Message{Kind: KindProgress}); err == nil {
		t.Error("Encode of progress without payload: no error")
	}
}
