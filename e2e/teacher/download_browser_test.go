//go:build !js

package teacher_test

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// captureJS keeps the files the page offers (a Blob behind a link with a
// download name, clicked) in window.cnnDownloads instead of saving them.
// The page's Content-Security-Policy forbids fetching the blob's URL, so
// the Blob itself is kept when its URL is made.
const captureJS = `(() => {
	window.cnnDownloads = [];
	const blobs = {};
	const create = URL.createObjectURL;
	URL.createObjectURL = function (b) { const u = create.call(URL, b); blobs[u] = b; return u; };
	const click = HTMLAnchorElement.prototype.click;
	HTMLAnchorElement.prototype.click = function () {
		if (this.download) { window.cnnDownloads.push({name: this.download, blob: blobs[this.href]}); return; }
		return click.call(this);
	};
	return true;
})()`

// download clicks the button and returns the name and bytes of the file
// it offers.
func download(t *testing.T, b *browsertest.Browser, button string) (string, []byte) {
	t.Helper()
	n := browsertest.Eval[int](t, b, `window.cnnDownloads.length`)
	b.Click(t, button)
	b.WaitFor(t, `window.cnnDownloads.length > `+strconv.Itoa(n), 20*time.Second)
	name := browsertest.Eval[string](t, b, `window.cnnDownloads[window.cnnDownloads.length - 1].name`)
	browsertest.Eval[bool](t, b, `(window.cnnFile = null, window.cnnDownloads[window.cnnDownloads.length - 1].blob
		.arrayBuffer().then(buf => {
			let s = ""; const u = new Uint8Array(buf);
			for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode.apply(null, u.subarray(i, i + 8192));
			window.cnnFile = btoa(s);
		}), true)`)
	b.WaitFor(t, `window.cnnFile !== null`, 20*time.Second)
	data, err := base64.StdEncoding.DecodeString(browsertest.Eval[string](t, b, `window.cnnFile`))
	if err != nil {
		t.Fatal(err)
	}
	// Kept beside the screenshots, to be looked at.
	if err := os.WriteFile(filepath.Join(browsertest.OutDir(t), "download-"+filepath.Base(name)), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return name, data
}

// checkPNG decodes a PNG and reports its size and whether it is more than
// one colour.
func checkPNG(t *testing.T, what string, data []byte, minW int) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: not a PNG: %v", what, err)
	}
	r := img.Bounds()
	colours := map[[4]uint32]bool{}
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			c0, c1, c2, c3 := img.At(x, y).RGBA()
			colours[[4]uint32{c0, c1, c2, c3}] = true
		}
	}
	t.Logf("%s: %dx%d PNG, %d colours sampled", what, r.Dx(), r.Dy(), len(colours))
	if r.Dx() < minW || len(colours) < 3 {
		t.Errorf("%s: a %dx%d PNG with %d colours: too small or blank", what, r.Dx(), r.Dy(), len(colours))
	}
	return img
}

// checkSVG parses an SVG and returns its text.
func checkSVG(t *testing.T, what string, data []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var text strings.Builder
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: the SVG does not parse: %v", what, err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = v.Name.Local
			}
		case xml.CharData:
			text.Write(v)
		}
	}
	if root != "svg" {
		t.Errorf("%s: the root element is %q", what, root)
	}
	return text.String()
}

// TestBrowserDownloads trains the convnetjs preset past its first epoch
// and downloads each chart as PNG (twice the chart's 420 px, not blank),
// SVG (parses, with the title and the model's name) and CSV (a row per
// point the page holds, series by series); then each view inside the
// network as PNG.
func TestBrowserDownloads(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	browsertest.Eval[bool](t, b, captureJS)
	for id, v := range map[string]string{"train-limit": "6000", "train-validation": "1000"} {
		browsertest.Eval[bool](t, b, browsertest.SetFieldJS(id, v))
	}
	b.Click(t, "#train-start")
	b.WaitFor(t, `document.querySelectorAll("#acc-chart circle.s-val").length >= 1`, 300*time.Second)
	b.Click(t, "#train-pause")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "paused"`, 30*time.Second)
	time.Sleep(500 * time.Millisecond) // the last flush

	for _, chart := range []string{"loss-chart", "acc-chart"} {
		name, data := download(t, b, "#"+chart+"-png")
		if !strings.HasSuffix(name, ".png") {
			t.Errorf("%s: PNG named %q", chart, name)
		}
		checkPNG(t, chart, data, 2*420)

		name, data = download(t, b, "#"+chart+"-svg")
		text := checkSVG(t, chart, data)
		if !strings.HasSuffix(name, ".svg") || !strings.Contains(text, "ConvNetJS demo on MNIST digits") {
			t.Errorf("%s: SVG %q without the model's name: %q", chart, name, text)
		}

		_, data = download(t, b, "#"+chart+"-csv")
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil || len(rows) < 2 || strings.Join(rows[0], ",") != "series,examples_seen,value" {
			t.Fatalf("%s: CSV %q: %v", chart, data[:min(len(data), 200)], err)
		}
		count := map[string]int{}
		for _, r := range rows[1:] {
			count[r[0]]++
		}
		want := map[string]int{
			"training":                     browsertest.PanelInt(t, b, "lossPoints"),
			"validation, each epoch's end": browsertest.Eval[int](t, b, `document.querySelectorAll("#`+chart+` circle.s-val").length`),
			"validation, 1,000 images, during the epoch": browsertest.PanelInt(t, b, "quickPoints"),
		}
		for k, n := range want {
			if count[k] != n || n == 0 {
				t.Errorf("%s: %d CSV rows of %q, the page holds %d points", chart, count[k], k, n)
			}
		}
	}

	// Each view inside the network: a PNG of twice its size, not blank.
	// The drawing gives the feature maps and saliency something to show;
	// the test evaluation after Stop gives projection and mistakes theirs.
	browsertest.DrawSeven(t, b)
	b.Click(t, "#train-stop")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "done"`, 120*time.Second)
	for _, tab := range []string{"data", "convolution", "network", "filters", "maps", "projection", "mistakes", "saliency"} {
		b.Click(t, "#inspect-tab-"+tab)
		b.WaitFor(t, `document.querySelector("#inspect-tab-`+tab+`").getAttribute("aria-selected") === "true"`, 10*time.Second)
		time.Sleep(1500 * time.Millisecond) // views draw their canvases after mounting; projection computes
		width := browsertest.Eval[float64](t, b, `document.getElementById("inspect-view").getBoundingClientRect().width`)
		name, data := download(t, b, "#inspect-view-png")
		if !strings.HasSuffix(name, ".png") || !strings.Contains(name, "convnetjs") {
			t.Errorf("%s: PNG named %q", tab, name)
		}
		checkPNG(t, tab, data, int(2*width)-2)
	}
	b.AssertNoErrors(t)
}
