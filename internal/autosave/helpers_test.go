package autosave

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
)

// testModel is a small model whose weights come from seed and whose record
// says epoch and validation accuracy, so that tests can tell models apart
// by their bytes and their offer.
func testModel(t *testing.T, seed uint64, epoch int, valAcc float64) *model.Model {
	t.Helper()
	spec := nn.Spec{Input: nn.Shape{H: 4, W: 4, C: 1}, Layers: []nn.LayerSpec{
		{Type: "flatten"}, {Type: "dense", Units: 3}, {Type: "softmax"}}}
	net, err := nn.Build(spec, rand.New(rand.NewPCG(seed, seed)))
	if err != nil {
		t.Fatal(err)
	}
	return &model.Model{Net: net, Classes: []string{"a", "b", "c"},
		Record: model.Record{Dataset: "mnist", Epochs: epoch, ValAcc: valAcc}}
}

// fileOf returns m's model file.
func fileOf(t *testing.T, m *model.Model) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := m.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// clock is a settable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// recorder is a store that records every Write, can hold writes until
// released, and can fail them.
type recorder struct {
	*browserstore.Memory
	mu      sync.Mutex
	writes  [][]browserstore.Change
	gate    chan struct{} // non-nil: each Write waits for a value from it
	entered chan struct{} // gets a value each time a Write starts
	fail    error         // non-nil: each Write fails with it
}

func newRecorder() *recorder {
	return &recorder{Memory: browserstore.NewMemory(), entered: make(chan struct{}, 100)}
}

func (r *recorder) Write(changes ...browserstore.Change) error {
	r.entered <- struct{}{}
	r.mu.Lock()
	gate, fail := r.gate, r.fail
	r.writes = append(r.writes, slices.Clone(changes))
	r.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if fail != nil {
		return fail
	}
	return r.Memory.Write(changes...)
}

// Writes returns the writes so far.
func (r *recorder) Writes() [][]browserstore.Change {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.writes)
}

// keysOf lists the keys a write changes, deletions marked with a "-".
func keysOf(w []browserstore.Change) []string {
	var keys []string
	for _, c := range w {
		if c.Delete {
			keys = append(keys, "-"+c.Key)
		} else {
			keys = append(keys, c.Key)
		}
	}
	return keys
}

// stored returns the value of key in st, nil when there is none.
func stored(t *testing.T, st browserstore.Store, key string) []byte {
	t.Helper()
	b, err := st.Get(key)
	if err != nil {
		return nil
	}
	return b
}
