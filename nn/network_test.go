package nn

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBuffersOnlyGrow: inference holds no gradient buffers; after a batch
// of 8, smaller batches (inference and training, as at the end of an
// epoch and in validation) allocate nothing and compute what a fresh
// network computes.
func TestBuffersOnlyGrow(t *testing.T) {
	net := presetNet(t, "keras")
	rng := rand.New(rand.NewPCG(3, 4))
	in := net.InShape().Size()
	x := randSlice(rng, 8*in)
	labels := []uint8{3, 1, 4, 1, 5, 9, 2, 6}

	net.Forward(x[:2*in], 2, Pass{})
	for i, g := range net.grads {
		if len(g) != 0 {
			t.Errorf("after inference, layer %d holds %d gradient values", i, len(g))
		}
	}
	net.ZeroGrad()
	net.Gradient(x, labels, 8, Pass{})

	fresh := net.Clone()
	want := slices.Clone(fresh.Forward(x[:3*in], 3, Pass{}))
	var got []float32
	allocs := testing.AllocsPerRun(3, func() {
		net.ZeroGrad()
		net.Gradient(x[:5*in], labels[:5], 5, Pass{})
		got = net.Forward(x[:3*in], 3, Pass{})
	})
	if allocs != 0 {
		t.Errorf("batches of 5 and 3 after one of 8 allocate %v times", allocs)
	}
	if !slices.Equal(got, want) {
		t.Errorf("after a batch of 8, a batch of 3 gives %v, a fresh network %v", got, want)
	}
}
