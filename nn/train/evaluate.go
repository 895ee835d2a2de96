package train

import (
	"math"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// Result is a network's performance on a labelled set.
type Result struct {
	Loss float64 // mean cross-entropy
	Acc  float64 // fraction classified right
	// Confusion[true][predicted] counts examples.
	Confusion [][]int
}

// Evaluate runs net over every example of s in batches (centre-cropped, no
// dropout) and returns loss, accuracy and the confusion matrix.
func Evaluate(net *nn.Network, s *dataset.Set, batch int) Result {
	k := net.Classes()
	r := Result{Confusion: make([][]int, k)}
	for i := range r.Confusion {
		r.Confusion[i] = make([]int, k)
	}
	if s.N == 0 {
		return r
	}
	in := net.InShape().Size()
	x := make([]float32, min(batch, s.N)*in)
	img := make([]float32, s.H*s.W)
	right := 0
	for start := 0; start < s.N; start += batch {
		n := min(batch, s.N-start)
		for j := 0; j < n; j++ {
			net.Prepare(x[j*in:(j+1)*in], s.ImageTo(img, start+j), s.H, s.W, nil)
		}
		prob := net.Forward(x[:n*in], n, nn.Pass{})
		for j := 0; j < n; j++ {
			p := prob[j*k : (j+1)*k]
			y, guess := int(s.Labels[start+j]), nn.Argmax(p)
			r.Loss -= math.Log(max(float64(p[y]), 1e-30))
			r.Confusion[y][guess]++
			if y == guess {
				right++
			}
		}
	}
	r.Loss /= float64(s.N)
	r.Acc = float64(right) / float64(s.N)
	return r
}
