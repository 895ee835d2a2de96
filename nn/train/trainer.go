package train

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// Step reports one mini-batch.
type Step struct {
	Epoch int     // 1-based epoch the batch belongs to
	Seen  int     // training examples seen so far, this batch included
	Loss  float64 // mean cross-entropy of the batch
	Acc   float64 // fraction of the batch classified right (with dropout on)
	// EpochEnd is set on the last batch of an epoch, after validation.
	EpochEnd *Epoch
}

// Epoch summarises one pass over the training set.
type Epoch struct {
	Epoch            int
	Seen             int
	TrainLoss        float64
	TrainAcc         float64
	ValLoss, ValAcc  float64
	ExamplesPerSec   float64
	Best             bool // this epoch's weights are the best so far
	StoppedEarly     bool // patience ran out; training is done
	ValidationMissed bool // there was no validation set; Best follows training accuracy
}

// ErrDiverged is wrapped by the error Step returns when the loss stops being
// a finite number.
var ErrDiverged = errors.New("training diverged")

// Trainer trains a network one mini-batch at a time.
type Trainer struct {
	Net        *nn.Network
	cfg        Config
	train, val *dataset.Set
	opt        nn.Optimizer
	rng        *rand.Rand
	order      []int
	pos, epoch int
	seen       int
	done       bool
	best       []float32
	bestAcc    float64
	bestLoss   float64 // validation loss of the best weights
	sinceBest  int
	epochLoss  float64
	epochRight int
	epochStart time.Time
	own        *worker  // worker 0, on the Trainer's network
	helpers    []Helper // workers 1, 2, …
	hs         []helperState
}

// helperState is what the Trainer knows of a helper's progress.
type helperState struct {
	synced  bool // it has had the weights since they were last set from outside
	pending int  // jobs with examples started and not yet waited for
	ahead   bool // the last of those is for the next batch
	updated bool // it has this step's update
}

// worker computes the gradient of one slice of every batch on its own copy
// of the network (worker 0 uses the Trainer's network).
type worker struct {
	net    *nn.Network
	rng    *rand.Rand
	x      []float32
	src    []float32 // the example as stored
	img    []float32 // augmented
	labels []uint8
	n      int     // examples in the worker's part of the last batch
	loss   float64 // their mean loss
	right  int
}

// New validates cfg and prepares to train net on train, validating on val
// (which may be nil). The images must be at least as large as the network's
// input; larger ones are cropped, at random while training. With
// cfg.Workers above 1, helpers in goroutines compute parts of every batch.
func New(net *nn.Network, trainSet, val *dataset.Set, cfg Config) (*Trainer, error) {
	return NewWithHelpers(net, trainSet, val, cfg, nil)
}

// NewWithHelpers is New with the given helpers as workers 1, 2, … instead
// of goroutines: cfg.Workers must be len(helpers)+1 (or 0 for no helpers).
// Each helper must compute what NewReplica(net.Spec, trainSet, cfg, i)
// would for its index i, so that the Trainer trains the same weights as
// New's, bit for bit.
func NewWithHelpers(net *nn.Network, trainSet, val *dataset.Set, cfg Config, helpers []Helper) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if helpers != nil && max(cfg.Workers, 1) != len(helpers)+1 {
		return nil, fmt.Errorf("train: %d helpers for %d workers", len(helpers), cfg.Workers)
	}
	in := net.InShape()
	for _, s := range []*dataset.Set{trainSet, val} {
		if s == nil {
			continue
		}
		if s.H < in.H || s.W < in.W || in.C != 1 {
			return nil, fmt.Errorf("%s has %dx%d images; the network takes %s", s.Name, s.H, s.W, in)
		}
		if len(s.Classes) > net.Classes() {
			return nil, fmt.Errorf("%s has %d classes; the network tells %d apart", s.Name, len(s.Classes), net.Classes())
		}
	}
	if trainSet.N == 0 {
		return nil, errors.New("the training set is empty")
	}
	opt, err := nn.NewOptimizer(cfg.Optimizer, net.Params())
	if err != nil {
		return nil, err
	}
	net.DrawMasks(0, nil) // an earlier Trainer's, on the same network
	t := &Trainer{Net: net, cfg: cfg, train: trainSet, val: val, opt: opt,
		rng: rand.New(rand.NewPCG(cfg.Seed, 0x636e6e)), bestAcc: -1, epochStart: time.Now()}
	t.best = net.Weights()
	t.own = &worker{net: net, rng: rand.New(rand.NewPCG(cfg.Seed, 1))}
	t.helpers = helpers
	if helpers == nil {
		for i := 1; i < max(cfg.Workers, 1); i++ {
			r, err := NewReplica(net.Spec, trainSet, cfg, i)
			if err != nil {
				return nil, err
			}
			t.helpers = append(t.helpers, newLocalHelper(r))
		}
	}
	t.hs = make([]helperState, len(t.helpers))
	t.shuffle()
	return t, nil
}

func (t *Trainer) shuffle() {
	t.order = t.rng.Perm(t.train.N)
	t.pos = 0
	t.epoch++
}

// Done reports whether the configured epochs have run or training stopped.
func (t *Trainer) Done() bool { return t.done }

// Step trains on the next mini-batch. It returns an error wrapping
// ErrDiverged when the loss becomes NaN or infinite; the network then holds
// the best weights so far, and training is done.
func (t *Trainer) Step() (Step, error) {
	if t.done {
		return Step{}, errors.New("training is already done")
	}
	n := min(t.cfg.BatchSize, t.train.N-t.pos)
	idx := t.order[t.pos : t.pos+n]
	t.pos += n
	loss, right, err := t.gradient(idx)
	if err != nil {
		t.done = true
		t.Settle()
		return Step{}, err
	}
	if math.IsNaN(loss) || math.IsInf(loss, 0) || !t.Net.Finite() {
		t.done = true
		t.Settle()
		t.Net.SetWeights(t.best)
		return Step{}, fmt.Errorf("%w at epoch %d after %d examples: the loss became %v, so the learning rate (%v) is probably too high; the best weights so far were kept",
			ErrDiverged, t.epoch, t.seen, loss, t.cfg.Optimizer.LR)
	}
	t.update()
	t.opt.Step()
	t.seen += n
	t.epochLoss += loss * float64(n)
	t.epochRight += right
	st := Step{Epoch: t.epoch, Seen: t.seen, Loss: loss, Acc: float64(right) / float64(n)}
	if t.pos == t.train.N {
		st.EpochEnd = t.endEpoch()
	}
	return st, nil
}

// gradient fills the Trainer's network's gradients with the mean over the
// batch idx, spreading the batch over the workers: the helpers start on
// their parts (unless they did already, a step ahead), worker 0 computes
// the first part meanwhile, then the parts are combined weighted by their
// sizes.
func (t *Trainer) gradient(idx []int) (loss float64, right int, err error) {
	params := t.Net.Params()
	next := t.nextBatch()
	after := t.batchAt(t.pos + len(next))
	for i, hs := range t.hs {
		if part := t.part(idx, i+1); len(part) > 0 && !hs.ahead {
			t.start(i, Job{Examples: part, Next: len(t.part(next, i+1))})
		}
		t.hs[i].ahead = false
	}
	w := t.own
	w.batch(t.train, t.cfg.Augment, t.part(idx, 0))
	own := float32(w.n) / float32(len(idx))
	// A single helper gets the Trainer's part's gradient at once, with its
	// part of the next batch: it forms the batch's gradient and takes the
	// optimizer step itself, and starts on the next batch while the
	// Trainer waits for its gradient, sums and steps alike. The two
	// messages cross instead of following each other.
	if len(t.helpers) == 1 && len(t.part(idx, 1)) > 0 {
		mine := float32(len(idx)-w.n) / float32(len(idx))
		t.start(0, Job{Update: &Update{LR: t.opt.LR(), Grad: t.Net.GradData(), Part: true, Own: own, Mine: mine},
			Examples: t.part(next, 1), Next: len(t.part(after, 1))})
		t.hs[0].updated = true
	}
	// Waiting for the helpers costs no time: draw the dropout masks of the
	// next batch meanwhile.
	if len(t.helpers) > 0 && next != nil {
		w.net.DrawMasks(len(t.part(next, 0)), w.rng)
	}
	// Each worker's gradient is the mean over its part; the batch's is their
	// weighted sum, collected into worker 0's, the Trainer's own network.
	// Worker 0's weight is applied with the first helper's part added, in
	// one pass over the gradients instead of two.
	loss, right = w.loss*float64(w.n), w.right
	for i, h := range t.helpers {
		if len(t.part(idx, i+1)) == 0 {
			continue
		}
		s, herr := h.Wait()
		t.hs[i].pending--
		if herr != nil {
			if err == nil {
				err = fmt.Errorf("training worker %d failed: %w", i+2, herr)
			}
			continue
		}
		if err != nil {
			continue
		}
		if len(s.Grads) != len(params) {
			err = fmt.Errorf("training worker %d sent %d gradients for %d parameters", i+2, len(s.Grads), len(params))
			continue
		}
		loss += s.Loss * float64(s.N)
		right += s.Right
		scale := float32(s.N) / float32(len(idx))
		for j, p := range params {
			if len(s.Grads[j]) != len(p.G) {
				err = fmt.Errorf("training worker %d sent a gradient of %d values for a parameter of %d", i+2, len(s.Grads[j]), len(p.G))
				break
			}
		}
		if err != nil {
			continue
		}
		for j, p := range params {
			nn.ScaleAdd(p.G, own, s.Grads[j], scale)
		}
		own = 1
	}
	if own != 1 { // no helper's part was added
		for _, p := range params {
			for k := range p.G {
				p.G[k] *= own
			}
		}
	}
	return loss / float64(len(idx)), right, err
}

// part is worker i's part of the batch idx (worker 0 is the Trainer).
func (t *Trainer) part(idx []int, i int) []int {
	share := t.share(len(idx))
	return idx[min(i*share, len(idx)):min((i+1)*share, len(idx))]
}

// share is the most examples of a batch of n one worker takes.
func (t *Trainer) share(n int) int { return (n + len(t.helpers)) / (len(t.helpers) + 1) }

// EvalBatch is the batch size to evaluate the Trainer's network in: its own
// part of a full batch, the most it runs at once in training, so that
// evaluating needs no memory that training did not.
func (t *Trainer) EvalBatch() int { return max(1, t.share(t.cfg.BatchSize)) }

// nextBatch is the batch after the one taken last, nil at the end of an
// epoch (the next epoch's order is drawn after validation).
func (t *Trainer) nextBatch() []int { return t.batchAt(t.pos) }

// batchAt is the batch of this epoch that starts at position start of its
// order, nil past the end.
func (t *Trainer) batchAt(start int) []int {
	if start >= t.train.N {
		return nil
	}
	return t.order[start : start+min(t.cfg.BatchSize, t.train.N-start)]
}

// start starts job j on helper i, with the weights if the helper has not
// had them since they were set.
func (t *Trainer) start(i int, j Job) {
	hs := &t.hs[i]
	if !hs.synced {
		j.Weights, hs.synced = t.Net.WeightData(), true
	}
	t.helpers[i].Start(j)
	if len(j.Examples) > 0 {
		hs.pending++
		hs.ahead = j.Update != nil
	}
}

// update sends the helpers that do not have it yet the batch's gradient,
// before the Trainer's optimizer step (which clears it), with their parts
// of the next batch: they take the step and start on the next batch while
// the Trainer steps and reports.
func (t *Trainer) update() {
	next := t.nextBatch()
	after := t.batchAt(t.pos + len(next))
	for i := range t.hs {
		if t.hs[i].updated {
			t.hs[i].updated = false
			continue
		}
		t.start(i, Job{Update: &Update{LR: t.opt.LR(), Grad: t.Net.GradData()},
			Examples: t.part(next, i+1), Next: len(t.part(after, i+1))})
	}
}

// Settle waits for the answers to the jobs the helpers started ahead, and
// drops them: call it before the helpers serve another Trainer (a reset or
// a new session), so that no stale answer reaches it.
func (t *Trainer) Settle() {
	for i, h := range t.helpers {
		for ; t.hs[i].pending > 0; t.hs[i].pending-- {
			h.Wait() // an error is an answer too
		}
		t.hs[i].ahead, t.hs[i].updated = false, false
	}
}

// batch prepares the examples idx of s (converted from the set's bytes,
// augmented, cropped, normalised) and computes their mean gradient on the
// worker's network.
func (w *worker) batch(s *dataset.Set, aug dataset.Augment, idx []int) {
	in := w.net.InShape().Size()
	w.n = len(idx)
	w.x = grow(w.x, w.n*in)
	w.src = grow(w.src, s.H*s.W)
	w.img = grow(w.img, s.H*s.W)
	if cap(w.labels) < w.n {
		w.labels = make([]uint8, w.n)
	}
	w.labels = w.labels[:w.n]
	for k, i := range idx {
		aug.Apply(w.img, s.ImageTo(w.src, i), s.H, s.W, w.rng)
		w.net.Prepare(w.x[k*in:(k+1)*in], w.img, s.H, s.W, w.rng)
		w.labels[k] = s.Labels[i]
	}
	w.net.ZeroGrad()
	w.loss, w.right = w.net.Gradient(w.x, w.labels, w.n, nn.Pass{Train: true, Rand: w.rng})
}

func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// endEpoch validates, keeps the best weights, applies early stopping and
// starts the next epoch (or finishes).
func (t *Trainer) endEpoch() *Epoch {
	e := &Epoch{Epoch: t.epoch, Seen: t.seen,
		TrainLoss: t.epochLoss / float64(t.train.N), TrainAcc: float64(t.epochRight) / float64(t.train.N),
		ExamplesPerSec: float64(t.train.N) / time.Since(t.epochStart).Seconds()}
	score := e.TrainAcc
	if t.val != nil && t.val.N > 0 {
		r := Evaluate(t.Net, t.val, t.EvalBatch())
		e.ValLoss, e.ValAcc = r.Loss, r.Acc
		score = r.Acc
	} else {
		e.ValidationMissed = true
	}
	switch {
	case score > t.bestAcc:
		t.bestAcc, t.bestLoss, t.sinceBest, e.Best = score, e.ValLoss, 0, true
		t.best = t.Net.Weights()
	case score == t.bestAcc && !e.ValidationMissed && e.ValLoss < t.bestLoss:
		// The same accuracy with a lower loss: better weights to keep.
		// A small validation set (a few dozen of one's own drawings)
		// reaches 100% in a few epochs and stays there, and the first
		// epoch to get there is seldom the best; patience still counts
		// only better accuracy.
		t.bestLoss, e.Best = e.ValLoss, true
		t.best = t.Net.Weights()
		t.sinceBest++
	default:
		t.sinceBest++
	}
	if t.cfg.Patience > 0 && t.sinceBest >= t.cfg.Patience {
		e.StoppedEarly = true
		t.done = true
	}
	if t.epoch >= t.cfg.Epochs {
		t.done = true
	}
	if t.cfg.LRDecay > 0 {
		t.opt.SetLR(t.opt.LR() * t.cfg.LRDecay)
	}
	t.epochLoss, t.epochRight, t.epochStart = 0, 0, time.Now()
	if !t.done {
		t.shuffle()
	}
	return e
}

// Best returns the best weights so far (a copy): those of the best
// validation accuracy, and of those the lowest validation loss.
func (t *Trainer) Best() []float32 { return append([]float32(nil), t.best...) }

// RestoreBest puts the best weights so far back into the network and
// starts the optimizer afresh (its state belongs to the weights it
// stepped), at the learning rate it had; the helpers get the weights with
// their next job.
func (t *Trainer) RestoreBest() {
	t.Settle()
	t.Net.SetWeights(t.best)
	opt, err := nn.NewOptimizer(t.cfg.Optimizer, t.Net.Params())
	if err != nil { // New accepted the same spec
		panic(err)
	}
	opt.SetLR(t.opt.LR())
	t.opt = opt
	for i := range t.hs {
		t.hs[i].synced = false
	}
}

// Seen is the number of training examples seen so far.
func (t *Trainer) Seen() int { return t.seen }
