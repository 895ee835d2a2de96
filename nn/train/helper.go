package train

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// Helper is worker 1, 2, … of a Trainer with several workers: it keeps its
// own copy of the network, in step with the Trainer's, and computes the
// gradient of its part of every batch while the Trainer computes the first
// part. Natively a helper is a goroutine (what New makes); in the browser
// it is another Web Worker that gets each Job as a message and posts the
// gradient back (internal/session). Either way it runs a Replica.
type Helper interface {
	// Start queues job j. Jobs run in the order started; each job with
	// examples gets one answer. Start copies what it needs of j before it
	// returns (the Trainer's weights and gradients change after), and does
	// not block.
	Start(j Job)
	// Wait waits for the answer to the oldest unanswered job, which is an
	// error if the helper failed or is gone (then at once). The gradients
	// in the Share are to be read at once: they stay valid until the
	// Trainer next starts a job or waits.
	Wait() (Share, error)
}

// Job is what a Trainer asks of a helper for one batch: take the weights,
// if any; take the optimizer step, if any; then compute the mean gradient
// over the examples, if any. The helper's weights follow the Trainer's
// through the optimizer steps they take alike, so only a job after the
// weights were set from outside (the first one, or after RestoreBest)
// carries weights.
type Job struct {
	// Weights, if not nil, are the Trainer's weights end to end, set from
	// outside: the helper takes them and starts its optimizer afresh, as the
	// Trainer's did.
	Weights []float32
	// Update, if not nil, is the optimizer step the Trainer takes after the
	// batch the helper computed last.
	Update *Update
	// Examples index the training set: none for a job that only updates.
	Examples []int
	// Next is the number of examples of the helper's part of the batch
	// after, 0 if unknown: it draws their dropout masks ahead (Ahead).
	Next int
}

// Update is one optimizer step for a helper to take as the Trainer does.
type Update struct {
	LR float64 // the step's learning rate (it decays between epochs)
	// Grad is the batch's mean gradient, end to end in Params order. With
	// Part, it is only the Trainer's mean gradient over its own part of the
	// batch, sent as soon as it is ready: the helper adds it, weighted by
	// Own, to its own part's (of the same batch, the last it computed),
	// weighted by Mine, which is the Trainer's sum of the two in the same
	// float32 operations (nn.ScaleAdd).
	Grad      []float32
	Part      bool
	Own, Mine float32
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
// batches and takes the optimizer steps of the whole batches: the work of
// worker i (1, 2, …) of a Trainer. Its random stream (network
// initialisation, augmentation, dropout) is worker i's, so replicas built
// from the same spec, training set and Config compute the same gradients
// for the same parts, in a goroutine or in another Web Worker.
type Replica struct {
	w    *worker
	set  *dataset.Set
	aug  dataset.Augment
	spec nn.OptimizerSpec
	opt  nn.Optimizer // nil until the first job's weights
	err  error        // a failed job's, until weights come again
	next int          // the last job's Next
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
	return &Replica{w: &worker{net: net, rng: rng}, set: trainSet, aug: cfg.Augment, spec: cfg.Optimizer}, nil
}

// Grads returns the gradients the last job computed, end to end (the
// Share's Grads are views of it), to post as they are.
func (r *Replica) Grads() []float32 { return r.w.net.GradData() }

// Do carries out job j and returns the gradient over its examples. The
// Share's gradients are the replica's own, valid until the next call. A
// job that fails leaves the replica out of step with the Trainer, so every
// job after it fails with the same error until one brings the weights
// again: a job without examples is not answered, and its error answers the
// next one's.
func (r *Replica) Do(j Job) (Share, error) {
	if r.err != nil && j.Weights == nil {
		return Share{}, r.err
	}
	s, err := r.do(j)
	r.err = err
	return s, err
}

func (r *Replica) do(j Job) (s Share, err error) {
	net := r.w.net
	if j.Weights != nil {
		if err := net.SetWeights(j.Weights); err != nil {
			return Share{}, fmt.Errorf("a job with %d weights for a network of %d", len(j.Weights), len(net.WeightData()))
		}
		if r.opt, err = nn.NewOptimizer(r.spec, net.Params()); err != nil {
			return Share{}, err
		}
	}
	if u := j.Update; u != nil {
		g := net.GradData()
		switch {
		case r.opt == nil:
			return Share{}, errors.New("an optimizer step before any weights")
		case len(u.Grad) != len(g):
			return Share{}, fmt.Errorf("an optimizer step with a gradient of %d values for a network of %d", len(u.Grad), len(g))
		case u.Part:
			nn.ScaleAdd(g, u.Mine, u.Grad, u.Own)
		default:
			copy(g, u.Grad)
		}
		r.opt.SetLR(u.LR)
		r.opt.Step()
	}
	if len(j.Examples) == 0 {
		return Share{}, nil
	}
	if r.opt == nil {
		return Share{}, errors.New("a job before any weights")
	}
	for _, i := range j.Examples {
		if i < 0 || i >= r.set.N {
			return Share{}, fmt.Errorf("a job with example %d of a training set of %d", i, r.set.N)
		}
	}
	r.w.batch(r.set, r.aug, j.Examples)
	r.next = j.Next
	params := net.Params()
	grads := make([][]float32, len(params))
	for k, p := range params {
		grads[k] = p.G
	}
	return Share{N: r.w.n, Loss: r.w.loss, Right: r.w.right, Grads: grads}, nil
}

// Ahead draws the dropout masks of the next job's examples, as many as the
// last job said: call it once that job's answer is on its way, while the
// Trainer combines the gradients and the helper would only wait.
func (r *Replica) Ahead() {
	if r.next > 0 {
		r.w.net.DrawMasks(r.next, r.w.rng)
		r.next = 0
	}
}

// localHelper runs a Replica's jobs in goroutines, one after the other.
// What it hands over is copied, as between Web Workers: the Trainer sums
// a Share's gradients while the replica already takes the next job.
type localHelper struct {
	r       *Replica
	prev    chan struct{} // closed when the last job started is done
	answers chan answer
	// Two buffers each for the updates' gradients and the answers', in
	// turn, with the jobs that used them last.
	in    [2][]float32
	inJob [2]chan struct{}
	out   [2][]float32
	nIn   int
	nOut  int
}

type answer struct {
	s   Share
	err error
}

func newLocalHelper(r *Replica) *localHelper {
	prev := make(chan struct{})
	close(prev)
	return &localHelper{r: r, prev: prev, answers: make(chan answer, 2)}
}

func (h *localHelper) Start(j Job) {
	prev, done := h.prev, make(chan struct{})
	h.prev = done
	if j.Weights != nil {
		j.Weights = append([]float32(nil), j.Weights...)
	}
	if j.Update != nil {
		k := h.nIn % 2
		h.nIn++
		if h.inJob[k] != nil {
			<-h.inJob[k] // at once, but for a helper without parts
		}
		h.inJob[k] = done
		u := *j.Update
		h.in[k] = append(h.in[k][:0], u.Grad...)
		u.Grad = h.in[k]
		j.Update = &u
	}
	j.Examples = append([]int(nil), j.Examples...)
	// The Trainer has read a Share by the time it starts the job after the
	// next, which is when this one's buffer is written again.
	out := &h.out[h.nOut%2]
	if len(j.Examples) > 0 {
		h.nOut++
	}
	go func() {
		defer close(done)
		<-prev
		s, err := h.r.Do(j)
		if len(j.Examples) == 0 {
			return
		}
		if err == nil {
			*out = append((*out)[:0], h.r.Grads()...)
			g := *out
			for k, p := range s.Grads {
				s.Grads[k], g = g[:len(p):len(p)], g[len(p):]
			}
		}
		h.answers <- answer{s, err}
		h.r.Ahead()
	}()
}

func (h *localHelper) Wait() (Share, error) {
	a := <-h.answers
	return a.s, a.err
}
