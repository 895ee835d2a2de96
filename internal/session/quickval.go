package session

import (
	"math"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// Quick validation: a check of the weights on a fixed subset of the
// validation set during an epoch, so that the accuracy chart moves in the
// first seconds rather than only at the end of the first epoch (7 s for
// the convnetjs preset, a minute for keras). It is done at the marks of
// QuickValMarks, in chunks between training steps like the test set's
// evaluation, so that a pause is still answered within a chunk. It only
// reports: the best weights are still chosen by the full validation at
// each epoch's end, and it draws no random numbers, so the weights trained
// are the same, bit for bit, with or without it.

// Quick validation's size and schedule.
const (
	// QuickValSize is the most validation images a quick validation
	// checks: the first ones of the (shuffled) validation set, the same
	// each time.
	QuickValSize = 1000
	// QuickValFirst is the examples seen at the first quick validation;
	// the marks double from there until they are QuickValEvery apart.
	QuickValFirst = 1000
	// QuickValEvery is the most examples between two quick validations:
	// a thousand forward passes cost about a third of a thousand training
	// examples, so this costs about 3% of the training time.
	QuickValEvery = 10000
)

// nextQuickMark returns the mark after mark: 1000, 2000, 4000, 8000,
// 16000, 26000, 36000, …
func nextQuickMark(mark int) int { return min(2*mark, mark+QuickValEvery) }

// QuickValMarks counts the quick validation marks in (from, to]: how many
// quick validations training from from to to examples seen does, at most
// (a mark that falls on an epoch's last step is skipped: the full
// validation is done there).
func QuickValMarks(from, to int) int {
	n := 0
	for m := QuickValFirst; m <= to; m = nextQuickMark(m) {
		if m > from {
			n++
		}
	}
	return n
}

// EpochEvalImages is how many images are validated during epoch (1-based)
// of trainN training images with valN validation images: the full
// validation at its end and the quick validations during it. It is what an
// estimate of the epoch's time must count besides training.
func EpochEvalImages(trainN, valN, epoch int) int {
	if valN <= 0 || trainN <= 0 {
		return 0
	}
	from := (epoch - 1) * trainN
	return valN + min(valN, QuickValSize)*QuickValMarks(from, from+trainN-1)
}

// quickVal is the quick validation's schedule and the one in progress.
type quickVal struct {
	set  *dataset.Set // the subset checked; nil without a validation set
	mark int          // the examples seen at the next check
	// pending says a check is under way (or due): pos images done so
	// far, their loss and how many were right.
	pending    bool
	pos, right int
	loss       float64
	x, img     []float32
	off        bool // no quick validations (tests compare with and without)
}

// quickSubset returns the first QuickValSize images of val, a view, or nil
// without validation.
func quickSubset(val *dataset.Set) *dataset.Set {
	if val == nil || val.N == 0 {
		return nil
	}
	n := min(val.N, QuickValSize)
	px := val.H * val.W
	return &dataset.Set{Name: val.Name + "-quick", Pixels: val.Pixels[: n*px : n*px], Labels: val.Labels[:n:n],
		N: n, H: val.H, W: val.W, Classes: val.Classes}
}

// restart starts the schedule again (a new trainer).
func (q *quickVal) restart() {
	q.mark, q.pending, q.pos, q.right, q.loss = QuickValFirst, false, 0, 0, 0
}

// due reports whether a check is under way.
func (q *quickVal) due() bool { return q.pending }

// after notes a training step that took the examples seen to seen:
// passing a mark starts a check, unless the step ended an epoch (whose
// full validation is the check) or training.
func (q *quickVal) after(seen int, epochEnded bool) {
	if q.set == nil || q.off || seen < q.mark {
		return
	}
	for q.mark <= seen {
		q.mark = nextQuickMark(q.mark)
	}
	if !epochEnded {
		q.pending, q.pos, q.right, q.loss = true, 0, 0, 0
	}
}

// quickChunk checks the next images of the quick validation and, after
// the last, appends the progress so far and the quick validation's
// result.
func (s *Session) quickChunk(out []wire.Message) []wire.Message {
	q, set := &s.quick, s.quick.set
	in, k := s.net.InShape().Size(), s.net.Classes()
	n := min(evalBatch, s.tr.EvalBatch(), set.N-q.pos)
	if len(q.x) < n*in {
		q.x = make([]float32, n*in)
		q.img = make([]float32, set.H*set.W)
	}
	for j := range n {
		s.net.Prepare(q.x[j*in:(j+1)*in], set.ImageTo(q.img, q.pos+j), set.H, set.W, nil)
	}
	prob := s.net.Forward(q.x[:n*in], n, nn.Pass{})
	for j := range n {
		p := prob[j*k : (j+1)*k]
		y := int(set.Labels[q.pos+j])
		q.loss -= math.Log(max(float64(p[y]), 1e-30))
		if nn.Argmax(p) == y {
			q.right++
		}
	}
	q.pos += n
	if q.pos < set.N {
		return out
	}
	q.pending = false
	out = s.flushProgress(out)
	return append(out, wire.Message{Kind: wire.KindQuickVal, QuickVal: &wire.QuickVal{
		Epoch: s.progressEpoch(), Seen: s.tr.Seen(), N: set.N,
		Loss: q.loss / float64(set.N), Acc: float64(q.right) / float64(set.N)}})
}
