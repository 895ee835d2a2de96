package autosave

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/internal/browserstore"
)

// TestRestoreRoundTrip saves a run, the settings and the drawing, and
// reads back the same bytes, with the offer the page shows.
func TestRestoreRoundTrip(t *testing.T) {
	clk := newClock()
	st := browserstore.NewMemory()
	s := New(st, Options{Now: clk.Now})
	current, best := testModel(t, 1, 6, 0.9891), testModel(t, 2, 5, 0.985)
	s.StartRun("keras")
	s.Save(Snapshot{Current: current, Best: best, History: []byte(`[{"epoch":5}]`), Force: true})
	s.Settings([]byte(`{"preset":"keras"}`))
	s.Drawing([]byte("strokes"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	r, err := Load(st)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Restore the model you were training: keras, epoch 6, 98.9% validation"; r.Offer != want {
		t.Errorf("Offer = %q; want %q", r.Offer, want)
	}
	if len(r.Problems) > 0 {
		t.Errorf("Problems: %q", r.Problems)
	}
	if r.Label != "keras" || !r.Saved.Equal(clk.Now()) {
		t.Errorf("Label %q, Saved %v; want keras, %v", r.Label, r.Saved, clk.Now())
	}
	for _, c := range []struct {
		name      string
		got, want []byte
	}{
		{"stored current", stored(t, st, keyCurrent), fileOf(t, current)},
		{"restored current", fileOf(t, r.Current), fileOf(t, current)},
		{"restored best", fileOf(t, r.Best), fileOf(t, best)},
		{"history", r.History, []byte(`[{"epoch":5}]`)},
		{"settings", r.Settings, []byte(`{"preset":"keras"}`)},
		{"drawing", r.Drawing, []byte("strokes")},
	} {
		if !bytes.Equal(c.got, c.want) {
			t.Errorf("%s: %d bytes differ from the %d saved", c.name, len(c.got), len(c.want))
		}
	}
	if !slices.Equal(r.Current.Net.Weights(), current.Net.Weights()) {
		t.Error("the restored weights differ")
	}
}

// TestRestoreUnreadable stores broken values in place of a saved run: no
// model that does not decode is offered, and Problems says why; what is
// readable is still restored.
func TestRestoreUnreadable(t *testing.T) {
	good := func(t *testing.T) []byte { return fileOf(t, testModel(t, 1, 6, 0.989)) }
	flipped := func(t *testing.T) []byte {
		b := good(t)
		b[len(b)/2] ^= 1
		return b
	}
	truncated := func(t *testing.T) []byte { b := good(t); return b[:len(b)-9] }
	meta := `{"format":1,"label":"keras","saved":"2025-03-01T09:00:00Z"}`
	for _, c := range []struct {
		name     string
		values   map[string]func(*testing.T) []byte
		offer    string // "" for none
		problems []string
	}{
		{"checksum", map[string]func(*testing.T) []byte{keyCurrent: flipped},
			"", []string{"The model you were training was saved in this browser but cannot be read (model: checksum mismatch"}},
		{"truncated", map[string]func(*testing.T) []byte{keyCurrent: truncated},
			"", []string{"cannot be read (model: checksum mismatch"}},
		{"not a model", map[string]func(*testing.T) []byte{keyCurrent: func(*testing.T) []byte { return []byte("PNG...") }},
			"", []string{"not a cnnplay model file"}},
		{"empty", map[string]func(*testing.T) []byte{keyCurrent: func(*testing.T) []byte { return []byte{} }},
			"", []string{"not a cnnplay model file"}},
		{"current broken, best good", map[string]func(*testing.T) []byte{keyCurrent: flipped, keyBest: good},
			"Restore the best model of the training you were doing: keras, epoch 6, 98.9% validation",
			[]string{"The model you were training was saved in this browser but cannot be read"}},
		{"both broken", map[string]func(*testing.T) []byte{keyCurrent: flipped, keyBest: truncated},
			"", []string{"The model you were training", "The best model of your training"}},
		{"record unreadable", map[string]func(*testing.T) []byte{keyCurrent: good, keyMeta: func(*testing.T) []byte { return []byte("{garbage") }},
			"", []string{"The record of the training saved in this browser is unreadable"}},
		{"newer format", map[string]func(*testing.T) []byte{keyCurrent: good, keyMeta: func(*testing.T) []byte { return []byte(`{"format":2}`) }},
			"", []string{"storage format 2, which this version of cnnplay does not read"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := browserstore.NewMemory()
			values := map[string][]byte{keyMeta: []byte(meta), keyHistory: []byte("history"), keySettings: []byte("settings")}
			for k, f := range c.values {
				values[k] = f(t)
			}
			for k, v := range values {
				if err := browserstore.Put(st, k, v); err != nil {
					t.Fatal(err)
				}
			}
			r, err := Load(st)
			if err != nil {
				t.Fatal(err)
			}
			if r.Offer != c.offer {
				t.Errorf("Offer = %q; want %q", r.Offer, c.offer)
			}
			if (r.Offer == "") != (r.Current == nil && r.Best == nil) || (r.Offer == "") != (r.History == nil) {
				t.Errorf("offer %q with current %v, best %v, history %q", r.Offer, r.Current != nil, r.Best != nil, r.History)
			}
			all := strings.Join(r.Problems, "\n")
			if len(r.Problems) != len(c.problems) {
				t.Errorf("%d problems; want %d:\n%s", len(r.Problems), len(c.problems), all)
			}
			for _, p := range c.problems {
				if !strings.Contains(all, p) {
					t.Errorf("no problem says %q:\n%s", p, all)
				}
			}
			if string(r.Settings) != "settings" {
				t.Errorf("settings %q: they should be restored whatever happened to the run", r.Settings)
			}
		})
	}
}

// TestRestoreNothing checks an empty store: nothing offered, no problems.
func TestRestoreNothing(t *testing.T) {
	r, err := Load(browserstore.NewMemory())
	if err != nil || r.Offer != "" || len(r.Problems) > 0 || r.Settings != nil || r.Drawing != nil {
		t.Errorf("Load of an empty store: %+v, %v", r, err)
	}
}

// TestOfferText checks how a saved model is named.
func TestOfferText(t *testing.T) {
	for _, c := range []struct {
		label  string
		epoch  int
		valAcc float64
		want   string
	}{
		{"keras", 6, 0.9891, "Restore the model you were training: keras, epoch 6, 98.9% validation"},
		{"keras", 1, 0, "Restore the model you were training: keras, epoch 1"},
		{"", 2, 0.5, "Restore the model you were training: epoch 2, 50.0% validation"},
		{"", 0, 0, "Restore the model you were training"},
	} {
		st := browserstore.NewMemory()
		s := New(st, Options{})
		s.StartRun(c.label)
		s.Save(Snapshot{Current: testModel(t, 1, c.epoch, c.valAcc), Force: true})
		s.Close()
		r, err := Load(st)
		if err != nil || r.Offer != c.want {
			t.Errorf("offer %q, %v; want %q", r.Offer, err, c.want)
		}
	}
}

// refusing is a store that cannot be read.
type refusing struct{ browserstore.Store }

func (refusing) Get(string) ([]byte, error) { return nil, browserstore.ErrRefused }

// TestLoadRefused checks that a store that cannot be read is Load's error,
// which StatusFor turns into words.
func TestLoadRefused(t *testing.T) {
	_, err := Load(refusing{browserstore.NewMemory()})
	if st := StatusFor(err); st.State != Refused || !strings.Contains(st.Text(), "a reload loses your work") {
		t.Errorf("Load: %v; status %+v, %q", err, st, st.Text())
	}
}
