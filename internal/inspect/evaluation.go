package inspect

import (
	"fmt"
	"slices"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// PenultimateLayer returns the index of the layer whose output is the
// feature vector the last dense layer classifies, and the vector's length.
// The index is -1 when that dense layer reads the input itself.
func PenultimateLayer(net *nn.Network) (layer, dim int) {
	for i := len(net.Layers) - 1; i >= 0; i-- {
		if Kind(net.Layers[i].Name()) == "dense" {
			return i - 1, net.Layers[i].InShape().Size()
		}
	}
	// No dense layer: the logits before softmax are the features.
	last := len(net.Layers) - 1
	return last - 1, net.Layers[last].InShape().Size()
}

// Evaluation is a network's predictions and penultimate features for the
// first N images of a test set, computed a batch at a time (Step) so that
// a UI can stay responsive between batches.
type Evaluation struct {
	N, K, D  int       // images, classes, feature length
	Done     int       // images evaluated so far
	Labels   []uint8   // true classes
	Preds    []int     // predicted classes
	Probs    []float32 // N×K class probabilities
	Features []float32 // N×D penultimate-layer features

	layer int
	x     []float32
}

// NewEvaluation prepares to evaluate net on the first n images of set (all
// of them if it has fewer). The images may be of any size (they are fed as
// model.Input feeds them), but the network must tell set's classes apart:
// a network of another number of classes is an error (ClassesFit).
func NewEvaluation(net *nn.Network, set *dataset.Set, n int) (*Evaluation, error) {
	if err := ClassesFit(net, set); err != nil {
		return nil, err
	}
	if set.H < 1 || set.W < 1 || len(set.Images) != set.N*set.H*set.W || len(set.Labels) != set.N {
		return nil, fmt.Errorf("inspect: %s holds %d values and %d labels for %d images of %dx%d", set.Name, len(set.Images), len(set.Labels), set.N, set.H, set.W)
	}
	n = max(0, min(n, set.N))
	layer, d := PenultimateLayer(net)
	k := net.Classes()
	return &Evaluation{N: n, K: k, D: d, Labels: slices.Clone(set.Labels[:n]), Preds: make([]int, n),
		Probs: make([]float32, n*k), Features: make([]float32, n*d), layer: layer}, nil
}

// ClassesFit returns an error saying why net's predictions cannot be
// scored against set's labels, or nil: the network must have as many
// classes as the set, so that a confusion matrix and its mistakes mean
// something, and every label must be one of them.
func ClassesFit(net *nn.Network, set *dataset.Set) error {
	k := net.Classes()
	if k != len(set.Classes) {
		return &ClassMismatch{Model: k, Set: len(set.Classes), SetName: set.Name}
	}
	for i, y := range set.Labels {
		if int(y) >= k {
			return fmt.Errorf("inspect: %s: image %d has label %d; the network tells %d classes apart", set.Name, i, y, k)
		}
	}
	return nil
}

// ClassMismatch is ClassesFit's error for a network of another number of
// classes than a test set, with the counts for a page to word it.
type ClassMismatch struct {
	Model, Set int
	SetName    string
}

func (e *ClassMismatch) Error() string {
	return fmt.Sprintf("inspect: the network has %d classes and %s has %d", e.Model, e.SetName, e.Set)
}

// Step evaluates up to batch more images and reports whether all N are
// done. net and set are the ones NewEvaluation was given.
func (e *Evaluation) Step(net *nn.Network, set *dataset.Set, batch int) bool {
	n := min(batch, e.N-e.Done)
	if n <= 0 {
		return true
	}
	in := net.InShape().Size()
	if len(e.x) < n*in {
		e.x = make([]float32, n*in)
	}
	for j := 0; j < n; j++ {
		mustInput(net, e.x[j*in:(j+1)*in], set.Image(e.Done+j), set.H, set.W)
	}
	prob := net.Forward(e.x[:n*in], n, nn.Pass{})
	copy(e.Probs[e.Done*e.K:], prob[:n*e.K])
	feat := e.x[:n*in]
	if e.layer >= 0 {
		feat = net.Output(e.layer)
	}
	copy(e.Features[e.Done*e.D:], feat[:n*e.D])
	for j := 0; j < n; j++ {
		e.Preds[e.Done+j] = nn.Argmax(prob[j*e.K : (j+1)*e.K])
	}
	e.Done += n
	return e.Done == e.N
}

// Run evaluates all remaining images.
func (e *Evaluation) Run(net *nn.Network, set *dataset.Set, batch int) *Evaluation {
	for !e.Step(net, set, batch) {
	}
	return e
}

// Accuracy is the fraction of evaluated images classified right.
func (e *Evaluation) Accuracy() float64 {
	if e.Done == 0 {
		return 0
	}
	right := 0
	for i := 0; i < e.Done; i++ {
		if e.Preds[i] == int(e.Labels[i]) {
			right++
		}
	}
	return float64(right) / float64(e.Done)
}

// Confusion returns counts[true][predicted] over the evaluated images.
func (e *Evaluation) Confusion() [][]int {
	c := make([][]int, e.K)
	for i := range c {
		c[i] = make([]int, e.K)
	}
	for i := 0; i < e.Done; i++ {
		c[e.Labels[i]][e.Preds[i]]++
	}
	return c
}

// Cell returns the indices of the evaluated images of class truth that
// were predicted as pred, most confident first.
func (e *Evaluation) Cell(truth, pred int) []int {
	if truth < 0 || truth >= e.K || pred < 0 || pred >= e.K {
		panic(fmt.Sprintf("inspect: confusion cell (%d, %d) of %d classes", truth, pred, e.K))
	}
	var idx []int
	for i := 0; i < e.Done; i++ {
		if int(e.Labels[i]) == truth && e.Preds[i] == pred {
			idx = append(idx, i)
		}
	}
	e.byConfidence(idx)
	return idx
}

// Wrong returns the indices of up to n misclassified images, the most
// confidently wrong (highest probability for the wrong class) first.
func (e *Evaluation) Wrong(n int) []int {
	var idx []int
	for i := 0; i < e.Done; i++ {
		if e.Preds[i] != int(e.Labels[i]) {
			idx = append(idx, i)
		}
	}
	e.byConfidence(idx)
	return idx[:min(n, len(idx))]
}

// byConfidence sorts image indices by the probability of their predicted
// class, highest first, then by index.
func (e *Evaluation) byConfidence(idx []int) {
	slices.SortStableFunc(idx, func(a, b int) int {
		pa, pb := e.Probs[a*e.K+e.Preds[a]], e.Probs[b*e.K+e.Preds[b]]
		switch {
		case pa > pb:
			return -1
		case pa < pb:
			return 1
		}
		return a - b
	})
}

// ClassProb is a class and its probability.
type ClassProb struct {
	Class int
	P     float32
}

// Top returns image i's k most probable classes, most probable first.
func (e *Evaluation) Top(i, k int) []ClassProb {
	return TopK(e.Probs[i*e.K:(i+1)*e.K], k)
}

// TopK returns the k largest probabilities with their classes, largest
// first (the lower class first on ties).
func TopK(probs []float32, k int) []ClassProb {
	cp := make([]ClassProb, len(probs))
	for c, p := range probs {
		cp[c] = ClassProb{c, p}
	}
	slices.SortStableFunc(cp, func(a, b ClassProb) int {
		switch {
		case a.P > b.P:
			return -1
		case a.P < b.P:
			return 1
		}
		return 0
	})
	return cp[:min(k, len(cp))]
}
