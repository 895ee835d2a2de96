//go:build js && wasm

package jswire

import (
	"slices"
	"syscall/js"
	"testing"

	"github.com/cnnplay/cnnplay/internal/wire"
)

// TestRoundTripThroughMessageChannel posts messages with and without
// weights through a MessageChannel and decodes what arrives.
func TestRoundTripThroughMessageChannel(t *testing.T) {
	mc, got, done := channel()
	defer done()
	w := make([]float32, 1000)
	for i := range w {
		w[i] = float32(i) - 0.5
	}
	for _, m := range []wire.Message{
		{Kind: wire.KindJob, Job: &wire.Job{Examples: []int{3, 1}, Weights: true}, Weights: w},
		{Kind: wire.KindGradient, Gradient: &wire.Gradient{N: 2, Loss: 0.5}, Weights: w[:3]},
		wire.Command(wire.KindPause),
	} {
		if err := Post(mc.Get("port1"), m); err != nil {
			t.Fatal(err)
		}
		back, err := FromEvent(<-got)
		if err != nil {
			t.Fatal(err)
		}
		if back.Kind != m.Kind || len(back.Weights) != len(m.Weights) {
			t.Fatalf("%s came back as %+v", m.Kind, back)
		}
		for i := range m.Weights {
			if back.Weights[i] != m.Weights[i] {
				t.Fatalf("%s: weight %d is %v, want %v", m.Kind, i, back.Weights[i], m.Weights[i])
			}
		}
	}
}

// BenchmarkPostKeras posts the keras preset's weights (1.2M float32) and
// decodes them on arrival: the cost of one job or gradient message. Fresh
// allocates a buffer for every message; Conn sends them back and forth in
// the same one, as a job and its gradient do.
func BenchmarkPostKeras(b *testing.B) {
	b.Run("Fresh", func(b *testing.B) { benchmarkPost(b, false) })
	b.Run("Conn", func(b *testing.B) { benchmarkPost(b, true) })
}

func benchmarkPost(b *testing.B, reuse bool) {
	mc, got, done := channel()
	defer done()
	w := make([]float32, 1199882)
	m := wire.Message{Kind: wire.KindGradient, Gradient: &wire.Gradient{N: 64}, Weights: w}
	b.SetBytes(int64(4 * len(w)))
	// Messages go from port1 to port2; a Conn posting on port1 gets back
	// the buffers that arrived on port2, as if the peer answered in them.
	c := &Conn{Target: mc.Get("port1")}
	for b.Loop() {
		if reuse {
			if err := c.Post(m); err != nil {
				b.Fatal(err)
			}
			if _, err := c.FromEvent(<-got); err != nil {
				b.Fatal(err)
			}
			continue
		}
		if err := Post(mc.Get("port1"), m); err != nil {
			b.Fatal(err)
		}
		if _, err := FromEvent(<-got); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConnInto: a body of Into's length is decoded into Into itself, one
// of another length into new memory; with Reuse, each body received
// becomes Into.
func TestConnInto(t *testing.T) {
	mc, got, done := channel()
	defer done()
	send := func(w []float32) js.Value {
		t.Helper()
		if err := Post(mc.Get("port1"), wire.Message{Kind: wire.KindJob, Job: &wire.Job{Examples: []int{0}, Weights: true}, Weights: w}); err != nil {
			t.Fatal(err)
		}
		return <-got
	}
	into := make([]float32, 4)
	c := &Conn{Into: into}
	m, err := c.FromEvent(send([]float32{1, 2, 3, 4}))
	if err != nil {
		t.Fatal(err)
	}
	if &m.Weights[0] != &into[0] || into[3] != 4 {
		t.Fatalf("a body of Into's length came as %v, Into is %v", m.Weights, into)
	}
	m, err = c.FromEvent(send([]float32{5, 6, 7}))
	if err != nil {
		t.Fatal(err)
	}
	if &m.Weights[0] == &into[0] || m.Weights[2] != 7 || into[0] != 1 {
		t.Fatalf("a shorter body came as %v and left Into %v", m.Weights, into)
	}
	c = &Conn{Reuse: true}
	first, err := c.FromEvent(send([]float32{1, 2}))
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.FromEvent(send([]float32{3, 4}))
	if err != nil {
		t.Fatal(err)
	}
	if &first.Weights[0] != &second.Weights[0] || &c.Into[0] != &second.Weights[0] || second.Weights[1] != 4 {
		t.Fatalf("with Reuse, the second body %v is not in the first one's memory", second.Weights)
	}
}

// TestConnSpare: a buffer the page gives back carries the next body if it
// has its size (it is transferred, so the given-back array is left
// detached), and no other; a message without one is not taken for one.
func TestConnSpare(t *testing.T) {
	mc, got, done := channel()
	defer done()
	ev := func(data js.Value) js.Value {
		e := js.Global().Get("Object").New()
		e.Set("data", data)
		return e
	}
	c := &Conn{Target: mc.Get("port1")}
	if c.Spare(ev(js.ValueOf(map[string]any{"head": "{}"}))) || c.Spare(ev(js.Null())) {
		t.Fatal("a message without a spare buffer was taken for one")
	}
	spare := js.Global().Get("Uint8Array").New(12)
	if !c.Spare(ev(js.ValueOf(map[string]any{wire.SpareKey: spare}))) {
		t.Fatal("the spare buffer was not taken")
	}
	snapshot := func(w []float32) {
		t.Helper()
		if err := c.Post(wire.Message{Kind: wire.KindSnapshot, Snapshot: &wire.Snapshot{}, Weights: w}); err != nil {
			t.Fatal(err)
		}
		m, err := FromEvent(<-got)
		if err != nil || !slices.Equal(m.Weights, w) {
			t.Fatalf("posted %v, got %v (%v)", w, m.Weights, err)
		}
	}
	snapshot([]float32{1, 2, 3})
	if spare.Get("byteLength").Int() != 0 {
		t.Fatal("the body of the spare buffer's size did not go in it")
	}
	spare = js.Global().Get("Uint8Array").New(12)
	c.Spare(ev(js.ValueOf(map[string]any{wire.SpareKey: spare})))
	snapshot([]float32{1, 2})
	if spare.Get("byteLength").Int() != 12 {
		t.Fatal("a body of another size went in the spare buffer")
	}
}

// channel opens a MessageChannel whose second port's messages arrive on
// got; done closes it.
func channel() (mc js.Value, got chan js.Value, done func()) {
	mc = js.Global().Get("MessageChannel").New()
	got = make(chan js.Value, 1)
	f := js.FuncOf(func(_ js.Value, args []js.Value) any { got <- args[0]; return nil })
	port := mc.Get("port2")
	port.Set("onmessage", f)
	return mc, got, func() {
		port.Call("close")
		mc.Get("port1").Call("close")
		f.Release()
	}
}

// TestConnGiveBack: the page gives the body of a message it decoded back
// to the worker (transferred: the page's array is left detached), whose
// Spare takes it and posts the next body of that size in it; with no body
// since the last, GiveBack posts nothing.
func TestConnGiveBack(t *testing.T) {
	mc, got, done := channel()
	defer done()
	back := make(chan js.Value, 1)
	f := js.FuncOf(func(_ js.Value, args []js.Value) any { back <- args[0]; return nil })
	defer f.Release()
	mc.Get("port1").Set("onmessage", f)
	worker := &Conn{Target: mc.Get("port1")}
	page := &Conn{Target: mc.Get("port2"), Reuse: true}
	receive := func(m wire.Message) js.Value {
		t.Helper()
		if err := worker.Post(m); err != nil {
			t.Fatal(err)
		}
		ev := <-got
		back, err := page.FromEvent(ev)
		if err != nil || !slices.Equal(back.Weights, m.Weights) {
			t.Fatalf("posted %v, got %v (%v)", m.Weights, back.Weights, err)
		}
		return ev
	}
	snapshot := func(w ...float32) wire.Message {
		return wire.Message{Kind: wire.KindSnapshot, Snapshot: &wire.Snapshot{}, Weights: w}
	}
	ev := receive(snapshot(1, 2, 3))
	page.GiveBack()
	// Giving the detached buffer again would throw in Chromium (node drops
	// the message): the page forgets it.
	if !page.spare.IsUndefined() {
		t.Fatal("the page kept the body it gave back")
	}
	if n := ev.Get("data").Get("body").Get("byteLength").Int(); n != 0 {
		t.Fatalf("the given-back body still holds %d bytes on the page", n)
	}
	spare := (<-back).Get("data").Get(wire.SpareKey)
	if !worker.Spare(js.ValueOf(map[string]any{"data": map[string]any{wire.SpareKey: spare}})) || spare.Get("byteLength").Int() != 12 {
		t.Fatalf("the worker did not get the 12-byte body back: %v", spare)
	}
	receive(snapshot(4, 5, 6))
	if spare.Get("byteLength").Int() != 0 {
		t.Fatal("the next body of that size did not go in the given-back buffer")
	}
	page.GiveBack()
	if n := (<-back).Get("data").Get(wire.SpareKey).Get("byteLength").Int(); n != 12 {
		t.Fatalf("the worker got a %d-byte buffer back, want 12", n)
	}
	// A message without a body, then a give-back: nothing to give. The
	// next message the worker gets is the 8-byte body's.
	receive(wire.Command(wire.KindPause))
	page.GiveBack()
	page.GiveBack()
	receive(snapshot(7, 8))
	page.GiveBack()
	if n := (<-back).Get("data").Get(wire.SpareKey).Get("byteLength").Int(); n != 8 {
		t.Fatalf("the worker got a %d-byte buffer back, want the last body's 8", n)
	}
}
