// Package budget says whether a network can train in a browser tab, and
// puts sizes and durations in words for people. The architecture editor on
// the page and the training worker's session both ask it, so they refuse
// the same networks with the same words. It is pure Go and platform-free.
package budget

import (
	"fmt"
	"math"

	"github.com/cnnplay/cnnplay/nn"
)

// Limits and rates of training in a tab.
const (
	// MaxMemoryBytes is the largest training memory estimate
	// (nn.Network.MemoryBytes) accepted: what a browser tab can hold beside
	// the datasets and the UI.
	MaxMemoryBytes int64 = 1536 << 20
	// AssumedFLOPS is the training speed, in floating-point operations per
	// second, that CheckFits assumes to refuse a network that would take
	// days: Go's WebAssembly on one thread without SIMD (the convnetjs
	// preset trained at 550-650 examples/s, 2.1 GFLOP/s). It is only a
	// bound: since the SIMD kernels came, the same preset trains at about
	// 7,000 examples/s, so the times people see come from a measurement
	// on their machine (Rate) instead.
	AssumedFLOPS = 2e9
	// MaxEpochSeconds is the longest estimated epoch accepted.
	MaxEpochSeconds = 24 * 3600
)

// CheckFits refuses a network (described by nn.Analyze) whose training
// would not fit a browser tab, would take absurdly long, or does not end in
// one unit per class.
func CheckFits(sum nn.Summary, batch, trainN, classes int) error {
	mem := sum.TrainingBytes(batch)
	secs := EpochSeconds(sum, trainN)
	if mem > MaxMemoryBytes {
		return fmt.Errorf("this network is too large to train in a browser tab: with batch size %d it needs about %s "+
			"for weights, optimizer state and activations (at most %s fits), and one epoch of %d images would take about %s; "+
			"use a smaller batch, fewer filters or units, or pooling earlier",
			batch, FormatBytes(mem), FormatBytes(MaxMemoryBytes), trainN, FormatDuration(secs))
	}
	if secs > MaxEpochSeconds {
		return fmt.Errorf("this network is too slow to train in a browser tab: it costs %s operations per image, "+
			"so one epoch of %d images would take about %s (at most %s is allowed); use fewer filters or units, or pooling earlier",
			formatCount(3*float64(sum.FLOPs)), trainN, FormatDuration(secs), FormatDuration(MaxEpochSeconds))
	}
	if sum.Classes != classes {
		return fmt.Errorf("the network tells %d classes apart but the dataset has %d: the last dense layer needs %d units",
			sum.Classes, classes, classes)
	}
	return nil
}

// EpochSeconds bounds one epoch of trainN images in the browser from the
// network's cost at AssumedFLOPS (a training step costs about three
// forward passes): what CheckFits refuses by. For the time to show people,
// use a measured Rate.
func EpochSeconds(sum nn.Summary, trainN int) float64 {
	return 3 * float64(sum.FLOPs) * float64(trainN) / AssumedFLOPS
}

// Rate is how fast a network trains on this machine, measured: the wall
// time per training example and per validated example (a forward pass).
type Rate struct {
	TrainSecs, EvalSecs float64
}

// EpochSeconds estimates one epoch of trainN training images and evalN
// validated images at rate r.
func (r Rate) EpochSeconds(trainN, evalN int) float64 {
	return float64(trainN)*r.TrainSecs + float64(evalN)*r.EvalSecs
}

// FormatBytes formats a size for people: 12 KB, 340 MB, 1.5 GB.
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
}

// FormatDuration formats an estimated duration for people.
func FormatDuration(secs float64) string {
	switch {
	case secs >= 2*86400:
		return fmt.Sprintf("%.0f days", secs/86400)
	case secs >= 7200:
		return fmt.Sprintf("%.0f hours", secs/3600)
	case secs >= 120:
		return fmt.Sprintf("%.0f minutes", secs/60)
	}
	return fmt.Sprintf("%.0f seconds", math.Max(secs, 1))
}

// formatCount formats a large count for people: 3.5 million, 1.2 billion.
func formatCount(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.1f billion", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.1f million", v/1e6)
	}
	return fmt.Sprintf("%.0f", v)
}
