package app

import (
	"math/rand/v2"

	"github.com/cnnplay/cnnplay/internal/wire"
	"github.com/cnnplay/cnnplay/nn"
)

// customPreset is the preset field's value once the network is edited.
const customPreset = "custom"

// trainForm is what the training panel's controls hold: the settings as
// typed, the worker count, the network being edited with what the editor
// shows of it, and a message for each field that is wrong ("" for the
// form as a whole). It has no UI: the panel renders it (trainpanelform.go)
// and changes it through its methods.
type trainForm struct {
	settings trainSettings
	workers  string // the worker count field, kept apart from settings: it belongs to the device, not to a shared setup
	spec     nn.Spec
	info     archInfo
	bad      map[string]string
}

// newTrainForm returns the form with link's settings and network, or the
// defaults when link is nil.
func newTrainForm(link *Setup) trainForm {
	f := trainForm{settings: defaultSettings(), workers: autoWorkers}
	f.spec, _ = nn.Preset(f.settings.Preset)
	if link != nil {
		f.settings, f.spec = link.Settings, link.Spec
	}
	f.analyze()
	return f
}

// dataset is the dataset the settings name.
func (f *trainForm) dataset() string { return f.settings.Dataset }

// problem is what is wrong with the form as a whole, "" when nothing is.
func (f *trainForm) problem() string { return f.bad[""] }

// analyze recomputes what the editor shows for the current spec and settings.
func (f *trainForm) analyze() {
	f.info = f.settings.analyze(f.spec)
}

// validate updates the inline messages of the fields.
func (f *trainForm) validate() {
	_, _, _, f.bad = f.settings.config()
	if _, msg := parseWorkers(f.workers); msg != "" {
		f.bad[fieldWorkers] = msg
	}
}

// setDataset chooses the dataset.
func (f *trainForm) setDataset(name string) {
	f.settings.Dataset = name
	f.ownDefaults()
	f.spec = fitClasses(f.spec, name)
	f.analyze()
}

// setPreset chooses a preset network, or marks the network as edited
// (customPreset) without changing it.
func (f *trainForm) setPreset(name string) {
	if name == customPreset {
		f.settings.Preset = name
		return
	}
	spec, err := nn.Preset(name)
	if err != nil {
		f.bad = map[string]string{"": err.Error()}
		return
	}
	f.settings.Preset, f.spec = name, fitClasses(spec, f.settings.Dataset)
	f.analyze()
}

// setOptimizer chooses the optimizer and puts its usual learning rate in
// the field.
func (f *trainForm) setOptimizer(name string) {
	f.settings.Optimizer = name
	f.settings.LR = defaultLR(name)
	f.validate()
}

// setText takes the text typed into a field (fieldLR and the others).
func (f *trainForm) setText(field, v string) {
	s := &f.settings
	switch field {
	case fieldLR:
		s.LR = v
	case fieldBatch:
		s.Batch = v
	case fieldEpochs:
		s.Epochs = v
	case fieldL2:
		s.L2 = v
	case fieldSeed:
		s.Seed = v
	case fieldLimit:
		s.Limit = v
	case fieldValidation:
		s.Validation = v
	case fieldWorkers:
		f.workers = v
	}
	f.validate()
	f.analyze()
}

// setCheck takes an augmentation toggle (shiftID, rotateID or scaleID).
func (f *trainForm) setCheck(id string, on bool) {
	switch id {
	case shiftID:
		f.settings.Shift = on
	case rotateID:
		f.settings.Rotate = on
	case scaleID:
		f.settings.Scale = on
	}
}

// setSpec takes the network as edited.
func (f *trainForm) setSpec(spec nn.Spec) {
	f.spec = spec
	f.settings.Preset = customPreset
	f.analyze()
}

// start returns the start message for the form and the network it builds,
// on a device with cores cores (0 when unknown), or false with the
// messages of what is wrong in bad.
func (f *trainForm) start(cores int) (wire.Start, *nn.Network, bool) {
	start, bad := f.settings.start(f.spec)
	workers, msg := parseWorkers(f.workers)
	if msg != "" {
		if bad == nil {
			bad = map[string]string{}
		}
		bad[fieldWorkers] = msg
	}
	f.bad = bad
	if len(bad) > 0 {
		return wire.Start{}, nil, false
	}
	f.spec = fitClasses(f.spec, start.Dataset) // its classes may have changed since it was chosen
	start.Spec = f.spec
	start.Config.Workers = workers
	if workers == 0 {
		start.AutoWorkers = defaultWorkers(cores)
	}
	f.analyze()
	if f.info.Err != "" {
		f.bad = map[string]string{"": "Fix the architecture first: " + f.info.Err}
		return wire.Start{}, nil, false
	}
	net, err := nn.Build(f.spec, rand.New(rand.NewPCG(start.Config.Seed, 0)))
	if err != nil {
		f.bad = map[string]string{"": err.Error()}
		return wire.Start{}, nil, false
	}
	return start, net, true
}
