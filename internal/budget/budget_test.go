package budget

import (
	"math"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
)

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{
		0:                  "0 KB",
		12 << 10:           "12 KB",
		1<<20 - 1:          "1024 KB",
		1 << 20:            "1 MB",
		340 << 20:          "340 MB",
		1<<30 - 1:          "1024 MB",
		1 << 30:            "1.0 GB",
		MaxMemoryBytes:     "1.5 GB",
		MaxMemoryBytes / 2: "768 MB",
	} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for secs, want := range map[float64]string{
		0:               "1 seconds", // never "0 seconds": an estimate, at least one
		0.2:             "1 seconds",
		59:              "59 seconds",
		119:             "119 seconds",
		120:             "2 minutes",
		3599:            "60 minutes",
		7200:            "2 hours",
		MaxEpochSeconds: "24 hours",
		2 * 86400:       "2 days",
		10 * 86400:      "10 days",
	} {
		if got := FormatDuration(secs); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", secs, got, want)
		}
	}
}

func TestFormatCount(t *testing.T) {
	for v, want := range map[float64]string{12: "12", 999999: "999999", 3.5e6: "3.5 million", 1.25e9: "1.2 billion"} {
		if got := formatCount(v); got != want {
			t.Errorf("formatCount(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestEpochSeconds(t *testing.T) {
	// A training step costs about three forward passes at AssumedFLOPS.
	sum := nn.Summary{FLOPs: 1e6}
	if got, want := EpochSeconds(sum, 2000), 3.0; got != want {
		t.Errorf("EpochSeconds = %v, want %v", got, want)
	}
	if EpochSeconds(sum, 4000) != 2*EpochSeconds(sum, 2000) {
		t.Error("EpochSeconds is not proportional to the images")
	}
}

func analyze(t *testing.T, spec nn.Spec) nn.Summary {
	t.Helper()
	sum, err := nn.Analyze(spec)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestCheckFits: networks that would not fit a tab, would take days per
// epoch, or end in the wrong number of classes are refused, in words that
// carry the estimates; the presets all pass, even Keras' big one.
func TestCheckFits(t *testing.T) {
	conv := func(filters int) nn.LayerSpec { return nn.LayerSpec{Type: "conv", Filters: filters, Size: 3, Pad: 1} }
	in := nn.Shape{H: 28, W: 28, C: 1}
	wide := analyze(t, nn.Spec{Input: in, Layers: []nn.LayerSpec{
		conv(1024), {Type: "relu"}, conv(1024), {Type: "relu"}, {Type: "maxpool", Size: 28},
		{Type: "flatten"}, {Type: "dense", Units: 10}, {Type: "softmax"}}})
	deep := analyze(t, nn.Spec{Input: in, Layers: []nn.LayerSpec{
		conv(256), conv(256), conv(256), conv(256), {Type: "maxpool", Size: 28},
		{Type: "flatten"}, {Type: "dense", Units: 10}, {Type: "softmax"}}})
	for _, c := range []struct {
		name           string
		sum            nn.Summary
		batch, classes int
		want           []string // in the error; none for a network that fits
	}{
		{"wide", wide, 256, 10, []string{"too large to train in a browser tab", "with batch size 256", "GB", "(at most 1.5 GB fits)", "one epoch of 55000 images would take about"}},
		{"slow", deep, 1, 10, []string{"too slow to train", "billion operations per image", "days", "(at most 24 hours is allowed)"}},
		{"wide, batch 1", wide, 1, 10, []string{"too slow to train"}},
		{"classes", analyze(t, nn.Spec{Input: in, Layers: []nn.LayerSpec{{Type: "flatten"}, {Type: "dense", Units: 10}, {Type: "softmax"}}}), 20, 3,
			[]string{"tells 10 classes apart but the dataset has 3: the last dense layer needs 3 units"}},
		{"small", analyze(t, nn.Spec{Input: in, Layers: []nn.LayerSpec{{Type: "flatten"}, {Type: "dense", Units: 10}, {Type: "softmax"}}}), 20, 10, nil},
	} {
		err := CheckFits(c.sum, c.batch, 55000, c.classes)
		if (err == nil) != (c.want == nil) {
			t.Errorf("%s: CheckFits = %v", c.name, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", c.name, err, w)
			}
		}
	}
	for _, name := range nn.PresetNames() {
		spec, err := nn.Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckFits(analyze(t, spec), 128, 55000, 10); err != nil {
			t.Errorf("preset %s refused: %v", name, err)
		}
	}
}

// TestRate: an epoch at a measured rate is its training and its
// validation, each at its own rate.
func TestRate(t *testing.T) {
	r := Rate{TrainSecs: 1e-4, EvalSecs: 3e-5}
	if got := r.EpochSeconds(55000, 13000); math.Abs(got-(5.5+0.39)) > 1e-9 {
		t.Errorf("EpochSeconds = %v, want 5.89", got)
	}
}
