package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Ids, tabs and limits of the inspect panel, stable for tests and CSS.
const (
	inspectPanelID = "inspect-panel"
	// inspectTabData and the others name the panel's tabs, in the order a
	// student follows an image through the network.
	inspectTabData     = "data"
	inspectTabConv     = "convolution"
	inspectTabNetwork  = "network"
	inspectTabFilters  = "filters"
	inspectTabMaps     = "maps"
	inspectTabProj     = "projection"
	inspectTabMistakes = "mistakes"
	inspectTabSaliency = "saliency"
	// inspectEvalImages is how many test images the projection and the
	// mistakes are computed on, and inspectEvalBatch how many go through
	// the network between two yields to the browser.
	inspectEvalImages = 2000
	inspectEvalBatch  = 20
	// inspectMsAttr on a view's root is the time its last update took
	// (compute and paint, ms); inspectCountAttr counts its updates.
	inspectMsAttr    = "data-update-ms"
	inspectCountAttr = "data-updates"
)

// inspectTabs lists the tabs with their labels.
var inspectTabs = []struct{ id, label string }{
	{inspectTabData, "Data"},
	{inspectTabConv, "Convolution"},
	{inspectTabNetwork, "Network"},
	{inspectTabFilters, "Filters"},
	{inspectTabMaps, "Feature maps"},
	{inspectTabProj, "Projection"},
	{inspectTabMistakes, "Mistakes"},
	{inspectTabSaliency, "Saliency"},
}

// inspectPanel shows the inside of the current model, one view at a time so
// that only the visible view does work when the model or the drawing
// changes. It owns what the views share: a private copy of the network
// (the live prediction's network is not shared), the test set and the
// test-set evaluation with its PCA projection, both computed only when a
// view needs them.
type inspectPanel struct {
	app.Compo

	Model *model.Model // the page's current model; nil while loading
	Digit []float32    // the drawing as the network sees it (28x28), or nil
	Tab   string       // when set, the only view shown, without the tab bar (embeds)
	Start string       // the tab shown first (a shared link's view); "" for feature maps

	tab   string
	net   *nn.Network // a copy of Model's network for the views
	netOf *model.Model
	spare *nn.Network // the views' network before net, which they no longer use

	test      *dataset.Set    // testImgs as floats, for running the network
	testImgs  *inspect.Images // the test set, for the data browser
	testName  string          // the registry name of the set test holds or loads
	testErr   string
	dataSplit string // the set the data browser shows: dataTest or dataTrain

	// The training set is large (60,000 images, 10 to 26 MB to download):
	// it is fetched only when the user asks to browse it.
	train      *inspect.Images
	trainName  string // the dataset train holds or loads, "" for none
	trainErr   string
	trainGot   int64 // bytes of the images file downloaded so far
	trainTotal int64 // its size, 0 while unknown

	eval      *inspect.Evaluation // finished evaluation, or nil
	evalNet   *nn.Network         // the network eval was computed with
	evalOf    *model.Model
	proj      *inspect.Projection
	projXY    []float64
	running   bool // an evaluation is under way
	runDone   int
	evalErr   string
	evalStale bool // Model changed since eval was computed
}

func newInspectPanel() *inspectPanel { return &inspectPanel{tab: inspectTabMaps} }

// OnMount starts what the first tab needs.
func (ip *inspectPanel) OnMount(ctx app.Context) { ip.need(ctx) }

// OnUpdate reacts to a new model or drawing from the page.
func (ip *inspectPanel) OnUpdate(ctx app.Context) { ip.need(ctx) }

// Render shows the tabs and the active view.
func (ip *inspectPanel) Render() app.UI {
	ip.sync()
	if ip.Tab != "" {
		ip.tab = ip.Tab
	}
	if ip.tab == "" {
		ip.tab = ip.Start
	}
	if ip.tab == "" {
		ip.tab = inspectTabMaps
	}
	return app.Div().
		ID(inspectPanelID).
		Class("inspect").
		Body(
			app.If(ip.Tab == "", ip.renderTabs()),
			app.If(ip.evalStale && !ip.running && (ip.tab == inspectTabProj || ip.tab == inspectTabMistakes) && ip.misfit() == "",
				app.P().
					Class("inspect-stale").
					Body(
						app.Text("The model has changed since these test images were run through it. "),
						app.Button().
							ID("inspect-recompute").
							Class("button").
							Text("Recompute").
							OnClick(ip.onRecompute),
					),
			),
			app.If(ip.Model != nil,
				downloadButtons(inspectViewID, ip.tabLabel(), ip.onViewPNG, nil, nil),
			),
			app.Div().
				ID(inspectViewID).
				Class("inspect-body").
				Attr("role", "tabpanel").
				Body(ip.view()),
		)
}

// renderTabs returns the tab bar.
func (ip *inspectPanel) renderTabs() app.UI {
	return app.Div().
		Class("inspect-tabs").
		Attr("role", "tablist").
		Body(app.Range(inspectTabs).Slice(func(i int) app.UI {
			t := inspectTabs[i]
			return app.Button().
				ID("inspect-tab-"+t.id).
				Class("inspect-tab").
				Attr("role", "tab").
				Aria("selected", t.id == ip.tab).
				Text(t.label).
				OnClick(ip.onTab(t.id))
		}))
}

// view returns the active tab's view.
func (ip *inspectPanel) view() app.UI {
	if ip.Model == nil {
		return app.P().Class("inspect-note").Text("Waiting for a model…")
	}
	classes := ip.Model.Classes
	switch ip.tab {
	case inspectTabData:
		b := &dataBrowser{Split: ip.dataSplit, Dataset: ip.testName, Set: ip.testImgs, Status: ip.testStatus(), Mean: ip.net.Spec.Mean, Std: ip.net.Spec.Std,
			OnSplit: ip.onSplit}
		if ip.dataSplit == dataTrain {
			b.Set, b.Status, b.Got, b.Total = ip.train, ip.trainStatus(), ip.trainGot, ip.trainTotal
		}
		return b
	case inspectTabConv:
		return &convDemo{Digit: ip.Digit, Sample: ip.sample()}
	case inspectTabNetwork:
		return &networkDiagram{Net: ip.net, Digit: ip.Digit}
	case inspectTabFilters:
		return &filtersView{Net: ip.net}
	case inspectTabMaps:
		return &featureMapsView{Net: ip.net, Digit: ip.Digit, Classes: classes}
	case inspectTabProj:
		eval, status := ip.evalFor(classes)
		return &projectionView{Eval: eval, Net: ip.evalNet, XY: ip.projXY, Proj: ip.proj, Digit: ip.Digit,
			Classes: classes, Status: status}
	case inspectTabMistakes:
		eval, status := ip.evalFor(classes)
		return &mistakesView{Eval: eval, Test: ip.test, Classes: classes, Status: status}
	case inspectTabSaliency:
		return &saliencyView{Net: ip.net, Digit: ip.Digit, Classes: classes}
	}
	return nil
}

// sync makes the panel's network a copy of the current model's. It runs in
// Render, before the views get the network, so a new model reaches the
// views in the same update.
//
// While training, the model changes twice a second and keeps its
// architecture: the weights then go into the network the views had before
// the current one, which none of them uses any more (a view restarts its
// work when its network changes), and the two take turns. Cloning the
// network each time instead (9.6 MB with its gradients for the keras
// preset) was a third of the page's script time while training, time taken
// from the training workers on a two-core machine.
func (ip *inspectPanel) sync() {
	if ip.Model == ip.netOf {
		return
	}
	old := ip.net
	ip.netOf, ip.net = ip.Model, nil
	if ip.Model != nil {
		src := ip.Model.Net
		if s := ip.spare; s != nil && sameSpec(s.Spec, src.Spec) && s.SetWeights(src.WeightData()) == nil {
			ip.net = s
		} else {
			ip.net = src.Clone()
		}
		if ip.eval != nil || ip.running {
			ip.evalStale = ip.evalOf != ip.Model
		}
	}
	ip.spare = old
}

// sameSpec reports whether networks built from a and b hold their weights
// alike and prepare their inputs alike.
func sameSpec(a, b nn.Spec) bool {
	return a.Input == b.Input && a.Mean == b.Mean && a.Std == b.Std && slices.Equal(a.Layers, b.Layers)
}

// dispatch runs fn on the UI goroutine, then renders the panel again. A
// view's handler may start the panel's work with the view's context, whose
// own Dispatch would re-render only the view, and nothing at all once the
// user has switched to another tab; the panel's state must reach the panel.
func (ip *inspectPanel) dispatch(ctx app.Context, fn func(app.Context)) {
	ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Update, Source: ip, Function: fn})
}

func (ip *inspectPanel) onTab(id string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		ip.tab = id
		ip.need(ctx)
	}
}

// need starts loading the test set and evaluating the model when the active
// tab shows them and they are missing.
func (ip *inspectPanel) need(ctx app.Context) {
	ip.sync()
	if ip.Tab != "" {
		ip.tab = ip.Tab
	}
	if ip.Model == nil || ip.net == nil {
		return
	}
	switch ip.tab {
	case inspectTabData, inspectTabConv, inspectTabProj, inspectTabMistakes:
	default:
		return
	}
	want := inspectDatasetOf(ip.Model)
	if ip.testName != want {
		ip.test, ip.testImgs, ip.testName, ip.testErr = nil, nil, want, ""
		ip.train, ip.trainName = nil, ""
		ip.eval, ip.evalNet, ip.evalOf, ip.proj, ip.projXY = nil, nil, nil, nil, nil
		ip.loadTest(ctx, want)
	}
	if ip.tab == inspectTabData && ip.dataSplit == dataTrain && ip.trainName != want {
		ip.loadTrain(ctx, want)
	}
	if ip.test == nil || (ip.tab != inspectTabProj && ip.tab != inspectTabMistakes) {
		return
	}
	// Evaluate once per model, on demand: a new model while training only
	// marks the evaluation stale, unless its features no longer fit. A
	// model whose classes are not the test set's is not evaluated: the
	// views say why (misfit).
	if ip.misfit() != "" {
		return
	}
	if !ip.running && (ip.eval == nil || (ip.evalOf != ip.Model && !slices.Equal(ip.evalNet.Spec.Layers, ip.net.Spec.Layers))) {
		ip.evaluate(ctx)
	}
}

func (ip *inspectPanel) onRecompute(ctx app.Context, e app.Event) {
	if !ip.running && ip.test != nil {
		ip.evaluate(ctx)
	}
}

// inspectDatasetOf tells which dataset a model was trained on.
func inspectDatasetOf(m *model.Model) string {
	if name, ok := ownDatasetOf(m); ok {
		return name
	}
	e, _ := dataset.ForModel(m.Record.Dataset, m.Classes)
	return e.Name
}

// onSplit switches the data browser between the test and the training
// set; the training set downloads the first time it is asked for, and again
// after a failed download.
func (ip *inspectPanel) onSplit(ctx app.Context, split string) {
	ip.dataSplit = split
	if ip.trainErr != "" {
		ip.trainName = "" // asking again retries a failed download
	}
	ip.need(ctx)
}

// evaluate runs the current model over the first test images a batch at a
// time, yielding to the browser between batches, then fits the projection.
func (ip *inspectPanel) evaluate(ctx app.Context) {
	net := ip.Model.Net.Clone()
	m, set := ip.Model, ip.test
	e, err := inspect.NewEvaluation(net, set, inspectEvalImages)
	if err != nil {
		ip.evalErr = inspectWhy(err)
		return
	}
	ip.running, ip.runDone, ip.evalErr = true, 0, ""
	ctx.Async(func() {
		for !e.Step(net, set, inspectEvalBatch) {
			done := e.Done
			ip.dispatch(ctx, func(ctx app.Context) { ip.runDone = done })
			time.Sleep(time.Millisecond)
		}
		proj, err := inspect.FitPCA(e.Features, e.N, e.D)
		var xy []float64
		if err == nil {
			xy = proj.ProjectAll(e.Features, e.N)
		}
		ip.dispatch(ctx, func(ctx app.Context) {
			ip.running = false
			if set != ip.test {
				return
			}
			if err != nil {
				ip.evalErr = err.Error()
				return
			}
			ip.eval, ip.evalNet, ip.evalOf, ip.proj, ip.projXY = e, net, m, proj, xy
			ip.evalStale = m != ip.Model
		})
	})
}

func (ip *inspectPanel) trainStatus() string {
	switch {
	case ip.trainErr != "":
		return "The training images could not be loaded: " + ip.trainErr
	case ip.train == nil && ip.trainTotal > 0:
		return fmt.Sprintf("Downloading the training images… %.1f of %.1f MB", float64(ip.trainGot)/1e6, float64(ip.trainTotal)/1e6)
	case ip.train == nil:
		return fmt.Sprintf("Downloading the training images… %.1f MB", float64(ip.trainGot)/1e6)
	}
	return ""
}

func (ip *inspectPanel) testStatus() string {
	switch {
	case ip.testErr != "":
		return "The test images could not be loaded: " + ip.testErr
	case ip.test == nil:
		return "Loading the test images…"
	}
	return ""
}

// evalFor returns the evaluation for views that show it with the model's
// classes, and their status: none while the evaluation at hand is of
// another number of classes (a model of other classes is being evaluated)
// or the model cannot be evaluated on the test set (misfit says why).
func (ip *inspectPanel) evalFor(classes []string) (*inspect.Evaluation, string) {
	if why := ip.misfit(); why != "" {
		return nil, why
	}
	if ip.eval == nil || ip.eval.K != len(classes) {
		return nil, ip.evalStatus()
	}
	return ip.eval, ip.evalStatus()
}

// misfit says why the current model cannot be evaluated on the test set,
// in words for the active view, or returns "" (also while the test set is
// loading).
func (ip *inspectPanel) misfit() string {
	if ip.Model == nil || ip.test == nil {
		return ""
	}
	err := inspect.ClassesFit(ip.Model.Net, ip.test)
	if err == nil {
		return ""
	}
	view := "This view"
	for _, t := range inspectTabs {
		if t.id == ip.tab {
			view = "The " + t.label + " view"
		}
	}
	var cm *inspect.ClassMismatch
	if errors.As(err, &cm) {
		title := ip.testName
		if e, err := dataset.Lookup(ip.testName); err == nil {
			title = e.Title
		}
		return fmt.Sprintf("This model has %d %s; %s needs a test set with the same classes (%s has %d). Drawing and the other views work.",
			cm.Model, plural(cm.Model, "class", "classes"), strings.ToLower(view[:1])+view[1:], title, cm.Set)
	}
	return view + " cannot run this model on the test images: " + inspectWhy(err)
}

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// inspectWhy is an error from the engine in words for the page: without
// the package's name in front.
func inspectWhy(err error) string {
	s := err.Error()
	for _, p := range []string{"inspect: ", "model: ", "nn: "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}

func (ip *inspectPanel) evalStatus() string {
	switch {
	case ip.testErr != "" || ip.test == nil:
		return ip.testStatus()
	case ip.evalErr != "":
		return "The evaluation failed: " + ip.evalErr
	case ip.running:
		return fmt.Sprintf("Running the model on %d test images… %d done", min(inspectEvalImages, ip.test.N), ip.runDone)
	}
	return ""
}

// sample returns a test image for views that need one when nothing is drawn.
func (ip *inspectPanel) sample() []float32 {
	if ip.test == nil || ip.test.N == 0 {
		return nil
	}
	return ip.test.Image(0)
}
