package session

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
)

// startClasses returns the class names of the data a start trains on: its
// own set's, or those of the registry's dataset it names.
func startClasses(start wire.Start) ([]string, error) {
	if start.Own == nil {
		c, err := classesOf(start.Dataset)
		if err != nil && start.Synthetic > 0 {
			// A measurement for one of one's own sets, which the page
			// sends without the set: random images need only the
			// network's classes.
			return outputClasses(start.Spec)
		}
		return c, err
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
	if p := start.Own.Plus; p != "" {
		pc, err := classesOf(p)
		if err != nil {
			return nil, err
		}
		if !slices.Equal(slices.Sorted(slices.Values(pc)), slices.Sorted(slices.Values(c))) {
			return nil, fmt.Errorf("the set %q trains with %s's images only when its classes are %s's %q; it has %q", start.Own.Name, p, p, pc, c)
		}
	}
	return c, nil
}

// plusTrain returns the training images of a start whose own set trains
// with a dataset of the registry (OwnSet.Plus): that dataset's training
// images, their labels turned into the set's class indices, then own, the
// set's training part. The two are copied into one set, the only way a
// trainer sees them as one.
func plusTrain(start wire.Start, classes []string, data Data, own *dataset.Set) (*dataset.Set, error) {
	name := start.Own.Plus
	pc, err := classesOf(name)
	if err != nil {
		return nil, err
	}
	to := make([]uint8, len(pc))
	for i, c := range pc {
		to[i] = uint8(slices.Index(classes, c)) // startClasses checked they match
	}
	base, err := dataset.LoadN(data.Open(0), data.Open(1), name+"-train", pc, 0)
	if err != nil {
		return nil, err
	}
	if base.H != own.H || base.W != own.W || base.Pixels == nil || own.Pixels == nil {
		return nil, fmt.Errorf("the set %q (%d×%d) cannot train with %s's %d×%d images", start.Own.Name, own.W, own.H, name, base.W, base.H)
	}
	labels := make([]uint8, 0, base.N+own.N)
	for _, l := range base.Labels {
		labels = append(labels, to[l])
	}
	px := own.H * own.W
	return &dataset.Set{Name: name + "-train+" + start.Own.Name, Pixels: append(base.Pixels, own.Pixels[:own.N*px]...),
		Labels: append(labels, own.Labels[:own.N]...), N: base.N + own.N, H: own.H, W: own.W, Classes: classes}, nil
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
// A set that trains with a dataset's images (OwnSet.Plus) is not small.
func autoAugment(start *wire.Start, n int) {
	if start.Own.NoAutoAugment || start.Own.Plus != "" || !start.Config.Augment.IsIdentity() || n >= imageset.SmallSet {
		return
	}
	start.Config.Augment = imageset.DefaultsFor(n).Augment
}

// ownTest is the set a session of one's own tests on: the test part, or
// the validation part when there is none, or else the training images;
// and which it is where it is not the test part (wire.Started.TestOn).
func ownTest(sp *imageset.Split) (*dataset.Set, string) {
	switch {
	case sp.Test.N > 0:
		return sp.Test, ""
	case sp.Val.N > 0:
		return sp.Val, "validation"
	}
	return sp.Train, "training"
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

// outputClasses names the classes of spec's output "1", "2", …
func outputClasses(spec nn.Spec) ([]string, error) {
	sum, err := nn.Analyze(spec)
	if err != nil {
		return nil, err
	}
	c := make([]string, sum.Classes)
	for i := range c {
		c[i] = strconv.Itoa(i + 1)
	}
	return c, nil
}
