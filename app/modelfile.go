package app

import (
	"bytes"
	"errors"
	"path"
	"strings"

	"github.com/cnnplay/cnnplay/internal/budget"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Element ids of the model file controls, stable for tests.
const (
	modelFilesID   = "model-files"
	saveModelID    = "save-model"
	saveONNXID     = "save-onnx"
	saveTFJSID     = "save-tfjs"
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

// saveButton is one way to save the model: cnnplay's own file, or a
// format other frameworks read, which the converter worker writes (format
// and ext as in package formats).
type saveButton struct {
	id, format, ext, label, title string
}

var saveButtons = []saveButton{
	{saveModelID, "cnn", ".cnn", "Save model", "A .cnn file: this page and the cnn command load it again"},
	{saveONNXID, "onnx", ".onnx", "Save as ONNX", "For ONNX Runtime, PyTorch and other frameworks: input [N,C,H,W] of pixels in [0,1], output the class probabilities"},
	{saveTFJSID, "tfjs", ".zip", "Save as TF.js (zip)", "A TensorFlow.js layers model (model.json and its weights), zipped: input [N,H,W,C] of pixels in [0,1]; Keras reads it through tensorflowjs_converter"},
}

// loadAccept is what the file picker offers: every format formats.Decode
// reads, and the weight files (.bin) of a TF.js model.json picked with it.
const loadAccept = ".cnn,.onnx,.zip,.json,.bin,application/octet-stream"

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
					app.Range(saveButtons).Slice(f.saveButton),
					app.Label().
						Class("file-button").
						For(loadModelID).
						Text("Load model…"),
					app.Input().
						ID(loadModelID).
						Class("visually-hidden").
						Type("file").
						Accept(loadAccept).
						Multiple(true).
						OnChange(f.onPick),
					app.Button().
						ID(shippedModelID).
						OnClick(f.onShipped).
						Text("Use the shipped model"),
				),
			app.P().
				Class("hint").
				Text("or drop a .cnn, .onnx or TF.js file here (a zip, or model.json with its weight files)"),
			app.P().
				ID(modelMessageID).
				Class(msgCls).
				Attr("role", "status").
				Text(f.message),
		)
}

// saveButton is the i-th of saveButtons.
func (f *modelFiles) saveButton(i int) app.UI {
	b := saveButtons[i]
	return app.Button().
		ID(b.id).
		Disabled(f.Model == nil).
		Title(b.title).
		OnClick(func(ctx app.Context, e app.Event) { f.save(ctx, b) }).
		Text(b.label)
}

// save downloads the current model as b says, named after FileName: a
// .cnn file at once, another format once the converter has written it.
func (f *modelFiles) save(ctx app.Context, b saveButton) {
	if f.Model == nil {
		return
	}
	var buf bytes.Buffer
	if err := f.Model.Encode(&buf); err != nil {
		f.message, f.bad = "The model could not be saved: "+err.Error(), true
		return
	}
	name := strings.TrimSuffix(f.FileName, ".cnn") + b.ext
	if b.format == "cnn" {
		f.download(ctx, name, buf.Bytes())
		return
	}
	f.message, f.bad = "Writing "+name+"…", false
	convertModel(ctx, convertEncode, b.format, "", buf.Bytes(), func(data []byte, err error) {
		if err != nil {
			f.message, f.bad = name+" could not be written: "+err.Error(), true
			return
		}
		f.download(ctx, name, data)
	})
}

// download offers data to the user as the file name.
func (f *modelFiles) download(ctx app.Context, name string, data []byte) {
	u8 := app.Window().Get("Uint8Array").New(len(data))
	app.CopyBytesToJS(u8, data)
	parts := app.Window().Get("Array").New()
	parts.Call("push", u8)
	opts := app.Window().Get("Object").New()
	opts.Set("type", "application/octet-stream")
	blob := app.Window().Get("Blob").New(parts, opts)
	url := app.Window().Get("URL").Call("createObjectURL", blob)
	a := app.Window().Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	app.Window().Get("document").Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	// The download has its own reference; free ours a little later.
	ctx.After(60e9, func(app.Context) { app.Window().Get("URL").Call("revokeObjectURL", url) })
	f.message, f.bad = "Saved "+name+" ("+budget.FormatBytes(int64(len(data)))+").", false
}

func (f *modelFiles) onPick(ctx app.Context, e app.Event) {
	if files := ctx.JSSrc().Get("files"); files.Truthy() {
		f.readFiles(ctx, files)
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
	if files := e.Get("dataTransfer").Get("files"); files.Truthy() {
		f.readFiles(ctx, files)
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
			if !errors.Is(err, model.ErrNotModel) || !converts(name) {
				f.loaded(ctx, name, m, err)
				return
			}
			f.convert(ctx, name, name, data)
		})
	})
}

// convert has the converter make a .cnn file of data, a model in another
// format (ONNX, TF.js) that it reads as the file file, and loads it as the
// file name.
func (f *modelFiles) convert(ctx app.Context, name, file string, data []byte) {
	f.message = "Converting " + name + "…"
	convertModel(ctx, convertDecode, "", file, data, func(cnn []byte, err error) {
		var m *model.Model
		if err == nil {
			m, err = model.Decode(bytes.NewReader(cnn))
		}
		f.loaded(ctx, name, m, err)
	})
}

// converts reports whether the file name may be a model the converter
// reads: the extensions of the formats it reads, or none. Other files that
// are not .cnn files are refused at once, without starting it.
func converts(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".onnx", ".zip", ".json", "":
		return true
	}
	return false
}

// loaded passes on the model m read from the file name, or says why the
// file could not be loaded (err, or a model the page cannot show).
func (f *modelFiles) loaded(ctx app.Context, name string, m *model.Model, err error) {
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
}
