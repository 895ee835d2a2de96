package nn

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

// BenchmarkTrain measures training throughput of the presets at the batch
// sizes their original demos use, in examples per second.
func BenchmarkTrain(b *testing.B) {
	for _, c := range []struct {
		preset, opt string
		batch       int
	}{{"convnetjs", "adadelta", 20}, {"lenet5", "adam", 64}, {"mlp", "adam", 128}, {"keras", "adadelta", 128}} {
		b.Run(c.preset, func(b *testing.B) {
			spec, _ := Preset(c.preset)
			rng := rand.New(rand.NewPCG(1, 1))
			net, _ := Build(spec, rng)
			opt, _ := NewOptimizer(OptimizerSpec{Kind: c.opt}, net.Params())
			x := randSlice(rng, c.batch*spec.Input.Size())
			labels := make([]uint8, c.batch)
			for i := range labels {
				labels[i] = uint8(i % 10)
			}
			// one step first: buffers are allocated on the first batch
			net.Gradient(x, labels, c.batch, Pass{Train: true, Rand: rng})
			b.ResetTimer()
			cpu := cpuSeconds()
			for i := 0; i < b.N; i++ {
				net.Gradient(x, labels, c.batch, Pass{Train: true, Rand: rng})
				opt.Step()
			}
			reportRate(b, c.batch, cpu)
		})
	}
}

// BenchmarkInfer measures inference, one image at a time and in batches of 100.
func BenchmarkInfer(b *testing.B) {
	for _, preset := range []string{"convnetjs", "keras"} {
		for _, batch := range []int{1, 100} {
			b.Run(fmt.Sprintf("%s/batch%d", preset, batch), func(b *testing.B) {
				spec, _ := Preset(preset)
				rng := rand.New(rand.NewPCG(1, 1))
				net, _ := Build(spec, rng)
				x := randSlice(rng, batch*spec.Input.Size())
				net.Forward(x, batch, Pass{})
				b.ResetTimer()
				cpu := cpuSeconds()
				for i := 0; i < b.N; i++ {
					net.Forward(x, batch, Pass{})
				}
				reportRate(b, batch, cpu)
			})
		}
	}
}

// BenchmarkGemm measures the packed product at conv-like sizes.
func BenchmarkGemm(b *testing.B) {
	for _, c := range []struct {
		name    string
		m, n, k int
	}{{"Sm", 64, 16, 72}, {"Med", 576, 64, 288}, {"Lg", 128, 128, 9216}} {
		b.Run(c.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			a, bb, cc := randSlice(rng, c.m*c.k), randSlice(rng, c.k*c.n), make([]float32, c.m*c.n)
			var s gemmScratch
			s.gemm(c.m, c.n, c.k, a, c.k, 1, bb, c.n, 1, cc, c.n, false)
			b.ResetTimer()
			cpu0 := cpuSeconds()
			for i := 0; i < b.N; i++ {
				s.gemm(c.m, c.n, c.k, a, c.k, 1, bb, c.n, 1, cc, c.n, false)
			}
			flop := 2 * float64(c.m*c.n*c.k) * float64(b.N)
			b.ReportMetric(flop/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			if cpu0 > 0 {
				b.ReportMetric(flop/(cpuSeconds()-cpu0)/1e9, "cpu-GFLOP/s")
			}
		})
	}
}

// BenchmarkLayers times each layer's forward and backward pass on a training
// batch of the convnetjs and keras presets, in milliseconds per batch, so a
// training step can be broken down by layer and phase.
func BenchmarkLayers(b *testing.B) {
	for _, c := range []struct {
		preset string
		batch  int
	}{{"convnetjs", 20}, {"keras", 128}} {
		spec, _ := Preset(c.preset)
		rng := rand.New(rand.NewPCG(1, 1))
		net, _ := Build(spec, rng)
		x := randSlice(rng, c.batch*spec.Input.Size())
		labels := make([]uint8, c.batch)
		p := Pass{Train: true, Rand: rng}
		net.Gradient(x, labels, c.batch, p)
		for i, l := range net.Layers {
			in, din := x, []float32(nil)
			if i > 0 {
				in, din = net.acts[i-1], net.grads[i-1]
			}
			name := fmt.Sprintf("%s/%d-%s", c.preset, i, l.Name())
			b.Run(name+"/fwd", func(b *testing.B) {
				cpu := cpuSeconds()
				for b.Loop() {
					l.Forward(net.acts[i], in, c.batch, p)
				}
				reportBatch(b, cpu)
			})
			if _, ok := l.(*Softmax); ok {
				continue // fused with the loss in training
			}
			b.Run(name+"/bwd", func(b *testing.B) {
				cpu := cpuSeconds()
				for b.Loop() {
					l.Backward(din, net.grads[i], in, net.acts[i], c.batch)
				}
				reportBatch(b, cpu)
			})
		}
	}
}

// BenchmarkInferLayers times one image's inference through the keras and
// convnetjs presets, in milliseconds: each layer's forward pass, then the
// whole network ("all"), so the latency of classifying a drawing can be
// broken down by layer. Between timed passes the weights stay as they are,
// as between two strokes of a drawing. Each layer with weights, and the
// whole, is timed again with its weights marked changed before every pass
// ("/changed"): the work the layer would redo without its weight caches.
//
// The image is a real digit (the first of testdata/mnist's test images, a
// 7, cropped to 24×24 for convnetjs): a dense layer after ReLU and pooling skips its zero inputs on one
// image, and noise has far fewer of them than a digit (12% against 57% at
// the keras preset's dense1).
func BenchmarkInferLayers(b *testing.B) {
	digit := testDigit(b)
	for _, preset := range []string{"keras", "convnetjs"} {
		spec, _ := Preset(preset)
		rng := rand.New(rand.NewPCG(1, 1))
		net, _ := Build(spec, rng)
		x := crop(digit, 28, spec.Input.H)
		net.Forward(x, 1, Pass{})
		for i, l := range net.Layers {
			in := x
			if i > 0 {
				in = net.acts[i-1]
			}
			name := fmt.Sprintf("%s/%d-%s", preset, i, l.Name())
			b.Run(name, func(b *testing.B) {
				cpu := cpuSeconds()
				for b.Loop() {
					l.Forward(net.acts[i], in, 1, Pass{})
				}
				reportBatch(b, cpu)
			})
			if len(l.Params()) == 0 {
				continue
			}
			b.Run(name+"/changed", func(b *testing.B) {
				cpu := cpuSeconds()
				for b.Loop() {
					for _, p := range l.Params() {
						p.Changed()
					}
					l.Forward(net.acts[i], in, 1, Pass{})
				}
				reportBatch(b, cpu)
			})
		}
		b.Run(preset+"/all", func(b *testing.B) {
			cpu := cpuSeconds()
			for b.Loop() {
				net.Forward(x, 1, Pass{})
			}
			reportBatch(b, cpu)
		})
		b.Run(preset+"/all/changed", func(b *testing.B) {
			cpu := cpuSeconds()
			for b.Loop() {
				net.WeightsChanged()
				net.Forward(x, 1, Pass{})
			}
			reportBatch(b, cpu)
		})
	}
}

// reportRate reports examples/s by the wall clock and, where the process's
// CPU time is known, cpu-examples/s by it (since cpu0, taken when timing
// began): on a loaded machine the second is the steadier measure.
func reportRate(b *testing.B, batch int, cpu0 float64) {
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "examples/s")
	if cpu0 > 0 {
		b.ReportMetric(float64(b.N*batch)/(cpuSeconds()-cpu0), "cpu-examples/s")
	}
}

// reportBatch reports milliseconds per batch by the wall clock and by CPU
// time (see reportRate).
func reportBatch(b *testing.B, cpu0 float64) {
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/batch")
	if cpu0 > 0 {
		b.ReportMetric((cpuSeconds()-cpu0)*1e3/float64(b.N), "cpu-ms/batch")
	}
}

// BenchmarkStep times one optimizer step over every parameter of the keras
// preset (1.2M values), in milliseconds per step, for each optimizer. Before
// every step, outside the timing, the gradients are refilled with one real
// batch's, so each step works on values like training's.
func BenchmarkStep(b *testing.B) {
	for _, c := range []struct {
		name string
		opt  OptimizerSpec
	}{
		{"adadelta", OptimizerSpec{Kind: "adadelta"}},
		{"adam", OptimizerSpec{Kind: "adam"}},
		{"sgd", OptimizerSpec{Kind: "sgd", Momentum: 0.9}},
		{"nesterov", OptimizerSpec{Kind: "sgd", Momentum: 0.9, Nesterov: true}},
		{"adadelta-l2", OptimizerSpec{Kind: "adadelta", L2: 1e-4}},
	} {
		b.Run("keras/"+c.name, func(b *testing.B) {
			spec, _ := Preset("keras")
			rng := rand.New(rand.NewPCG(1, 1))
			net, _ := Build(spec, rng)
			opt, _ := NewOptimizer(c.opt, net.Params())
			const batch = 32
			x := randSlice(rng, batch*spec.Input.Size())
			labels := make([]uint8, batch)
			for i := range labels {
				labels[i] = uint8(i % 10)
			}
			net.Gradient(x, labels, batch, Pass{Train: true, Rand: rng})
			g0 := append([]float32(nil), net.GradData()...)
			opt.Step()
			var cpu float64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				copy(net.GradData(), g0)
				c0 := cpuSeconds()
				b.StartTimer()
				opt.Step()
				cpu += cpuSeconds() - c0
			}
			b.StopTimer()
			b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/step")
			if cpu > 0 {
				b.ReportMetric(cpu*1e3/float64(b.N), "cpu-ms/step")
			}
		})
	}
}

// testDigit returns the first image of testdata/mnist's test images, with
// pixel values in [0,1].
func testDigit(tb testing.TB) []float32 {
	tb.Helper()
	f, err := os.Open("../testdata/mnist/t10k-500-images-idx3-ubyte.gz")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	idx, err := dataset.ReadIDX(f)
	if err != nil {
		tb.Fatal(err)
	}
	x := make([]float32, 28*28)
	for i := range x {
		x[i] = float32(idx.Data[i]) / 255
	}
	return x
}

// crop returns the middle h×h of the s×s image x.
func crop(x []float32, s, h int) []float32 {
	out := make([]float32, 0, h*h)
	o := (s - h) / 2
	for y := o; y < o+h; y++ {
		out = append(out, x[y*s+o:y*s+o+h]...)
	}
	return out
}
