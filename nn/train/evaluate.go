package train

import (
	"fmt"
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

// Fits returns an error saying why net cannot be trained or evaluated on s,
// or nil: its images must be at least as large as the network's input, which
// must take one channel, and every label must be one of the network's
// classes. A model file or a dataset is user input: check it with Fits
// before Evaluate.
func Fits(net *nn.Network, s *dataset.Set) error {
	in, k := net.InShape(), net.Classes()
	if s.H < in.H || s.W < in.W || in.C != 1 {
		return fmt.Errorf("%s has %dx%d images; the network takes %s", s.Name, s.H, s.W, in)
	}
	if len(s.Classes) > k {
		return fmt.Errorf("%s has %d classes; the network tells %d apart", s.Name, len(s.Classes), k)
	}
	for i, y := range s.Labels {
		if int(y) >= k {
			return fmt.Errorf("%s: image %d has label %d; the network tells %d classes apart", s.Name, i, y, k)
		}
	}
	return nil
}

// Evaluate runs net over every example of s in batches (centre-cropped, no
// dropout) and returns loss, accuracy and the confusion matrix. Like a
// slice of the wrong size, a set that does not fit net (see Fits) is a
// programmer error: Evaluate panics with Fits' message.
func Evaluate(net *nn.Network, s *dataset.Set, batch int) Result {
	if err := Fits(net, s); err != nil {
		panic("train: Evaluate: " + err.Error())
	}
	if batch < 1 {
		panic(fmt.Sprintf("train: Evaluate: batch size %d", batch))
	}
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
