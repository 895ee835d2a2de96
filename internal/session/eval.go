package session

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// The evaluation of the test set when training ends is spread over the
// helpers as the batches were: the test images are cut into one range per
// worker, each helper gets its range and the weights in a test job, and the
// leader evaluates the first range in chunks (so that it keeps answering
// the UI), then merges the helpers' parts in the order of their ranges. A
// range whose helper fails, the leader evaluates itself. Every image's
// probabilities are computed alike whatever batch it is in, so the result
// is one worker's: the same confusion matrix and mistakes, and the loss up
// to the rounding of its sum. An evaluation asked for in the middle of
// training stays the leader's: the helpers hold the next batch's work.

// evaluation is a test-set evaluation in progress, done in chunks of
// evalBatch images so that the worker keeps answering between them.
type evaluation struct {
	final bool       // training is over; post done at the end
	todo  []testPart // the ranges the leader evaluates itself; it is on the first
	done  []testPart // ranges evaluated, by anyone
	// due are the helpers whose parts are still to come, with their ranges
	due    []int
	ranges [][2]int // helper i's range of test images
	x, img []float32
}

// testPart is the evaluation of the test images from to to-1, as far as
// it has gone (n images).
type testPart struct {
	from, to int
	wire.TestPart
}

func newTestPart(from, to, classes int) testPart {
	p := testPart{from: from, to: to, TestPart: wire.TestPart{From: from, Confusion: make([][]int, classes)}}
	for i := range p.Confusion {
		p.Confusion[i] = make([]int, classes)
	}
	return p
}

// evaluate starts evaluating the current weights on the test set.
func (s *Session) evaluate(final bool) {
	if s.state != wire.StateEvaluating {
		s.after = s.state
	}
	k, set := s.net.Classes(), s.testSet
	e := &evaluation{final: final}
	share := set.N
	if final && len(s.ports) > 0 && set.N > 0 {
		s.tr.Settle() // the helpers answer the jobs they started first
		share = (set.N + len(s.ports)) / (len(s.ports) + 1)
		for i, p := range s.ports {
			from, to := min((i+1)*share, set.N), min((i+2)*share, set.N)
			e.ranges = append(e.ranges, [2]int{from, to})
			if from == to {
				continue
			}
			err := p.Post(wire.Message{Kind: wire.KindTestJob, TestJob: &wire.TestJob{From: from, To: to, Batch: s.tr.EvalBatch()},
				Weights: s.net.WeightData()})
			if err != nil {
				e.todo = append(e.todo, newTestPart(from, to, k))
				continue
			}
			e.due = append(e.due, i)
		}
	}
	e.todo = append([]testPart{newTestPart(0, min(share, set.N), k)}, e.todo...)
	s.eval = e
	s.state = wire.StateEvaluating
}

// evalChunk evaluates the next test images and, after the last, appends
// the evaluation message (or the final snapshot and done).
func (s *Session) evalChunk(out []wire.Message) []wire.Message {
	e, set := s.eval, s.testSet
	if len(e.todo) > 0 {
		p := &e.todo[0]
		n := min(evalBatch, s.tr.EvalBatch(), p.to-p.from-p.N)
		if n > 0 {
			e.x, e.img = evalImages(s.net, set, e.x, e.img, p, n)
		}
		if p.from+p.N == p.to {
			e.done = append(e.done, *p)
			e.todo = e.todo[1:]
		}
		if len(e.todo) > 0 || len(e.due) > 0 {
			return out
		}
	}
	if len(e.due) > 0 {
		// the leader's own range is done: wait for the helpers'
		for _, i := range e.due {
			from, to := e.ranges[i][0], e.ranges[i][1]
			p, err := s.receivePart(s.ports[i], from, to)
			if err != nil {
				e.todo = append(e.todo, newTestPart(from, to, s.net.Classes()))
				continue
			}
			e.done = append(e.done, p)
		}
		e.due = nil
		if len(e.todo) > 0 {
			return out
		}
	}
	test := e.merge(set)
	test.Seen = s.tr.Seen()
	s.eval = nil
	if e.final {
		s.state = wire.StateDone
		return append(out, s.snapshot(s.hasBest && s.reason != "stopped"),
			wire.Message{Kind: wire.KindDone, Done: &wire.Done{Reason: s.reason, Epochs: s.epochs, Seen: s.tr.Seen(),
				BestValAcc: s.bestVal, Test: test}},
			s.Status())
	}
	s.state = s.after
	s.lastProg = s.now()
	return append(out, wire.Message{Kind: wire.KindEvaluation, Test: &test}, s.Status())
}

// receivePart waits for a helper's answer to the test job for images from
// to to-1, and checks that it is one.
func (s *Session) receivePart(port Port, from, to int) (testPart, error) {
	for {
		m, err := port.Receive()
		if err != nil {
			return testPart{}, err
		}
		switch m.Kind {
		case wire.KindTestPart:
			k := s.net.Classes()
			tp := m.TestPart
			if tp.From != from || tp.N != to-from || len(tp.Confusion) != k {
				return testPart{}, fmt.Errorf("a test part of %d images from %d, for the %d from %d asked", tp.N, tp.From, to-from, from)
			}
			sum := 0
			for _, row := range tp.Confusion {
				if len(row) != k {
					return testPart{}, errors.New("a test part's confusion matrix has the wrong size")
				}
				for _, c := range row {
					sum += c
				}
			}
			for _, mk := range tp.Mistakes {
				if mk.Index < from || mk.Index >= to || mk.Pred < 0 || mk.Pred >= k {
					return testPart{}, errors.New("a test part names a mistake outside its images")
				}
			}
			if sum != tp.N || tp.Right < 0 || tp.Right > tp.N {
				return testPart{}, errors.New("a test part's counts do not add up")
			}
			return testPart{from: from, to: to, TestPart: *tp}, nil
		case wire.KindError:
			return testPart{}, errors.New(m.Error.Message)
		}
		// Anything else (the program's ready) is not an answer.
	}
}

// merge sums the parts in the order of their images into the test result:
// the mistakes are the first MaxMistakes of all, with their pixels.
func (e *evaluation) merge(set *dataset.Set) wire.Test {
	slices.SortFunc(e.done, func(a, b testPart) int { return a.from - b.from })
	test := wire.Test{N: set.N, H: set.H, W: set.W}
	var loss float64
	right := 0
	if len(e.img) < set.H*set.W {
		e.img = make([]float32, set.H*set.W)
	}
	for i, p := range e.done {
		if i == 0 {
			test.Confusion = p.Confusion
		} else {
			for y, row := range p.Confusion {
				for g, c := range row {
					test.Confusion[y][g] += c
				}
			}
		}
		loss += p.LossSum
		right += p.Right
		for _, mk := range p.Mistakes {
			if len(test.Mistakes) < MaxMistakes {
				mk.Pixels = pixels(set.ImageTo(e.img[:set.H*set.W], mk.Index))
				test.Mistakes = append(test.Mistakes, mk)
			}
		}
	}
	if set.N > 0 {
		test.Loss, test.Acc = loss/float64(set.N), float64(right)/float64(set.N)
	}
	return test
}

// evalImages evaluates the next n images of part p of set on net (x and
// img are buffers, grown as needed and returned) and adds them to p: the
// leader's chunks and a helper's test job alike.
func evalImages(net *nn.Network, set *dataset.Set, x, img []float32, p *testPart, n int) ([]float32, []float32) {
	in, k := net.InShape().Size(), net.Classes()
	if len(x) < n*in {
		x = make([]float32, n*in)
	}
	if len(img) < set.H*set.W {
		img = make([]float32, set.H*set.W)
	}
	start := p.from + p.N
	for j := range n {
		net.Prepare(x[j*in:(j+1)*in], set.ImageTo(img[:set.H*set.W], start+j), set.H, set.W, nil)
	}
	prob := net.Forward(x[:n*in], n, nn.Pass{})
	for j := range n {
		q := prob[j*k : (j+1)*k]
		i := start + j
		y, guess := int(set.Labels[i]), nn.Argmax(q)
		p.LossSum -= math.Log(max(float64(q[y]), 1e-30))
		p.Confusion[y][guess]++
		if y == guess {
			p.Right++
		} else if len(p.Mistakes) < MaxMistakes {
			p.Mistakes = append(p.Mistakes, wire.Mistake{Index: i, Label: y, Pred: guess, Prob: q[guess]})
		}
	}
	p.N += n
	return x, img
}

// handleTest evaluates a test job's images on a network of h's session's
// architecture with the job's weights, and returns the answer.
func (h *Helper) handleTest(m wire.Message) wire.Message {
	if h.testErr != nil {
		return wire.ErrorMessage(h.testErr)
	}
	j, set := m.TestJob, h.testSet
	if j.From < 0 || j.To > set.N || j.From >= j.To || j.Batch < 1 {
		return wire.ErrorMessage(fmt.Errorf("a test job for images %d to %d of %d", j.From, j.To, set.N))
	}
	if h.evalNet == nil {
		net, err := nn.BuildEmpty(h.start.Spec)
		if err != nil {
			return wire.ErrorMessage(err)
		}
		h.evalNet = net
	}
	if err := h.evalNet.SetWeights(m.Weights); err != nil {
		return wire.ErrorMessage(err)
	}
	p := newTestPart(j.From, j.To, h.evalNet.Classes())
	for p.from+p.N < p.to {
		h.x, h.img = evalImages(h.evalNet, set, h.x, h.img, &p, min(j.Batch, p.to-p.from-p.N))
	}
	return wire.Message{Kind: wire.KindTestPart, TestPart: &p.TestPart}
}

// pixels converts an image in [0,1] to bytes, 0 to 255.
func pixels(img []float32) []byte {
	b := make([]byte, len(img))
	for i, v := range img {
		b[i] = uint8(math.Round(float64(min(max(v, 0), 1)) * 255))
	}
	return b
}
