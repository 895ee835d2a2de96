package app

import (
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
)

// TestTrainFormStart: the form's start message and network, or the
// messages of what is wrong, field by field.
func TestTrainFormStart(t *testing.T) {
	f := newTrainForm(nil)
	if conv, _ := nn.Preset("convnetjs"); !specEqual(f.spec, conv) || f.settings != defaultSettings() || f.workers != autoWorkers || f.info.Err != "" {
		t.Fatalf("a new form: %+v", f)
	}
	start, net, ok := f.start(8)
	if !ok || start.Dataset != "mnist" || start.Config.Workers != 0 || start.AutoWorkers != defaultMaxWorkers ||
		start.Validation != 5000 || start.Config.BatchSize != 20 || net == nil || !specEqual(net.Spec, f.spec) {
		t.Fatalf("the defaults start %+v, %v (%v): %v", start, ok, net != nil, f.bad)
	}
	// A worker count, a toggle, another optimizer and dataset.
	f.setText(fieldWorkers, "3")
	f.setCheck(shiftID, true)
	f.setCheck(scaleID, true)
	f.setOptimizer("sgd")
	f.setDataset("fashion")
	start, _, ok = f.start(8)
	if !ok || start.Config.Workers != 3 || start.AutoWorkers != 0 || start.Config.Augment.MaxShift != augShift ||
		start.Config.Augment.MaxScale != augScale || start.Config.Augment.MaxRotate != 0 ||
		start.Config.Optimizer.Kind != "sgd" || start.Config.Optimizer.LR != 0.01 || start.Dataset != "fashion" {
		t.Fatalf("start %+v, %v: %v", start, ok, f.bad)
	}
	// Wrong fields: each says so, and nothing starts.
	f.setText(fieldLR, "fast")
	f.setText(fieldWorkers, "99")
	if f.bad[fieldLR] == "" || f.bad[fieldWorkers] == "" {
		t.Errorf("typing wrong values: %v", f.bad)
	}
	if _, net, ok := f.start(8); ok || net != nil || f.bad[fieldLR] == "" || !strings.Contains(f.bad[fieldWorkers], "from 1 to 16") {
		t.Errorf("a start with a wrong learning rate and worker count: %v, %v", ok, f.bad)
	}
	f.setText(fieldLR, "0.1")
	f.setText(fieldWorkers, "auto")
	if len(f.bad) != 0 {
		t.Errorf("corrected: %v", f.bad)
	}
	// An edited network that cannot train: the form as a whole says so.
	f.setSpec(nn.Spec{Input: nn.Shape{H: 28, W: 28, C: 1}, Layers: []nn.LayerSpec{{Type: "flatten"}, {Type: "dense", Units: 3}, {Type: "softmax"}}})
	if f.settings.Preset != customPreset || f.info.Err == "" {
		t.Fatalf("an edited network: preset %q, info %+v", f.settings.Preset, f.info)
	}
	if _, _, ok := f.start(8); ok || !strings.HasPrefix(f.problem(), "Fix the architecture first: ") || !strings.Contains(f.problem(), "3 classes") {
		t.Errorf("a network of 3 classes for 10 started (%v): %q", ok, f.problem())
	}
}

// TestTrainFormEdits: presets, optimizers and the fields change the form
// as the controls show it.
func TestTrainFormEdits(t *testing.T) {
	link := defaultSetup()
	link.Settings.Preset, link.Settings.Limit = "mlp", "1000"
	link.Spec, _ = nn.Preset("mlp")
	f := newTrainForm(&link)
	if f.dataset() != "mnist" || f.settings.Preset != "mlp" || !specEqual(f.spec, link.Spec) {
		t.Fatalf("a link's form: %+v", f.settings)
	}
	small := f.info.Memory
	f.setText(fieldLimit, "0")
	f.setText(fieldBatch, "100")
	if f.info.Memory <= small {
		t.Errorf("a batch of 100 takes no more memory than 20: %v, %v", f.info.Memory, small)
	}
	f.setText(fieldBatch, "20")
	f.setPreset("lenet5")
	if lenet, _ := nn.Preset("lenet5"); f.settings.Preset != "lenet5" || !specEqual(f.spec, lenet) {
		t.Errorf("preset lenet5: %q %+v", f.settings.Preset, f.spec)
	}
	f.setPreset(customPreset)
	if lenet, _ := nn.Preset("lenet5"); f.settings.Preset != customPreset || !specEqual(f.spec, lenet) {
		t.Errorf("custom keeps the network: %q", f.settings.Preset)
	}
	f.setPreset("resnet")
	if f.problem() == "" || f.settings.Preset != customPreset {
		t.Errorf("an unknown preset: %q, %q", f.problem(), f.settings.Preset)
	}
	f.setOptimizer("adam")
	if f.settings.LR != "0.001" || len(f.bad) != 0 {
		t.Errorf("adam: learning rate %q, messages %v", f.settings.LR, f.bad)
	}
	f.setText(fieldBatch, "0")
	if !strings.Contains(f.bad[fieldBatch], "batch size") {
		t.Errorf("batch 0: %v", f.bad)
	}
}
