//go:build !js

package mydata_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// barPNG returns a 24×24 PNG of a dark bar at x on white.
func barPNG(t *testing.T, x int) []byte {
	img := image.NewGray(image.Rect(0, 0, 24, 24))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y := 3; y < 21; y++ {
		img.Pix[y*24+x], img.Pix[y*24+x+1] = 0, 0
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestBrowserMyDataImportFolder imports a folder of class folders that
// holds bad files beside good ones: the good ones are imported, each bad
// one is named, and a second import adds to the set without losing
// anything.
func TestBrowserMyDataImportFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bars")
	write := func(name string, data []byte) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		write("left/l"+string(rune('0'+i))+".png", barPNG(t, 3+i))
		write("right/r"+string(rune('0'+i))+".png", barPNG(t, 17+i))
	}
	write("right/broken.png", []byte("\x89PNG\r\n\x1a\nnot really"))
	write("right/notes.txt", []byte("hello"))

	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	b.WaitFor(t, `document.getElementById("mydata-panel").dataset.loaded === "true"`, 20*time.Second)
	b.Do(t, chromedp.SetUploadFiles("#mydata-import-folder", []string{dir}))
	b.WaitFor(t, countJS("left")+` === 3 && `+countJS("right")+` === 3`, 30*time.Second)
	problems := browsertest.Eval[string](t, b, `(document.getElementById("mydata-problems") || {}).textContent || ""`)
	if !strings.Contains(problems, "broken.png") {
		t.Errorf("the broken picture is not named; problems: %q", problems)
	}
	if set := browsertest.Eval[string](t, b, `document.getElementById("mydata-set").selectedOptions[0].textContent`); !strings.HasPrefix(set, "bars ") {
		t.Errorf("the folder made the set %q, want it named bars", set)
	}
	status := browsertest.Eval[string](t, b, `document.getElementById("mydata-status").textContent`)
	t.Logf("status %q; problems %q", status, problems)

	// The same folder again: the classes take the pictures a second time
	// under new names; nothing of the set is lost.
	b.Do(t, chromedp.SetUploadFiles("#mydata-import-folder", []string{dir}))
	b.WaitFor(t, countJS("left")+` === 6 && `+countJS("right")+` === 6`, 30*time.Second)
	b.ElementScreenshot(t, "#mydata-panel", "mydata-import-folder")
	b.AssertNoErrors(t)
}
