package app

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// plusMNISTID is the "with MNIST's training images" checkbox, shown for a
// set whose classes are the digits.
const plusMNISTID = "train-plus-mnist"

// digitClasses reports whether the set's classes are the digits 0–9, in
// any order (a class's drawings): it can then train with MNIST's training
// images.
func (s *mySet) digitClasses() bool {
	return slices.Equal(slices.Sorted(slices.Values(s.classNames())), dataset.MNISTClasses)
}

// renderPlusMNIST is the choice to train a set of the digits with MNIST's
// training images, which asks "does it read our handwriting" of a network
// that learnt from both.
func (p *trainPanel) renderPlusMNIST(s *mySet) app.UI {
	if !s.digitClasses() {
		return app.If(false)
	}
	return app.Label().
		Body(
			app.Input().ID(plusMNISTID).Type("checkbox").Checked(p.transfer.plusMNIST).OnChange(p.onPlusMNIST),
			app.Text(" With MNIST's training images (60,000 more; validation and test stay this set's)"),
		)
}

// onPlusMNIST takes the choice; an epoch then holds MNIST's 60,000 images,
// so the set's own many epochs become one (the user may change it).
func (p *trainPanel) onPlusMNIST(ctx app.Context, e app.Event) {
	p.transfer.plusMNIST = ctx.JSSrc().Get("checked").Bool()
	epochs := "1"
	if s := pageSets.byDataset(p.form.settings.Dataset); s != nil && !p.transfer.plusMNIST {
		n, _ := s.count()
		epochs = strconv.Itoa(imageset.DefaultsFor(n).Epochs)
	}
	p.form.settings.Epochs = epochs
	p.form.validate()
}

// ownStart returns what a start message needs to train on s: its images
// prepared as a network sees them (imageset.Prepare, on this thread: a
// few milliseconds for a hundred drawings), as gzipped IDX, with its
// classes and framing. The worker splits them class by class and gives a
// small set augmentation (see internal/session). problems name the
// pictures left out.
func (s *mySet) ownStart() (*wire.OwnSet, []string, error) {
	if len(s.Classes) < 2 {
		return nil, nil, fmt.Errorf("the set %s needs at least two classes to train on", s.Name)
	}
	var empty []string
	for _, c := range s.Classes {
		if len(c.Examples) == 0 {
			empty = append(empty, c.Name)
		}
	}
	if len(empty) > 0 {
		return nil, nil, fmt.Errorf("the set %s has no examples of %s: add some, or delete the class", s.Name, strings.Join(empty, ", "))
	}
	prep, probs, err := s.imageSet().Prepare()
	if err != nil {
		return nil, nil, err
	}
	if prep.N == 0 {
		return nil, problemStrings(probs), fmt.Errorf("no picture of the set %s could be used", s.Name)
	}
	images, labels, err := imageset.EncodeIDX(prep.Set)
	if err != nil {
		return nil, nil, err
	}
	return &wire.OwnSet{Name: s.Name, Classes: s.classNames(), Framing: s.Framing.String(), Images: images, Labels: labels}, problemStrings(probs), nil
}

// fitClasses sizes the classifier of spec to the classes of the dataset
// the settings name, when it is one of the user's own sets (the registry's
// datasets have the ten classes of the presets). A network that cannot be
// sized is returned as it is: the architecture editor says what is wrong.
func fitClasses(spec nn.Spec, datasetName string) nn.Spec {
	s := pageSets.byDataset(datasetName)
	if s == nil || len(s.Classes) == 0 {
		return spec
	}
	if fitted, err := nn.WithClasses(spec, len(s.Classes)); err == nil {
		return fitted
	}
	return spec
}

// ownSet puts the user's own set into start when the settings name one,
// or says in the panel why it cannot train and returns false.
func (p *trainPanel) ownSet(start *wire.Start) bool {
	s := pageSets.byDataset(start.Dataset)
	if s == nil {
		return true
	}
	// The pictures Prepare leaves out (blank ones) were checked as they
	// came in: a drawing always has ink, an import names its bad files.
	own, _, err := s.ownStart()
	if err != nil {
		p.st.fail(err.Error())
		return false
	}
	if p.transfer.plusMNIST && s.digitClasses() {
		own.Plus = dataset.Default().Name
	}
	start.Own = own
	start.Validation, start.Limit = 0, 0 // the worker holds out a fraction of each class (imageset.DefaultsFor)
	return true
}

// ownDefaults puts into the form, when its dataset is one of the user's
// own sets, the settings that suit a set of its size
// (imageset.DefaultsFor): a small set gets the LeNet-5 preset, small
// batches, augmentation and enough epochs to see about 40,000 pictures,
// and every set Adam, as `cnn train -data` does.
// The user changes them as for any dataset.
func (f *trainForm) ownDefaults() {
	s := pageSets.byDataset(f.settings.Dataset)
	if s == nil {
		return
	}
	n, _ := s.count()
	d := imageset.DefaultsFor(n)
	if spec, err := nn.Preset(d.Preset); err == nil {
		f.settings.Preset, f.spec = d.Preset, spec
	}
	f.settings.Epochs, f.settings.Batch = strconv.Itoa(d.Epochs), strconv.Itoa(d.Batch)
	f.settings.Optimizer, f.settings.LR = d.Optimizer, defaultLR(d.Optimizer)
	f.settings.Shift, f.settings.Rotate, f.settings.Scale = d.Augment.MaxShift > 0, d.Augment.MaxRotate > 0, d.Augment.MaxScale > 0
	f.settings.Limit, f.settings.Validation = "0", "0"
	f.validate()
}
