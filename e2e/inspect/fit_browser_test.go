//go:build !js

package inspect_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
)

// misfitModel is a valid model that does not fit the page's datasets in
// one way or another.
type misfitModel struct {
	name    string
	spec    nn.Spec
	classes int
	// evaluates says whether the projection and mistakes views run it on
	// MNIST's test set (its classes are MNIST's ten) or explain why not.
	evaluates bool
}

var misfitModels = []misfitModel{
	{"two-classes", denseSpec(nn.Shape{H: 28, W: 28, C: 1}, 2), 2, false},
	{"input-32x32", convSpec(nn.Shape{H: 32, W: 32, C: 1}, 10), 10, true},
	{"three-channels", convSpec(nn.Shape{H: 28, W: 28, C: 3}, 10), 10, true},
	{"thousand-classes", denseSpec(nn.Shape{H: 28, W: 28, C: 1}, 1000), 1000, false},
}

func denseSpec(in nn.Shape, classes int) nn.Spec {
	return nn.Spec{Input: in, Layers: []nn.LayerSpec{{Type: "flatten"}, {Type: "dense", Units: classes}, {Type: "softmax"}}}
}

func convSpec(in nn.Shape, classes int) nn.Spec {
	return nn.Spec{Input: in, Layers: []nn.LayerSpec{
		{Type: "conv", Filters: 4, Size: 3, Pad: 1}, {Type: "relu"}, {Type: "maxpool", Size: 2},
		{Type: "flatten"}, {Type: "dense", Units: classes}, {Type: "softmax"}}}
}

// writeMisfit encodes m with random weights and class names "c0", "c1", …
// (MNIST's digits for ten classes) into dir and returns the file's path.
func writeMisfit(t *testing.T, dir string, m misfitModel) string {
	t.Helper()
	net, err := nn.Build(m.spec, rand.New(rand.NewPCG(7, 7)))
	if err != nil {
		t.Fatalf("%s: %v", m.name, err)
	}
	classes := make([]string, m.classes)
	for i := range classes {
		classes[i] = "c" + strconv.Itoa(i)
		if m.classes == 10 {
			classes[i] = strconv.Itoa(i)
		}
	}
	var buf bytes.Buffer
	if err := (&model.Model{Net: net, Classes: classes, Record: model.Record{Dataset: "mnist"}}).Encode(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, m.name+".cnn")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// oneClassFile writes a well-formed file (right framing, sizes and
// checksum) of a network with one class, which nn cannot build: a
// classifier needs two classes, so the page must refuse it.
func oneClassFile(t *testing.T, dir string) string {
	t.Helper()
	spec := denseSpec(nn.Shape{H: 28, W: 28, C: 1}, 1)
	type param struct {
		Name string `json:"name"`
		Dims []int  `json:"dims"`
	}
	hj, err := json.Marshal(map[string]any{"spec": spec, "classes": []string{"only"},
		"params": []param{{"dense1.w", []int{784, 1}}, {"dense1.b", []int{1}}}, "record": map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	buf := append([]byte("CNNPLAY\x00"), 1, 0, 0, 0)
	buf = le.AppendUint32(buf, uint32(len(hj)))
	buf = append(buf, hj...)
	buf = le.AppendUint32(buf, 785)
	buf = append(buf, make([]byte, 4*785)...)
	buf = le.AppendUint32(buf, crc32.ChecksumIEEE(buf))
	path := filepath.Join(dir, "one-class.cnn")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// saveModel clicks Save model and returns the downloaded file's bytes.
func saveModel(t *testing.T, b *browsertest.Browser) []byte {
	t.Helper()
	dir := t.TempDir()
	b.Do(t, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return err
	}))
	b.Click(t, "#save-model")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		entries, _ := os.ReadDir(dir)
		if len(entries) == 1 && strings.HasSuffix(entries[0].Name(), ".cnn") {
			time.Sleep(200 * time.Millisecond)
			data, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
			if err == nil && len(data) > 0 {
				return data
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no download in %s (it has %v)", dir, entries)
		}
	}
}

// recordDiff says how two model files differ, for a failure message.
func recordDiff(got, want []byte) string {
	g, err1 := model.Decode(bytes.NewReader(got))
	w, err2 := model.Decode(bytes.NewReader(want))
	if err1 != nil || err2 != nil {
		return fmt.Sprintf("decoding: %v, %v", err1, err2)
	}
	return fmt.Sprintf("saved: %+v %d classes\nwanted: %+v %d classes", g.Record, len(g.Classes), w.Record, len(w.Classes))
}

// loadModelFile picks a file with Load model and waits for the message,
// which it returns.
func loadModelFile(t *testing.T, b *browsertest.Browser, path string) string {
	t.Helper()
	b.Do(t, chromedp.SetUploadFiles("#load-model", []string{path}))
	name := strconv.Quote(filepath.Base(path))
	b.WaitFor(t, `(() => { const m = document.getElementById("model-message").textContent;
		return m.includes(`+name+`) && !m.startsWith("Reading"); })()`, 20*time.Second)
	return browsertest.Eval[string](t, b, `document.getElementById("model-message").textContent`)
}

// viewShownJS reports whether the view with that id has painted or
// explains why it cannot.
func viewShownJS(id string) string {
	return `(() => { const e = document.getElementById("` + id + `");
		return !!e && (Number(e.dataset.updates) >= 1 || e.textContent.includes("This model has")); })()`
}

// TestBrowserMisfitModels: a tiny model is trained; files that do not
// decode as a model the page can use (a corrupt one, one of a single class)
// are refused and Save model still saves the trained model; then models
// that decode but fit nothing the page was made for (2 classes, a 32x32
// input, 3 channels, 1000 classes) load, the drawing is classified, every
// inspect tab shows its view or says in place why it cannot, and the Go
// program never exits.
func TestBrowserMisfitModels(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	browsertest.DrawSeven(t, b)

	// Train the MLP for one short epoch.
	browsertest.Eval[bool](t, b, `(() => {
		const s = document.getElementById("train-preset"); s.value = "mlp";
		s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	time.Sleep(200 * time.Millisecond)
	for id, v := range map[string]string{"train-limit": "2000", "train-validation": "500", "train-epochs": "1"} {
		browsertest.Eval[bool](t, b, browsertest.SetFieldJS(id, v))
	}
	b.Click(t, "#train-start")
	// Done, and tested: the test accuracy goes into the model's record.
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "done" && document.getElementById("confusion")`, 120*time.Second)
	b.WaitFor(t, `document.getElementById("prediction").textContent !== "–"`, 10*time.Second)
	// The trained model, and then its test accuracy, reach the model
	// panel a little after the confusion matrix shows: save until the
	// file is the model trained here (the shipped one, which Save model
	// may still give, has a test accuracy too) and holds it.
	var trained []byte
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(500 * time.Millisecond) {
		trained = saveModel(t, b)
		m, err := model.Decode(bytes.NewReader(trained))
		if err != nil {
			t.Fatalf("the trained model saved does not decode: %v", err)
		}
		if m.Record.Command == "cnnplay in the browser, preset mlp" && m.Record.TestAcc > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the saved model is not the one trained here with its test accuracy: %+v", m.Record)
		}
	}
	t.Logf("trained and saved: %d bytes", len(trained))

	dir := t.TempDir()
	corrupt := append([]byte(nil), trained...)
	corrupt[len(corrupt)/2] ^= 0x55
	corruptPath := filepath.Join(dir, "corrupt.cnn")
	if err := os.WriteFile(corruptPath, corrupt, 0o644); err != nil {
		t.Fatal(err)
	}
	bars := browsertest.Eval[string](t, b, browsertest.BarsJS)
	for _, path := range []string{corruptPath, oneClassFile(t, dir)} {
		msg := loadModelFile(t, b, path)
		t.Logf("%s: %s", filepath.Base(path), msg)
		if !strings.Contains(msg, "could not be loaded") || !strings.Contains(msg, "unchanged") {
			t.Errorf("%s: %q, want a refusal", filepath.Base(path), msg)
		}
		if got := browsertest.Eval[string](t, b, browsertest.BarsJS); got != bars {
			t.Errorf("%s changed the probabilities from %s to %s", filepath.Base(path), bars, got)
		}
		if got := saveModel(t, b); !bytes.Equal(got, trained) {
			t.Errorf("after refusing %s, Save model saved %d bytes, not the trained model's %d:\n%s", filepath.Base(path), len(got), len(trained), recordDiff(got, trained))
		}
	}

	tabs := []struct{ tab, view string }{
		{"data", "view-data"}, {"convolution", "view-convolution"}, {"network", "view-network"},
		{"filters", "view-filters"}, {"maps", "view-maps"}, {"projection", "view-projection"},
		{"mistakes", "view-mistakes"}, {"saliency", "view-saliency"},
	}
	for _, m := range misfitModels {
		path := writeMisfit(t, dir, m)
		want, _ := os.ReadFile(path)
		msg := loadModelFile(t, b, path)
		t.Logf("%s: %s", m.name, msg)
		if !strings.HasPrefix(msg, "Loaded "+m.name+".cnn") {
			t.Errorf("%s: %q, want it loaded", m.name, msg)
			continue
		}
		// The drawing is classified by the loaded model: one of its
		// classes, and a bar each for up to 20 classes, else the 10 most
		// likely.
		b.WaitFor(t, `document.getElementById("prediction").textContent.startsWith("`+map[bool]string{true: "", false: "c"}[m.classes == 10]+`")
			&& document.getElementById("prediction").textContent !== "–"`, 10*time.Second)
		nBars := browsertest.Eval[int](t, b, `document.querySelectorAll("#probabilities .bar").length`)
		if want := min(m.classes, 10); nBars != want && !(m.classes <= 20 && nBars == m.classes) {
			t.Errorf("%s: %d bars, want %d", m.name, nBars, want)
		}
		for _, tab := range tabs {
			b.Click(t, "#inspect-tab-"+tab.tab)
			wait := 15 * time.Second
			if tab.tab == "projection" || tab.tab == "mistakes" || tab.tab == "data" {
				wait = 120 * time.Second
			}
			b.WaitFor(t, viewShownJS(tab.view), wait)
			text := browsertest.Eval[string](t, b, `document.getElementById("`+tab.view+`").textContent`)
			explains := strings.Contains(text, "This model has")
			if (tab.tab == "projection" || tab.tab == "mistakes") && explains == m.evaluates {
				t.Errorf("%s, %s: %q; want it evaluated: %v", m.name, tab.tab, text, m.evaluates)
			}
			if explains {
				t.Logf("%s, %s: %s", m.name, tab.tab, strings.TrimSpace(text[:min(len(text), 200)]))
			}
			if m.name == "two-classes" || m.name == "thousand-classes" {
				if tab.tab == "mistakes" || tab.tab == "maps" {
					b.Screenshot(t, "misfit-"+m.name+"-"+tab.tab)
				}
			}
		}
		// A new drawing is classified, and the page keeps answering.
		b.Click(t, "#undo")
		browsertest.DrawSeven(t, b)
		b.WaitFor(t, `document.getElementById("prediction").textContent !== "–"`, 10*time.Second)
		if got := saveModel(t, b); !bytes.Equal(got, want) {
			t.Errorf("%s: Save model saved %d bytes, not the loaded model's %d", m.name, len(got), len(want))
		}
	}
	for _, msg := range b.Console() {
		if strings.Contains(msg.Text, "Go program has already exited") || strings.Contains(msg.Text, "panic:") {
			t.Errorf("console: %s", msg.Text)
		}
	}
	b.AssertNoErrors(t)
}
