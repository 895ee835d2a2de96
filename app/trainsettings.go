package app

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/train"
)

// Augmentation bounds applied when a toggle is on: the sizes the guide and
// most MNIST tutorials use.
const (
	augShift  = 2     // pixels
	augRotate = 10    // degrees
	augScale  = 0.1   // ±10%
	maxLimit  = 60000 // MNIST and Fashion-MNIST have 60000 training images
)

// Field names of the training settings, used as keys of validation messages
// and as element id suffixes.
const (
	fieldLR         = "lr"
	fieldBatch      = "batch"
	fieldEpochs     = "epochs"
	fieldL2         = "l2"
	fieldSeed       = "seed"
	fieldLimit      = "limit"
	fieldValidation = "validation"
	fieldWorkers    = "workers"
)

// Training workers: one Web Worker per core, by default at most
// defaultMaxWorkers (beyond that, memory grows faster than speed: every
// worker holds the training set).
const (
	defaultMaxWorkers = 4
	maxWorkers        = 16
)

// defaultWorkers is the worker count for a device with this many cores
// (navigator.hardwareConcurrency; 0 when unknown).
func defaultWorkers(cores int) int { return min(max(cores, 1), defaultMaxWorkers) }

// autoWorkers is the worker count field's default: the worker picks the
// count, up to defaultWorkers, from the work in a batch (small networks and
// batches train faster on one worker than spread over several).
const autoWorkers = "auto"

// parseWorkers reads the worker count field: the count, 0 for auto, or a
// message for the user.
func parseWorkers(text string) (int, string) {
	text = strings.TrimSpace(text)
	if strings.EqualFold(text, autoWorkers) {
		return 0, ""
	}
	v, err := strconv.Atoi(text)
	if err != nil || v < 1 || v > maxWorkers {
		return 0, fmt.Sprintf("workers must be auto or a whole number from 1 to %d", maxWorkers)
	}
	return v, ""
}

// trainSettings is what the user typed into the training controls, kept as
// text so that a half-typed value is shown as typed and explained rather
// than silently replaced.
type trainSettings struct {
	Dataset    string // a name in the dataset registry
	Preset     string
	Optimizer  string // "sgd", "adam" or "adadelta"
	LR         string
	Batch      string
	Epochs     string
	L2         string
	Seed       string
	Limit      string // training images, 0 for all
	Validation string // validation images held out of them
	Shift      bool
	Rotate     bool
	Scale      bool
}

// defaultSettings are ConvNetJS's MNIST demo settings.
func defaultSettings() trainSettings {
	return trainSettings{Dataset: dataset.Default().Name, Preset: "convnetjs", Optimizer: "adadelta",
		LR: "1", Batch: "20", Epochs: "10", L2: "0.001", Seed: "1", Limit: "0", Validation: "5000"}
}

// defaultLR is each optimizer's usual learning rate, put in the field when
// the optimizer changes.
func defaultLR(opt string) string {
	switch opt {
	case "sgd":
		return "0.01"
	case "adam":
		return "0.001"
	}
	return "1"
}

// config turns the settings into a training configuration, with a message
// per field that is not acceptable, in words for the user.
func (s trainSettings) config() (cfg train.Config, limit, validation int, bad map[string]string) {
	bad = map[string]string{}
	num := func(field, text, what string, lo, hi float64, loOpen bool) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		above := "at least"
		if loOpen {
			above = "above"
		}
		if err != nil || v != v || (loOpen && v <= lo) || (!loOpen && v < lo) || v > hi {
			bad[field] = fmt.Sprintf("%s must be a number %s %v and at most %v", what, above, lo, hi)
		}
		return v
	}
	whole := func(field, text, what string, lo, hi int) int {
		v, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil || v < lo || v > hi {
			bad[field] = fmt.Sprintf("%s must be a whole number from %d to %d", what, lo, hi)
		}
		return v
	}
	cfg.Optimizer = nn.OptimizerSpec{Kind: s.Optimizer}
	cfg.Optimizer.LR = num(fieldLR, s.LR, "learning rate", 0, 10, true)
	l2 := num(fieldL2, s.L2, "L2 decay", 0, 0.5, false)
	cfg.Optimizer.L2 = l2
	cfg.BatchSize = whole(fieldBatch, s.Batch, "batch size", 1, 1024)
	cfg.Epochs = whole(fieldEpochs, s.Epochs, "epochs", 1, 1000)
	seed, err := strconv.ParseUint(strings.TrimSpace(s.Seed), 10, 64)
	if err != nil {
		bad[fieldSeed] = "seed must be a whole number, 0 or more"
	}
	cfg.Seed = seed
	limit = whole(fieldLimit, s.Limit, "training images", 0, maxLimit)
	validation = whole(fieldValidation, s.Validation, "validation images", 0, 30000)
	if _, ok := bad[fieldValidation]; !ok && validation == 0 {
		validation = -1 // the wire's "none"
	}
	if _, ok := bad[fieldLimit]; !ok {
		n := maxLimit
		if limit > 0 {
			n = limit
		}
		if validation > 0 && validation >= n {
			bad[fieldValidation] = fmt.Sprintf("validation images must be fewer than the %d training images", n)
		}
	}
	if s.Shift {
		cfg.Augment.MaxShift = augShift
	}
	if s.Rotate {
		cfg.Augment.MaxRotate = augRotate
	}
	if s.Scale {
		cfg.Augment.MaxScale = augScale
	}
	cfg.LRDecay = 1
	if len(bad) == 0 {
		if err := cfg.Validate(); err != nil {
			bad[""] = err.Error()
		}
	}
	return cfg, limit, validation, bad
}

// start returns the start message for spec with these settings, or the
// messages of the fields that are wrong.
func (s trainSettings) start(spec nn.Spec) (wire.Start, map[string]string) {
	cfg, limit, validation, bad := s.config()
	if len(bad) > 0 {
		return wire.Start{}, bad
	}
	return wire.Start{Dataset: s.Dataset, Spec: spec, Config: cfg, Validation: validation, Limit: limit}, nil
}

// analyze says what spec costs and whether it fits when trained with these
// settings: the batch size, the training images left after validation, and
// the dataset's classes, as the architecture editor shows it.
func (s trainSettings) analyze(spec nn.Spec) archInfo {
	cfg, limit, validation, _ := s.config()
	n := maxLimit
	if limit > 0 {
		n = limit
	}
	if validation > 0 && validation < n {
		n -= validation
	}
	return analyzeSpec(spec, max(cfg.BatchSize, 1), n, len(classesOf(s.Dataset)))
}

// classesOf returns the class names of a dataset: one of the user's own
// sets (pageSets) or the registry's.
func classesOf(name string) []string {
	if s := pageSets.byDataset(name); s != nil {
		return s.classNames()
	}
	return dataset.LookupOrDefault(name).Classes
}

// datasetNames are the names of the registry's datasets, in menu order,
// then the user's own sets.
func datasetNames() []string {
	names := dataset.Names()
	for _, s := range pageSets.Sets {
		names = append(names, s.datasetName())
	}
	return names
}

// datasetTitles are the titles of datasetNames.
func datasetTitles() []string {
	var titles []string
	for _, e := range dataset.All() {
		titles = append(titles, e.Title)
	}
	for _, s := range pageSets.Sets {
		titles = append(titles, s.title())
	}
	return titles
}
