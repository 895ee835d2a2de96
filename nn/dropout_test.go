package nn

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDrawMasksAhead: masks drawn ahead are the ones the next training
// Forward of as many examples would draw, from the same random stream;
// a Forward of another size, or after the masks were forgotten, draws its
// own.
func TestDrawMasksAhead(t *testing.T) {
	net := presetNet(t, "keras")
	spec := net.Spec
	x := randSlice(rand.New(rand.NewPCG(3, 4)), 3*spec.Input.Size())
	forward := func(n int, ahead int, forget bool, seed uint64) ([]float32, uint64) {
		rng := rand.New(rand.NewPCG(seed, 5))
		if ahead > 0 {
			net.DrawMasks(ahead, rng)
		}
		if forget {
			net.DrawMasks(0, nil)
		}
		out := slices.Clone(net.Forward(x[:n*spec.Input.Size()], n, Pass{Train: true, Rand: rng}))
		return out, rng.Uint64()
	}
	want, wantNext := forward(3, 0, false, 7)
	got, next := forward(3, 3, false, 7)
	if !slices.Equal(got, want) || next != wantNext {
		t.Fatal("masks drawn ahead differ from those Forward draws")
	}
	// Drawn for 2, used by a Forward of 3: that Forward draws its own,
	// after the ones drawn ahead.
	other, _ := forward(3, 2, false, 7)
	if slices.Equal(other, want) {
		t.Fatal("a Forward of 3 examples used masks drawn for 2")
	}
	if again, _ := forward(3, 0, false, 7); !slices.Equal(again, want) {
		t.Fatal("masks drawn ahead for 2 were used by a later Forward")
	}
	forgot, _ := forward(3, 3, true, 9)
	fresh, _ := forward(3, 0, false, 9)
	if slices.Equal(forgot, fresh) {
		t.Fatal("masks forgotten were used, or the stream did not move")
	}
}
