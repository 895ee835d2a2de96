package app

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The My data panel's handlers: each changes the sets (mySets), queues the
// writes that keep the change, and says what happened.

func (p *myDataPanel) onChooseSet(ctx app.Context, e app.Event) {
	p.cur, p.sel = ctx.JSSrc().Get("value").String(), 0
	p.problems = nil
	p.say("", false)
	p.changed(ctx)
}

func (p *myDataPanel) onNewSet(ctx app.Context, e app.Event) {
	in := app.Window().GetElementByID(mySetNameID)
	name := in.Get("value").String()
	if strings.TrimSpace(name) == "" {
		name = fmt.Sprintf("My set %d", len(p.sets.Sets)+1)
	}
	s, err := p.sets.newSet(name, time.Now().UnixMilli())
	if err != nil {
		p.say(err.Error(), true)
		return
	}
	in.Set("value", "")
	p.cur, p.sel, p.problems = s.ID, 0, nil
	p.keep(s.metaChange())
	p.say("Made the set "+s.Name+". Add a class, then draw or import its examples.", false)
	p.changed(ctx)
}

func (p *myDataPanel) onDeleteSet(ctx app.Context, e app.Event) {
	s := p.set()
	if s == nil {
		return
	}
	if n, _ := s.count(); n > 0 && !confirm(fmt.Sprintf("Delete the set %s and its %d examples? Export it first to keep a copy.", s.Name, n)) {
		return
	}
	changes := []browserstore.Change{{Key: myMetaKey(s.ID), Delete: true}}
	for _, c := range s.Classes {
		for _, e := range c.Examples {
			changes = append(changes, s.deleteChanges(e)...)
		}
	}
	p.keep(changes...)
	p.sets.remove(s.ID)
	p.cur, p.sel = "", 0
	if len(p.sets.Sets) > 0 {
		p.cur = p.sets.Sets[0].ID
	}
	p.say("Deleted the set "+s.Name+".", false)
	p.changed(ctx)
}

func (p *myDataPanel) onFraming(ctx app.Context, e app.Event) {
	s := p.set()
	f, err := dataset.ParseFraming(ctx.JSSrc().Get("value").String())
	if s == nil || err != nil {
		return
	}
	s.Framing = f
	p.keep(s.metaChange())
	p.changed(ctx)
}

// onClassKey adds the class when Enter is pressed in its name field.
func (p *myDataPanel) onClassKey(ctx app.Context, e app.Event) {
	if e.Get("key").String() == "Enter" {
		p.onAddClass(ctx, e)
	}
}

func (p *myDataPanel) onAddClass(ctx app.Context, e app.Event) {
	s := p.set()
	if s == nil {
		return
	}
	in := app.Window().GetElementByID(myClassNameID)
	i, err := s.addClass(in.Get("value").String())
	if err != nil {
		p.say(err.Error(), true)
		return
	}
	in.Set("value", "")
	p.sel = i
	p.keep(s.metaChange())
	p.say("Added the class "+s.Classes[i].Name+".", false)
	p.changed(ctx)
}

func (p *myDataPanel) deleteClass(ctx app.Context, i int) {
	s := p.set()
	if s == nil || i >= len(s.Classes) {
		return
	}
	c := s.Classes[i]
	if len(c.Examples) > 0 && !confirm(fmt.Sprintf("Delete the class %s and its %d examples?", c.Name, len(c.Examples))) {
		return
	}
	var changes []browserstore.Change
	for _, e := range c.Examples {
		changes = append(changes, s.deleteChanges(e)...)
	}
	s.deleteClass(i)
	p.keep(append(changes, s.metaChange())...)
	p.sel = min(p.sel, max(len(s.Classes)-1, 0))
	p.say("Deleted the class "+c.Name+".", false)
	p.changed(ctx)
}

func (p *myDataPanel) deleteExample(ctx app.Context, e *myExample) {
	s := p.set()
	if s == nil || !s.deleteExample(e.ID) {
		return
	}
	delete(p.thumbs, e)
	p.keep(append(s.deleteChanges(e), s.metaChange())...)
	p.say("Deleted "+e.File+".", false)
	p.changed(ctx)
}

// onKey adds the drawing to class N when the number key N is pressed
// outside a text field, for a rhythm of a drawing every two seconds.
func (p *myDataPanel) onKey(ctx app.Context, ev app.Value) {
	k := ev.Get("key").String()
	if len(k) != 1 || k < "1" || k > "9" || ev.Get("ctrlKey").Bool() || ev.Get("altKey").Bool() || ev.Get("metaKey").Bool() {
		return
	}
	switch strings.ToUpper(ev.Get("target").Get("tagName").String()) {
	case "INPUT", "SELECT", "TEXTAREA":
		return
	}
	i := int(k[0] - '1')
	ctx.Dispatch(func(ctx app.Context) {
		if s := p.set(); s != nil && i < len(s.Classes) {
			p.addDrawing(ctx, i)
		}
	})
}

// addDrawing adds the canvas's drawing to class i and clears the canvas.
func (p *myDataPanel) addDrawing(ctx app.Context, i int) {
	s := p.set()
	if s == nil || i >= len(s.Classes) || p.TakeDrawing == nil {
		return
	}
	if err := s.room(0); err != nil {
		p.say(err.Error(), true)
		return
	}
	png, strokes, err := p.TakeDrawing(ctx)
	if err != nil {
		p.say(err.Error(), true)
		return
	}
	e, err := s.addExample(i, "", png, strokes)
	if err != nil {
		p.say(err.Error(), true)
		return
	}
	p.sel = i
	p.keep(append(s.exampleChanges(e), s.metaChange())...)
	p.say(fmt.Sprintf("Added a drawing to %s: %s.", s.Classes[i].Name, examplesText(len(s.Classes[i].Examples))), false)
	p.changed(ctx)
}

// onExport downloads the set as a zip.
func (p *myDataPanel) onExport(ctx app.Context, e app.Event) {
	s := p.set()
	if s == nil {
		return
	}
	b, err := s.exportZip()
	if err != nil {
		p.say("The set could not be exported: "+err.Error(), true)
		return
	}
	name := exportName(s.Name)
	download(ctx, b, name, "application/zip")
	n, _ := s.count()
	p.say(fmt.Sprintf("Exported %d examples as %s (%.1f KB): a folder per class, as Keras and torchvision read it.", n, name, float64(len(b))/1024), false)
}

// exportName is the zip's file name for a set's name.
func exportName(set string) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, r) || r < ' ' {
			return '-'
		}
		return r
	}, set)
	return "cnnplay-" + name + ".zip"
}

func (p *myDataPanel) onImportFiles(ctx app.Context, e app.Event) {
	files := ctx.JSSrc().Get("files")
	p.importFiles(ctx, files)
	ctx.JSSrc().Set("value", "") // choosing the same files again imports again
}

func (p *myDataPanel) onDrop(ctx app.Context, e app.Event) {
	e.PreventDefault()
	dt := e.Get("dataTransfer")
	if entries := droppedFolders(dt); len(entries) > 0 {
		p.importEntries(ctx, entries)
		return
	}
	p.importFiles(ctx, dt.Get("files"))
}

// importFiles reads a FileList (a zip, a chosen folder's files or loose
// pictures) and merges it into the set shown, or into a new set when
// there is none.
func (p *myDataPanel) importFiles(ctx app.Context, list app.Value) {
	if !list.Truthy() || list.Length() == 0 {
		return
	}
	n := list.Length()
	var total int64
	for i := range n {
		total += int64(list.Index(i).Get("size").Int())
	}
	if total > imageset.MaxBytes {
		p.say(fmt.Sprintf("The files hold %.1f MB; a set holds at most %d MB. Nothing was imported.", float64(total)/(1<<20), imageset.MaxBytes>>20), true)
		return
	}
	p.say(fmt.Sprintf("Reading %d files…", n), false)
	files := make([]myFile, n)
	left := n
	for i := range n {
		f := list.Index(i)
		files[i] = myFile{Name: f.Get("name").String(), Path: f.Get("webkitRelativePath").String()}
		readFileBytes(f, func(b []byte, err error) {
			ctx.Dispatch(func(ctx app.Context) {
				files[i].Data = b
				if left--; left == 0 {
					p.merge(ctx, files)
				}
			})
		})
	}
}

// merge adds files read from the user's disk to the set shown.
func (p *myDataPanel) merge(ctx app.Context, files []myFile) {
	s := p.set()
	into := ""
	if s != nil && p.sel < len(s.Classes) {
		into = s.Classes[p.sel].Name
	}
	in, problems, err := readMyFiles(files, into)
	if err != nil {
		p.say(err.Error()+". Nothing was imported.", true)
		p.problems = nil
		return
	}
	if s == nil {
		name := in.Name
		if top, _, ok := strings.Cut(files[0].Path, "/"); name == "" && ok {
			name = top // a chosen folder's name
		}
		if name == "" {
			name = strings.TrimSuffix(files[0].Name, path.Ext(files[0].Name))
		}
		if s, err = p.sets.newSet(name, time.Now().UnixMilli()); err != nil {
			s, _ = p.sets.newSet(fmt.Sprintf("My set %d", len(p.sets.Sets)+1), time.Now().UnixMilli())
		}
		p.cur = s.ID
	}
	changes, added, more := s.merge(in)
	p.keep(changes...)
	p.problems = append(problems, more...)
	msg := fmt.Sprintf("Imported %d examples into %s.", added, s.Name)
	if len(p.problems) > 0 {
		msg += fmt.Sprintf(" %d files were not (listed below).", len(p.problems))
	}
	p.say(msg, len(p.problems) > 0)
	p.changed(ctx)
}

// readFileBytes reads a File's bytes and passes them to done (on a JS
// callback: done must only dispatch).
func readFileBytes(f app.Value, done func([]byte, error)) {
	promise := f.Call("arrayBuffer")
	promise.Call("catch", app.FuncOf(func(this app.Value, args []app.Value) any {
		done(nil, fmt.Errorf("%s could not be read", f.Get("name").String()))
		return nil
	}))
	promise.Then(func(buf app.Value) {
		u8 := app.Window().Get("Uint8Array").New(buf)
		b := make([]byte, u8.Get("byteLength").Int())
		app.CopyBytesToGo(b, u8)
		done(b, nil)
	})
}

// download has the browser save b as a file called name.
func download(ctx app.Context, b []byte, name, mime string) {
	u8 := app.Window().Get("Uint8Array").New(len(b))
	app.CopyBytesToJS(u8, b)
	parts := app.Window().Get("Array").New()
	parts.Call("push", u8)
	opts := app.Window().Get("Object").New()
	opts.Set("type", mime)
	blob := app.Window().Get("Blob").New(parts, opts)
	url := app.Window().Get("URL").Call("createObjectURL", blob)
	a := app.Window().Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	app.Window().Get("document").Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	ctx.After(60*time.Second, func(app.Context) { app.Window().Get("URL").Call("revokeObjectURL", url) })
}

// confirm asks the user a yes-or-no question (natively: yes).
func confirm(question string) bool {
	if !app.IsClient {
		return true
	}
	return app.Window().Call("confirm", question).Bool()
}
