package app

import (
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
)

// TestEstimator: the key follows what the speed depends on; the estimate
// says it is measuring, then what the measurement gives for the form's
// sets, then the live rate once a session trains the same network.
func TestEstimator(t *testing.T) {
	f := newTrainForm(nil)
	st := newTrainState(func() float64 { return 0 }, "")
	e := newEstimator(&f, st)
	m, ok := measureFor(&f, cores())
	if !ok {
		t.Fatal("the default form cannot be measured")
	}
	key := func() string { k, _ := measureFor(&f, cores()); return k.Key }
	f.setText(fieldLR, "0.5")
	f.setText(fieldEpochs, "3")
	f.setText(fieldLimit, "10000")
	if key() != m.Key {
		t.Error("the learning rate, epochs or limit changed the key")
	}
	f.setText(fieldBatch, "32")
	if key() == m.Key {
		t.Error("the batch size did not change the key")
	}
	f.setText(fieldBatch, "20")
	f.setPreset("keras")
	if key() == m.Key {
		t.Error("the network did not change the key")
	}
	f.setPreset("convnetjs")
	f.setText(fieldLimit, "0")

	if _, basis, _ := e.estimate(); basis != basisWaiting {
		t.Errorf("before the panel is used: %s", basis)
	}
	e.engaged = true // as request does
	if _, basis, _ := e.estimate(); basis != basisMeasuring {
		t.Errorf("before an answer: %s", basis)
	}
	f.setText(fieldBatch, "x")
	if _, basis, _ := e.estimate(); basis != basisUnavailable {
		t.Errorf("with a bad batch size: %s", basis)
	}
	f.setText(fieldBatch, "20")
	e.answer(wire.Measured{Key: m.Key, Steps: 20, Batch: 20, Workers: 1, TrainSecs: 1e-4, EvalSecs: 4e-5})
	secs, basis, text := e.estimate()
	// 55000 training images and 5000+8×1000 validated.
	want := 55000*1e-4 + 13000*4e-5
	if basis != basisMeasured || abs(secs-want) > 1e-9 || !strings.Contains(text, "measured: 20 steps here") {
		t.Errorf("measured: %v s %s %q, want %v s", secs, basis, text, want)
	}
	f.setText(fieldLimit, "11000")
	f.setText(fieldValidation, "1000")
	// 10000 training images: marks at 1000, 2000, 4000 and 8000.
	if secs, _, _ := e.estimate(); abs(secs-(10000*1e-4+5000*4e-5)) > 1e-9 {
		t.Errorf("with 11000 images of which 1000 validate: %v s", secs)
	}

	// A session of the same network: the live rate, and no measurement.
	start, net, ok := f.start(cores())
	if !ok {
		t.Fatal(f.bad)
	}
	st.begin(start, net)
	if k := key(); !e.training(k) {
		t.Error("a session training the form's network: training() is false")
	}
	st.handle(wire.Message{Kind: wire.KindStarted, Started: &wire.Started{Dataset: "mnist", Train: 10000, Val: 1000, Classes: classesOf("mnist")}})
	// the first rates include the start: the measurement holds until
	// liveAfter of them
	for i := 1; i <= liveAfter; i++ {
		if _, basis, _ := e.estimate(); basis != basisMeasured {
			t.Errorf("after %d rates: %s, want the measurement", i-1, basis)
		}
		st.handle(wire.Message{Kind: wire.KindProgress, Progress: &wire.Progress{Epoch: 1, Seen: 100 * i, Steps: 5 * i, Loss: 1, ExamplesPerSec: 5000}})
	}
	secs, basis, text = e.estimate()
	if basis != basisLive || abs(secs-(10000/5000.0+5000*4e-5)) > 1e-9 || !strings.Contains(text, "live rate: "+groupDigits(5000)+" examples/s") {
		t.Errorf("live: %v s %s %q", secs, basis, text)
	}
	// Another network in the editor: its own measurement again.
	spec := f.spec
	spec.Layers = append([]nn.LayerSpec{{Type: "conv", Filters: 4, Size: 3, Pad: 1}, {Type: "relu"}}, spec.Layers...)
	f.setSpec(spec)
	if e.training(key()) {
		t.Error("an edited network while training: training() is true")
	}
	if _, basis, _ := e.estimate(); basis != basisMeasuring {
		t.Errorf("an edited network while training: %s", basis)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
