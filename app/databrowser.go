package app

import (
	"fmt"
	"strconv"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Ids and sizes of the data browser.
const (
	dataID        = "view-data"
	dataGridID    = "data-grid"
	dataPixelsID  = "data-pixels"
	dataNormID    = "data-normalised"
	dataPerClass  = 12
	dataCellPx    = 18 // pixel-grid cell size in canvas pixels
	dataPageStart = "data-next"
)

// dataBrowser shows the test images the network is judged on: a grid of
// samples per class, and one image's 28x28 pixel values, raw (0–255) or
// normalised as the network receives them ((x − mean) / std).
type dataBrowser struct {
	app.Compo

	Test      *dataset.Set
	Status    string
	Mean, Std float32

	page     int // which samples of each class are shown
	idx      []int
	sel      int
	norm     bool
	mos      *inspectMosaic
	selLabel string
}

func (v *dataBrowser) Render() app.UI {
	if v.Test == nil {
		return app.Div().ID(dataID).Class("inspect-view data").Body(app.P().Class("inspect-note").Text(v.Status))
	}
	return app.Div().
		ID(dataID).
		Class("inspect-view data").
		Body(
			app.P().Class("inspect-note").Text(fmt.Sprintf("The %d test images of %s, %d of each class per row. Click an image to see its pixels.", v.Test.N, v.Test.Name, dataPerClass)),
			app.Div().Class("data-layout").Body(
				app.Div().Class("data-grid-wrap").Body(
					app.Ol().Class("data-classes").Body(app.Range(v.Test.Classes).Slice(func(i int) app.UI {
						return app.Li().Text(v.Test.Classes[i])
					})),
					app.Canvas().ID(dataGridID).Class("data-grid").Width(1).Height(1).OnClick(v.onPick),
				),
				app.Div().Class("data-pixels-wrap").Body(
					app.Div().Class("conv-controls").Body(
						app.Button().ID(dataPageStart).Class("button").Text("Other samples").OnClick(v.onNext),
						app.Label().Class("inspect-control").Body(
							app.Input().ID(dataNormID).Type("checkbox").Checked(v.norm).OnChange(v.onNorm),
							app.Text(fmt.Sprintf(" normalised: (x − %.4g) / %.4g", v.Mean, max(v.Std, 1e-9))),
						),
					),
					app.P().Class("inspect-note").Text(v.selLabel),
					app.Canvas().ID(dataPixelsID).Class("data-pixels").Width(28*dataCellPx).Height(28*dataCellPx),
				),
			),
		)
}

func (v *dataBrowser) OnMount(ctx app.Context)  { v.refresh(ctx) }
func (v *dataBrowser) OnUpdate(ctx app.Context) { v.refresh(ctx) }

func (v *dataBrowser) onNext(ctx app.Context, e app.Event) { v.page++; v.refresh(ctx) }

func (v *dataBrowser) onNorm(ctx app.Context, e app.Event) {
	v.norm = ctx.JSSrc().Get("checked").Bool()
	v.paintPixels()
}

func (v *dataBrowser) onPick(ctx app.Context, e app.Event) {
	t := inspectEventTile(v.mos, e)
	if t < 0 || t >= len(v.idx) || v.idx[t] < 0 {
		return
	}
	v.sel = v.idx[t]
	v.paintPixels()
}

// refresh picks dataPerClass images of each class and paints the grid.
func (v *dataBrowser) refresh(ctx app.Context) {
	if v.Test == nil {
		return
	}
	t0 := inspectNow()
	k := len(v.Test.Classes)
	v.idx = make([]int, k*dataPerClass)
	for i := range v.idx {
		v.idx[i] = -1
	}
	seen := make([]int, k)
	skip := v.page * dataPerClass
	for i := 0; i < v.Test.N; i++ {
		c := int(v.Test.Labels[i])
		if seen[c] < skip+dataPerClass {
			if seen[c] >= skip {
				v.idx[c*dataPerClass+seen[c]-skip] = i
			}
			seen[c]++
		}
	}
	h, w := v.Test.H, v.Test.W
	v.mos = newInspectMosaic(len(v.idx), dataPerClass, w, h, 2)
	tile := make([]byte, 4*h*w)
	for j, i := range v.idx {
		if i >= 0 {
			v.mos.put(j, inspect.GreyRGBA(tile, v.Test.Image(i), 0, 1))
		}
	}
	inspectPaint(dataGridID, v.mos.px, v.mos.w, v.mos.h)
	if v.sel < 0 || v.sel >= v.Test.N {
		v.sel = 0
	}
	v.paintPixels()
	inspectMark(dataID, t0)
	ctx.Dispatch(func(app.Context) {})
}

// paintPixels draws the selected image as a grid of its pixel values.
func (v *dataBrowser) paintPixels() {
	if v.Test == nil {
		return
	}
	canvas := app.Window().GetElementByID(dataPixelsID)
	if !canvas.Truthy() {
		return
	}
	img := v.Test.Image(v.sel)
	v.selLabel = fmt.Sprintf("Test image %d, a “%s”.", v.sel, v.Test.Classes[v.Test.Labels[v.sel]])
	std := v.Std
	if std == 0 {
		std = 1
	}
	g := canvas.Call("getContext", "2d")
	g.Set("font", "7px system-ui, sans-serif")
	g.Set("textAlign", "center")
	g.Set("textBaseline", "middle")
	for y := 0; y < v.Test.H; y++ {
		for x := 0; x < v.Test.W; x++ {
			p := img[y*v.Test.W+x]
			c := int(255*p + 0.5)
			g.Set("fillStyle", fmt.Sprintf("rgb(%d,%d,%d)", c, c, c))
			g.Call("fillRect", x*dataCellPx, y*dataCellPx, dataCellPx, dataCellPx)
			if p == 0 && !v.norm {
				continue
			}
			text := strconv.Itoa(c)
			if v.norm {
				text = strconv.FormatFloat(float64((p-v.Mean)/std), 'f', 1, 32)
			}
			if c > 127 {
				g.Set("fillStyle", "#000")
			} else {
				g.Set("fillStyle", "#fff")
			}
			g.Call("fillText", text, x*dataCellPx+dataCellPx/2, y*dataCellPx+dataCellPx/2)
		}
	}
}
