//go:build !js

package classroom

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/strokes"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/web/models"
)

// TestFeedIsLive: a teacher's feed waiting for a change returns with a
// drawing's strokes within a second of its acknowledgement.
func TestFeedIsLive(t *testing.T) {
	c := newTestClass(t, Config{})
	w := c.teacher(t, "feed", feedRequest{})
	var f feedResponse
	if err := json.Unmarshal(w.Body.Bytes(), &f); err != nil || w.Code != 200 {
		t.Fatalf("feed: %d %s", w.Code, w.Body)
	}
	type answer struct {
		f    feedResponse
		code int
	}
	// The teacher's page: it asks again with what it has after each answer.
	answers := make(chan answer, 10)
	go func() {
		after, rev := f.Last, f.Rev
		for range 10 {
			w := c.teacher(t, "feed", feedRequest{After: after, Rev: rev, Wait: 10000})
			var g feedResponse
			json.Unmarshal(w.Body.Bytes(), &g)
			answers <- answer{g, w.Code}
			if w.Code != 200 || len(g.Drawings) > 0 {
				return
			}
			after, rev = g.Last, g.Rev
		}
	}()
	time.Sleep(300 * time.Millisecond) // the feed is waiting
	select {
	case a := <-answers:
		t.Fatalf("the feed answered before anything changed: %+v", a.f)
	default:
	}
	if w := c.do(t, "POST", PathSubmit(), "", c.submission("key-live-00001")); w.Code != 201 {
		t.Fatalf("submit: %d", w.Code)
	}
	acked := time.Now()
	timeout := time.After(time.Second)
	for {
		select {
		case a := <-answers:
			if a.code != 200 {
				t.Fatalf("feed answered %d", a.code)
			}
			if len(a.f.Drawings) != 1 || a.f.Drawings[0].Label != "7" || a.f.State.Summary.Total != 1 {
				t.Fatalf("feed answered %+v", a.f)
			}
			var ss [][]Point
			if err := json.Unmarshal(a.f.Drawings[0].Strokes, &ss); err != nil || fmt.Sprint(ss) != fmt.Sprint(sevenStrokes()) {
				t.Errorf("strokes %s: %v", a.f.Drawings[0].Strokes, err)
			}
			t.Logf("the drawing reached the feed %v after its acknowledgement", time.Since(acked))
			return
		case <-timeout:
			t.Fatal("the drawing did not reach the feed within 1 s of its acknowledgement")
		}
	}
}

// generated returns n drawings of digits made by internal/strokes, as
// submissions to the class c.
func generated(t *testing.T, c *testClass, n int) []Submission {
	t.Helper()
	_, ds, err := strokes.Load(filepath.Join("..", "..", "testdata", "strokes", "digits.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []Submission
	for i := range n {
		// Past the file's drawings, the same ones again, smaller and
		// shifted: still inside the canvas, and new drawings.
		d, round := ds[i%len(ds)], float64(i/len(ds))
		scale, dx := 1-0.1*min(round, 1), 6*round*float64(i%3-1)
		ss := make([][]Point, len(d.Strokes))
		for k, s := range d.Strokes {
			for j, p := range s {
				x, y := Canvas/2+scale*(p[0]-Canvas/2)+dx, Canvas/2+scale*(p[1]-Canvas/2)-dx
				ss[k] = append(ss[k], Point{x, y, float64(8 * j)})
			}
		}
		out = append(out, Submission{Code: c.code, Key: fmt.Sprintf("key-gen-%05d", i), Device: "device-gen-1",
			Nickname: fmt.Sprintf("s%d", i%3), Label: fmt.Sprint(d.Label), Strokes: ss})
	}
	return out
}

// TestExport exports the class as folders and as IDX: deleted and flagged
// drawings are left out, and every count matches the store's.
func TestExport(t *testing.T) {
	c := newTestClass(t, Config{})
	subs := generated(t, c, 40)
	for _, s := range subs {
		if w := c.do(t, "POST", PathSubmit(), "", s); w.Code != 201 {
			t.Fatalf("submit: %d %s", w.Code, w.Body)
		}
	}
	c.teacher(t, "delete", idRequest{ID: 1})
	c.teacher(t, "flag", idRequest{ID: 2, Flagged: true})
	if w := c.teacher(t, "delete", idRequest{ID: 999}); w.Code != 404 {
		t.Errorf("delete of no drawing: %d", w.Code)
	}
	want := map[string]int{}
	for i, s := range subs[2:] {
		_ = i
		want[s.Label]++
	}

	w := c.teacher(t, "export", map[string]string{"format": FormatFolders})
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/zip" {
		t.Fatalf("export: %d %s", w.Code, w.Header())
	}
	// The zip reads back as an own-data set, as the playground's import and
	// cnn train -data read it: the counts, the strokes, and the images the
	// set prepares are the ones stored.
	set, problems, err := imageset.ReadZip(w.Body.Bytes())
	if err != nil || len(problems) > 0 {
		t.Fatalf("reading the export: %v %v", err, problems)
	}
	got := map[string]int{}
	for _, e := range set.Examples {
		got[e.Class]++
		if e.Strokes == nil || e.Strokes.Canvas != Canvas || len(e.Strokes.Strokes) == 0 {
			t.Errorf("%s/%s: strokes %+v", e.Class, e.Name, e.Strokes)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || set.Name != "class "+c.code {
		t.Errorf("zip %q holds %v, want %v", set.Name, got, want)
	}
	prep, problems, err := set.Prepare()
	if err != nil || len(problems) > 0 {
		t.Fatalf("preparing the export: %v %v", err, problems)
	}
	stored, _ := c.store.exported(context.Background())
	worst := 0.0
	for i, ex := range prep.Example {
		var id int64
		fmt.Sscanf(set.Examples[ex].Name, "%d.png", &id)
		for _, d := range stored {
			if d.ID != id {
				continue
			}
			for k, v := range d.Image {
				diff := float64(prep.Pixels[i*Side*Side+k]) - float64(v)
				worst = max(worst, math.Abs(diff)/255)
			}
		}
	}
	t.Logf("an imported export's images differ from the stored ones by at most %.3f", worst)
	if worst > 2.0/255 {
		t.Errorf("an imported export's images differ from the stored ones by %.3f", worst)
	}

	w = c.teacher(t, "export", map[string]string{"format": FormatIDX})
	zr, err := zip.NewReader(bytes.NewReader(w.Body.Bytes()), int64(w.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		r, _ := f.Open()
		files[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	images, err := dataset.ReadIDX(bytes.NewReader(files["images-idx3-ubyte.gz"]))
	if err != nil {
		t.Fatal(err)
	}
	labels, err := dataset.ReadIDX(bytes.NewReader(files["labels-idx1-ubyte.gz"]))
	if err != nil {
		t.Fatal(err)
	}
	classes := strings.Fields(string(files["classes.txt"]))
	if fmt.Sprint(images.Dims) != fmt.Sprint([]int{len(subs) - 2, Side, Side}) || len(labels.Data) != len(subs)-2 || len(classes) != 10 {
		t.Fatalf("IDX dims %v, %d labels, classes %v", images.Dims, len(labels.Data), classes)
	}
	gotIDX := map[string]int{}
	for _, l := range labels.Data {
		gotIDX[classes[l]]++
	}
	if fmt.Sprint(gotIDX) != fmt.Sprint(want) {
		t.Errorf("IDX holds %v, want %v", gotIDX, want)
	}
	if w := c.teacher(t, "export", map[string]string{"format": "tar"}); w.Code != 400 {
		t.Errorf("export as tar: %d", w.Code)
	}
}

// TestEvaluateShippedModel tests the shipped digits model on generated
// drawings: it reads most of them, and the confusion matrix adds up.
func TestEvaluateShippedModel(t *testing.T) {
	f, err := models.Files.Open(models.Digits)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	c := newTestClass(t, Config{Model: m})
	subs := generated(t, c, 60)
	for _, s := range subs {
		if w := c.do(t, "POST", PathSubmit(), "", s); w.Code != 201 {
			t.Fatalf("submit: %d %s", w.Code, w.Body)
		}
	}
	c.teacher(t, "flag", idRequest{ID: 5, Flagged: true})
	w := c.teacher(t, "evaluate", "{}")
	var ev evaluation
	if err := json.Unmarshal(w.Body.Bytes(), &ev); err != nil || w.Code != 200 {
		t.Fatalf("evaluate: %d %s", w.Code, w.Body)
	}
	sum := 0
	for _, row := range ev.Confusion {
		for _, n := range row {
			sum += n
		}
	}
	if ev.Tested != len(subs)-1 || sum != ev.Tested || ev.Correct+len(ev.Mistakes) != ev.Tested && len(ev.Mistakes) < maxMistakes {
		t.Errorf("tested %d (want %d), matrix sums to %d, %d correct, %d mistakes", ev.Tested, len(subs)-1, sum, ev.Correct, len(ev.Mistakes))
	}
	if ev.Accuracy < 0.8 {
		t.Errorf("the shipped model reads %.2f of generated digits, want at least 0.8", ev.Accuracy)
	}
	if !slices.IsSortedFunc(ev.Mistakes, func(a, b mistake) int { return int(1e6 * (a.PTrue - b.PTrue)) }) {
		t.Error("mistakes are not sorted, least sure first")
	}
	t.Logf("shipped model on %d generated drawings: %.1f%%", ev.Tested, 100*ev.Accuracy)

	// Without a model the endpoint says so.
	c2 := newTestClass(t, Config{})
	if w := c2.teacher(t, "evaluate", "{}"); w.Code != 404 {
		t.Errorf("evaluate without a model: %d", w.Code)
	}
}

// TestQRCode: the join QR code is a PNG, and the state names the join URL
// with the class code.
func TestQRCode(t *testing.T) {
	c := newTestClass(t, Config{})
	w := c.teacher(t, "qr", "{}")
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("qr: %d %s", w.Code, w.Header())
	}
	img, err := png.Decode(w.Body)
	if err != nil || img.Bounds().Dx() < 256 {
		t.Fatalf("qr: %v", err)
	}
	var st stateResponse
	json.Unmarshal(c.teacher(t, "state", "{}").Body.Bytes(), &st)
	if st.JoinURL != "http://192.0.2.10:8080/class/join#"+c.code {
		t.Errorf("join URL %q", st.JoinURL)
	}
}

func TestSetClasses(t *testing.T) {
	c := newTestClass(t, Config{})
	if w := c.teacher(t, "classes", map[string][]string{"classes": {"cat", "dog", "../etc"}}); w.Code != 400 {
		t.Errorf("a class name with a path: %d", w.Code)
	}
	if w := c.teacher(t, "classes", map[string][]string{"classes": {"cat", "dog"}}); w.Code != 200 {
		t.Fatalf("classes: %d %s", w.Code, w.Body)
	}
	sub := c.submission("key-classes-1")
	if w := c.do(t, "POST", PathSubmit(), "", sub); w.Code != 400 {
		t.Errorf("a 7 in a cat/dog class: %d", w.Code)
	}
	sub.Label = "dog"
	if w := c.do(t, "POST", PathSubmit(), "", sub); w.Code != 201 {
		t.Errorf("a dog: %d %s", w.Code, w.Body)
	}
	sum, _ := c.store.Summary(context.Background())
	if fmt.Sprint(sum.PerClass) != "[{cat 0} {dog 1}]" {
		t.Errorf("per class %v", sum.PerClass)
	}
}
