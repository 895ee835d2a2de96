//go:build !js

package teacher_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// TestBrowserFashionLink: model=fashion opens the training panel on
// Fashion-MNIST, and the prediction's class names are whole: "T-shirt/top"
// is not cut off, wrapping if it must.
func TestBrowserFashionLink(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/?model=fashion")
	if ds := browsertest.Eval[string](t, b, `document.getElementById("train-dataset").value`); ds != "fashion" {
		t.Errorf("model=fashion: the training panel is on %q", ds)
	}
	browsertest.DrawSeven(t, b)
	b.WaitFor(t, `document.querySelectorAll("#probabilities .bar-label").length === 10`, 20*time.Second)
	labels := browsertest.Eval[[]string](t, b, `Array.from(document.querySelectorAll("#probabilities .bar-label")).map(l =>
		l.textContent + "|" + (l.scrollWidth <= l.clientWidth + 1 && l.scrollHeight <= l.clientHeight + 1 ? "whole" : "cut"))`)
	found := false
	for _, l := range labels {
		name, whole, _ := strings.Cut(l, "|")
		if name == "T-shirt/top" {
			found = true
		}
		if whole != "whole" {
			t.Errorf("the class name %q is cut off", name)
		}
	}
	if !found {
		t.Errorf("no T-shirt/top among %q", labels)
	}
	b.ElementScreenshot(t, "#prediction-panel", "fashion-prediction")
}

// rowsJS lists the architecture editor's rows: type, output shape and
// parameters, one string each.
const rowsJS = `Array.from(document.querySelectorAll("#arch-editor tr.arch-row")).map(r =>
	r.querySelector(".arch-type").value + " " + r.querySelector(".arch-out").textContent + " " + r.querySelectorAll(".num")[0].textContent)`

// typeInto types v into the first element matching sel as a user would,
// one character at a time, each with an input event (no change event:
// the editor must update while typing).
func typeInto(t *testing.T, b *browsertest.Browser, sel, v string) {
	t.Helper()
	browsertest.Eval[bool](t, b, `(() => {
		const el = document.querySelector(`+strconv.Quote(sel)+`);
		el.focus();
		el.value = "";
		el.dispatchEvent(new Event("input", {bubbles: true}));
		return true;
	})()`)
	for i := 1; i <= len(v); i++ {
		browsertest.Eval[bool](t, b, `(() => {
			const el = document.querySelector(`+strconv.Quote(sel)+`);
			el.value = `+strconv.Quote(v[:i])+`;
			el.dispatchEvent(new Event("input", {bubbles: true}));
			return true;
		})()`)
	}
}

// TestBrowserArchEditor edits the convnetjs preset in the architecture
// editor: typing a conv layer's filters updates its output shape, the
// parameters and the totals at once; a kernel too large says so on its
// row and in the editor, and goes away when fixed; adding, moving and
// removing layers change the rows; the epoch estimate measures the new
// network.
func TestBrowserArchEditor(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	// Nothing is measured (the worker does not start) until the panel is
	// used: a pointer entering it starts the measurement.
	if basis := browsertest.Eval[string](t, b, `document.getElementById("epoch-estimate").dataset.basis`); basis != "waiting" {
		t.Errorf("before the panel is used the estimate's basis is %q, want waiting", basis)
	}
	browsertest.Eval[bool](t, b, `document.getElementById("train-panel").dispatchEvent(new PointerEvent("pointerenter"))`)
	b.WaitFor(t, `document.getElementById("epoch-estimate").dataset.basis === "measured"`, 90*time.Second)
	before := browsertest.Eval[[]string](t, b, rowsJS)
	totals := browsertest.Eval[string](t, b, `document.getElementById("arch-totals").textContent`)
	if len(before) != 9 || !strings.HasPrefix(before[0], "conv 24x24x8 ") {
		t.Fatalf("the convnetjs rows: %q", before)
	}

	// Typing 16 filters: the shape and counts follow each keystroke.
	typeInto(t, b, "#arch-row-0 .arch-filters", "16")
	b.WaitFor(t, `document.querySelector("#arch-row-0 .arch-out").textContent === "24x24x16"`, 5*time.Second)
	after := browsertest.Eval[[]string](t, b, rowsJS)
	if after[0] == before[0] || after[3] == before[3] || browsertest.Eval[string](t, b, `document.getElementById("arch-totals").textContent`) == totals {
		t.Errorf("16 filters: rows %q, before %q", after, before)
	}
	if p := browsertest.Eval[string](t, b, `document.getElementById("train-preset").value`); p != "custom" {
		t.Errorf("an edited network is preset %q", p)
	}
	b.WaitFor(t, `document.getElementById("epoch-estimate").dataset.basis === "measured"`, 90*time.Second)

	// A kernel larger than the image: an inline error on its row.
	typeInto(t, b, "#arch-row-3 .arch-size", "40")
	b.WaitFor(t, `document.querySelector("#arch-row-3.arch-row-bad .field-error") !== null && document.getElementById("arch-error") !== null`, 5*time.Second)
	t.Logf("inline error: %s", browsertest.Eval[string](t, b, `document.querySelector("#arch-row-3 .field-error").textContent`))
	if basis := browsertest.Eval[string](t, b, `document.getElementById("epoch-estimate").dataset.basis`); basis != "unavailable" {
		t.Errorf("with an error the estimate's basis is %q", basis)
	}
	typeInto(t, b, "#arch-row-3 .arch-size", "5")
	b.WaitFor(t, `document.querySelector("#arch-row-3.arch-row-bad") === null && document.getElementById("arch-error") === null`, 5*time.Second)

	// Add a dense layer (before softmax), move it up, remove it.
	browsertest.Eval[bool](t, b, browsertest.SetFieldJS("arch-add", "dense"))
	b.Click(t, "#arch-add-button")
	b.WaitFor(t, `document.querySelectorAll("#arch-editor tr.arch-row").length === 10`, 5*time.Second)
	rows := browsertest.Eval[[]string](t, b, rowsJS)
	if !strings.HasPrefix(rows[8], "dense ") || !strings.HasPrefix(rows[9], "softmax ") {
		t.Errorf("after adding: %q", rows)
	}
	b.Click(t, `#arch-row-8 button[title="move up"]`)
	b.WaitFor(t, `document.querySelector("#arch-row-7 .arch-type").value === "dense"`, 5*time.Second)
	b.Click(t, `#arch-row-7 button[title="remove"]`)
	b.WaitFor(t, `document.querySelectorAll("#arch-editor tr.arch-row").length === 9`, 5*time.Second)
	if got := browsertest.Eval[[]string](t, b, rowsJS); strings.Join(got, ";") != strings.Join(after, ";") {
		t.Errorf("after adding and removing the dense layer: %q, want %q", got, after)
	}
	b.AssertNoErrors(t)
}
