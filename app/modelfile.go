package app

import (
	"bytes"

	"github.com/cnnplay/cnnplay/internal/budget"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Element ids of the model file controls, stable for tests.
const (
	modelFilesID   = "model-files"
	saveModelID    = "save-model"
	loadModelID    = "load-model"
	shippedModelID = "use-shipped"
	modelMessageID = "model-message"
	modelNameID    = "model-name"
)

// modelFiles saves the model that classifies the drawing to a file and loads
// one (file picker or drop). Any model that decodes and classifies a
// drawing is loaded and replaces the current one, whatever its classes and
// input (views that cannot show it say why); a file that does not decode,
// or whose model cannot classify a drawing (checkShowable), leaves the
// current model as it was and says what is wrong with it.
type modelFiles struct {
	app.Compo

	Model     *model.Model
	Describe  string // which model this is, in words
	FileName  string // for Save
	OnLoad    func(ctx app.Context, m *model.Model, name string)
	OnShipped func(ctx app.Context)

	message  string
	bad      bool
	dragOver bool
}

func newModelFiles() *modelFiles { return &modelFiles{} }

func (f *modelFiles) Render() app.UI {
	cls := "model-files"
	if f.dragOver {
		cls += " drag-over"
	}
	msgCls := "model-message"
	if f.bad {
		msgCls += " field-error"
	}
	return app.Div().
		ID(modelFilesID).
		Class(cls).
		OnDragOver(f.onDragOver).
		OnDragLeave(f.onDragLeave).
		OnDrop(f.onDrop).
		Body(
			app.P().
				ID(modelNameID).
				Class("model-name").
				Text(f.Describe),
			app.Div().
				Class("button-row").
				Body(
					app.Button().
						ID(saveModelID).
						Disabled(f.Model == nil).
						OnClick(f.onSave).
						Text("Save model"),
					app.Label().
						Class("file-button").
						For(loadModelID).
						Text("Load model…"),
					app.Input().
						ID(loadModelID).
						Class("visually-hidden").
						Type("file").
						Accept(".cnn,application/octet-stream").
						OnChange(f.onPick),
					app.Button().
						ID(shippedModelID).
						OnClick(f.onShipped).
						Text("Use the shipped model"),
				),
			app.P().
				Class("hint").
				Text("or drop a .cnn file here"),
			app.P().
				ID(modelMessageID).
				Class(msgCls).
				Attr("role", "status").
				Text(f.message),
		)
}

// onSave downloads the current model as a .cnn file.
func (f *modelFiles) onSave(ctx app.Context, e app.Event) {
	if f.Model == nil {
		return
	}
	var buf bytes.Buffer
	if err := f.Model.Encode(&buf); err != nil {
		f.message, f.bad = "The model could not be saved: "+err.Error(), true
		return
	}
	u8 := app.Window().Get("Uint8Array").New(buf.Len())
	app.CopyBytesToJS(u8, buf.Bytes())
	parts := app.Window().Get("Array").New()
	parts.Call("push", u8)
	opts := app.Window().Get("Object").New()
	opts.Set("type", "application/octet-stream")
	blob := app.Window().Get("Blob").New(parts, opts)
	url := app.Window().Get("URL").Call("createObjectURL", blob)
	a := app.Window().Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", f.FileName)
	app.Window().Get("document").Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	// The download has its own reference; free ours a little later.
	ctx.After(60e9, func(app.Context) { app.Window().Get("URL").Call("revokeObjectURL", url) })
	f.message, f.bad = "Saved "+f.FileName+" ("+budget.FormatBytes(int64(buf.Len()))+").", false
}

func (f *modelFiles) onPick(ctx app.Context, e app.Event) {
	files := ctx.JSSrc().Get("files")
	if files.Truthy() && files.Length() > 0 {
		f.read(ctx, files.Index(0))
	}
	ctx.JSSrc().Set("value", "") // picking the same file again loads it again
}

func (f *modelFiles) onDragOver(ctx app.Context, e app.Event) {
	e.PreventDefault()
	f.dragOver = true
}

func (f *modelFiles) onDragLeave(ctx app.Context, e app.Event) { f.dragOver = false }

func (f *modelFiles) onDrop(ctx app.Context, e app.Event) {
	e.PreventDefault()
	f.dragOver = false
	files := e.Get("dataTransfer").Get("files")
	if files.Truthy() && files.Length() > 0 {
		f.read(ctx, files.Index(0))
	}
}

func (f *modelFiles) onShipped(ctx app.Context, e app.Event) {
	if f.OnShipped != nil {
		f.OnShipped(ctx)
	}
}

// read decodes a File in the background and passes the model on, or says
// what is wrong with the file.
func (f *modelFiles) read(ctx app.Context, file app.Value) {
	name := file.Get("name").String()
	size := file.Get("size").Int()
	if size > model.MaxFileBytes {
		f.message, f.bad = name+" is not a model this page can load: it is larger than "+budget.FormatBytes(model.MaxFileBytes)+". The current model is unchanged.", true
		return
	}
	f.message, f.bad = "Reading "+name+"…", false
	file.Call("arrayBuffer").Then(func(buf app.Value) {
		u8 := app.Window().Get("Uint8Array").New(buf)
		data := make([]byte, u8.Get("byteLength").Int())
		app.CopyBytesToGo(data, u8)
		ctx.Dispatch(func(ctx app.Context) {
			m, err := model.Decode(bytes.NewReader(data))
			if err == nil {
				err = checkShowable(m)
			}
			if err != nil {
				f.message, f.bad = name+" could not be loaded ("+inspectWhy(err)+"). The current model is unchanged.", true
				return
			}
			f.message, f.bad = "Loaded "+name+" ("+describeShape(m)+").", false
			if f.OnLoad != nil {
				ctx.Emit(func() { f.OnLoad(ctx, m, name) })
			}
		})
	})
}
