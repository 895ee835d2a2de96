package preprocess

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestQuantile checks quantile against sorting, on slices with many ties,
// sorted and reversed ones, and leaves its input as it was.
func TestQuantile(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 60 {
		for _, kind := range []string{"random", "ties", "sorted", "reversed"} {
			v := make([]float32, n)
			for i := range v {
				switch kind {
				case "random":
					v[i] = rng.Float32()
				case "ties":
					v[i] = float32(rng.IntN(3))
				case "sorted":
					v[i] = float32(i)
				case "reversed":
					v[i] = float32(n - i)
				}
			}
			orig := slices.Clone(v)
			sorted := slices.Clone(v)
			slices.Sort(sorted)
			for _, q := range []float64{0, 0.1, 0.5, 0.9, 0.999, 1} {
				want := float32(0)
				if n > 0 {
					want = sorted[min(n-1, int(q*float64(n)))]
				}
				if got := quantile(v, q); got != want {
					t.Fatalf("%s, %d values, q=%v: %v, want %v", kind, n, q, got, want)
				}
			}
			if !slices.Equal(v, orig) {
				t.Fatalf("%s, %d values: input changed", kind, n)
			}
		}
	}
}
