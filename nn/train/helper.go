package train

import (
	"fmt"
	"math/rand/v2"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// Helper is worker 1, 2, … of a Trainer with several workers: it computes
// the gradient of its part of every batch on its own copy of the network,
// while the Trainer computes the first part on its own. Natively a helper
// is a goroutine (what New makes); in the browser it is another Web Worker
// that gets the weights and the examples' indices as a message and posts
// the gradient back (internal/session). Either way it runs a Replica.
type Helper interface {
	// Start begins computing the mean gradient over the training examples
	// idx with the weights of net (the Trainer's), which do not change
	// until Wait returns. It does not block.
	Start(net *nn.Network, idx []int)
	// Wait waits for the result of the last Start. The gradients in the
	// Share stay valid until the next Start.
	Wait() (Share, error)
}

// Share is a worker's result for its part of a batch.
type Share struct {
	N     int     // examples in the part
	Loss  float64 // their mean loss
	Right int     // how many of them were classified right
	// Grads is the mean gradient over the part, one slice per parameter, in
	// nn.Network.Params order.
	Grads [][]float32
}

// Replica is a copy of a network that computes the gradients of parts of
// batches: the work of worker i (1, 2, …) of a Trainer. Its random stream
// (network initialisation, augmentation, dropout) is worker i's, so replicas
// built from the same spec, training set and Config compute the same
// gradients for the same parts, in a goroutine or in another Web Worker.
type Replica struct {
	w   *worker
	set *dataset.Set
	aug dataset.Augment
}

// NewReplica builds worker i's replica of a network of spec, training on
// trainSet (the Trainer's training set, in the same order).
func NewReplica(spec nn.Spec, trainSet *dataset.Set, cfg Config, i int) (*Replica, error) {
	if i < 1 {
		return nil, fmt.Errorf("train: replica index %d; worker 0 is the Trainer's own", i)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, uint64(i)+1))
	net, err := nn.Build(spec, rng)
	if err != nil {
		return nil, err
	}
	return &Replica{w: &worker{net: net, rng: rng}, set: trainSet, aug: cfg.Augment}, nil
}

// Weights returns the replica's weights end to end (nn.Network's
// WeightData, not a copy): set them before Gradient.
func (r *Replica) Weights() []float32 { return r.w.net.WeightData() }

// Grads returns the gradients Gradient computed, end to end (the Share's
// Grads are views of it), to post as they are.
func (r *Replica) Grads() []float32 { return r.w.net.GradData() }

// Gradient computes the mean gradient over the training examples idx (not
// empty) with the replica's current weights. The Share's gradients are the
// replica's own, valid until the next call.
func (r *Replica) Gradient(idx []int) Share {
	r.w.batch(r.set, r.aug, idx)
	params := r.w.net.Params()
	grads := make([][]float32, len(params))
	for j, p := range params {
		grads[j] = p.G
	}
	return Share{N: r.w.n, Loss: r.w.loss, Right: r.w.right, Grads: grads}
}

// localHelper runs a Replica in a goroutine.
type localHelper struct {
	r    *Replica
	done chan Share
}

func (h *localHelper) Start(net *nn.Network, idx []int) {
	copy(h.r.Weights(), net.WeightData())
	go func() { h.done <- h.r.Gradient(idx) }()
}

func (h *localHelper) Wait() (Share, error) { return <-h.done, nil }
