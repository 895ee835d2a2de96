package nn

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFrozenParamsDoNotMove steps every optimizer, with momentum and weight
// decay, on a network whose conv layers are frozen: their weights stay
// bit for bit, their gradients are cleared, and the dense layer moves.
func TestFrozenParamsDoNotMove(t *testing.T) {
	base, _ := Preset("lenet5")
	spec, err := TransferSpec(base, 4, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []OptimizerSpec{
		{Kind: "sgd", LR: 0.1, Momentum: 0.9, Nesterov: true, L2: 0.01},
		{Kind: "adam", L2: 0.01},
		{Kind: "adadelta", L2: 0.01},
	} {
		net, err := Build(spec, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		o, err := NewOptimizer(opt, net.Params())
		if err != nil {
			t.Fatal(err)
		}
		before := map[string][]float32{}
		for _, p := range net.Params() {
			before[p.Name] = slices.Clone(p.W)
		}
		for step := range 3 {
			for _, p := range net.Params() {
				for i := range p.G {
					p.G[i] = float32((i+step)%7-3) / 10
				}
			}
			o.Step()
		}
		for _, p := range net.Params() {
			moved := !slices.Equal(p.W, before[p.Name])
			if p.Frozen == moved || p.Frozen != (p.Name[:4] == "conv") {
				t.Errorf("%s: %s frozen %v, moved %v", opt.Kind, p.Name, p.Frozen, moved)
			}
			if slices.ContainsFunc(p.G, func(g float32) bool { return g != 0 }) {
				t.Errorf("%s: %s's gradient was not cleared", opt.Kind, p.Name)
			}
		}
	}
}

func TestFrozenNeedsWeights(t *testing.T) {
	s, _ := Preset("lenet5")
	s.Layers[1].Frozen = true // relu1
	if _, err := Build(s, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("Build froze a layer without weights")
	}
}

// TestCopyFeatures carries the conv layers of a ten-class network into a
// three-class one: the conv weights are the source's, the dense ones the
// destination's own.
func TestCopyFeatures(t *testing.T) {
	from, _ := Preset("lenet5")
	src, _ := Build(from, rand.New(rand.NewPCG(1, 1)))
	spec, _ := TransferSpec(from, 3, false)
	dst, _ := Build(spec, rand.New(rand.NewPCG(2, 2)))
	fresh := dst.Weights()
	copied, err := CopyFeatures(dst, src)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(copied, []string{"conv1", "conv2"}) {
		t.Fatalf("copied %v", copied)
	}
	off := 0
	for i, p := range dst.Params() {
		sp := src.Params()[i]
		if p.Name[:4] == "conv" && !slices.Equal(p.W, sp.W) {
			t.Errorf("%s was not copied", p.Name)
		}
		// Biases start at zero in both; weights tell.
		if p.Name[:4] != "conv" && p.Decay && (slices.Equal(p.W, sp.W) || !slices.Equal(p.W, fresh[off:off+len(p.W)])) {
			t.Errorf("%s is not the new network's own", p.Name)
		}
		off += len(p.W)
	}

	other, _ := Preset("keras")
	k, _ := Build(other, rand.New(rand.NewPCG(1, 1)))
	if _, err := CopyFeatures(dst, k); err == nil {
		t.Error("CopyFeatures copied between networks with different inputs or layers")
	}
}

// TestFrozenBackward: with its convolutions frozen, a network's gradient of
// the layers that learn is the same as when all learn, and the frozen
// layers get none (backward stops above them); the input gradient, which
// saliency asks for, still goes all the way down.
func TestFrozenBackward(t *testing.T) {
	base, _ := Preset("lenet5")
	frozen, _ := TransferSpec(base, 10, true)
	rng := rand.New(rand.NewPCG(3, 3))
	x := make([]float32, 4*28*28)
	for i := range x {
		x[i] = rng.Float32()
	}
	labels := []uint8{1, 2, 3, 4}
	grads := func(spec Spec, dx []float32) []*Param {
		net, _ := Build(spec, rand.New(rand.NewPCG(1, 1)))
		if dx != nil {
			net.InputGradient(dx, x, labels, 4, Pass{})
		} else {
			net.Gradient(x, labels, 4, Pass{})
		}
		return net.Params()
	}
	all, fr := grads(base, nil), grads(frozen, nil)
	for i, p := range fr {
		zero := !slices.ContainsFunc(p.G, func(g float32) bool { return g != 0 })
		if p.Frozen != zero || !p.Frozen && !slices.Equal(p.G, all[i].G) {
			t.Errorf("%s: frozen %v, gradient zero %v, equal to the unfrozen one %v", p.Name, p.Frozen, zero, slices.Equal(p.G, all[i].G))
		}
	}
	dxAll, dxFr := make([]float32, len(x)), make([]float32, len(x))
	grads(base, dxAll)
	grads(frozen, dxFr)
	if !slices.Equal(dxAll, dxFr) || !slices.ContainsFunc(dxFr, func(g float32) bool { return g != 0 }) {
		t.Error("the input gradient of the frozen network differs or is zero")
	}
}
