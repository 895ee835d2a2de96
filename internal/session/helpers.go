package session

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/train"
)

// Training on several cores: the Web Worker the UI talks to runs the
// Session (the leader, worker 0); workers 1, 2, … are helpers, Web Workers
// of the same program, each holding the same training set and its own
// replica of the network. A remote is a train.Helper behind a Port: the
// Trainer's jobs go out as messages (the weights only at the first step
// and after a restore; then each step's gradient, with which the helper
// takes the optimizer step itself) and the gradients come back; the
// Trainer combines them as it does its goroutine workers' (the same code).
// Helper i draws its augmentation and dropout from worker i's random
// stream, so the result is the same, bit for bit, as natively with Workers
// goroutines, and equal to one worker's up to float rounding where nothing
// is random.

// MinShareFLOPs is the least work, in floating-point operations, that
// start.AutoWorkers gives each worker's part of a batch: about 15 ms at
// the 33 GFLOP/s that the SIMD kernels reach in Chromium (keras and
// convnetjs presets alike). A job and its gradient cost the leader and the
// helper a millisecond or two and wait for the slower of them, so smaller
// parts would train slower on two workers than on one: measured with the
// convnetjs preset's batches of 20 (35 MFLOP a part), 7,700 examples/s on
// two workers against 9,600 on one.
const MinShareFLOPs = 500e6

// Workers is the number of workers a session for start trains on: with
// start.AutoWorkers, as many as get MinShareFLOPs each (training costs
// about three forward passes), at least 1 and at most AutoWorkers;
// otherwise Config.Workers (at least 1).
func Workers(start wire.Start) int {
	if start.AutoWorkers <= 0 {
		return max(start.Config.Workers, 1)
	}
	sum, err := nn.Analyze(start.Spec)
	if err != nil {
		return 1
	}
	n := int(3 * float64(sum.FLOPs) * float64(start.Config.BatchSize) / MinShareFLOPs)
	return min(max(n, 1), start.AutoWorkers)
}

// Port carries messages between the session and one helper: a Web Worker
// in the browser, a goroutine in tests.
type Port interface {
	// Post sends m to the helper; m.Weights may be reused once Post returns.
	Post(m wire.Message) error
	// Receive waits for the helper's next message.
	Receive() (wire.Message, error)
}

// join (re)starts the helpers on the session's training set.
func (s *Session) join() error {
	for i, p := range s.ports {
		if err := p.Post(wire.Message{Kind: wire.KindJoin, Join: &wire.Join{Start: s.start, Index: i + 1}}); err != nil {
			return fmt.Errorf("could not reach training worker %d: %w", i+2, err)
		}
	}
	return nil
}

// newRemote returns the train.Helper behind port for a network of net's
// shape.
func newRemote(port Port, net *nn.Network) *remote {
	r := &remote{port: port}
	for _, p := range net.Params() {
		r.sizes = append(r.sizes, len(p.W))
		r.total += len(p.W)
	}
	return r
}

// remote is a train.Helper behind a Port.
type remote struct {
	port  Port
	sizes []int // the parameters' sizes
	total int   // their sum
	body  []float32
	grads [][]float32
	// due holds, for each job with examples not yet waited for, nil when
	// its answer will come, or the error that posting it gave.
	due []error
	// failed is the error of a post that failed: the helper is out of
	// step, so every job after it fails with it too.
	failed error
}

// Start posts job j, its weights or gradient as they lie in the Trainer's
// memory: no copy before Post's own.
func (r *remote) Start(j train.Job) {
	m := wire.Message{Kind: wire.KindJob, Job: &wire.Job{Examples: j.Examples, Weights: j.Weights != nil, Next: j.Next}}
	switch {
	case j.Weights != nil && j.Update != nil: // rare: a helper without a part in the first batch
		r.body = append(append(r.body[:0], j.Weights...), j.Update.Grad...)
		m.Weights = r.body
	case j.Weights != nil:
		m.Weights = j.Weights
	case j.Update != nil:
		m.Weights = j.Update.Grad
	}
	if u := j.Update; u != nil {
		m.Job.Update = &wire.Update{LR: u.LR, Part: u.Part, Own: u.Own, Mine: u.Mine}
	}
	if r.failed == nil {
		r.failed = r.port.Post(m)
	}
	if len(j.Examples) > 0 {
		r.due = append(r.due, r.failed)
	}
}

func (r *remote) Wait() (train.Share, error) {
	if len(r.due) == 0 {
		return train.Share{}, errors.New("no job to wait for")
	}
	err := r.due[0]
	r.due = r.due[1:]
	if err != nil {
		return train.Share{}, err
	}
	for {
		m, err := r.port.Receive()
		if err != nil {
			return train.Share{}, err
		}
		switch m.Kind {
		case wire.KindGradient:
			if len(m.Weights) != r.total {
				return train.Share{}, fmt.Errorf("a gradient of %d values for %d weights", len(m.Weights), r.total)
			}
			r.grads = r.grads[:0]
			g := m.Weights
			for _, n := range r.sizes {
				r.grads = append(r.grads, g[:n:n])
				g = g[n:]
			}
			sh := train.Share{N: m.Gradient.N, Loss: m.Gradient.Loss, Right: m.Gradient.Right, Grads: r.grads}
			if m.Gradient.Diverged {
				sh.Loss = math.NaN()
			}
			return sh, nil
		case wire.KindError:
			return train.Share{}, errors.New(m.Error.Message)
		}
		// Anything else (the program's ready) is not an answer.
	}
}

// Helper is a helper worker's side: the training set and replica of the
// session it helps. The zero value is ready for a join.
type Helper struct {
	start    wire.Start
	trainSet *dataset.Set
	rep      *train.Replica
	joinErr  error
	// for test jobs (see eval.go): the test set, or why there is none, and
	// a network apart from the replica's, built at the first job
	testSet *dataset.Set
	testErr error
	evalNet *nn.Network
	x, img  []float32
}

// Join makes h helper j.Index of the session j.Start describes. data
// returns the dataset's files; it is called only when h does not hold that
// training set already (a join after a reset keeps it). A join is not
// answered: if it fails, the error answers every job with examples until
// the next join, so that the session gets exactly one answer to each.
func (h *Helper) Join(j wire.Join, data func() (Data, error)) error {
	h.joinErr = h.join(j, data)
	if h.joinErr != nil {
		h.rep = nil
	}
	return h.joinErr
}

func (h *Helper) join(j wire.Join, data func() (Data, error)) error {
	classes, err := startClasses(j.Start)
	if err != nil {
		return err
	}
	h.rep, h.evalNet = nil, nil
	if h.trainSet == nil || !sameTrainingSet(h.start, j.Start) {
		h.trainSet, h.testSet = nil, nil // free them before loading others
		var d Data
		if j.Start.DataFiles() != "" && j.Start.Synthetic == 0 { // one's own set came with the join; a synthetic one is made
			if d, err = data(); err != nil {
				return err
			}
		}
		h.trainSet, _, err = trainingSets(j.Start, classes, d)
		if err != nil {
			return err
		}
		// Without its test set a helper still trains: the leader then
		// evaluates the helper's test images itself.
		h.testSet, h.testErr = helperTestSet(j.Start, classes, d)
	}
	h.start = j.Start
	h.rep, err = train.NewReplica(j.Start.Spec, h.trainSet, j.Start.Config, j.Index)
	return err
}

// Ahead draws the dropout masks of the next job ahead (train.Replica):
// call it after posting an answer.
func (h *Helper) Ahead() {
	if h.rep != nil {
		h.rep.Ahead()
	}
}

func sameTrainingSet(a, b wire.Start) bool {
	if (a.Own == nil) != (b.Own == nil) {
		return false
	}
	if a.Own != nil && (a.Own.Val != b.Own.Val || a.Own.Test != b.Own.Test || a.Own.Plus != b.Own.Plus || !slices.Equal(a.Own.Classes, b.Own.Classes) ||
		!bytes.Equal(a.Own.Images, b.Own.Images) || !bytes.Equal(a.Own.Labels, b.Own.Labels)) {
		return false
	}
	return a.Dataset == b.Dataset && a.Synthetic == b.Synthetic && a.Limit == b.Limit && a.Validation == b.Validation && a.Config.Seed == b.Config.Seed
}

// Handle does a job and returns its answer, the gradient or an error;
// ok is false for a job without examples, which is not answered (an error
// in it answers the next job). A test job (wire.KindTestJob) is answered
// with the evaluation of its images, or an error. The gradient message's weights are reused
// by the next call.
func (h *Helper) Handle(m wire.Message) (answer wire.Message, ok bool) {
	if m.Kind == wire.KindTestJob && m.TestJob != nil {
		if h.joinErr != nil {
			return wire.ErrorMessage(h.joinErr), true
		}
		if h.rep == nil {
			return wire.ErrorMessage(errors.New("the helper has not joined a session")), true
		}
		return h.handleTest(m), true
	}
	if m.Kind != wire.KindJob || m.Job == nil {
		return wire.ErrorMessage(fmt.Errorf("a training helper cannot handle a %q message", m.Kind)), true
	}
	ok = len(m.Job.Examples) > 0
	if h.joinErr != nil {
		return wire.ErrorMessage(h.joinErr), ok
	}
	if h.rep == nil {
		return wire.ErrorMessage(errors.New("the helper has not joined a session")), ok
	}
	if err := m.Check(); err != nil {
		return wire.ErrorMessage(err), ok
	}
	j := train.Job{Examples: m.Job.Examples, Next: m.Job.Next}
	body := m.Weights
	if m.Job.Weights {
		n := len(body)
		if m.Job.Update != nil {
			n /= 2
		}
		j.Weights, body = body[:n], body[n:]
	}
	if u := m.Job.Update; u != nil {
		j.Update = &train.Update{LR: u.LR, Grad: body, Part: u.Part, Own: u.Own, Mine: u.Mine}
	}
	sh, err := h.rep.Do(j)
	if err != nil {
		return wire.ErrorMessage(err), ok
	}
	g := &wire.Gradient{N: sh.N, Loss: sh.Loss, Right: sh.Right}
	if math.IsNaN(g.Loss) || math.IsInf(g.Loss, 0) {
		g.Loss, g.Diverged = 0, true
	}
	return wire.Message{Kind: wire.KindGradient, Gradient: g, Weights: h.rep.Grads()}, ok
}

// helperTestSet loads the test set a helper evaluates its share of: its own
// set's test part, split as the leader splits it, or the dataset's test
// files.
func helperTestSet(start wire.Start, classes []string, d Data) (*dataset.Set, error) {
	if start.Own != nil {
		sp, err := ownSets(start, classes)
		if err != nil {
			return nil, err
		}
		test, _ := ownTest(sp)
		return test, nil
	}
	return testSet(start, classes, d)
}
