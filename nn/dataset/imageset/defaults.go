package imageset

import "github.com/cnnplay/cnnplay/nn/dataset"

// SmallSet is the most training images a set may have to count as small:
// below it, the training settings a set gets by default lean on
// augmentation and many passes.
const SmallSet = 5000

// Defaults are the training settings a set of one's own images gets when
// the user picks none (the command line without -preset, a page's start
// without its own choices).
type Defaults struct {
	// Preset is the nn preset to train, to be sized to the set's classes
	// (nn.WithClasses).
	Preset string
	// Augment distorts each training image anew each time it is used.
	Augment dataset.Augment
	// Epochs and Batch are the passes over the training images and the
	// mini-batch size.
	Epochs, Batch int
	// Val is the fraction of each class held out for validation.
	Val float64
	// Optimizer is the optimizer's kind (nn.OptimizerSpec), with its usual
	// learning rate: the command line and the page train a set alike.
	Optimizer string
}

// DefaultsFor returns the default settings for a set of n training images.
//
// Every size gets LeNet-5 (44 thousand weights): it learns hand-drawn
// marks in seconds natively and in the page, where the keras preset's 1.2
// million weights take minutes and, on a few hundred pictures, mostly
// memorise them. A small set gets augmentation (shift ±2 px, rotate ±10°,
// scale ±10%: a mark drawn a little elsewhere, tilted or larger is the same
// mark, so each picture teaches what many would), smaller batches (more
// updates from few pictures) and enough epochs to see about 40,000
// pictures, which the figures in the package's tests reach; a large set
// gets a light shift and ten epochs, as MNIST does.
func DefaultsFor(n int) Defaults {
	if n >= SmallSet {
		return Defaults{Preset: "lenet5", Augment: dataset.Augment{MaxShift: 1}, Epochs: 10, Batch: 64, Val: 0.1, Optimizer: "adam"}
	}
	return Defaults{
		Preset:    "lenet5",
		Augment:   dataset.Augment{MaxShift: 2, MaxRotate: 10, MaxScale: 0.1},
		Epochs:    min(max(40_000/max(n, 1), 15), 100),
		Batch:     32,
		Val:       0.2,
		Optimizer: "adam",
	}
}
