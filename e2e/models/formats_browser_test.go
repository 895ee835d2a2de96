//go:build !js

package models_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/model/onnx"
	"github.com/cnnplay/cnnplay/nn/model/tfjs"
	"github.com/cnnplay/cnnplay/web/models"
)

// download clicks the button selector and returns the name and bytes of
// the file the page downloads.
func download(t *testing.T, b *browsertest.Browser, selector, ext string) (string, []byte) {
	t.Helper()
	dir := t.TempDir()
	b.Do(t, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return err
	}))
	b.Click(t, selector)
	// The first save in another format starts the converter worker.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		entries, _ := os.ReadDir(dir)
		if len(entries) == 1 && strings.HasSuffix(entries[0].Name(), ext) {
			time.Sleep(200 * time.Millisecond)
			data, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
			if err == nil && len(data) > 0 {
				return entries[0].Name(), data
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no %s download in %s (it has %v); the button is disabled: %v; the page says %q", selector, ext, dir, entries,
				browsertest.Eval[bool](t, b, `document.querySelector("`+selector+`").disabled`),
				browsertest.Eval[string](t, b, `document.getElementById("model-message").textContent`))
		}
	}
}

// load picks paths with Load model… and returns the page's message once it
// has read them (the first, a TF.js model.json, names the model).
func load(t *testing.T, b *browsertest.Browser, paths ...string) string {
	t.Helper()
	b.Do(t, chromedp.SetUploadFiles("#load-model", paths))
	name := strconv.Quote(filepath.Base(paths[0]))
	b.WaitFor(t, `(() => { const m = document.getElementById("model-message").textContent;
		return m.includes(`+name+`) && (m.startsWith("Loaded") || m.includes("could not be loaded")); })()`, 60*time.Second)
	return browsertest.Eval[string](t, b, `document.getElementById("model-message").textContent`)
}

// TestBrowserModelFormats: the page saves its model (the shipped digits
// model) as ONNX and as a .cnn file; the ONNX file holds the same weights
// and loads back, classifying the drawing exactly as before, with every
// inspect view working on it; saved again as .cnn it loads again. A
// corrupt ONNX file is refused, leaving the model as it was. The same for
// TF.js: saved as a zip, it holds the same weights and loads back as a
// zip, and as model.json with its weight file picked together.
func TestBrowserModelFormats(t *testing.T) {
	shippedFile, err := models.Files.Open(models.Digits)
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := model.Decode(shippedFile)
	shippedFile.Close()
	if err != nil {
		t.Fatal(err)
	}
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	browsertest.DrawSeven(t, b)
	b.WaitFor(t, `document.getElementById("prediction").textContent !== "–"`, 10*time.Second)
	// The model panel holds the shipped model once it is chosen there.
	b.Click(t, "#use-shipped")
	b.WaitFor(t, `!document.getElementById("save-onnx").disabled`, 20*time.Second)
	b.WaitFor(t, `document.getElementById("prediction").textContent !== "–"`, 10*time.Second)
	bars := browsertest.Eval[string](t, b, browsertest.BarsJS)

	name, data := download(t, b, "#save-onnx", ".onnx")
	t.Logf("Save as ONNX: %s, %d bytes", name, len(data))
	got, err := onnx.Unmarshal(data)
	if err != nil {
		t.Fatalf("the page's ONNX file does not decode: %v", err)
	}
	if !slices.Equal(got.Net.Weights(), shipped.Net.Weights()) || !slices.Equal(got.Classes, shipped.Classes) {
		t.Fatal("the page's ONNX file is not the shipped digits model")
	}

	dir := t.TempDir()
	onnxPath := filepath.Join(dir, name)
	if err := os.WriteFile(onnxPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	corrupt := filepath.Join(dir, "corrupt.onnx")
	if err := os.WriteFile(corrupt, data[:len(data)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	if msg := load(t, b, corrupt); !strings.Contains(msg, "could not be loaded") || !strings.Contains(msg, "unchanged") {
		t.Errorf("a truncated .onnx file: %q, want a refusal", msg)
	}
	if msg := load(t, b, onnxPath); !strings.HasPrefix(msg, "Loaded "+name) {
		t.Fatalf("loading the saved ONNX file: %q", msg)
	}
	// The loaded model classifies the drawing exactly as the shipped one.
	b.WaitFor(t, `document.getElementById("prediction").textContent !== "–"`, 10*time.Second)
	if got := browsertest.Eval[string](t, b, browsertest.BarsJS); got != bars {
		t.Errorf("probabilities %s after loading the ONNX file, %s before", got, bars)
	}
	for _, tab := range []string{"network", "filters", "maps", "saliency", "convolution"} {
		b.Click(t, "#inspect-tab-"+tab)
		view := "view-" + tab
		b.WaitFor(t, `(() => { const e = document.getElementById("`+view+`");
			return !!e && Number(e.dataset.updates) >= 1; })()`, 20*time.Second)
	}

	zipName, zipData := download(t, b, "#save-tfjs", ".zip")
	t.Logf("Save as TF.js (zip): %s, %d bytes", zipName, len(zipData))
	fromZip, err := tfjs.ReadZip(bytes.NewReader(zipData), int64(len(zipData)))
	if err != nil {
		t.Fatalf("the page's TF.js zip does not read: %v", err)
	}
	if !slices.Equal(fromZip.Net.Weights(), shipped.Net.Weights()) || !slices.Equal(fromZip.Classes, shipped.Classes) {
		t.Fatal("the page's TF.js zip is not the shipped digits model")
	}
	zipPath := filepath.Join(dir, zipName)
	if err := os.WriteFile(zipPath, zipData, 0o644); err != nil {
		t.Fatal(err)
	}
	tfjsDir := filepath.Join(dir, "tfjs")
	if err := os.Mkdir(tfjsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	files, err := tfjs.Encode(fromZip)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files { // model.json first
		paths = append(paths, filepath.Join(tfjsDir, f.Name))
		if err := os.WriteFile(paths[len(paths)-1], f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range [][]string{{zipPath}, paths} {
		if msg := load(t, b, p...); !strings.HasPrefix(msg, "Loaded "+filepath.Base(p[0])) {
			t.Fatalf("loading %v: %q", p, msg)
		}
		b.WaitFor(t, `document.getElementById("prediction").textContent !== "–"`, 10*time.Second)
		if got := browsertest.Eval[string](t, b, browsertest.BarsJS); got != bars {
			t.Errorf("probabilities %s after loading %v, %s before", got, p, bars)
		}
	}

	cnnName, cnnData := download(t, b, "#save-model", ".cnn")
	back, err := model.Decode(bytes.NewReader(cnnData))
	if err != nil {
		t.Fatalf("Save model after loading ONNX: %v", err)
	}
	if !slices.Equal(back.Net.Weights(), shipped.Net.Weights()) {
		t.Error("the .cnn saved after loading the ONNX and TF.js files has other weights")
	}
	cnnPath := filepath.Join(dir, cnnName)
	if err := os.WriteFile(cnnPath, cnnData, 0o644); err != nil {
		t.Fatal(err)
	}
	if msg := load(t, b, cnnPath); !strings.HasPrefix(msg, "Loaded "+cnnName) {
		t.Errorf("loading the saved .cnn file: %q", msg)
	}
	b.AssertNoErrors(t)
}
