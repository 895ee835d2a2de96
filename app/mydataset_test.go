package app

import (
	"bytes"
	"errors"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

func TestMySetClasses(t *testing.T) {
	sets := &mySets{}
	s, err := sets.newSet("  Shapes ", 1000)
	if err != nil || s.Name != "Shapes" {
		t.Fatalf("newSet = %+v, %v", s, err)
	}
	if _, err := sets.newSet("shapes", 1000); err == nil {
		t.Error("a second set named shapes (other case) was made")
	}
	s2, err := sets.newSet("Letters", 1000)
	if err != nil || s2.ID == s.ID {
		t.Fatalf("second set: %+v, %v (first id %q)", s2, err, s.ID)
	}
	if sets.byDataset(s2.datasetName()) != s2 || sets.byDataset("mnist") != nil {
		t.Error("byDataset does not find the sets by their dataset names")
	}
	for _, name := range []string{"circle", "line", "cross"} {
		if _, err := s.addClass(name); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []string{"", "   ", "Circle", "a/b", "..", strings.Repeat("x", myMaxNameRunes+1), "tab\there"} {
		if _, err := s.addClass(bad); err == nil {
			t.Errorf("addClass(%q) was accepted", bad)
		}
	}
	if got := s.classNames(); !slices.Equal(got, []string{"circle", "line", "cross"}) {
		t.Errorf("classes %q", got)
	}
	if err := s.renameClass(1, "cross"); err == nil {
		t.Error("renaming line to cross (taken) was accepted")
	}
	if err := s.renameClass(1, "Line"); err != nil {
		t.Errorf("renaming line to Line: %v", err)
	}
	s.deleteClass(0)
	if got := s.classNames(); !slices.Equal(got, []string{"Line", "cross"}) {
		t.Errorf("after deleting circle: %q", got)
	}
}

func TestMySetExamplesAndLimits(t *testing.T) {
	s := &mySet{ID: "x", Name: "x"}
	s.addClass("a")
	s.addClass("b")
	e1, err := s.addExample(0, "", []byte("png1"), []myStroke{{{1, 2, 0}}})
	if err != nil || e1.File != "drawing-0001.png" {
		t.Fatalf("addExample = %+v, %v", e1, err)
	}
	e2, _ := s.addExample(0, "dir/cat.png", []byte("png2"), nil)
	e3, _ := s.addExample(0, "cat.png", []byte("png3"), nil)
	if e2.File != "cat.png" || e3.File != "cat-3.png" {
		t.Errorf("file names %q, %q; want cat.png, cat-3.png", e2.File, e3.File)
	}
	if n, b := s.count(); n != 3 || b != 12 {
		t.Errorf("count = %d images, %d bytes", n, b)
	}
	if !s.deleteExample(e2.ID) || s.deleteExample(e2.ID) {
		t.Error("deleteExample did not delete once")
	}
	if _, err := s.addExample(1, "big.png", make([]byte, myMaxBytes), nil); err == nil || !strings.Contains(err.Error(), "100 MB") {
		t.Errorf("an image over 100 MB: %v", err)
	}
	for range myMaxImages - 2 {
		if _, err := s.addExample(1, "p.png", nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.addExample(1, "one-too-many.png", nil, nil); err == nil || !strings.Contains(err.Error(), "20000") {
		t.Errorf("image 20001: %v", err)
	}
	if n, _ := s.count(); n != myMaxImages {
		t.Errorf("%d images after the refused ones, want %d", n, myMaxImages)
	}
}

// TestMyStoreRoundTrip keeps two sets through the writer and reads them
// back as a reload would, strokes and bytes included.
func TestMyStoreRoundTrip(t *testing.T) {
	st := browserstore.NewMemory()
	var failed []error
	w := newMyWriter(st, func(err error) { failed = append(failed, err) })
	sets := &mySets{}
	s, _ := sets.newSet("Shapes", 42)
	s.addClass("circle")
	s.addClass("line")
	w.write(s.metaChange())
	add := func(s *mySet, ci int, data string, strokes []myStroke) *myExample {
		e, err := s.addExample(ci, "", []byte(data), strokes)
		if err != nil {
			t.Fatal(err)
		}
		w.write(append(s.exampleChanges(e), s.metaChange())...)
		return e
	}
	add(s, 0, "c1", []myStroke{{{10, 20, 0}, {30, 40, 16}}, {{50, 60, 400}}})
	gone := add(s, 0, "c2", nil)
	add(s, 1, "l1", nil)
	s.deleteExample(gone.ID)
	w.write(append(s.deleteChanges(gone), s.metaChange())...)
	s2, _ := sets.newSet("Empty", 43)
	w.write(s2.metaChange())
	w.flush()
	if len(failed) > 0 {
		t.Fatal(failed)
	}

	got, problems, err := loadMySets(st)
	if err != nil || len(problems) > 0 {
		t.Fatalf("load: %v, %q", err, problems)
	}
	if len(got.Sets) != 2 {
		t.Fatalf("%d sets back, want 2", len(got.Sets))
	}
	r := got.byID(s.ID)
	if r == nil || r.Name != "Shapes" || r.Next != 3 || !slices.Equal(r.classNames(), []string{"circle", "line"}) {
		t.Fatalf("set back: %+v", r)
	}
	c := r.Classes[0]
	if len(c.Examples) != 1 || string(c.Examples[0].Data) != "c1" || len(r.Classes[1].Examples) != 1 {
		t.Fatalf("examples back: %+v / %+v", c.Examples, r.Classes[1].Examples)
	}
	if want := []myStroke{{{10, 20, 0}, {30, 40, 16}}, {{50, 60, 400}}}; !slices.EqualFunc(c.Examples[0].Strokes, want, func(a, b myStroke) bool { return slices.Equal(a, b) }) {
		t.Errorf("strokes back %v, want %v", c.Examples[0].Strokes, want)
	}
	if keys, _ := st.Keys(); slices.ContainsFunc(keys, func(k string) bool { return strings.Contains(k, "/"+gone.ID) && strings.HasSuffix(k, gone.ID) }) {
		t.Errorf("the deleted example's keys are still stored: %q", keys)
	}

	// A file lost from the store is named, and the rest still loads.
	browserstore.Delete(st, myFileKey(s.ID, c.Examples[0].ID))
	got, problems, _ = loadMySets(st)
	if len(problems) != 1 || !strings.Contains(problems[0], "Shapes/circle/drawing-0001.png") || len(got.byID(s.ID).Classes[1].Examples) != 1 {
		t.Errorf("after losing a file: problems %q", problems)
	}
}

// TestMyWriterQuota: a write that does not fit is reported as storage
// full, and what was kept before stays.
func TestMyWriterQuota(t *testing.T) {
	st := browserstore.NewMemory()
	var failed []error
	w := newMyWriter(st, func(err error) { failed = append(failed, err) })
	s := &mySet{ID: "q", Name: "q"}
	s.addClass("a")
	e, _ := s.addExample(0, "", []byte("small"), nil)
	w.write(append(s.exampleChanges(e), s.metaChange())...)
	w.flush()
	st.SetQuota(st.Used() + 100)
	big, _ := s.addExample(0, "", make([]byte, 1000), nil)
	w.write(append(s.exampleChanges(big), s.metaChange())...)
	w.flush()
	if len(failed) != 1 || !errors.Is(failed[0], browserstore.ErrQuota) || !strings.Contains(storeError(failed[0]), "full") {
		t.Fatalf("failures %v", failed)
	}
	got, _, _ := loadMySets(st)
	if r := got.byID("q"); r == nil || len(r.Classes[0].Examples) != 1 || string(r.Classes[0].Examples[0].Data) != "small" {
		t.Errorf("after a write over quota the kept set is %+v", r)
	}
}

func TestDrawingPNG(t *testing.T) {
	const w, h = 4, 3
	rgba := make([]byte, w*h*4)
	rgba[4*5+3] = 255 // one opaque ink pixel at (1,1)
	rgba[4*6+3] = 128 // half ink at (2,1)
	b, err := drawingPNG(rgba, w, h)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	grey := func(x, y int) uint32 { r, _, _, _ := img.At(x, y).RGBA(); return r >> 8 }
	if grey(0, 0) != 255 || grey(1, 1) != 0x11 || grey(2, 1) <= 0x11 || grey(2, 1) >= 255 {
		t.Errorf("greys: bare %d, ink %d, half %d", grey(0, 0), grey(1, 1), grey(2, 1))
	}
	if _, err := drawingPNG(rgba[:10], w, h); err == nil {
		t.Error("short pixels were encoded")
	}
}

func TestTimedStrokes(t *testing.T) {
	c := &drawCanvas{
		strokes: [][]point{{{1.234, 2}, {3, 4}}, {{5, 6}}},
		times:   [][]float64{{1000, 1016.4}, {1500}},
	}
	got := c.timedStrokes()
	want := []myStroke{{{1.23, 2, 0}, {3, 4, 16}}, {{5, 6, 500}}}
	if !slices.EqualFunc(got, want, func(a, b myStroke) bool { return slices.Equal(a, b) }) {
		t.Errorf("timedStrokes = %v, want %v", got, want)
	}
	c.times = nil // restored strokes: no times
	if got := c.timedStrokes(); got[1][0] != [3]float64{5, 6, 0} {
		t.Errorf("without times: %v", got)
	}
}

// TestMyDataPanelRender renders the panel and the buttons under the canvas
// without a set, with an empty one and with classes and examples.
func TestMyDataPanelRender(t *testing.T) {
	sets := &mySets{}
	cur := ""
	html := func() string {
		p := &myDataPanel{sets: sets, cur: cur}
		return app.HTMLString(p) + app.HTMLString(&myAddBar{Panel: p})
	}
	if h := html(); !strings.Contains(h, myNewSetID) || strings.Contains(h, myAddPrefix+"0") {
		t.Errorf("without a set: %s", h)
	}
	s, _ := sets.newSet("Shapes", 1)
	cur = s.ID
	html()
	s.addClass("circle")
	s.addExample(0, "", []byte("png"), nil)
	h := html()
	for _, want := range []string{`data-class="circle"`, `data-count="1"`, "Add to circle (1)", "data:image/png;base64,cG5n", "mydata-thumb-delete"} {
		if !strings.Contains(h, want) {
			t.Errorf("the panel lacks %s", want)
		}
	}
}

// TestMySetRuns: the trainings on a set are kept with it, at most maxRuns,
// and the table lists them by examples per class.
func TestMySetRuns(t *testing.T) {
	s := &mySet{ID: "r", Name: "runs"}
	s.addClass("a")
	for i := range maxRuns + 2 {
		s.addRun(myRun{PerClass: 100 - i, ValAcc: 0.5, Net: "lenet5"})
	}
	if len(s.Runs) != maxRuns || s.Runs[0].PerClass != 98 {
		t.Fatalf("%d runs kept, the oldest with %d per class", len(s.Runs), s.Runs[0].PerClass)
	}
	st := browserstore.NewMemory()
	st.Write(s.metaChange())
	got, _, _ := loadMySets(st)
	if r := got.byID("r"); r == nil || !slices.Equal(r.Runs, s.Runs) {
		t.Fatalf("runs after a reload: %+v", r)
	}
	s.Runs = []myRun{{PerClass: 20, ValAcc: 0.9, Net: "lenet5"}, {PerClass: 10, ValAcc: 0.8, FromDigits: true, Frozen: true, Net: "digits model"}}
	h := app.HTMLString(&myDataPanel{sets: &mySets{Sets: []*mySet{s}}, cur: "r"})
	i10, i20 := strings.Index(h, `data-per-class="10"`), strings.Index(h, `data-per-class="20"`)
	if i10 < 0 || i20 < 0 || i10 > i20 || !strings.Contains(h, "convolutions frozen") || !strings.Contains(h, "90.0%") {
		t.Errorf("the runs table is not sorted by examples per class or lacks a run: %s", h[strings.Index(h, myRunsID):])
	}
}
