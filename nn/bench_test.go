package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"
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
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				net.Gradient(x, labels, c.batch, Pass{Train: true, Rand: rng})
				opt.Step()
			}
			b.ReportMetric(float64(b.N*c.batch)/b.Elapsed().Seconds(), "examples/s")
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
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					net.Forward(x, batch, Pass{})
				}
				b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "examples/s")
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
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s.gemm(c.m, c.n, c.k, a, c.k, 1, bb, c.n, 1, cc, c.n, false)
			}
			b.ReportMetric(2*float64(c.m*c.n*c.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
