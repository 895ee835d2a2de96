package app

import (
	"encoding/base64"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Element ids and attributes of the My data panel, stable for tests and
// CSS. The panel's data-loaded is set once the kept sets are read; each
// class's box carries data-class (its name) and data-count.
const (
	myPanelID        = "mydata-panel"
	mySetID          = "mydata-set"
	mySetNameID      = "mydata-set-name"
	myNewSetID       = "mydata-new-set"
	myDeleteSetID    = "mydata-delete-set"
	myFramingID      = "mydata-framing"
	myClassNameID    = "mydata-class-name"
	myAddClassID     = "mydata-add-class"
	myStatusID       = "mydata-status"
	myProblemsID     = "mydata-problems"
	myExportID       = "mydata-export"
	myImportFilesID  = "mydata-import-files"
	myImportFolderID = "mydata-import-folder"
	myAddPrefix      = "mydata-add-" // + class index: "Add to <class>"
	// myThumbsShown is how many thumbnails a class shows; the count says
	// how many there are.
	myThumbsShown = 120
)

// pageSets are the user's sets once the My data panel has read them: the
// training panel's dataset menu, classesOf and datasetName look names up
// in them as in the dataset registry (nn/dataset), whose entries cannot
// change as a set's classes do. Only the UI goroutine touches it.
var pageSets = &mySets{}

// myDataPanel is the user's own sets: choose, make, name and delete them,
// give them classes, add drawings ("Add to <class>" or the class's number
// key), pictures, folders and zips, see every example as a thumbnail with
// a delete button, and export a set as a zip. It keeps the sets in
// IndexedDB (myStore); what it holds apart from the UI is a mySets.
type myDataPanel struct {
	app.Compo

	// TakeDrawing returns the drawing on the canvas as a PNG with its
	// strokes, and clears the canvas, or says why there is none.
	TakeDrawing func(ctx app.Context) ([]byte, []myStroke, error)
	// OnSets is told when sets or classes change (the training panel's
	// dataset menu shows them).
	OnSets func(ctx app.Context)
	// CurrentModel returns the model that classifies the drawing, to test
	// it on a set.
	CurrentModel func() *model.Model

	sets     *mySets
	cur      string // the id of the set shown
	sel      int    // the class the number keys and imports go to
	loaded   bool
	writer   *myWriter
	status   string
	bad      bool
	problems []string
	keyFn    app.Func
	thumbs   map[*myExample]string // data URLs, made once per example

	eval       *myEval // the last test of a model on a set, of set evalSet
	evalSet    string
	evaluating bool

	// classAsked is set when the address asked for a class import before
	// the kept sets were read; classBusy while one runs (mydataclass.go).
	classAsked, classBusy bool
	hashFn                app.Func
}

func newMyDataPanel() *myDataPanel { return &myDataPanel{sets: pageSets} }

// OnMount reads the kept sets in the background and listens for the
// number keys, and for the teacher's page asking for a class import
// (#class-import, at load or later in the same tab).
func (p *myDataPanel) OnMount(ctx app.Context) {
	if takeClassImport() {
		p.askedForClass(ctx)
	}
	if p.hashFn == nil && app.IsClient {
		p.hashFn = app.FuncOf(func(this app.Value, args []app.Value) any {
			if takeClassImport() {
				ctx.Dispatch(p.askedForClass)
			}
			return nil
		})
		app.Window().Call("addEventListener", "hashchange", p.hashFn)
	}
	if p.keyFn == nil {
		p.keyFn = app.FuncOf(func(this app.Value, args []app.Value) any {
			if len(args) > 0 {
				p.onKey(ctx, args[0])
			}
			return nil
		})
		app.Window().Get("document").Call("addEventListener", "keydown", p.keyFn)
	}
	if p.loaded || p.writer != nil {
		return
	}
	ctx.Async(func() {
		st, err := openMyStore()
		var sets *mySets
		var problems []string
		if err == nil {
			sets, problems, err = loadMySets(st)
		}
		ctx.Dispatch(func(ctx app.Context) {
			p.loaded = true
			if err != nil {
				p.say(storeError(err), true)
				st = browserstore.NewMemory() // the sets live as long as the page
			} else {
				p.sets.Sets = append(sets.Sets, p.sets.Sets...)
			}
			p.writer = newMyWriter(st, func(err error) {
				ctx.Dispatch(func(ctx app.Context) { p.say(storeError(err), true) })
			})
			p.problems = problems
			if len(p.sets.Sets) > 0 && p.set() == nil {
				p.cur = p.sets.Sets[0].ID
			}
			p.changed(ctx)
			if p.classAsked {
				p.askedForClass(ctx)
			}
		})
	})
}

// askedForClass imports the class once the kept sets are read, so that
// the import replaces the class's earlier set.
func (p *myDataPanel) askedForClass(ctx app.Context) {
	p.classAsked = !p.loaded
	if p.loaded {
		p.importClass(ctx)
	}
}

// OnDismount stops listening for keys and for the address's fragment.
func (p *myDataPanel) OnDismount() {
	if p.keyFn != nil {
		app.Window().Get("document").Call("removeEventListener", "keydown", p.keyFn)
		p.keyFn.Release()
		p.keyFn = nil
	}
	if p.hashFn != nil {
		app.Window().Call("removeEventListener", "hashchange", p.hashFn)
		p.hashFn.Release()
		p.hashFn = nil
	}
}

// set returns the set shown, or nil.
func (p *myDataPanel) set() *mySet { return p.sets.byID(p.cur) }

func (p *myDataPanel) say(msg string, bad bool) { p.status, p.bad = msg, bad }

// changed tells the page that the sets changed.
func (p *myDataPanel) changed(ctx app.Context) {
	if p.OnSets != nil {
		p.OnSets(ctx)
	}
}

// keep queues the writes that keep changes of the set shown.
func (p *myDataPanel) keep(changes ...browserstore.Change) {
	if p.writer != nil {
		p.writer.write(changes...)
	}
}

func (p *myDataPanel) Render() app.UI {
	s := p.set()
	return app.Section().
		ID(myPanelID).
		Class("panel mydata-panel").
		Aria("label", "My data").
		DataSet("loaded", p.loaded).
		Body(
			app.H2().
				Text("My data"),
			p.renderSets(s),
			app.P().
				ID(myStatusID).
				Class(map[bool]string{true: "mydata-status field-error", false: "mydata-status"}[p.bad]).
				Attr("role", "status").
				Text(p.status),
			app.If(len(p.problems) > 0,
				app.Ul().
					ID(myProblemsID).
					Class("mydata-problems").
					Body(app.Range(p.problems).Slice(func(i int) app.UI { return app.Li().Text(p.problems[i]) })),
			),
			p.renderClasses(s),
			p.renderRuns(s),
			p.renderEvalButtons(s),
			p.renderEval(s),
		)
}

// renderSets is the row that chooses, makes, deletes, imports and exports
// sets.
func (p *myDataPanel) renderSets(s *mySet) app.UI {
	return app.Div().
		Class("mydata-sets").
		Body(
			app.Label().For(mySetID).Text("Set"),
			app.Select().
				ID(mySetID).
				Disabled(len(p.sets.Sets) == 0).
				OnChange(p.onChooseSet).
				Body(
					app.If(len(p.sets.Sets) == 0, app.Option().Value("").Text("(no set yet)")),
					app.Range(p.sets.Sets).Slice(func(i int) app.UI {
						o := p.sets.Sets[i]
						n, _ := o.count()
						return app.Option().Value(o.ID).Selected(o.ID == p.cur).Text(fmt.Sprintf("%s (%d)", o.Name, n))
					}),
				),
			app.Input().
				ID(mySetNameID).
				Type("text").
				Placeholder("New set's name").
				Aria("label", "New set's name"),
			app.Button().ID(myNewSetID).Class("button").Type("button").Text("New set").OnClick(p.onNewSet),
			app.Button().ID(myDeleteSetID).Class("button").Type("button").Disabled(s == nil).Text("Delete set").OnClick(p.onDeleteSet),
			app.Button().ID(myExportID).Class("button").Type("button").Disabled(s == nil).Text("Export zip").OnClick(p.onExport),
			app.Label().For(myImportFilesID).Class("button").Text("Import zip or pictures…"),
			app.Input().
				ID(myImportFilesID).
				Class("visually-hidden").
				Type("file").
				Multiple(true).
				Accept(".zip,application/zip,image/png,image/jpeg").
				OnChange(p.onImportFiles),
			app.Label().For(myImportFolderID).Class("button").Text("Import folder…"),
			app.Input().
				ID(myImportFolderID).
				Class("visually-hidden").
				Type("file").
				Attr("webkitdirectory", true).
				OnChange(p.onImportFiles),
		)
}

// renderClasses is the set's classes, each with its thumbnails (nothing
// when no set is shown).
func (p *myDataPanel) renderClasses(s *mySet) app.UI {
	if s == nil {
		return app.If(false)
	}
	return app.Div().
		Class("mydata-set").
		On("dragover", func(ctx app.Context, e app.Event) { e.PreventDefault() }).
		On("drop", p.onDrop).
		Body(
			app.Div().
				Class("mydata-new-class").
				Body(
					app.Input().
						ID(myClassNameID).
						Type("text").
						Placeholder("Class name: circle, A, 7…").
						Aria("label", "New class's name").
						On("keydown", p.onClassKey),
					app.Button().ID(myAddClassID).Class("button").Type("button").Text("Add class").OnClick(p.onAddClass),
					app.Label().For(myFramingID).Text("Framing"),
					app.Select().
						ID(myFramingID).
						OnChange(p.onFraming).
						Body(
							app.Option().Value(dataset.DigitFramingName).Selected(s.Framing == dataset.DigitFraming).Text("like digits (ink centred)"),
							app.Option().Value(dataset.ItemFramingName).Selected(s.Framing == dataset.ItemFraming).Text("like items (fill the square)"),
						),
				),
			app.If(len(s.Classes) > 0,
				app.P().
					Class("hint").
					Text("Draw in the box, then press Add to a class, or the class's number key (1–9): the drawing is kept and the canvas clears. Drop pictures, a folder's zip or a set's zip here."),
			),
			app.Div().
				Class("mydata-classes").
				Body(app.Range(s.Classes).Slice(func(i int) app.UI { return p.renderClass(s, i) })),
		)
}

func (p *myDataPanel) renderClass(s *mySet, i int) app.UI {
	c := s.Classes[i]
	shown := c.Examples[:min(len(c.Examples), myThumbsShown)]
	return app.Div().
		Class(map[bool]string{true: "mydata-class selected", false: "mydata-class"}[i == p.sel]).
		DataSet("class", c.Name).
		DataSet("count", len(c.Examples)).
		Body(
			app.Div().
				Class("mydata-class-head").
				Body(
					app.Button().
						Class("mydata-class-name").
						Type("button").
						Aria("pressed", i == p.sel).
						Title("Pictures you import go to this class, and the drawings of Enter").
						OnClick(func(ctx app.Context, e app.Event) { p.sel = i }).
						Text(c.Name),
					app.Span().
						Class("mydata-count").
						Text(examplesText(len(c.Examples))),
					app.Button().
						Class("button mydata-delete-class").
						Type("button").
						Aria("label", "Delete class "+c.Name).
						OnClick(func(ctx app.Context, e app.Event) { p.deleteClass(ctx, i) }).
						Text("Delete class"),
				),
			app.Div().
				Class("mydata-thumbs").
				Body(
					app.Range(shown).Slice(func(j int) app.UI { return p.renderThumb(c, shown[j]) }),
					app.If(len(c.Examples) > len(shown),
						app.Span().Class("mydata-more").Text(fmt.Sprintf("and %d more", len(c.Examples)-len(shown))),
					),
				),
		)
}

func (p *myDataPanel) renderThumb(c *myClass, e *myExample) app.UI {
	return app.Figure().
		Class("mydata-thumb").
		DataSet("file", e.File).
		Body(
			app.Img().
				Src(p.thumb(e)).
				Alt(c.Name+"/"+e.File).
				Title(c.Name+"/"+e.File).
				Width(40).
				Height(40),
			app.Button().
				Class("mydata-thumb-delete").
				Type("button").
				Aria("label", "Delete "+c.Name+"/"+e.File).
				Title("Delete").
				OnClick(func(ctx app.Context, ev app.Event) { p.deleteExample(ctx, e) }).
				Text("×"),
		)
}

// thumb returns a data URL of an example's picture, made once.
func (p *myDataPanel) thumb(e *myExample) string {
	if u, ok := p.thumbs[e]; ok {
		return u
	}
	if p.thumbs == nil {
		p.thumbs = map[*myExample]string{}
	}
	mime := "image/png"
	if ext := strings.ToLower(path.Ext(e.File)); ext == ".jpg" || ext == ".jpeg" {
		mime = "image/jpeg"
	}
	u := "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(e.Data)
	p.thumbs[e] = u
	return u
}

func examplesText(n int) string {
	if n == 1 {
		return "1 example"
	}
	return strconv.Itoa(n) + " examples"
}
