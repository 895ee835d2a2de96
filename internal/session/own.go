package session

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
)

// startClasses returns the class names of the data a start trains on: its
// own set's, or those of the registry's dataset it names.
func startClasses(start wire.Start) ([]string, error) {
	if start.Own == nil {
		return classesOf(start.Dataset)
	}
	c := start.Own.Classes
	switch {
	case len(c) < 2 || len(c) > imageset.MaxClasses:
		return nil, fmt.Errorf("a set of one's own needs 2 to %d classes to train on, has %d", imageset.MaxClasses, len(c))
	case len(slices.Compact(slices.Sorted(slices.Values(c)))) != len(c):
		return nil, fmt.Errorf("the set %q names a class twice: %q", start.Own.Name, c)
	}
	if _, err := dataset.ParseFraming(start.Own.Framing); err != nil {
		return nil, fmt.Errorf("the set %q: %w", start.Own.Name, err)
	}
	return c, nil
}

// ownSets reads the start's own set (only its first Limit images, when
// set) and splits it class by class with the seed's own stream, the same
// way in the session and in its helpers.
func ownSets(start wire.Start, classes []string) (*imageset.Split, error) {
	o := start.Own
	full, err := dataset.Load(bytes.NewReader(o.Images), bytes.NewReader(o.Labels), o.Name, classes)
	if err != nil {
		return nil, fmt.Errorf("the set %q: %w", o.Name, err)
	}
	if start.Limit > 0 {
		full = full.Head(start.Limit)
	}
	switch {
	case full.N > imageset.MaxImages:
		return nil, fmt.Errorf("the set %q holds %d images; at most %d can train", o.Name, full.N, imageset.MaxImages)
	case full.N == 0:
		return nil, fmt.Errorf("the set %q holds no images", o.Name)
	}
	f := imageset.Fractions{Val: o.Val, Test: o.Test}
	if f.Val == 0 {
		f.Val = imageset.DefaultsFor(full.N).Val
	}
	f.Val = max(f.Val, 0)
	sp, err := imageset.Stratify(full, f, rand.New(rand.NewPCG(start.Config.Seed, 0x76616c)))
	if err != nil {
		return nil, err
	}
	if sp.Train.N == 0 {
		return nil, errors.New("no image is left to train on")
	}
	return sp, nil
}

// autoAugment gives a small set of one's own the default augmentation for
// its size when the start asks for none and does not refuse it: a few
// dozen drawings of a class teach much more shifted, turned and scaled.
func autoAugment(start *wire.Start, n int) {
	if start.Own.NoAutoAugment || !start.Config.Augment.IsIdentity() || n >= imageset.SmallSet {
		return
	}
	start.Config.Augment = imageset.DefaultsFor(n).Augment
}

// ownTest is the set a session of one's own tests on: the test part, or
// the validation part when there is none, or else the training images.
func ownTest(sp *imageset.Split) *dataset.Set {
	switch {
	case sp.Test.N > 0:
		return sp.Test
	case sp.Val.N > 0:
		return sp.Val
	}
	return sp.Train
}

// transfer copies the convolution layers of the model whose architecture
// is start.Transfer.From and whose weights are weights into net.
func transfer(net *nn.Network, from nn.Spec, weights []float32) ([]string, error) {
	src, err := nn.Build(from, rand.New(rand.NewPCG(0, 0)))
	if err != nil {
		return nil, fmt.Errorf("the model to start from: %w", err)
	}
	if err := src.SetWeights(weights); err != nil {
		return nil, fmt.Errorf("the model to start from: its weights do not fit its architecture: %w", err)
	}
	copied, err := nn.CopyFeatures(net, src)
	if err != nil {
		return nil, fmt.Errorf("starting from the model: %w", err)
	}
	return copied, nil
}
