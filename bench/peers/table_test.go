//go:build !js

package main

import (
	"math"
	"testing"
)

func fake(peer string, value float64) *result {
	t := &task{Value: value}
	return &result{Peer: peer, Train: t, Infer100: t, Latency: t}
}

// TestGatherPairsNeighbours: each of a peer's runs is compared with the
// cnnplay runs just before and after it, not with cnnplay's overall
// median, so a drift of the machine between rounds leaves the ratios
// alone; the ratio shown is the median over the rounds.
func TestGatherPairsNeighbours(t *testing.T) {
	// The machine slows down by half after the first round: both sides
	// of the second and third rounds' pairs alike.
	runs := []*result{
		fake("cnnplay", 1000), fake("tfjs-wasm", 500), fake("cnnplay", 1000),
		fake("tfjs-wasm", 250), fake("cnnplay", 500),
		fake("tfjs-wasm", 200), fake("cnnplay", 500),
	}
	f := gather(runs, "tfjs-wasm", "train", false, 128)
	want := []float64{2, 3, 2.5}
	if len(f.ratios) != len(want) {
		t.Fatalf("ratios %v, want %v", f.ratios, want)
	}
	for i, r := range f.ratios {
		if math.Abs(r-want[i]) > 1e-12 {
			t.Fatalf("ratios %v, want %v", f.ratios, want)
		}
	}
	if got := ratio(f); got != "2.5x (2–3)" {
		t.Errorf("ratio cell %q, want the median 2.5x with the range", got)
	}
	// latency: milliseconds, lower is faster
	lat := gather(runs, "tfjs-wasm", "latency", true, 1)
	if got := median(lat.ratios); math.Abs(got-0.4) > 1e-12 {
		t.Errorf("latency ratio %v, want 0.4 (the peer's ms over cnnplay's)", got)
	}
	if got := median(gather(runs, "cnnplay", "train", false, 128).values); got != 750 {
		t.Errorf("cnnplay's median %v, want 750", got)
	}
}

// TestGatherBound: a stopped run gives a bound, shown as such.
func TestGatherBound(t *testing.T) {
	runs := []*result{fake("cnnplay", 1000), {Peer: "convnetjs", Train: &task{Error: "stopped", Stopped: 40}}, fake("cnnplay", 1000)}
	f := gather(runs, "convnetjs", "train", false, 128)
	if !f.bound || len(f.ratios) != 1 {
		t.Fatalf("figures %+v: want one bound ratio", f)
	}
	if got := ratio(f); got != "> 312x" {
		t.Errorf("ratio %q, want > 312x (1000 against 128 examples in 40 s)", got)
	}
}
