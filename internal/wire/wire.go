package wire

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/train"
)

// Kind names a message.
type Kind string

// Messages from the UI to the worker.
const (
	// KindStart fetches a dataset, builds a network and starts training it
	// (payload Start; optional Weights to continue from).
	KindStart Kind = "start"
	// KindPause stops training after the current chunk; the worker answers
	// with progress, a snapshot and status{paused}.
	KindPause Kind = "pause"
	// KindResume continues a paused session.
	KindResume Kind = "resume"
	// KindStep trains exactly one mini-batch and leaves the session paused.
	KindStep Kind = "step"
	// KindReset puts fresh weights (same spec and seed) into the network,
	// forgets progress and leaves the session paused.
	KindReset Kind = "reset"
	// KindStop ends training now, keeps the current weights, evaluates the
	// test set and answers with snapshot and done.
	KindStop Kind = "stop"
	// KindRestoreBest puts back the weights of the best epoch by validation
	// accuracy (if an epoch has ended) and answers with a snapshot.
	KindRestoreBest Kind = "restoreBest"
	// KindEvaluate evaluates the current weights on the test set and answers
	// with evaluation; training then continues as before.
	KindEvaluate Kind = "evaluate"
	// KindMeasure times a few training steps of a network on random images
	// (payload Measure), once no session is training; the worker answers
	// with measured.
	KindMeasure Kind = "measure"
)

// Messages from the worker to the UI.
const (
	// KindReady says the worker program is running and listening.
	KindReady Kind = "ready"
	// KindData reports the dataset download (payload Data).
	KindData Kind = "data"
	// KindStarted says a session is built (payload Started).
	KindStarted Kind = "started"
	// KindStatus reports a change of the session's state (payload Status).
	KindStatus Kind = "status"
	// KindProgress reports training, a few times a second (payload Progress).
	KindProgress Kind = "progress"
	// KindEpoch summarises a finished epoch (payload Epoch).
	KindEpoch Kind = "epoch"
	// KindSnapshot carries the network's weights (payload Snapshot, Weights).
	KindSnapshot Kind = "snapshot"
	// KindQuickVal reports validation on a fixed subset of the validation
	// set during an epoch (payload QuickVal).
	KindQuickVal Kind = "quickVal"
	// KindMeasured answers measure (payload Measured).
	KindMeasured Kind = "measured"
	// KindEvaluation answers evaluate (payload Test).
	KindEvaluation Kind = "evaluation"
	// KindDone says training is over, with the test results (payload Done).
	KindDone Kind = "done"
	// KindError reports a refused request or a failed run (payload Error).
	KindError Kind = "error"
)

// Messages between the training worker (the leader) and its helpers, other
// Web Workers running the same program that compute parts of every batch's
// gradient (see internal/session). They go from worker to worker, never
// through the UI.
const (
	// KindJoin makes a worker helper number Index of a session (payload
	// Join): it loads the same training set and builds its replica of the
	// network. A join for the same data only rebuilds the replica (after a
	// reset).
	KindJoin Kind = "join"
	// KindJob asks a helper to take the weights or an optimizer step, or
	// both, then for the mean gradient over some training examples, if any
	// (payload Job; see train.Job). Weights holds the weights, if
	// Job.Weights, then the step's gradient, if Job.Update: often nothing,
	// or only the gradient.
	KindJob Kind = "job"
	// KindGradient answers a job (payload Gradient); Weights holds the
	// gradient, in the same layout as the weights.
	KindGradient Kind = "gradient"
	// KindTestJob asks a helper to evaluate the weights in Weights on some
	// of the test images (payload TestJob): the leader spreads its
	// evaluation at the end of training as it spreads batches.
	KindTestJob Kind = "testJob"
	// KindTestPart answers a test job (payload TestPart).
	KindTestPart Kind = "testPart"
)

// TestJob is a helper's part of a test-set evaluation: images From to
// To-1, in batches of at most Batch.
type TestJob struct {
	From  int `json:"from"`
	To    int `json:"to"`
	Batch int `json:"batch"`
}

// TestPart is the evaluation of a TestJob's images.
type TestPart struct {
	From    int     `json:"from"`    // the job's
	N       int     `json:"n"`       // images evaluated
	LossSum float64 `json:"lossSum"` // their cross-entropies, summed in order
	Right   int     `json:"right"`
	// Confusion[true][predicted] counts the images.
	Confusion [][]int `json:"confusion"`
	// Mistakes are the first misclassified images, at most MaxMistakes
	// of the leader, without their pixels (the leader has the images).
	Mistakes []Mistake `json:"mistakes,omitempty"`
}

// SpareKey names the Uint8Array in a message from the UI that only gives
// the worker back the body of a message it posted (transferred, not
// copied), to carry its next message of that size. It is not a wire
// message: the worker keeps the buffer and nothing else happens.
const SpareKey = "cnnplaySpare"

// Join makes a worker a helper of a session.
type Join struct {
	Start Start `json:"start"`
	// Index is the helper's worker number, 1, 2, …: it picks the random
	// stream (augmentation, dropout) that train.NewReplica gives it.
	Index int `json:"index"`
}

// Job is a helper's part of one batch (train.Job).
type Job struct {
	// Examples are indices into the session's training set; none for a
	// job that only takes a step, which is not answered.
	Examples []int `json:"examples,omitempty"`
	// Weights says that the message's Weights start with the weights to
	// take.
	Weights bool `json:"weights,omitempty"`
	// Update, if set, is an optimizer step whose gradient ends the
	// message's Weights.
	Update *Update `json:"update,omitempty"`
	// Next is the size of the helper's next part, whose dropout masks it
	// draws ahead.
	Next int `json:"next,omitempty"`
}

// Update is train.Update without its gradient.
type Update struct {
	LR   float64 `json:"lr"`
	Part bool    `json:"part,omitempty"`
	Own  float32 `json:"own,omitempty"`
	Mine float32 `json:"mine,omitempty"`
}

// Gradient reports a job's result besides the gradient itself.
type Gradient struct {
	N     int     `json:"n"`     // examples
	Loss  float64 `json:"loss"`  // their mean loss
	Right int     `json:"right"` // how many were classified right
	// Diverged says the loss was not a finite number (JSON has none), so
	// Loss is 0: the leader reports divergence.
	Diverged bool `json:"diverged,omitempty"`
}

// Start configures a session.
type Start struct {
	// Dataset is a name in the dataset registry (nn/dataset).
	Dataset string       `json:"dataset"`
	Spec    nn.Spec      `json:"spec"`
	Config  train.Config `json:"config"`
	// Validation is how many training images are held out to validate each
	// epoch; 0 means DefaultValidation, -1 none.
	Validation int `json:"validation,omitempty"`
	// Limit trains on only the first Limit training images (before the
	// validation split); 0 means all of them.
	Limit int `json:"limit,omitempty"`
	// SnapshotEvery posts the weights every that many mini-batches; 0 means
	// about twice a second.
	SnapshotEvery int `json:"snapshotEvery,omitempty"`
	// AutoWorkers, if above 0, lets the session choose how many workers
	// train, at most AutoWorkers, from the work in one batch (see
	// session.Workers); Config.Workers is then ignored.
	AutoWorkers int `json:"autoWorkers,omitempty"`
	// Paused builds the session without starting to train.
	Paused bool `json:"paused,omitempty"`
	// Own, when set, is a set of one's own images to train on, sent with
	// the start; Dataset and Validation are then ignored (OwnSet.Val
	// says what is held out) and Limit keeps the set's first images.
	Own *OwnSet `json:"own,omitempty"`
	// Transfer, when set, starts the network from a trained model's
	// convolution layers (nn.CopyFeatures): the message's Weights are that
	// model's, not weights to continue from. Spec is the network to train,
	// as nn.TransferSpec makes it, with its convolutions frozen or not.
	Transfer *Transfer `json:"transfer,omitempty"`
	// Synthetic, if above 0, trains on that many random images in place
	// of the dataset's (which is then not read): a session that only
	// measures speed (see Measure).
	Synthetic int `json:"synthetic,omitempty"`
}

// OwnSet is a set of one's own images, prepared (28×28, framed) by the page
// with package imageset and sent in the start message.
type OwnSet struct {
	// Name names the set, for people and the model's record.
	Name string `json:"name"`
	// Classes names the labels; a network trained on the set tells them
	// apart, so Spec's classifier must have as many outputs.
	Classes []string `json:"classes"`
	// Framing is how the pictures were framed, "digits" or "items".
	Framing string `json:"framing,omitempty"`
	// Images and Labels are gzipped IDX files of all the set's images and
	// their labels (imageset.EncodeIDX), base64 in the JSON head.
	Images []byte `json:"images"`
	Labels []byte `json:"labels"`
	// Val and Test are the fractions of each class held out for
	// validation and for testing (stratified, imageset.Stratify). Val 0
	// means the default for the set's size (imageset.DefaultsFor) and a
	// negative Val none. With no test part, the validation images are
	// the test set; with neither, the training images are.
	Val  float64 `json:"val,omitempty"`
	Test float64 `json:"test,omitempty"`
	// NoAutoAugment trains a small set as Config says even when Config
	// has no augmentation; otherwise such a set gets the default
	// augmentation for its size (imageset.DefaultsFor).
	NoAutoAugment bool `json:"noAutoAugment,omitempty"`
	// Plus, when set, names a dataset of the registry ("mnist") whose
	// training images train too, with the set's training part; the
	// set's classes must be that dataset's, in any order. Validation and
	// test stay the set's own: the figure says how well the network
	// reads the set. No augmentation is added for the set's size then.
	Plus string `json:"plus,omitempty"`
}

// DataFiles returns the dataset of the registry whose files a start
// trains on: its Dataset, or with its own set that set's Plus ("" for
// the set alone, which came with the start).
func (s Start) DataFiles() string {
	if s.Own != nil {
		return s.Own.Plus
	}
	return s.Dataset
}

// Transfer names the architecture of the model whose weights a start
// message carries to start from.
type Transfer struct {
	From nn.Spec `json:"from"`
}

// DefaultValidation is the default number of validation images: 5000 of
// MNIST's 60000, as in most MNIST tutorials.
const DefaultValidation = 5000

// Data reports the dataset download: bytes received so far of all files,
// and their total (0 while unknown).
type Data struct {
	Loaded int64 `json:"loaded"`
	Total  int64 `json:"total"`
	// Parsing is set once the bytes are in and the files are being decoded.
	Parsing bool `json:"parsing,omitempty"`
}

// Started describes a new session.
type Started struct {
	Dataset string   `json:"dataset"`
	Classes []string `json:"classes"`
	// Train, Val and Test are the sizes of the three sets.
	Train int `json:"train"`
	Val   int `json:"val"`
	Test  int `json:"test"`
	// EpochBatches is the number of mini-batches in one epoch.
	EpochBatches int `json:"epochBatches"`
	Params       int `json:"params"`
	// MemoryBytes estimates what training holds (nn.Network.MemoryBytes).
	MemoryBytes int64 `json:"memoryBytes"`
	// FLOPs is the cost of one example's forward pass.
	FLOPs int64 `json:"flops"`
	// EpochSeconds is a rough estimate of one epoch, from FLOPs.
	EpochSeconds float64 `json:"epochSeconds"`
	// Workers is how many Web Workers share the training (1 when the
	// browser cannot start more from a worker).
	Workers int `json:"workers,omitempty"`
	// DownloadSeconds is the time the worker spent waiting for the
	// dataset's bytes (0 when it had them from an earlier start), and
	// PrepareSeconds the rest of the time to build the session
	// (gunzipping and reading the files as they arrive, splitting,
	// building the network): where the wait between Start and the first
	// step goes.
	DownloadSeconds float64 `json:"downloadSeconds,omitempty"`
	PrepareSeconds  float64 `json:"prepareSeconds,omitempty"`
	// Augment is the augmentation training uses: Config's, or for a
	// small set of one's own the default one (see OwnSet.NoAutoAugment).
	Augment dataset.Augment `json:"augment,omitzero"`
	// TooFew names the classes of one's own set with too few images to
	// validate (imageset.Split.TooFew).
	TooFew []string `json:"tooFew,omitempty"`
	// Transferred names the layers whose weights came from the model of
	// Start.Transfer.
	Transferred []string `json:"transferred,omitempty"`
	// TestOn names the images the test uses where they are not a test
	// set's: "validation" or "training", for a set of one's own without a
	// test part (and without validation images).
	TestOn string `json:"testOn,omitempty"`
}

// State is what a session is doing.
type State string

// The states of a session.
const (
	StateRunning    State = "running"
	StatePaused     State = "paused"
	StateEvaluating State = "evaluating" // evaluating the test set
	StateDone       State = "done"
)

// Status reports the session's state and how far training is.
type Status struct {
	State State `json:"state"`
	Epoch int   `json:"epoch"`
	Seen  int   `json:"seen"`
	Steps int   `json:"steps"`
}

// Progress reports training since the previous progress message.
type Progress struct {
	Epoch int `json:"epoch"` // 1-based
	Seen  int `json:"seen"`  // training examples seen so far
	Steps int `json:"steps"` // mini-batches so far
	// Loss and Acc are the means over the batches since the last progress
	// message (Acc with dropout on, if any).
	Loss           float64 `json:"loss"`
	Acc            float64 `json:"acc"`
	ExamplesPerSec float64 `json:"examplesPerSec"`
	// MemoryBytes is the training worker's WebAssembly memory
	// (memory.buffer.byteLength), filled in by the browser worker; 0 where
	// unknown. WebAssembly memory never shrinks, so it is the peak so far
	// of that worker (the leader's, when helpers train beside it).
	MemoryBytes int64 `json:"memoryBytes,omitempty"`
}

// Epoch summarises one pass over the training set (see train.Epoch).
type Epoch struct {
	Epoch          int     `json:"epoch"`
	Seen           int     `json:"seen"`
	TrainLoss      float64 `json:"trainLoss"`
	TrainAcc       float64 `json:"trainAcc"`
	ValLoss        float64 `json:"valLoss"`
	ValAcc         float64 `json:"valAcc"`
	ExamplesPerSec float64 `json:"examplesPerSec"`
	Best           bool    `json:"best,omitempty"`
	StoppedEarly   bool    `json:"stoppedEarly,omitempty"`
	NoValidation   bool    `json:"noValidation,omitempty"`
}

// Snapshot describes the weights in Message.Weights, in
// nn.Network.Params order (what nn.Network.SetWeights takes).
type Snapshot struct {
	Epoch int `json:"epoch"`
	Seen  int `json:"seen"`
	Steps int `json:"steps"`
	// Best says these are the best weights by validation accuracy, restored
	// at the end, after divergence or by restoreBest.
	Best bool `json:"best,omitempty"`
}

// Test is a network's result on the test set.
type Test struct {
	N    int     `json:"n"`
	Loss float64 `json:"loss"`
	Acc  float64 `json:"acc"`
	// Confusion[true][predicted] counts test images.
	Confusion [][]int `json:"confusion"`
	// Mistakes are the first misclassified test images, for a gallery.
	Mistakes []Mistake `json:"mistakes,omitempty"`
	// H and W are the size of the mistakes' images.
	H int `json:"h"`
	W int `json:"w"`
	// Seen is the number of training examples seen by the weights tested.
	Seen int `json:"seen"`
}

// Mistake is one misclassified test image.
type Mistake struct {
	Index int `json:"index"` // in the test set
	Label int `json:"label"` // the true class
	Pred  int `json:"pred"`  // the predicted class
	// Prob is the predicted class's probability.
	Prob float32 `json:"prob"`
	// Pixels holds H×W bytes, 0 background to 255 ink.
	Pixels []byte `json:"pixels"`
}

// Done ends a session.
type Done struct {
	// Reason is "finished" (the epochs ran out), "early" (patience ran out)
	// or "stopped" (the UI said stop).
	Reason string `json:"reason"`
	Epochs int    `json:"epochs"` // epochs completed
	Seen   int    `json:"seen"`
	// BestValAcc is the best validation accuracy of any epoch.
	BestValAcc float64 `json:"bestValAcc"`
	Test       Test    `json:"test"`
}

// Error reports a refused request or a failed run, in words for the user.
type Error struct {
	Message string `json:"message"`
	// Diverged says the loss stopped being finite; training is over and the
	// best weights were posted as the last snapshot.
	Diverged bool `json:"diverged,omitempty"`
}

// Message is one message in either direction: a Kind and the payload that
// kind needs (the other pointers nil).
type Message struct {
	Kind     Kind      `json:"kind"`
	Start    *Start    `json:"start,omitempty"`
	Data     *Data     `json:"data,omitempty"`
	Started  *Started  `json:"started,omitempty"`
	Status   *Status   `json:"status,omitempty"`
	Progress *Progress `json:"progress,omitempty"`
	Epoch    *Epoch    `json:"epoch,omitempty"`
	Snapshot *Snapshot `json:"snapshot,omitempty"`
	Test     *Test     `json:"test,omitempty"`
	Done     *Done     `json:"done,omitempty"`
	Error    *Error    `json:"error,omitempty"`
	QuickVal *QuickVal `json:"quickVal,omitempty"`
	Measure  *Measure  `json:"measure,omitempty"`
	Measured *Measured `json:"measured,omitempty"`
	Join     *Join     `json:"join,omitempty"`
	Job      *Job      `json:"job,omitempty"`
	Gradient *Gradient `json:"gradient,omitempty"`
	TestJob  *TestJob  `json:"testJob,omitempty"`
	TestPart *TestPart `json:"testPart,omitempty"`
	// Weights travels outside the JSON head, as the body: the snapshot's
	// weights, for start optional weights to continue training from, for
	// job the weights or gradient it says and for gradient the gradient.
	Weights []float32 `json:"-"`
}

// Command returns a message of a kind without payload (pause, resume, step,
// reset, stop, restoreBest, evaluate, ready).
func Command(k Kind) Message { return Message{Kind: k} }

// StartMessage returns a start message; weights may be nil.
func StartMessage(s Start, weights []float32) Message {
	return Message{Kind: KindStart, Start: &s, Weights: weights}
}

// ErrorMessage returns an error message with the text of err.
func ErrorMessage(err error) Message {
	return Message{Kind: KindError, Error: &Error{Message: err.Error()}}
}

// payload says which payload each kind needs; kinds not listed carry none.
func (m *Message) payload() (name string, present bool, ok bool) {
	switch m.Kind {
	case KindStart:
		return "start", m.Start != nil, true
	case KindData:
		return "data", m.Data != nil, true
	case KindStarted:
		return "started", m.Started != nil, true
	case KindStatus:
		return "status", m.Status != nil, true
	case KindProgress:
		return "progress", m.Progress != nil, true
	case KindEpoch:
		return "epoch", m.Epoch != nil, true
	case KindSnapshot:
		return "snapshot", m.Snapshot != nil, true
	case KindEvaluation:
		return "test", m.Test != nil, true
	case KindDone:
		return "done", m.Done != nil, true
	case KindError:
		return "error", m.Error != nil, true
	case KindQuickVal:
		return "quickVal", m.QuickVal != nil, true
	case KindMeasure:
		return "measure", m.Measure != nil, true
	case KindMeasured:
		return "measured", m.Measured != nil, true
	case KindJoin:
		return "join", m.Join != nil, true
	case KindJob:
		return "job", m.Job != nil, true
	case KindGradient:
		return "gradient", m.Gradient != nil, true
	case KindTestJob:
		return "testJob", m.TestJob != nil, true
	case KindTestPart:
		return "testPart", m.TestPart != nil, true
	case KindPause, KindResume, KindStep, KindReset, KindStop, KindRestoreBest, KindEvaluate, KindReady:
		return "", true, true
	}
	return "", false, false
}

// Check reports whether m is a known kind with the payload it needs.
func (m *Message) Check() error {
	name, present, ok := m.payload()
	switch {
	case !ok:
		return fmt.Errorf("wire: unknown message kind %q", m.Kind)
	case !present:
		return fmt.Errorf("wire: %s message without its %q payload", m.Kind, name)
	case (m.Kind == KindSnapshot || m.Kind == KindGradient || m.Kind == KindTestJob) && len(m.Weights) == 0:
		return fmt.Errorf("wire: %s message without weights", m.Kind)
	case m.Kind == KindStart && m.Start.Transfer != nil && len(m.Weights) == 0:
		return errors.New("wire: a start message that transfers a model's features without its weights")
	case m.Kind == KindJob && !m.Job.fits(len(m.Weights)):
		return fmt.Errorf("wire: a job message with %d values for its weights (%v) and update (%v)", len(m.Weights), m.Job.Weights, m.Job.Update != nil)
	}
	return nil
}

// fits reports whether a job's message can carry what j says in n values:
// the weights and the update's gradient are the same size.
func (j *Job) fits(n int) bool {
	parts := 0
	if j.Weights {
		parts++
	}
	if j.Update != nil {
		parts++
	}
	if parts == 0 {
		return n == 0
	}
	return n > 0 && n%parts == 0
}

// Encode returns m's JSON head and its body, the weights as little-endian
// float32 bytes (nil without weights). It returns an error for a message
// that Check refuses.
func Encode(m Message) (head, body []byte, err error) {
	head, err = EncodeHead(m)
	if err != nil {
		return nil, nil, err
	}
	if len(m.Weights) > 0 {
		body = EncodeFloats(nil, m.Weights)
	}
	return head, body, nil
}

// EncodeHead returns m's JSON head only, for a caller that moves the
// weights itself (jswire copies them straight out of Go's memory).
func EncodeHead(m Message) ([]byte, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	head, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("wire: %s message: %w", m.Kind, err)
	}
	return head, nil
}

// DecodeHead is the inverse of EncodeHead: it decodes head and checks the
// message with weights (already decoded from the body, or nil) in it.
func DecodeHead(head []byte, weights []float32) (Message, error) {
	var m Message
	if err := json.Unmarshal(head, &m); err != nil {
		return Message{}, fmt.Errorf("wire: bad message head: %w", err)
	}
	m.Weights = weights
	if err := m.Check(); err != nil {
		return Message{}, err
	}
	return m, nil
}

// Decode is the inverse of Encode. It returns an error for a head that is
// not a message object, an unknown kind, a missing payload or a body whose
// length is not a multiple of 4.
func Decode(head, body []byte) (Message, error) {
	var m Message
	if err := json.Unmarshal(head, &m); err != nil {
		return Message{}, fmt.Errorf("wire: bad message head: %w", err)
	}
	if len(body) > 0 {
		w, err := DecodeFloats(body)
		if err != nil {
			return Message{}, fmt.Errorf("wire: %s message: %w", m.Kind, err)
		}
		m.Weights = w
	}
	if err := m.Check(); err != nil {
		return Message{}, err
	}
	return m, nil
}
