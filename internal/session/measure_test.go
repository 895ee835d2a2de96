package session

import (
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
)

// TestMeasure times the convnetjs preset on random images, on one worker
// and with a helper behind a port, and refuses what New refuses.
func TestMeasure(t *testing.T) {
	start := wire.Start{Dataset: "mnist", Spec: preset(t, "convnetjs"), Config: adadelta(20, 10)}
	m, err := Measure(wire.Measure{Key: "k1", Start: start}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("one worker: %+v (%.0f examples/s)", m, 1/m.TrainSecs)
	if m.Key != "k1" || m.Steps < MeasureSteps || m.Steps > measureMaxSteps || m.Batch != 20 || m.Workers != 1 || !(m.TrainSecs > 0) || !(m.EvalSecs > 0) {
		t.Errorf("measured %+v", m)
	}
	// A forward pass costs about a third of a training step: a ratio in
	// one run, allowed wide.
	if r := m.EvalSecs / m.TrainSecs; r > 1 || r < 0.05 {
		t.Errorf("a forward pass takes %.2f of a training example's time", r)
	}

	start.Config.Workers = 2
	m2, err := Measure(wire.Measure{Key: "k2", Start: start}, startHelpers(t, 1, Data{}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if m2.Workers != 2 || m2.Steps < MeasureSteps || !(m2.TrainSecs > 0) {
		t.Errorf("with a helper: %+v", m2)
	}

	// A network for one of one's own sets: the page measures it before
	// the set comes with a start.
	own := wire.Start{Dataset: "my-abc", Config: adadelta(20, 1), Spec: nn.Spec{Input: nn.Shape{H: 28, W: 28, C: 1},
		Layers: []nn.LayerSpec{{Type: "flatten"}, {Type: "dense", Units: 3}, {Type: "softmax"}}}}
	if m, err := Measure(wire.Measure{Start: own}, nil); err != nil || m.Steps < MeasureSteps {
		t.Errorf("a network of 3 classes for one's own set: %+v, %v", m, err)
	}

	huge := wire.Start{Dataset: "mnist", Config: adadelta(20, 1), Spec: nn.Spec{Input: nn.Shape{H: 28, W: 28, C: 1},
		Layers: []nn.LayerSpec{{Type: "conv", Filters: 512, Size: 5, Pad: 2}, {Type: "conv", Filters: 512, Size: 5, Pad: 2},
			{Type: "flatten"}, {Type: "dense", Units: 10}, {Type: "softmax"}}}}
	if _, err := Measure(wire.Measure{Start: huge}, nil); err == nil || !strings.Contains(err.Error(), "browser tab") {
		t.Errorf("a huge network measured: %v", err)
	}
}
