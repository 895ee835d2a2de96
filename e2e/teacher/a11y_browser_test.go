//go:build !js

package teacher_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// axeDir is where axe-core is installed from e2e/teacher/npm's lock file
// (make test does it; the test does it when it is missing).
const axeDir = "../../.cache/npm-axe"

// axeScript returns axe-core's browser script, installing the pinned
// version with npm ci first if it is not there.
func axeScript(t *testing.T) string {
	t.Helper()
	path := filepath.Join(axeDir, "node_modules", "axe-core", "axe.min.js")
	lock, err := os.ReadFile("npm/package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	installed, _ := os.ReadFile(filepath.Join(axeDir, "installed.lock"))
	if _, err := os.Stat(path); err != nil || string(installed) != string(lock) {
		if err := os.MkdirAll(axeDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"package.json", "package-lock.json"} {
			b, err := os.ReadFile(filepath.Join("npm", f))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(axeDir, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = axeDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci of axe-core (e2e/teacher/npm) in %s: %v\n%s", axeDir, err, out)
		}
		if err := os.WriteFile(filepath.Join(axeDir, "installed.lock"), lock, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// axeRunJS runs axe-core on the page for WCAG 2 A and AA and leaves the
// serious and critical violations, one line each, in window.cnnAxe.
const axeRunJS = `(window.cnnAxe = null, axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
	.then(r => { window.cnnAxe = r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => v.impact + " " + v.id + ": " + v.help + " at " + v.nodes.slice(0, 4).map(n => n.target.join(" ")).join("; ") +
			(v.nodes.length > 4 ? " and " + (v.nodes.length - 4) + " more" : "")); })
	.catch(e => { window.cnnAxe = ["axe failed: " + e]; }), true)`

// TestBrowserAxe runs axe-core (npm, pinned) on the page with each tab of
// the inspect panel open, in the light and the dark theme: no serious or
// critical violations of WCAG 2.1 A and AA.
func TestBrowserAxe(t *testing.T) {
	script := axeScript(t)
	b, url := browsertest.StartSite(t)
	for _, theme := range []string{"light", "dark"} {
		browsertest.LoadPage(t, b, url+"/?theme="+theme)
		browsertest.Eval[bool](t, b, script+`; true`)
		// axe must see a violation when there is one: a button without a
		// name is critical.
		browsertest.Eval[bool](t, b, `(() => { const x = document.createElement("button"); x.id = "axe-probe";
			document.querySelector(".page-main").append(x); return true; })()`)
		browsertest.Eval[bool](t, b, axeRunJS)
		b.WaitFor(t, `window.cnnAxe !== null`, 60*time.Second)
		if v := browsertest.Eval[[]string](t, b, `window.cnnAxe`); !strings.Contains(strings.Join(v, "\n"), "button-name") {
			t.Fatalf("axe did not report a button without a name: %q", v)
		}
		browsertest.Eval[bool](t, b, `document.getElementById("axe-probe").remove(), true`)
		browsertest.DrawSeven(t, b)
		viewportShot(t, b, "theme-"+theme)
		for _, tab := range []string{"data", "convolution", "network", "filters", "maps", "projection", "mistakes", "saliency"} {
			b.Click(t, "#inspect-tab-"+tab)
			b.WaitFor(t, `document.querySelector("#inspect-tab-`+tab+`").getAttribute("aria-selected") === "true"`, 10*time.Second)
			time.Sleep(time.Second)
			browsertest.Eval[bool](t, b, axeRunJS)
			b.WaitFor(t, `window.cnnAxe !== null`, 60*time.Second)
			if v := browsertest.Eval[[]string](t, b, `window.cnnAxe`); len(v) > 0 {
				t.Errorf("%s theme, %s tab: %d serious or critical violations:\n%s", theme, tab, len(v), strings.Join(v, "\n"))
			}
		}
	}
}
