package autosave

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/cnnplay/cnnplay/nn/model"
)

// TestThrottle checks when the current model is taken: the first one at
// once, then at most one per Every, at once when forced, and Every after a
// new run starts.
func TestThrottle(t *testing.T) {
	steps := []struct {
		advance  time.Duration
		force    bool
		startRun bool // StartRun before the snapshot
		taken    bool
	}{
		{0, false, false, true}, // the first snapshot of the page
		{3 * time.Second, false, false, false},
		{6 * time.Second, false, false, false},
		{1 * time.Second, false, false, true}, // 10 s after the first
		{1 * time.Second, true, false, true},  // an epoch ended
		{9 * time.Second, false, false, false},
		{1 * time.Second, false, false, true}, // 10 s after the forced one
		{0, false, true, false},               // a new run starts
		{9 * time.Second, false, false, false},
		{1 * time.Second, false, false, true},
		{0, true, false, true}, // forced twice at the same instant
	}
	clk := newClock()
	st := newRecorder()
	s := New(st, Options{Every: 10 * time.Second, Now: clk.Now})
	defer s.Close()
	var want []byte // the current model the store must hold
	for i, step := range steps {
		clk.Advance(step.advance)
		if step.startRun {
			s.StartRun("keras")
			want = nil
		}
		m := testModel(t, uint64(i), i, 0.5)
		if err := s.Save(Snapshot{Current: m, Force: step.force}); err != nil {
			t.Fatal(err)
		}
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
		if step.taken {
			want = fileOf(t, m)
		}
		if got := stored(t, st, keyCurrent); !bytes.Equal(got, want) {
			t.Errorf("step %d (+%v, force %v): the store holds the current model of another step (or none)", i, step.advance, step.force)
		}
	}
	// One write per model taken, and one for the StartRun's deletions
	// (with the new run's first model, when it came before the write).
	taken := 0
	for _, step := range steps {
		if step.taken {
			taken++
		}
	}
	writes := st.Writes()
	if len(writes) != taken+1 {
		t.Errorf("%d writes for %d models taken and one new run", len(writes), taken)
	}
	// Each write has only what changed since the one before.
	for i, w := range writes {
		got := strings.Join(keysOf(w), " ")
		if got != "run/current.cnn run/meta" && got != "-run/best.cnn -run/current.cnn -run/history -run/meta" {
			t.Errorf("write %d changes %s", i, got)
		}
	}
}

// TestCoalesce holds the store's first write and gives the Saver more
// while it waits: no call waits for the store, and afterwards only the
// newest of each value is written, in one write per group.
func TestCoalesce(t *testing.T) {
	clk := newClock()
	st := newRecorder()
	st.gate = make(chan struct{})
	s := New(st, Options{Now: clk.Now})
	var models []*model.Model
	for i := range 4 {
		models = append(models, testModel(t, uint64(i), i+1, 0.9))
	}

	if err := s.Save(Snapshot{Current: models[0], Force: true, History: []byte("h0")}); err != nil {
		t.Fatal(err)
	}
	<-st.entered // the writer is now held in its first write

	calls := make(chan struct{})
	go func() {
		defer close(calls)
		for i := 1; i < 4; i++ {
			s.Save(Snapshot{Current: models[i], Force: true, History: fmt.Appendf(nil, "h%d", i)})
			s.Drawing(fmt.Appendf(nil, "drawing %d", i))
			s.Settings(fmt.Appendf(nil, "settings %d", i))
		}
		s.Save(Snapshot{Best: models[2]})
	}()
	select {
	case <-calls:
	case <-time.After(10 * time.Second):
		t.Fatal("Save, Drawing or Settings waited for the store")
	}
	close(st.gate)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	writes := st.Writes()
	var got []string
	for _, w := range writes {
		got = append(got, strings.Join(keysOf(w), " "))
	}
	want := []string{
		"run/current.cnn run/history run/meta",
		"run/best.cnn run/current.cnn run/history run/meta",
		"settings",
		"drawing",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("writes:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	for key, v := range map[string][]byte{
		keyCurrent: fileOf(t, models[3]), keyBest: fileOf(t, models[2]), keyHistory: []byte("h3"),
		keySettings: []byte("settings 3"), keyDrawing: []byte("drawing 3"),
	} {
		if !bytes.Equal(stored(t, st, key), v) {
			t.Errorf("%s is not the newest value given", key)
		}
	}
}

// TestQuotaFull fills the store: the status says the model is not being
// saved, the last good save stays whole (models and history together), the
// small settings still get written, and once there is room again the model
// that did not fit is written with the next change.
func TestQuotaFull(t *testing.T) {
	clk := newClock()
	st := browserstore.NewMemory()
	var mu sync.Mutex
	var reported []Status
	s := New(st, Options{Now: clk.Now, OnStatus: func(s Status) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, s)
	}})
	defer s.Close()

	good := testModel(t, 1, 3, 0.97)
	s.StartRun("keras")
	if err := s.Save(Snapshot{Current: good, Best: good, History: []byte("three epochs"), Force: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	goodSaved := s.Status().Saved
	if !goodSaved.Equal(clk.Now()) {
		t.Errorf("Status().Saved = %v; want %v", goodSaved, clk.Now())
	}

	st.SetQuota(st.Used() + 64) // room for the settings, not for a model
	clk.Advance(time.Minute)
	newer := testModel(t, 2, 4, 0.98)
	s.Save(Snapshot{Current: newer, History: []byte("four epochs"), Force: true})
	s.Settings([]byte(`{"preset":"keras"}`))
	err := s.Flush()
	if !errors.Is(err, browserstore.ErrQuota) {
		t.Fatalf("Flush() = %v; want ErrQuota", err)
	}
	status := s.Status()
	if status.State != Full || !status.Model || !status.Saved.Equal(goodSaved) {
		t.Errorf("status %+v; want Full, about the model, saved when the good model was", status)
	}
	if want := "Storage is full: your model is not being saved. Save it to a file."; status.Text() != want {
		t.Errorf("Text() = %q; want %q", status.Text(), want)
	}
	r, err := Load(st)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fileOf(t, r.Current), fileOf(t, good)) || string(r.History) != "three epochs" {
		t.Error("the failed write changed the saved model or its history")
	}
	if string(r.Settings) != `{"preset":"keras"}` {
		t.Errorf("settings %q: the small write should have fitted", r.Settings)
	}

	// Room again: the next change of the run brings the model that did
	// not fit with it.
	st.SetQuota(0)
	s.Save(Snapshot{History: []byte("four epochs, again")})
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if s.Status().State != OK {
		t.Errorf("status %+v after a write that fits", s.Status())
	}
	if !bytes.Equal(stored(t, st, keyCurrent), fileOf(t, newer)) {
		t.Error("the model that did not fit was not written once there was room")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reported) != 2 || reported[0].State != Full || reported[1].State != OK {
		t.Errorf("OnStatus got %+v; want Full, then OK", reported)
	}
}

// TestRefused checks the status of a store that refuses every write, for
// the model and for the drawing alone.
func TestRefused(t *testing.T) {
	for _, c := range []struct {
		name  string
		err   error
		state State
		text  string
	}{
		{"refused", fmt.Errorf("browserstore: %w (SecurityError)", browserstore.ErrRefused), Refused, "This browser does not let the page keep anything"},
		{"unavailable", browserstore.ErrUnavailable, Unavailable, "This browser has no storage for pages"},
		{"other", errors.New("UnknownError: disk"), Failed, "Saving in the browser failed (UnknownError: disk): your model is not being saved"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := newRecorder()
			st.fail = c.err
			s := New(st, Options{})
			defer s.Close()
			s.Save(Snapshot{Current: testModel(t, 1, 1, 0.5)})
			s.Flush()
			if got := s.Status(); got.State != c.state || !got.Model || !strings.Contains(got.Text(), c.text) {
				t.Errorf("status %+v, %q; want state %d, about the model, saying %q", got, got.Text(), c.state, c.text)
			}
		})
	}
	st := newRecorder()
	st.fail = fmt.Errorf("browserstore: %w", browserstore.ErrQuota)
	s := New(st, Options{})
	defer s.Close()
	s.Drawing([]byte("strokes"))
	s.Flush()
	if got, want := s.Status().Text(), "Storage is full: your settings and drawing are not being saved."; got != want {
		t.Errorf("drawing alone: Text() = %q; want %q", got, want)
	}
}

// TestStartRunAndDiscard checks that a new run and a declined restore
// delete the saved run, record included, but keep the settings and the
// drawing.
func TestStartRunAndDiscard(t *testing.T) {
	for _, forget := range []string{"StartRun", "Discard"} {
		t.Run(forget, func(t *testing.T) {
			st := browserstore.NewMemory()
			s := New(st, Options{})
			defer s.Close()
			s.StartRun("keras")
			m := testModel(t, 1, 2, 0.9)
			s.Save(Snapshot{Current: m, Best: m, History: []byte("h"), Force: true})
			s.Settings([]byte("s"))
			s.Drawing([]byte("d"))
			if err := s.Flush(); err != nil {
				t.Fatal(err)
			}
			if forget == "StartRun" {
				s.StartRun("lenet5")
			} else {
				s.Discard()
			}
			if err := s.Flush(); err != nil {
				t.Fatal(err)
			}
			keys, _ := st.Keys()
			if !slices.Equal(keys, []string{keyDrawing, keySettings}) {
				t.Errorf("keys after %s: %q", forget, keys)
			}
			r, err := Load(st)
			if err != nil || r.Offer != "" || string(r.Settings) != "s" || string(r.Drawing) != "d" {
				t.Errorf("Load after %s: %+v, %v", forget, r, err)
			}
		})
	}
}

// TestSaveEncodeError checks that a model that does not encode is an
// error and takes nothing of the snapshot.
func TestSaveEncodeError(t *testing.T) {
	st := browserstore.NewMemory()
	s := New(st, Options{})
	defer s.Close()
	bad := testModel(t, 1, 1, 0.5)
	bad.Classes = bad.Classes[:2]
	if err := s.Save(Snapshot{Current: bad, History: []byte("h"), Force: true}); err == nil {
		t.Fatal("Save of a model with 2 class names for 3 classes succeeded")
	}
	s.Flush()
	if keys, _ := st.Keys(); len(keys) != 0 {
		t.Errorf("keys %q written from a snapshot that failed", keys)
	}
}

// TestBestIsCurrent checks the snapshot of an epoch whose model is the new
// best (one model, given twice), and a best model given while the current
// one is not due.
func TestBestIsCurrent(t *testing.T) {
	clk := newClock()
	st := browserstore.NewMemory()
	s := New(st, Options{Now: clk.Now})
	defer s.Close()
	m := testModel(t, 1, 2, 0.9)
	s.Save(Snapshot{Current: m, Best: m, Force: true})
	s.Flush()
	if !bytes.Equal(stored(t, st, keyCurrent), fileOf(t, m)) || !bytes.Equal(stored(t, st, keyBest), fileOf(t, m)) {
		t.Error("current and best are not both the model given")
	}
	clk.Advance(time.Second)
	m2 := testModel(t, 2, 3, 0.95)
	s.Save(Snapshot{Current: m2, Best: m2})
	s.Flush()
	if !bytes.Equal(stored(t, st, keyCurrent), fileOf(t, m)) || !bytes.Equal(stored(t, st, keyBest), fileOf(t, m2)) {
		t.Error("a best model given while the current one is not due: want the new best and the old current")
	}
}
