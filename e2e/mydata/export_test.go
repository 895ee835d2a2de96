//go:build !js

package mydata_test

import (
	"archive/zip"
	"context"
	"encoding/base64"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// exportClearImport exports the set shown as a zip, checks the zip holds
// the set's pictures byte for byte, deletes the set and imports the zip:
// the same classes, counts and bytes come back.
func exportClearImport(t *testing.T, b *browsertest.Browser, pngs map[string]string) {
	t.Helper()
	dir := t.TempDir()
	b.Do(t, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return err
	}))
	before := classCounts(t, b)
	b.Click(t, "#mydata-export")
	file := filepath.Join(dir, "cnnplay-Digits-I-drew.zip")
	deadline := time.Now().Add(20 * time.Second)
	for {
		if st, err := os.Stat(file); err == nil && st.Size() > 0 {
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dir)
			t.Fatalf("no download at %s (folder has %v)", file, entries)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)

	// The zip holds every picture as a class folder's file, byte for byte.
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	inZip := map[string]string{}
	for _, f := range zr.File {
		if filepath.Ext(f.Name) != ".png" {
			continue
		}
		r, _ := f.Open()
		data, _ := io.ReadAll(r)
		r.Close()
		inZip[f.Name] = base64.StdEncoding.EncodeToString(data)
	}
	zr.Close()
	if !maps.Equal(inZip, pngs) {
		t.Errorf("the zip holds %d pictures, the set %d, or their bytes differ", len(inZip), len(pngs))
	}

	// Clear: delete the set (the page asks first; the test says yes).
	browsertest.Eval[bool](t, b, `(window.confirm = () => true, true)`)
	b.Click(t, "#mydata-delete-set")
	b.WaitFor(t, `document.querySelectorAll(".mydata-thumb").length === 0`, 10*time.Second)
	time.Sleep(500 * time.Millisecond) // the panel and the training panel re-render

	// Import: the zip makes the set again.
	b.Do(t, chromedp.SetUploadFiles("#mydata-import-files", []string{file}))
	if !waitTrue(t, b, `document.querySelectorAll(".mydata-thumb").length === `+strconv.Itoa(len(pngs)), 30*time.Second) {
		b.AssertNoErrors(t) // a page whose program died says so
		t.Fatalf("the import shows %d pictures, want %d; status %q, problems %q", browsertest.Eval[int](t, b, `document.querySelectorAll(".mydata-thumb").length`), len(pngs),
			browsertest.Eval[string](t, b, `document.getElementById("mydata-status").textContent`),
			browsertest.Eval[string](t, b, `(document.getElementById("mydata-problems") || {}).textContent || ""`))
	}
	if after := classCounts(t, b); after != before {
		t.Errorf("counts after import %s, before export %s", after, before)
	}
	if got := thumbnails(t, b); !maps.Equal(got, pngs) {
		t.Errorf("after import the set holds %d pictures (want %d), or other bytes", len(got), len(pngs))
	}
	b.ElementScreenshot(t, "#mydata-panel", "mydata-imported")
}

// waitTrue polls a JavaScript expression until it is true or the time is
// up, and says which.
func waitTrue(t *testing.T, b *browsertest.Browser, expr string, timeout time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if browsertest.Eval[bool](t, b, "!!("+expr+")") {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}
