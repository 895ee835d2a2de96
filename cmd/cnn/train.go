package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/cnnplay/cnnplay/internal/atomicfile"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/train"
)

func trainCmd(args []string) error {
	fs := flag.NewFlagSet("train", flag.ExitOnError)
	preset := fs.String("preset", "lenet5", "architecture preset: "+strings.Join(nn.PresetNames(), ", "))
	specFile := fs.String("spec", "", "architecture as a JSON file (overrides -preset), e.g. {\"input\":{\"h\":28,\"w\":28,\"c\":1},\"layers\":[{\"type\":\"dense\",\"units\":10},{\"type\":\"softmax\"}]}")
	data := fs.String("dataset", dataset.Names()[0], "dataset: "+strings.Join(dataset.Names(), ", "))
	own := fs.String("data", "", "train on one's own images instead: a folder (or zip) with one folder of PNG/JPEG pictures per class, e.g. -data shapes/")
	framing := fs.String("framing", "", "with -data: how pictures are framed, digits or items (default: the set's cnnplay.json, else digits)")
	from := fs.String("from", "", "start from a model's convolution layers with a new dense head: a model file, or digits for the shipped digits model")
	freeze := fs.Bool("freeze", false, "with -from: keep the convolution layers as the model has them")
	testFrac := fs.Float64("test", 0, "with -data: fraction of each class held out for testing, e.g. 0.1 (0: report the validation accuracy)")
	epochs := fs.Int("epochs", 10, "passes over the training set")
	batch := fs.Int("batch", 64, "mini-batch size")
	opt := fs.String("opt", "adam", "optimizer: sgd, adam or adadelta")
	lr := fs.Float64("lr", 0, "learning rate (0: the optimizer's default)")
	momentum := fs.Float64("momentum", 0, "SGD momentum, e.g. 0.9")
	nesterov := fs.Bool("nesterov", false, "Nesterov momentum for SGD")
	l2 := fs.Float64("l2", 0, "L2 weight decay, e.g. 0.0005")
	decay := fs.Float64("lr-decay", 0, "multiply the learning rate by this after every epoch, e.g. 0.85 (0: constant)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same model")
	val := fs.Float64("val", -1, "training images held out for validation: a count, or a fraction of each class below 1, e.g. 0.2 (default: 5000 images of a dataset, 0.2 of one's own)")
	shift := fs.Float64("shift", 0, "augmentation: random shift up to this many pixels, e.g. 2")
	rotate := fs.Float64("rotate", 0, "augmentation: random rotation up to this many degrees, e.g. 10")
	scale := fs.Float64("scale", 0, "augmentation: random scale change up to this fraction, e.g. 0.1")
	patience := fs.Int("patience", 0, "stop after this many epochs without a better validation accuracy (0: never)")
	workers := fs.Int("workers", runtime.NumCPU(), "goroutines that share each batch")
	limit := fs.Int("limit", 0, "train on only the first N training images (0: all), for quick trials")
	out := fs.String("o", "model.cnn", "model file to write")
	fs.Parse(args)
	if err := atomicfile.CheckWritable(*out); err != nil {
		return fmt.Errorf("-o: %w", err)
	}

	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	rng := rand.New(rand.NewPCG(*seed, 0))
	var (
		trainAll, trainSet, valSet, test *dataset.Set
		rec                              model.Record
		name                             = *data
		testName                         = "test"
	)
	if *own != "" {
		s, p, err := readOwn(*own, *framing, os.Stderr)
		if err != nil {
			return err
		}
		trainAll, name = p.Set, s.Name
		if *limit > 0 {
			trainAll = trainAll.Head(*limit)
		}
		// The defaults of a set follow its size; flags given win.
		d := imageset.DefaultsFor(trainAll.N)
		if !given["preset"] && *specFile == "" {
			*preset = d.Preset
		}
		if !given["epochs"] {
			*epochs = d.Epochs
		}
		if !given["batch"] {
			*batch = d.Batch
		}
		if !given["opt"] {
			*opt = d.Optimizer
		}
		if !given["shift"] && !given["rotate"] && !given["scale"] {
			*shift, *rotate, *scale = d.Augment.MaxShift, d.Augment.MaxRotate, d.Augment.MaxScale
		}
		f := imageset.Fractions{Val: d.Val, Test: *testFrac}
		if *val >= 1 {
			f.Val = *val / float64(trainAll.N)
		} else if *val >= 0 {
			f.Val = *val
		}
		sp, err := imageset.Stratify(trainAll, f, rng)
		if err != nil {
			return fmt.Errorf("-val, -test: %w", err)
		}
		if len(sp.TooFew) > 0 {
			fmt.Fprintf(os.Stderr, "too few pictures to validate in class %s\n", printable(strings.Join(sp.TooFew, ", ")))
		}
		trainSet, valSet, test = sp.Train, sp.Val, sp.Test
		if test.N == 0 {
			test, testName = valSet, "validation"
		}
		rec = model.Record{Set: s.Name, Framing: s.Framing.String()}
	} else {
		var err error
		trainAll, test, err = loadDataset(*data)
		if err != nil {
			return err
		}
		if *limit > 0 {
			trainAll = trainAll.Head(*limit)
		}
		n := *val
		switch {
		case n < 0:
			n = 5000
		case n < 1:
			n = math.Round(n * float64(trainAll.N))
		}
		if n >= float64(trainAll.N) || n != math.Trunc(n) {
			return fmt.Errorf("-val must be a count between 0 and %d or a fraction below 1, got %v", trainAll.N-1, *val)
		}
		trainSet, valSet = trainAll.Split(int(n), rng)
		rec = model.Record{Dataset: *data}
	}
	spec, err := nn.Preset(*preset)
	var source *model.Model
	switch {
	case *from != "":
		path := *from
		if path == "digits" {
			path = "" // loadModel's shipped digits model
		}
		if source, err = loadModel(path); err == nil {
			spec, err = nn.TransferSpec(source.Net.Spec, len(trainAll.Classes), *freeze)
		}
	case *specFile != "":
		spec, err = readSpec(*specFile)
	}
	if err == nil && *own != "" && *from == "" {
		spec, err = nn.WithClasses(spec, len(trainAll.Classes))
	}
	if err != nil {
		return err
	}
	net, err := nn.Build(spec, rng)
	if err != nil {
		return err
	}
	if source != nil {
		copied, err := nn.CopyFeatures(net, source.Net)
		if err != nil {
			return fmt.Errorf("-from: %w", err)
		}
		fmt.Fprintf(os.Stderr, "starting from %s's %s (frozen: %v)\n", *from, strings.Join(copied, ", "), *freeze)
	}
	if err := fits(net, trainAll, test); err != nil {
		return err
	}
	cfg := train.Config{
		Optimizer: nn.OptimizerSpec{Kind: *opt, LR: *lr, Momentum: *momentum, Nesterov: *nesterov, L2: *l2},
		BatchSize: *batch, Epochs: *epochs, Seed: *seed, Patience: *patience, Workers: *workers, LRDecay: *decay,
		Augment: dataset.Augment{MaxShift: *shift, MaxRotate: *rotate, MaxScale: *scale},
	}
	tr, err := train.New(net, trainSet, valSet, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "training %d parameters on %d %s images (%d held out), %d epochs\n",
		net.ParamCount(), trainSet.N, printable(name), valSet.N, *epochs)
	start := time.Now()
	bestVal, bestEpoch := 0.0, 0
	var diverged error
	for !tr.Done() {
		st, err := tr.Step()
		if errors.Is(err, train.ErrDiverged) {
			diverged = err
			break
		}
		if err != nil {
			return err
		}
		if st.EpochEnd == nil {
			if st.Seen%(20*cfg.BatchSize) < cfg.BatchSize {
				progress(st, trainSet.N, *epochs, start)
			}
			continue
		}
		e := st.EpochEnd
		if e.Best {
			bestVal, bestEpoch = e.ValAcc, e.Epoch
		}
		val := fmt.Sprintf("validation loss %.4f  accuracy %.2f%%", e.ValLoss, 100*e.ValAcc)
		if e.ValidationMissed {
			val = "no validation set"
		}
		fmt.Fprintf(os.Stderr, "\r\033[Kepoch %2d  loss %.4f  train %.2f%%  %s  %6.0f examples/s%s\n",
			e.Epoch, e.TrainLoss, 100*e.TrainAcc, val, e.ExamplesPerSec, mark(e))
	}
	tr.RestoreBest()
	if err := nothingToWrite(diverged, bestEpoch, net, *out); err != nil {
		return err
	}
	res := train.Evaluate(net, test, 500)
	rec.Epochs, rec.Examples, rec.Seed, rec.Optimizer = bestEpoch, tr.Seen(), *seed, cfg.Optimizer
	rec.Batch, rec.Augment, rec.ValAcc, rec.Command = *batch, cfg.Augment.String(), bestVal, "cnn "+strings.Join(os.Args[1:], " ")
	if testName == "test" {
		rec.TestAcc = res.Acc
	}
	m := &model.Model{Net: net, Classes: trainAll.Classes, Record: rec}
	if err := atomicfile.Write(*out, 0o644, m.Encode); err != nil {
		return fmt.Errorf("writing the model: %w (%s was left as it was)", err, *out)
	}
	arch := *preset
	switch {
	case *from != "":
		arch = "the convolutions of " + *from
	case *specFile != "":
		arch = *specFile
	}
	best := fmt.Sprintf("best validation %.2f%% at epoch %d", 100*bestVal, bestEpoch)
	if valSet.N == 0 {
		best = fmt.Sprintf("no validation set; weights of epoch %d", bestEpoch)
	}
	fmt.Printf("%s accuracy %.2f%% (%s), %s on %s in %s, wrote %s\n",
		testName, 100*res.Acc, best, arch, printable(name), time.Since(start).Round(time.Second), *out)
	if diverged != nil {
		return fmt.Errorf("%s; wrote the best weights, of epoch %d, to %s", divergedText(diverged), bestEpoch, *out)
	}
	return nil
}

// fits returns an error if net cannot learn the classes of the training
// set and be tested on the test set, before any time goes into training:
// a network with more classes than the data would train, but not make a
// model file with the data's class names.
func fits(net *nn.Network, trainSet, test *dataset.Set) error {
	if len(trainSet.Classes) != net.Classes() {
		return fmt.Errorf("%s has %d classes; the network tells %d apart", trainSet.Name, len(trainSet.Classes), net.Classes())
	}
	if err := train.Fits(net, trainSet); err != nil {
		return err
	}
	return train.Fits(net, test)
}

// nothingToWrite returns the error to report instead of writing a model
// when training diverged (diverged is not nil) without weights worth
// keeping: before any epoch finished, or when the best weights are not all
// finite (an epoch can end on weights that overflowed in its last step; a
// model file cannot hold them).
func nothingToWrite(diverged error, bestEpoch int, net *nn.Network, out string) error {
	switch {
	case diverged == nil:
		return nil
	case bestEpoch == 0:
		return fmt.Errorf("%s; no epoch finished, so nothing was written to %s", divergedText(diverged), out)
	case !net.Finite():
		return fmt.Errorf("%s; the best weights are not all finite, so nothing was written to %s", divergedText(diverged), out)
	}
	return nil
}

// divergedText is the trainer's divergence error without its closing
// remark that the best weights were kept: the command says itself where
// they went.
func divergedText(err error) string {
	return strings.TrimSuffix(err.Error(), "; the best weights so far were kept")
}

func readSpec(path string) (nn.Spec, error) {
	var s nn.Spec
	b, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

func mark(e *train.Epoch) string {
	switch {
	case e.StoppedEarly:
		return "  (stopping: no better validation accuracy)"
	case e.Best:
		return "  *"
	}
	return ""
}

// progress draws a one-line bar for the current epoch on stderr.
func progress(st train.Step, n, epochs int, start time.Time) {
	done := st.Seen - (st.Epoch-1)*n
	const width = 30
	filled := width * done / n
	rate := float64(st.Seen) / time.Since(start).Seconds()
	fmt.Fprintf(os.Stderr, "\repoch %2d/%d [%s%s] %3d%%  loss %.4f  %5.0f examples/s ",
		st.Epoch, epochs, strings.Repeat("=", filled), strings.Repeat(" ", width-filled), 100*done/n, st.Loss, rate)
}
