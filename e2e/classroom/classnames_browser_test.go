//go:build !js

package classroom_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// serverClassesJS asks the class server, with the teacher's key the
// teacher's page keeps, for the class's class names.
const serverClassesJS = `fetch("/class/api/teacher/state", {method: "POST", cache: "no-store",
	headers: {"Content-Type": "application/json", "Authorization": "Bearer " + sessionStorage.getItem("cnnplay-teacher-key")},
	body: "{}"}).then((r) => r.json()).then((s) => s.classes)`

// storedClassesJS reads the class names of the My data set called name
// from the playground's IndexedDB, as the playground stored them (null
// until it has).
func storedClassesJS(name string) string {
	return fmt.Sprintf(`new Promise((ok) => {
		const req = indexedDB.open("cnnplay-mydata");
		req.onerror = () => ok(null);
		req.onsuccess = () => {
			const db = req.result;
			const all = db.transaction("kv").objectStore("kv").getAll(IDBKeyRange.bound("set/", "set0"));
			all.onerror = () => { db.close(); ok(null); };
			all.onsuccess = () => {
				db.close();
				for (const v of all.result) {
					try {
						const m = JSON.parse(new TextDecoder().decode(v));
						if (m.name === %q) return ok(m.classes.map((c) => c.name));
					} catch { /* a picture */ }
				}
				ok(null);
			};
		};
	})`, name)
}

// chooseSetJS chooses the option of the set called name in the teacher's
// "Use the classes of a My data set", as a teacher would.
func chooseSetJS(name string) string {
	return fmt.Sprintf(`(() => {
		const sel = document.getElementById("mydata-sets");
		const o = [...sel.options].find((o) => o.textContent.startsWith(%q + " — "));
		if (!o) return false;
		sel.value = o.value;
		sel.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`, name)
}

// waitServerClasses waits until the class server's class names are want.
func waitServerClasses(t *testing.T, teacher *browsertest.Browser, want []string) {
	t.Helper()
	var got []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if got = browsertest.Eval[[]string](t, teacher, serverClassesJS); slices.Equal(got, want) {
			return
		}
	}
	t.Fatalf("the class's classes are %q, want %q", got, want)
}

// TestBrowserClassNamesFromMyData: the teacher's page lists the My data
// sets of the browser (none at first, without making the playground's
// database), fills the class names with a set's, and the class then asks
// the students for them; a set of more classes than a class allows is
// said to be cut to the first 50.
func TestBrowserClassNamesFromMyData(t *testing.T) {
	joinURL, code, teacherURL := startClass(t)
	root := strings.TrimSuffix(teacherURL[:strings.Index(teacherURL, "/class/")], "/")

	teacher := browsertest.Start(t)
	teacher.Navigate(t, teacherURL)
	teacher.WaitFor(t, `document.getElementById("class-code").textContent === `+fmt.Sprintf("%q", code), 10*time.Second)
	teacher.WaitFor(t, `document.getElementById("mydata-sets").textContent === "No My data sets in this browser"`, 10*time.Second)
	if dbs := browsertest.Eval[[]string](t, teacher, `indexedDB.databases().then((l) => l.map((d) => d.name))`); slices.Contains(dbs, "cnnplay-mydata") {
		t.Errorf("the teacher's page made the playground's database: %q", dbs)
	}

	// The playground, in another tab of the same browser, makes a set of
	// three classes.
	shapes := []string{"circle", "square", "star"}
	playground := teacher.NewTab(t)
	browsertest.LoadPage(t, playground, root+"/")
	playground.WaitFor(t, `document.getElementById("mydata-panel").dataset.loaded === "true"`, 20*time.Second)
	browsertest.Eval[bool](t, playground, browsertest.SetFieldJS("mydata-set-name", "Shapes"))
	playground.Click(t, "#mydata-new-set")
	playground.WaitFor(t, `document.getElementById("mydata-class-name")`, 10*time.Second)
	for _, c := range shapes {
		browsertest.Eval[bool](t, playground, browsertest.SetFieldJS("mydata-class-name", c))
		playground.Click(t, "#mydata-add-class")
		playground.WaitFor(t, fmt.Sprintf(`document.querySelector('.mydata-class[data-class=%q]')`, c), 5*time.Second)
	}
	var stored []string
	for deadline := time.Now().Add(10 * time.Second); !slices.Equal(stored, shapes); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the playground stored the set's classes as %q, want %q", stored, shapes)
		}
		stored = browsertest.Eval[[]string](t, playground, storedClassesJS("Shapes"))
	}
	// And a set of more classes than a class allows, as a playground could
	// keep one.
	many := make([]string, 51)
	for i := range many {
		many[i] = fmt.Sprintf("c%d", i+1)
	}
	browsertest.Eval[bool](t, playground, fmt.Sprintf(`new Promise((ok, fail) => {
		const req = indexedDB.open("cnnplay-mydata");
		req.onsuccess = () => {
			const db = req.result;
			const tx = db.transaction("kv", "readwrite");
			const meta = {format: 1, name: "Too many", framing: "mnist", next: 0, classes: %s.map((name) => ({name, examples: []}))};
			tx.objectStore("kv").put(new TextEncoder().encode(JSON.stringify(meta)), "set/too-many/meta");
			tx.oncomplete = () => { db.close(); ok(true); };
			tx.onerror = () => fail(tx.error);
		};
		req.onerror = () => fail(req.error);
	})`, jsonList(many)))

	// The teacher's page lists both; the teacher picks Shapes and sets the classes.
	teacher.Navigate(t, root+"/class/teacher")
	teacher.WaitFor(t, `document.querySelectorAll("#mydata-sets option").length === 3`, 10*time.Second)
	if got := browsertest.Eval[string](t, teacher, `[...document.querySelectorAll("#mydata-sets option")].map((o) => o.textContent).join(" | ")`); !strings.Contains(got, "Shapes — circle, square, star") {
		t.Errorf("the select lists %q, want the set Shapes with its classes", got)
	}
	if !browsertest.Eval[bool](t, teacher, chooseSetJS("Shapes")) {
		t.Fatal("no option for the set Shapes")
	}
	if v := browsertest.Eval[string](t, teacher, `document.getElementById("classes-input").value`); v != "circle, square, star" {
		t.Errorf("choosing Shapes put %q in the class names box", v)
	}
	teacher.ElementScreenshot(t, "#classes-form", "class-mydata-classes-form")
	teacher.Screenshot(t, "class-mydata-classes")
	teacher.Click(t, "#classes-form button[type=submit]")
	waitServerClasses(t, teacher, shapes)

	// A student is asked to draw one of them.
	s := &student{b: teacher.NewDevice(t), name: "Ann", kind: browsertest.Mouse}
	s.join(t, joinURL)
	if target := browsertest.Eval[string](t, s.b, `document.getElementById("target").textContent`); !slices.Contains(shapes, target) {
		t.Errorf("the student is asked for %q, want one of %q", target, shapes)
	}

	// Too many classes: the box gets the first 50, and the page says so.
	if !browsertest.Eval[bool](t, teacher, chooseSetJS("Too many")) {
		t.Fatal("no option for the set Too many")
	}
	note := browsertest.Eval[string](t, teacher, `document.getElementById("mydata-note").textContent`)
	if !strings.Contains(note, "has 51 classes, more than the 50 a class allows") {
		t.Errorf("choosing a set of 51 classes says %q", note)
	}
	teacher.Screenshot(t, "class-mydata-too-many")
	teacher.Click(t, "#classes-form button[type=submit]")
	waitServerClasses(t, teacher, many[:50])
	teacher.AssertNoErrors(t)
	playground.AssertNoErrors(t)
}

// jsonList is a JavaScript array literal of the strings.
func jsonList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ",") + "]"
}
