package wire

// QuickVal reports the network's validation on a fixed subset of the
// validation set (the same images each time), taken every few thousand
// examples during an epoch so that the accuracy chart moves in the first
// seconds. The full validation set is still checked at each epoch's end,
// and only that check chooses the best weights.
type QuickVal struct {
	Epoch int     `json:"epoch"` // 1-based epoch the weights are in
	Seen  int     `json:"seen"`  // training examples seen by the weights checked
	N     int     `json:"n"`     // images checked
	Loss  float64 `json:"loss"`
	Acc   float64 `json:"acc"`
}

// Measure asks the worker how fast Start would train on this machine: it
// times a few training steps of Start's network, on Start's workers, with
// random images (Start.Synthetic is set by the worker; the dataset is not
// downloaded).
type Measure struct {
	// Key is echoed in the answer, so that the UI tells the answer to its
	// latest question from the answers to earlier ones.
	Key   string `json:"key"`
	Start Start  `json:"start"`
}

// Measured answers Measure.
type Measured struct {
	Key string `json:"key"`
	// Steps is the number of training steps timed (fewer than asked when
	// they took too long), Batch their size and Workers how many Web
	// Workers shared them.
	Steps   int `json:"steps"`
	Batch   int `json:"batch"`
	Workers int `json:"workers"`
	// TrainSecs is the wall time per training example; EvalSecs per
	// validated example (a forward pass on the leading worker). The UI
	// estimates an epoch from them and the sizes of its sets, which it
	// knows (session.EpochEvalImages counts the validated images).
	TrainSecs float64 `json:"trainSecs"`
	EvalSecs  float64 `json:"evalSecs"`
	// Error says why the network could not be measured ("" when it was).
	Error string `json:"error,omitempty"`
}
