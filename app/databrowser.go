package app

import (
	"fmt"
	"strconv"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Ids, splits and sizes of the data browser.
const (
	dataID         = "view-data"
	dataGridID     = "data-grid"
	dataPixelsID   = "data-pixels"
	dataNormID     = "data-normalised"
	dataReadoutID  = "data-pixel-readout"
	dataTrainBarID = "data-train-progress"
	dataPageStart  = "data-next"
	// dataTest and dataTrain name the sets the browser switches between
	// (ids data-split-test and data-split-train).
	dataTest  = "test"
	dataTrain = "train"
	// dataPerClass is how many images of each class a grid row shows.
	dataPerClass = 12
	dataCellPx   = 20 // pixel-grid cell size in canvas pixels
)

// dataBrowser shows the images a network learns from (the training set) or
// is judged on (the test set): a grid of samples per class, and one image's
// 28x28 pixel values, raw (0–255) or normalised as the network receives
// them ((x/255 − mean) / std), with the arithmetic for the pixel under the
// pointer.
type dataBrowser struct {
	app.Compo

	Split     string          // dataTest or dataTrain ("" is dataTest)
	Dataset   string          // a name in the dataset registry
	Set       *inspect.Images // the images of Split, nil while loading
	Status    string          // why Set is nil
	Got       int64           // bytes downloaded of a loading set
	Total     int64           // the size of that download, 0 if unknown
	Mean, Std float32
	OnSplit   func(ctx app.Context, split string)

	shown   *inspect.Images // the set page and sel belong to
	page    int             // which samples of each class are shown
	idx     []int
	sel     int
	norm    bool
	readout string
	mos     *inspectMosaic
	cursor  int // the tile the arrow keys are on
	px, py  int // the pixel the readout is of
	// What the canvases show: the panel updates the browser for every
	// stroke, which changes none of it.
	painted                *inspect.Images
	paintedPage            int
	paintedMean, paintedSD float32
}

func (v *dataBrowser) Render() app.UI {
	if v.Set != v.shown {
		v.shown, v.page, v.sel, v.readout = v.Set, 0, 0, ""
	}
	if v.Set == nil {
		v.painted = nil // the canvases go, and come back blank
	}
	return app.Div().
		ID(dataID).
		Class("inspect-view data").
		DataSet("split", v.split()).
		Body(
			app.Div().
				Class("data-split").
				Attr("role", "group").
				Aria("label", "Images to browse").
				Body(
					v.splitButton(dataTest, "Test images", groupDigits(10000)+": the network is judged on them"),
					v.splitButton(dataTrain, "Training images", groupDigits(60000)+": the network learns from them"),
				),
			v.renderSet(),
		)
}

// renderSet returns the shown set's grid and pixels, or why they are
// missing with the download's progress.
func (v *dataBrowser) renderSet() app.UI {
	if v.Set == nil {
		return app.Div().Body(
			app.P().Class("inspect-note").Text(v.Status),
			app.If(v.split() == dataTrain && v.Got > 0 && v.Total > 0,
				app.Progress().
					ID(dataTrainBarID).
					Class("data-progress").
					Max(v.Total).
					Value(v.Got),
			),
		)
	}
	return app.Div().Body(
		app.P().Class("inspect-note").Text(v.note()),
		app.Div().Class("data-layout").Body(
			app.Div().Class("data-grid-wrap").Body(
				app.Ol().Class("data-classes").Body(app.Range(v.Set.Classes).Slice(func(i int) app.UI {
					return app.Li().Text(v.Set.Classes[i])
				})),
				app.Canvas().ID(dataGridID).Class("data-grid").Width(1).Height(1).OnClick(v.onPick).
					TabIndex(0).Attr("role", "grid").
					Aria("label", "Sample images, one class per row: arrow keys choose an image, its pixels show beside").
					OnKeyDown(v.onGridKey),
			),
			app.Div().Class("data-pixels-wrap").Body(
				app.Div().Class("conv-controls").Body(
					app.Button().ID(dataPageStart).Class("button").Text("Other samples").OnClick(v.onNext),
					app.Label().Class("inspect-control").Body(
						app.Input().ID(dataNormID).Type("checkbox").Checked(v.norm).OnChange(v.onNorm),
						app.Text(fmt.Sprintf(" normalised: (x/255 − %.4g) / %.4g", v.Mean, v.std())),
					),
				),
				app.P().Class("inspect-note").Text(v.selText()),
				app.Canvas().
					ID(dataPixelsID).
					Class("data-pixels").
					Width(28*dataCellPx).
					Height(28*dataCellPx).
					OnMouseMove(v.onPixel).
					OnClick(v.onPixel).
					TabIndex(0).
					Attr("role", "img").
					Aria("label", "The chosen image's pixels: arrow keys read them one by one").
					OnKeyDown(v.onPixelKey),
				app.P().ID(dataReadoutID).Class("data-readout").Aria("live", "polite").Text(v.readoutText()),
			),
		),
	)
}

// splitButton is one side of the test/training switch.
func (v *dataBrowser) splitButton(split, label, detail string) app.UI {
	return app.Button().
		ID("data-split-"+split).
		Class("data-split-button").
		Aria("pressed", v.split() == split).
		OnClick(func(ctx app.Context, e app.Event) {
			if v.OnSplit != nil && v.split() != split {
				ctx.Emit(func() { v.OnSplit(ctx, split) })
			}
		}).
		Body(
			app.Strong().Text(label),
			app.Span().Text(" "+detail),
		)
}

func (v *dataBrowser) split() string {
	if v.Split == dataTrain {
		return dataTrain
	}
	return dataTest
}

func (v *dataBrowser) std() float32 {
	if v.Std == 0 {
		return 1
	}
	return v.Std
}

// note says what the shown set is for.
func (v *dataBrowser) note() string {
	name := datasetName(v.Dataset)
	what := fmt.Sprintf("The %s test images of %s. The network never learns from them: its accuracy is measured on them.", groupDigits(v.Set.N), name)
	if v.split() == dataTrain {
		what = fmt.Sprintf("The %s training images of %s, the ones the network learns from (the training panel keeps some aside to validate).", groupDigits(v.Set.N), name)
	}
	return fmt.Sprintf("%s %d of each class per row; click an image to see its pixels.", what, dataPerClass)
}

// selText names the image whose pixels are shown.
func (v *dataBrowser) selText() string {
	set := "Test"
	if v.split() == dataTrain {
		set = "Training"
	}
	return fmt.Sprintf("%s image %d, a “%s”.", set, v.sel, v.Set.Classes[v.Set.Labels[v.sel]])
}

// readoutText explains the normalisation of the pixel under the pointer,
// and of black and white when the pointer is elsewhere.
func (v *dataBrowser) readoutText() string {
	if v.readout != "" {
		return v.readout
	}
	return fmt.Sprintf("Normalising makes black (0) %.2f and white (255) %.2f; point at a pixel to see its arithmetic.",
		inspect.Normalise(0, v.Mean, v.Std), inspect.Normalise(255, v.Mean, v.Std))
}

func (v *dataBrowser) OnMount(ctx app.Context)  { v.refresh() }
func (v *dataBrowser) OnUpdate(ctx app.Context) { v.refresh() }

func (v *dataBrowser) onNext(ctx app.Context, e app.Event) { v.page++; v.refresh() }

func (v *dataBrowser) onNorm(ctx app.Context, e app.Event) {
	v.norm = ctx.JSSrc().Get("checked").Bool()
	v.paintPixels()
}

func (v *dataBrowser) onPick(ctx app.Context, e app.Event) {
	t := inspectEventTile(v.mos, e)
	if t < 0 || t >= len(v.idx) || v.idx[t] < 0 {
		ctx.PreventUpdate()
		return
	}
	v.sel, v.readout = v.idx[t], ""
	v.paintPixels()
}

// onPixel shows the value of the pixel under the pointer before and after
// normalisation.
func (v *dataBrowser) onPixel(ctx app.Context, e app.Event) {
	if v.Set == nil {
		return
	}
	r := ctx.JSSrc().Call("getBoundingClientRect")
	w, h := r.Get("width").Float(), r.Get("height").Float()
	if w <= 0 || h <= 0 {
		return
	}
	x := int((e.Get("clientX").Float() - r.Get("left").Float()) * float64(v.Set.W) / w)
	y := int((e.Get("clientY").Float() - r.Get("top").Float()) * float64(v.Set.H) / h)
	if !v.readPixel(x, y) {
		ctx.PreventUpdate()
	}
}

// readPixel shows the value of pixel (x, y) of the chosen image and
// reports whether the readout changed.
func (v *dataBrowser) readPixel(x, y int) bool {
	if x < 0 || y < 0 || x >= v.Set.W || y >= v.Set.H {
		return false
	}
	v.px, v.py = x, y
	b := v.Set.Bytes(v.sel)[y*v.Set.W+x]
	text := fmt.Sprintf("Row %d, column %d: %d → %d/255 = %.3f → (%.3f − %.4g) / %.4g = %.2f",
		y+1, x+1, b, b, float32(b)/255, float32(b)/255, v.Mean, v.std(), inspect.Normalise(b, v.Mean, v.Std))
	if text == v.readout {
		return false
	}
	v.readout = text
	return true
}

// onPixelKey moves the pixel readout with the arrow keys.
func (v *dataBrowser) onPixelKey(ctx app.Context, e app.Event) {
	d, ok := arrowStep(e.Get("key").String(), 1)
	if !ok || v.Set == nil {
		ctx.PreventUpdate()
		return
	}
	e.PreventDefault()
	x, y := v.px, v.py
	if d == 1 || d == -1 {
		x += d
	} else {
		y += d
	}
	if !v.readPixel(x, y) {
		ctx.PreventUpdate()
	}
}

// onGridKey moves the chosen image with the arrow keys (Enter and Space
// choose the one under the cursor, where the arrows have not yet).
func (v *dataBrowser) onGridKey(ctx app.Context, e app.Event) {
	key := e.Get("key").String()
	if v.mos == nil || len(v.idx) == 0 {
		ctx.PreventUpdate()
		return
	}
	d, ok := arrowStep(key, v.mos.cols)
	if !ok && key != "Enter" && key != " " {
		ctx.PreventUpdate()
		return
	}
	e.PreventDefault()
	t := min(max(v.cursor+d, 0), len(v.idx)-1)
	if v.idx[t] < 0 {
		ctx.PreventUpdate()
		return
	}
	v.cursor, v.sel, v.readout = t, v.idx[t], ""
	v.paintPixels()
}

// refresh picks dataPerClass images of each class and paints the grid.
func (v *dataBrowser) refresh() {
	if v.Set == nil || (v.Set == v.painted && v.page == v.paintedPage && v.Mean == v.paintedMean && v.Std == v.paintedSD) {
		return
	}
	v.painted, v.paintedPage, v.paintedMean, v.paintedSD = v.Set, v.page, v.Mean, v.Std
	t0 := inspectNow()
	k := len(v.Set.Classes)
	v.idx = inspect.ClassSamples(v.Set.Labels, k, dataPerClass, v.page)
	if v.idx[0] < 0 && v.page > 0 { // past the rarest class's images: start again
		v.page = 0
		v.idx = inspect.ClassSamples(v.Set.Labels, k, dataPerClass, 0)
	}
	h, w := v.Set.H, v.Set.W
	v.mos = newInspectMosaic(len(v.idx), dataPerClass, w, h, 2)
	img := make([]float32, h*w)
	tile := make([]byte, 4*h*w)
	for j, i := range v.idx {
		if i >= 0 {
			v.mos.put(j, inspect.GreyRGBA(tile, v.Set.Image(img, i), 0, 1))
		}
	}
	inspectPaint(dataGridID, v.mos.px, v.mos.w, v.mos.h)
	if v.sel < 0 || v.sel >= v.Set.N {
		v.sel = 0
	}
	v.paintPixels()
	inspectMark(dataID, t0)
}

// paintPixels draws the selected image as a grid of its pixel values.
func (v *dataBrowser) paintPixels() {
	if v.Set == nil {
		return
	}
	canvas := app.Window().GetElementByID(dataPixelsID)
	if !canvas.Truthy() {
		return
	}
	img := v.Set.Bytes(v.sel)
	g := canvas.Call("getContext", "2d")
	g.Set("font", "8px system-ui, sans-serif")
	g.Set("textAlign", "center")
	g.Set("textBaseline", "middle")
	for y := 0; y < v.Set.H; y++ {
		for x := 0; x < v.Set.W; x++ {
			b := img[y*v.Set.W+x]
			g.Set("fillStyle", fmt.Sprintf("rgb(%d,%d,%d)", b, b, b))
			g.Call("fillRect", x*dataCellPx, y*dataCellPx, dataCellPx, dataCellPx)
			if b == 0 && !v.norm {
				continue
			}
			text := strconv.Itoa(int(b))
			if v.norm {
				text = strconv.FormatFloat(float64(inspect.Normalise(b, v.Mean, v.Std)), 'f', 1, 32)
			}
			if b > 127 {
				g.Set("fillStyle", "#000")
			} else {
				g.Set("fillStyle", "#fff")
			}
			g.Call("fillText", text, x*dataCellPx+dataCellPx/2, y*dataCellPx+dataCellPx/2)
		}
	}
}
