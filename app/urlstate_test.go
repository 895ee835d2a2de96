package app

import (
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
)

func TestParseSetupDefaults(t *testing.T) {
	s, notes := ParseSetup("")
	if len(notes) != 0 {
		t.Errorf("notes for an empty query: %q", notes)
	}
	d := defaultSetup()
	if s.Settings != d.Settings || !specEqual(s.Spec, d.Spec) || s.View != "" || s.Model != "digits" || s.Theme != "auto" {
		t.Errorf("ParseSetup(\"\") = %+v, want the defaults %+v", s, d)
	}
	if q := d.Query(); q != "" {
		t.Errorf("default setup's query = %q, want empty", q)
	}
}

func TestParseSetupValues(t *testing.T) {
	s, notes := ParseSetup("view=filters&model=digits&theme=dark&dataset=fashion&preset=lenet5&opt=adam&lr=0.003&batch=64&epochs=3&l2=0&seed=42&limit=10000&val=1000&aug=rotate-shift")
	if len(notes) != 0 {
		t.Fatalf("notes: %q", notes)
	}
	want := trainSettings{Dataset: "fashion", Preset: "lenet5", Optimizer: "adam", LR: "0.003", Batch: "64", Epochs: "3",
		L2: "0", Seed: "42", Limit: "10000", Validation: "1000", Shift: true, Rotate: true}
	if s.Settings != want {
		t.Errorf("settings = %+v\nwant       %+v", s.Settings, want)
	}
	if p, _ := nn.Preset("lenet5"); !specEqual(s.Spec, p) {
		t.Errorf("spec is not lenet5: %+v", s.Spec)
	}
	if s.View != "filters" || s.Theme != "dark" || s.inspectTab() != inspectTabFilters {
		t.Errorf("view %q theme %q tab %q", s.View, s.Theme, s.inspectTab())
	}
	// A shipped model's link trains on its dataset, unless it names one;
	// either way the query says it back.
	for q, want := range map[string]string{"model=fashion": "fashion", "model=fashion&dataset=mnist": "mnist", "model=digits": "mnist"} {
		s, notes := ParseSetup(q)
		if s.Settings.Dataset != want || len(notes) != 0 {
			t.Errorf("%s: dataset %q (notes %q), want %q", q, s.Settings.Dataset, notes, want)
		}
		if back, _ := ParseSetup(s.Query()); back.Settings.Dataset != want || back.Model != s.Model {
			t.Errorf("%s: the query %q reads back as %s, %s", q, s.Query(), back.Model, back.Settings.Dataset)
		}
	}
	// An optimizer alone brings its learning rate.
	s, _ = ParseSetup("opt=sgd")
	if s.Settings.LR != "0.01" {
		t.Errorf("opt=sgd: lr %q, want 0.01", s.Settings.LR)
	}
	// Aliases.
	for q, want := range map[string]string{"view=maps": "featuremaps", "view=mistakes": "confusion", "view=predict": "draw"} {
		if s, _ := ParseSetup(q); s.View != want {
			t.Errorf("%s: view %q, want %q", q, s.View, want)
		}
	}
}

func TestParseSetupIgnoresBadValues(t *testing.T) {
	tests := []struct {
		query string
		notes []string // substrings, one per note
	}{
		{"lr=abc", []string{`ignored lr="abc": learning rate must be a number`}},
		{"lr=NaN&batch=0&epochs=1e9", []string{`ignored lr="NaN"`, `ignored batch="0": batch size must be a whole number from 1 to 1024`, `ignored epochs="1e9"`}},
		{"seed=-1", []string{`ignored seed="-1": seed must be a whole number`}},
		{"limit=1000&val=5000", []string{`ignored val="5000": validation images must be fewer than the 1000 training images`, `ignored limit="1000"`}},
		{"limit=1000&val=100", nil},
		{"view=%3Cscript%3Ealert(1)%3C%2Fscript%3E", []string{`ignored view="<script>alert(1)</script>": want one of draw, train`}},
		{"preset=resnet", []string{`ignored preset="resnet": want one of convnetjs, keras, lenet5, mlp`}},
		{"arch=conv8k5-relu", []string{`ignored arch="conv8k5-relu": the last layer must be softmax`}},
		{"arch=conv1000k5-relu-conv1000k5-relu-dense1000-softmax", []string{`ignored arch=`}},
		{"arch=conv8k5-bogus-softmax", []string{`layer 2, "bogus", is not a layer`}},
		{"arch=" + strings.Repeat("relu-", 70) + "softmax", []string{"71 layers; at most 64"}},
		{"arch=flatten-dense7-softmax", []string{"the last dense layer needs 10 units"}},
		{"theme=%22onload%3Dalert(1)", []string{`ignored theme="\"onload=alert(1)"`}},
		{"aug=all", []string{`ignored aug="all"`}},
		{"model=../../etc/passwd", []string{`ignored model="../../etc/passwd": want one of digits, fashion`}},
		{"x=1", []string{`ignored "x": not a cnnplay setting`}},
		{"lr=0.1&lr=0.2", []string{"lr appears 2 times"}},
		{"lr=" + strings.Repeat("9", 100), []string{`ignored lr="` + strings.Repeat("9", 40) + `"…`}},
		{strings.Repeat("a", 3000), []string{"ignored the whole link setup"}},
	}
	d := defaultSetup()
	for _, tt := range tests {
		s, notes := ParseSetup(tt.query)
		if len(notes) != len(tt.notes) {
			t.Errorf("%.60s: %d notes %q, want %d", tt.query, len(notes), notes, len(tt.notes))
			continue
		}
		for i, want := range tt.notes {
			if !strings.Contains(notes[i], want) {
				t.Errorf("%.60s: note %q does not contain %q", tt.query, notes[i], want)
			}
		}
		// Whatever was ignored left the default, which is acceptable.
		if _, _, _, bad := s.Settings.config(); len(bad) != 0 {
			t.Errorf("%.60s: settings do not validate: %v", tt.query, bad)
		}
		if msg := s.checkSpec(s.Spec); msg != "" {
			t.Errorf("%.60s: spec does not build: %s", tt.query, msg)
		}
		if tt.query == "lr=abc" && s.Settings.LR != d.Settings.LR {
			t.Errorf("lr=abc left lr %q", s.Settings.LR)
		}
	}
}

func TestArchRoundTrip(t *testing.T) {
	for _, name := range nn.PresetNames() {
		p, _ := nn.Preset(name)
		text := formatArch(p.Layers)
		layers, err := parseArch(text)
		if err != nil {
			t.Fatalf("%s: parseArch(%q): %v", name, text, err)
		}
		if got := (nn.Spec{Input: p.Input, Mean: p.Mean, Std: p.Std, Init: p.Init, Layers: layers}); !specEqual(got, p) {
			t.Errorf("%s: %q read back as %+v", name, text, layers)
		}
	}
	const lenet = "conv6k5p2-relu-maxpool2-conv16k5-relu-maxpool2-flatten-dense120-relu-dense84-relu-dense10-softmax"
	if p, _ := nn.Preset("lenet5"); formatArch(p.Layers) != lenet {
		t.Errorf("lenet5 = %q, want %q (the doc comment's example)", formatArch(p.Layers), lenet)
	}
}

func TestSetupQueryRoundTrip(t *testing.T) {
	custom := defaultSetup()
	custom.Spec.Layers = []nn.LayerSpec{{Type: "conv", Filters: 4, Size: 3, Pad: 1}, {Type: "leakyrelu", Alpha: 0.1},
		{Type: "avgpool", Size: 2}, {Type: "dropout", Rate: 0.3}, {Type: "flatten"}, {Type: "dense", Units: 10}, {Type: "softmax"}}
	custom.Settings.Preset = customPreset
	custom.Settings.Seed, custom.Settings.Batch, custom.Settings.Scale = "7", "32", true
	custom.View, custom.Theme = "train", "light"

	lenet := defaultSetup()
	lenet.Spec, _ = nn.Preset("lenet5")
	lenet.Settings.Preset, lenet.Settings.Optimizer, lenet.Settings.LR = "lenet5", "adam", "0.0005"

	for _, s := range []Setup{custom, lenet} {
		q := s.Query()
		got, notes := ParseSetup(q)
		if len(notes) > 0 {
			t.Errorf("%s: notes %q", q, notes)
		}
		if got.Settings != s.Settings || !specEqual(got.Spec, s.Spec) || got.View != s.View || got.Theme != s.Theme || got.Model != s.Model {
			t.Errorf("%s read back as\n%+v\nwant\n%+v", q, got, s)
		}
	}
	if q := lenet.Query(); q != "preset=lenet5&opt=adam&lr=0.0005" {
		t.Errorf("lenet query = %q", q)
	}
	if q := custom.Query(); !strings.Contains(q, "arch=conv4k3p1-leakyrelu0.1-avgpool2-dropout0.3-flatten-dense10-softmax") {
		t.Errorf("custom query = %q", q)
	}
}

func TestSiteBase(t *testing.T) {
	for _, tt := range []struct{ scheme, host, path, want string }{
		{"http", "127.0.0.1:8080", "/", "http://127.0.0.1:8080/"},
		{"http", "127.0.0.1:8080", "/embed.html", "http://127.0.0.1:8080/"},
		{"https", "user.github.io", "/cnnplay/", "https://user.github.io/cnnplay/"},
		{"https", "user.github.io", "/cnnplay/embed.html", "https://user.github.io/cnnplay/"},
		{"", "", "", "/"},
	} {
		if got := siteBase(tt.scheme, tt.host, tt.path); got != tt.want {
			t.Errorf("siteBase(%q, %q, %q) = %q, want %q", tt.scheme, tt.host, tt.path, got, tt.want)
		}
	}
	if got := webURL("/web/models/digits.cnn"); got != "/web/models/digits.cnn" {
		t.Errorf("webURL at the root = %q", got)
	}
}
