package app

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Query parameters of a shared link or an embed URL. Every value is checked
// with the same rules the controls use (trainSettings.config, which calls
// train.Config.Validate, and analyzeSpec, which calls nn.Build); a value
// that fails is ignored and explained in a note, never half applied.
const (
	qView     = "view"    // one view alone: see setupViews
	qModel    = "model"   // the shipped model that classifies: digits, fashion
	qTheme    = "theme"   // light, dark or auto (the reader's preference)
	qDataset  = "dataset" // mnist or fashion
	qPreset   = "preset"  // a preset network (nn.PresetNames)
	qArch     = "arch"    // the layers, compactly: see parseArch
	qOpt      = "opt"     // sgd, adam or adadelta
	qLR       = "lr"
	qBatch    = "batch"
	qEpochs   = "epochs"
	qL2       = "l2"
	qSeed     = "seed"
	qLimit    = "limit" // training images, 0 for all
	qVal      = "val"   // validation images
	qAug      = "aug"   // augmentations: shift, rotate, scale, joined by "-"; "none"
	maxQuery  = 2048    // a longer query is ignored whole
	maxNoteIn = 40      // characters of a bad value quoted in a note
)

// Views that can be shown alone (the embed page) and their titles.
var setupViews = []struct{ id, title string }{
	{"draw", "Draw and classify"},
	{"train", "Train"},
	{inspectTabData, "Data"},
	{inspectTabConv, "Convolution"},
	{inspectTabNetwork, "Network"},
	{inspectTabFilters, "Filters"},
	{"featuremaps", "Feature maps"},
	{inspectTabProj, "Projection"},
	{"confusion", "Confusion matrix and mistakes"},
	{inspectTabSaliency, "Saliency"},
}

// viewAliases are other names a link may use for a view.
var viewAliases = map[string]string{inspectTabMaps: "featuremaps", inspectTabMistakes: "confusion", "predict": "draw"}

// Shipped models a link may name, and themes.
var (
	setupModels = dataset.Shipped()
	setupThemes = []string{"light", "dark", "auto"}
	setupOpts   = []string{"sgd", "adam", "adadelta"}
	setupSets   = dataset.Names()
	augNames    = []string{"shift", "rotate", "scale"}
)

// Setup is a whole playground setup as a link carries it: the view, the
// model, the theme, the training settings and the architecture. Its zero
// value is not useful; ParseSetup and defaultSetup return valid ones.
type Setup struct {
	View     string // "" for the whole page
	Model    string // shipped model name
	Theme    string
	Settings trainSettings // always acceptable to trainSettings.config
	Spec     nn.Spec       // always builds; Settings.Preset is customPreset when it is not a preset
}

// defaultSetup is the playground as it opens without a query.
func defaultSetup() Setup {
	s := Setup{Model: dataset.Default().Model, Theme: "auto", Settings: defaultSettings()}
	s.Spec, _ = nn.Preset(s.Settings.Preset)
	return s
}

// viewTitle returns the title of a view id, or "" when there is none.
func viewTitle(id string) string {
	for _, v := range setupViews {
		if v.id == id {
			return v.title
		}
	}
	return ""
}

// inspectTab returns the inspect panel tab that shows the view, or "".
func (s Setup) inspectTab() string {
	switch s.View {
	case "", "draw", "train":
		return ""
	case "featuremaps":
		return inspectTabMaps
	case "confusion":
		return inspectTabMistakes
	}
	return s.View
}

// ParseSetup reads a link's query. It starts from the default setup and
// applies each parameter that passes the controls' own checks; each one
// that does not is left out and described by a note such as
// `ignored lr=abc: learning rate must be a number above 0 and at most 10`.
// Notes quote values with Go's %q (shortened), so they are plain text
// whatever the value holds. Unknown parameters are noted too.
func ParseSetup(rawQuery string) (Setup, []string) {
	s := defaultSetup()
	var notes []string
	if len(rawQuery) > maxQuery {
		return s, []string{fmt.Sprintf("ignored the whole link setup: %d characters is more than %d", len(rawQuery), maxQuery)}
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		notes = append(notes, "parts of the link could not be read: "+err.Error())
	}
	ignore := func(key, value, why string) {
		notes = append(notes, fmt.Sprintf("ignored %s=%s: %s", key, quoteShort(value), why))
	}
	get := func(key string) (string, bool) {
		vs, ok := q[key]
		if !ok || len(vs) == 0 {
			return "", false
		}
		if len(vs) > 1 {
			notes = append(notes, fmt.Sprintf("%s appears %d times: the last one counts", key, len(vs)))
		}
		return vs[len(vs)-1], true
	}
	oneOf := func(key string, allowed []string, dst *string) {
		if v, ok := get(key); ok {
			if slices.Contains(allowed, v) {
				*dst = v
			} else {
				ignore(key, v, "want one of "+strings.Join(allowed, ", "))
			}
		}
	}

	if v, ok := get(qView); ok {
		if a, ok := viewAliases[v]; ok {
			v = a
		}
		if viewTitle(v) != "" {
			s.View = v
		} else {
			ids := make([]string, len(setupViews))
			for i, v := range setupViews {
				ids[i] = v.id
			}
			ignore(qView, v, "want one of "+strings.Join(ids, ", "))
		}
	}
	oneOf(qModel, setupModels, &s.Model)
	oneOf(qTheme, setupThemes, &s.Theme)
	// A link to a shipped model trains on that model's dataset, unless it
	// names another: model=fashion opens the training on Fashion-MNIST.
	if e, ok := dataset.ForShipped(s.Model); ok {
		s.Settings.Dataset = e.Name
	}
	oneOf(qDataset, setupSets, &s.Settings.Dataset)

	// The optimizer first: it brings its usual learning rate, which lr may
	// then override.
	if v, ok := get(qOpt); ok {
		if slices.Contains(setupOpts, v) {
			s.Settings.Optimizer, s.Settings.LR = v, defaultLR(v)
		} else {
			ignore(qOpt, v, "want one of "+strings.Join(setupOpts, ", "))
		}
	}
	// Each number alone, with the message its field would show.
	fields := []struct {
		key, field string
		dst        *string
	}{
		{qLR, fieldLR, &s.Settings.LR},
		{qBatch, fieldBatch, &s.Settings.Batch},
		{qEpochs, fieldEpochs, &s.Settings.Epochs},
		{qL2, fieldL2, &s.Settings.L2},
		{qSeed, fieldSeed, &s.Settings.Seed},
		{qLimit, fieldLimit, &s.Settings.Limit},
		{qVal, fieldValidation, &s.Settings.Validation},
	}
	given := map[string]string{}
	for _, f := range fields {
		v, ok := get(f.key)
		if !ok {
			continue
		}
		old := *f.dst
		*f.dst = strings.TrimSpace(v)
		if _, _, _, bad := s.Settings.config(); bad[f.field] != "" {
			ignore(f.key, v, bad[f.field])
			*f.dst = old
			continue
		}
		given[f.key] = old
	}
	// Rules between fields (validation below the training images, and
	// train.Config.Validate): undo what the link gave, in reverse order,
	// until the settings pass.
	for i := len(fields) - 1; i >= 0; i-- {
		_, _, _, bad := s.Settings.config()
		if len(bad) == 0 {
			break
		}
		f := fields[i]
		if old, ok := given[f.key]; ok {
			why := bad[f.field]
			if why == "" {
				why = bad[""]
			}
			if why == "" {
				for _, m := range bad {
					why = m
				}
			}
			ignore(f.key, *f.dst, why)
			*f.dst = old
		}
	}

	if v, ok := get(qAug); ok {
		shift, rotate, scale, err := parseAug(v)
		if err != nil {
			ignore(qAug, v, err.Error())
		} else {
			s.Settings.Shift, s.Settings.Rotate, s.Settings.Scale = shift, rotate, scale
		}
	}

	// The network: a preset, then perhaps other layers on its input.
	if v, ok := get(qPreset); ok {
		if spec, err := nn.Preset(v); err == nil {
			s.Settings.Preset, s.Spec = v, spec
		} else {
			ignore(qPreset, v, "want one of "+strings.Join(nn.PresetNames(), ", "))
		}
	}
	if v, ok := get(qArch); ok {
		layers, err := parseArch(v)
		if err == nil {
			spec := s.Spec
			spec.Layers = layers
			if msg := s.checkSpec(spec); msg != "" {
				err = fmt.Errorf("%s", msg)
			} else {
				s.Spec = spec
				s.Settings.Preset = customPreset
				if name := presetOf(spec); name != "" {
					s.Settings.Preset = name
				}
			}
		}
		if err != nil {
			ignore(qArch, v, err.Error())
		}
	}

	// present is the page's own (present.go), not part of a setup.
	known := []string{qView, qModel, qTheme, qDataset, qPreset, qArch, qOpt, qLR, qBatch, qEpochs, qL2, qSeed, qLimit, qVal, qAug, presentParam}
	var unknown []string
	for k := range q {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		notes = append(notes, fmt.Sprintf("ignored %s: not a cnnplay setting", quoteShort(k)))
	}
	return s, notes
}

// checkSpec returns why spec cannot train with the setup's settings, as the
// architecture editor would say it, or "".
func (s Setup) checkSpec(spec nn.Spec) string {
	return s.Settings.analyze(spec).Err
}

// presetOf returns the name of the preset spec is, or "".
func presetOf(spec nn.Spec) string {
	for _, name := range nn.PresetNames() {
		if p, _ := nn.Preset(name); specEqual(p, spec) {
			return name
		}
	}
	return ""
}

func specEqual(a, b nn.Spec) bool {
	return sameFrame(a, b) && slices.Equal(a.Layers, b.Layers)
}

// sameFrame reports whether a and b agree on everything but their layers:
// input shape, normalisation and initialisation.
func sameFrame(a, b nn.Spec) bool {
	return a.Input == b.Input && a.Mean == b.Mean && a.Std == b.Std && a.Init == b.Init
}

// Query returns the setup as a query string, naming only what differs from
// the default setup, so that links stay short. ParseSetup(s.Query())
// returns s.
func (s Setup) Query() string {
	d := defaultSetup()
	q := url.Values{}
	set := func(key, v, def string) {
		if v != def {
			q.Set(key, v)
		}
	}
	set(qView, s.View, d.View)
	set(qModel, s.Model, d.Model)
	set(qTheme, s.Theme, d.Theme)
	ss, ds := s.Settings, d.Settings
	if e, ok := dataset.ForShipped(s.Model); ok {
		ds.Dataset = e.Name // what the model parameter implies
	}
	set(qDataset, ss.Dataset, ds.Dataset)
	set(qOpt, ss.Optimizer, ds.Optimizer)
	set(qLR, ss.LR, defaultLR(ss.Optimizer))
	set(qBatch, ss.Batch, ds.Batch)
	set(qEpochs, ss.Epochs, ds.Epochs)
	set(qL2, ss.L2, ds.L2)
	set(qSeed, ss.Seed, ds.Seed)
	set(qLimit, ss.Limit, ds.Limit)
	set(qVal, ss.Validation, ds.Validation)
	set(qAug, formatAug(ss.Shift, ss.Rotate, ss.Scale), formatAug(ds.Shift, ds.Rotate, ds.Scale))
	// The preset gives the input shape and normalisation; arch only when
	// the layers differ from it.
	base := ss.Preset
	if base == customPreset || base == "" {
		base = presetWithInput(s.Spec)
	}
	set(qPreset, base, ds.Preset)
	if p, err := nn.Preset(base); err != nil || !specEqual(p, s.Spec) {
		q.Set(qArch, formatArch(s.Spec.Layers))
	}
	return encodeQuery(q)
}

// presetWithInput returns a preset with spec's input, normalisation and
// initialisation, on which a link can carry spec's layers.
func presetWithInput(spec nn.Spec) string {
	for _, name := range nn.PresetNames() {
		p, _ := nn.Preset(name)
		if sameFrame(p, spec) {
			return name
		}
	}
	return defaultSettings().Preset
}

// encodeQuery is url.Values.Encode in a fixed, readable key order (view
// first, then model and theme, then the training settings).
func encodeQuery(q url.Values) string {
	order := []string{qView, qModel, qTheme, qDataset, qPreset, qArch, qOpt, qLR, qBatch, qEpochs, qL2, qSeed, qLimit, qVal, qAug}
	var b strings.Builder
	for _, k := range order {
		v, ok := q[k]
		if !ok {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v[0]))
	}
	return b.String()
}

// parseAug reads "shift-rotate-scale" (any subset, any order) or "none".
func parseAug(v string) (shift, rotate, scale bool, err error) {
	if v == "none" || v == "" {
		return false, false, false, nil
	}
	for _, part := range strings.Split(v, "-") {
		switch part {
		case "shift":
			shift = true
		case "rotate":
			rotate = true
		case "scale":
			scale = true
		default:
			return false, false, false, fmt.Errorf("want none or some of %s joined by -", strings.Join(augNames, ", "))
		}
	}
	return shift, rotate, scale, nil
}

func formatAug(shift, rotate, scale bool) string {
	var parts []string
	for i, on := range []bool{shift, rotate, scale} {
		if on {
			parts = append(parts, augNames[i])
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "-")
}

// quoteShort quotes a value from a link for a note: Go syntax (so control
// characters and quotes show as escapes), at most maxNoteIn characters.
func quoteShort(v string) string {
	r := []rune(v)
	if len(r) > maxNoteIn {
		return strconv.Quote(string(r[:maxNoteIn])) + "…"
	}
	return strconv.Quote(v)
}

// webURL returns the URL of a /web/ asset on this site: the path itself at
// a site's root, or under the prefix a static export was made for (go-app
// passes the prefix to the page as GOAPP_STATIC_RESOURCES_URL).
func webURL(p string) string {
	if !strings.HasPrefix(p, "/web/") {
		return p
	}
	return strings.TrimSuffix(app.Getenv("GOAPP_STATIC_RESOURCES_URL"), "/") + p
}
