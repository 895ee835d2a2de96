package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// alloc gives a parameter of a layer built outside Build its own values
// and gradient, for tests of single layers.
func (p *Param) alloc() {
	p.W, p.G = make([]float32, p.Size()), make([]float32, p.Size())
	p.Changed()
}

// TestWeightData: Build lays every parameter's values and gradients end to
// end in Params order, so WeightData and GradData are the parameters
// themselves, not copies.
func TestWeightData(t *testing.T) {
	net := lenet5(t)
	w, g := net.WeightData(), net.GradData()
	if len(w) != net.ParamCount() || len(g) != len(w) || !slices.Equal(w, net.Weights()) {
		t.Fatalf("WeightData has %d values, the network %d, or they differ from Weights", len(w), net.ParamCount())
	}
	off := 0
	for _, p := range net.Params() {
		w[off]++
		g[off+len(p.W)-1] = 7
		if p.W[0] != w[off] || p.G[len(p.G)-1] != 7 {
			t.Fatalf("%s is not a view of WeightData and GradData at %d", p.Name, off)
		}
		if cap(p.W) != len(p.W) {
			t.Fatalf("%s can grow into the next parameter", p.Name)
		}
		off += len(p.W)
	}
}

func TestFinite(t *testing.T) {
	net := lenet5(t)
	w := net.WeightData()
	w[0] = math.MaxFloat32 // large but finite: still finite
	if !net.Finite() {
		t.Fatal("Finite is false for finite weights")
	}
	// Every position (each of the four sums, and the tail past the last
	// multiple of four), every kind of non-number.
	for _, i := range []int{0, 1, 2, 3, len(w) - 3, len(w) - 2, len(w) - 1} {
		for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
			old := w[i]
			w[i] = bad
			if net.Finite() {
				t.Errorf("Finite is true with weight %d of %d set to %v", i, len(w), bad)
			}
			w[i] = old
		}
	}
}

// TestClone: a clone has the network's weights, computes the same outputs,
// and shares no memory with it.
func TestClone(t *testing.T) {
	net := lenet5(t)
	c := net.Clone()
	if !slices.Equal(c.WeightData(), net.WeightData()) {
		t.Fatal("the clone's weights differ")
	}
	x := make([]float32, net.InShape().Size())
	for i := range x {
		x[i] = float32(i%7) / 7
	}
	want := slices.Clone(net.Forward(x, 1, Pass{}))
	if got := c.Forward(x, 1, Pass{}); !slices.Equal(got, want) {
		t.Fatalf("the clone computes %v, the network %v", got, want)
	}
	c.WeightData()[0]++
	if c.WeightData()[0] == net.WeightData()[0] {
		t.Fatal("the clone shares its weights with the network")
	}
}

// lenet5 builds the lenet5 preset with a fixed seed.
func lenet5(t *testing.T) *Network { return presetNet(t, "lenet5") }

// presetNet builds the named preset with a fixed seed.
func presetNet(t *testing.T, name string) *Network {
	t.Helper()
	spec, err := Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	net, err := Build(spec, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	return net
}
