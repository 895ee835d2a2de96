package app

import (
	// The formats whose size preprocess.CheckSize reads from the header
	// before the browser decodes a picture.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"strings"

	"github.com/cnnplay/cnnplay/nn/preprocess"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Element ids of the image picker, stable for tests and CSS.
const (
	imageInputID = "image-file"
	imageNameID  = "image-name"
	// maxImageSide bounds the pixels read from a photo: plenty for a digit,
	// and it keeps preprocessing of a 12-megapixel camera image fast.
	maxImageSide = 560
)

// imagePicker lets the user classify a picture of a digit instead of
// drawing one (the page also takes a file dropped on the drawing panel).
// OnImage receives the picture's RGBA pixels.
type imagePicker struct {
	app.Compo

	OnImage func(ctx app.Context, name string, rgba []byte, w, h int)
	OnError func(ctx app.Context, msg string)
	name    string // the file last classified
}

func newImagePicker() *imagePicker { return &imagePicker{} }

func (p *imagePicker) Render() app.UI {
	return app.Div().
		Class("image-picker").
		Body(
			app.Label().
				For(imageInputID).
				Class("button").
				Text("Classify a picture…"),
			app.Input().
				ID(imageInputID).
				Class("visually-hidden").
				Type("file").
				Accept("image/*").
				OnChange(p.onChoose),
			app.Span().
				ID(imageNameID).
				Class("image-name").
				Text(p.name),
		)
}

func (p *imagePicker) onChoose(ctx app.Context, e app.Event) {
	files := ctx.JSSrc().Get("files")
	if files.Length() > 0 {
		readImage(ctx, files.Index(0), func(ctx app.Context, name string, rgba []byte, w, h int) {
			p.name = name
			if p.OnImage != nil {
				p.OnImage(ctx, name, rgba, w, h)
			}
		}, func(ctx app.Context, msg string) {
			p.name = ""
			if p.OnError != nil {
				p.OnError(ctx, msg)
			}
		})
	}
	ctx.JSSrc().Set("value", "") // choosing the same file again fires change
}

// readImage decodes a File with the browser (any format it can show),
// scales it into a canvas no larger than maxImageSide, and calls done with
// its RGBA pixels, or fail with a message. Both run on the UI goroutine and
// update the components after them.
func readImage(ctx app.Context, file app.Value, done func(ctx app.Context, name string, rgba []byte, w, h int), fail func(ctx app.Context, msg string)) {
	name := file.Get("name").String()
	failed := func(msg string) { ctx.Dispatch(func(ctx app.Context) { ctx.Emit(func() { fail(ctx, msg) }) }) }
	if t := file.Get("type").String(); t != "" && !strings.HasPrefix(t, "image/") {
		failed(name + " is not an image (" + t + ")")
		return
	}
	// The browser decodes the whole picture before it tells its size, so
	// the size its header declares is checked first: a PNG of a few
	// hundred kilobytes can declare 20000×20000 pixels (1.6 GB decoded).
	file.Call("slice", 0, imageHeadBytes).Call("arrayBuffer").Then(func(buf app.Value) {
		u8 := app.Window().Get("Uint8Array").New(buf)
		head := make([]byte, u8.Get("byteLength").Int())
		app.CopyBytesToGo(head, u8)
		if err := preprocess.CheckSize(head); err != nil {
			failed(name + " was not read: " + strings.TrimPrefix(err.Error(), "preprocess: "))
			return
		}
		decodeImage(file, name, failed, func(rgba []byte, w, h int) {
			ctx.Dispatch(func(ctx app.Context) { ctx.Emit(func() { done(ctx, name, rgba, w, h) }) })
		})
	})
}

// imageHeadBytes is how much of a picture file is read for its header: a
// JPEG's size can follow tens of kilobytes of camera metadata.
const imageHeadBytes = 256 << 10

// decodeImage has the browser decode file, scales it into a canvas no
// larger than maxImageSide and passes its RGBA pixels to done.
func decodeImage(file app.Value, name string, failed func(string), done func(rgba []byte, w, h int)) {
	promise := app.Window().Call("createImageBitmap", file)
	promise.Call("catch", app.FuncOf(func(this app.Value, args []app.Value) any {
		failed(name + " could not be read as an image")
		return nil
	}))
	promise.Then(func(bmp app.Value) {
		w, h := bmp.Get("width").Float(), bmp.Get("height").Float()
		scale := min(1, maxImageSide/max(w, h))
		cw, ch := max(1, int(w*scale)), max(1, int(h*scale))
		canvas := app.Window().Get("document").Call("createElement", "canvas")
		canvas.Set("width", cw)
		canvas.Set("height", ch)
		g := canvas.Call("getContext", "2d")
		g.Call("drawImage", bmp, 0, 0, cw, ch)
		bmp.Call("close")
		rgba := make([]byte, cw*ch*4)
		app.CopyBytesToGo(rgba, g.Call("getImageData", 0, 0, cw, ch).Get("data"))
		done(rgba, cw, ch)
	})
}
