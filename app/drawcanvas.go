package app

import (
	"math"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Geometry and behaviour of the drawing canvas.
const (
	// canvasSize is the canvas's pixel size on both axes. CSS scales the
	// element; pointer positions are mapped back to these pixels.
	canvasSize = 280
	// strokeWidth is the pen's width in canvas pixels: at 280 px it gives
	// digits about as thick, relative to their size, as MNIST's.
	strokeWidth = 18
	// strokeColor is the ink. The background stays transparent, so the alpha
	// channel of the pixels is the ink coverage.
	strokeColor = "#111"
	// changeInterval is the shortest time between two OnChange calls while
	// a stroke is being drawn.
	changeInterval = 50 * time.Millisecond
	// minPointDistance drops pointer samples closer than this to the last
	// kept point (canvas pixels), which keeps strokes smooth and short.
	minPointDistance = 1.0
)

// Element ids of the drawing canvas, stable for tests and CSS.
const (
	drawCanvasID = "draw-canvas"
	// mountedAttr is set on the canvas when the component is mounted in
	// the browser, to the page's time then (performance.now(), in ms).
	mountedAttr   = "data-mounted"
	clearButtonID = "clear"
	undoButtonID  = "undo"
)

// DOM events the canvas listens to.
const (
	eventPointerDown = "pointerdown"
	eventPointerMove = "pointermove"
	eventPointerUp   = "pointerup"
	eventPointerCanc = "pointercancel"
)

// pointerEvents are the events the canvas listens to. Losing pointer
// capture does not end a stroke: Chromium reports it spuriously when go-app
// re-renders the page around a stroke that has just begun; pointerup and
// pointercancel still end it.
var pointerEvents = []string{eventPointerDown, eventPointerMove, eventPointerUp, eventPointerCanc}

// point is a pen position in canvas pixels.
type point struct{ x, y float64 }

func mid(a, b point) point { return point{(a.x + b.x) / 2, (a.y + b.y) / 2} }

// drawCanvas is a 280x280 canvas the user draws on with a mouse, a finger or
// a pen, with Clear and Undo buttons. Strokes are thick, round-capped and
// smoothed with quadratic curves through the midpoints of the samples.
//
// After every change the canvas calls OnChange with its RGBA pixels: at most
// every changeInterval while a stroke is drawn, and once when it ends, is
// undone or is cleared.
type drawCanvas struct {
	app.Compo

	// OnChange receives the canvas pixels: w*h*4 bytes of RGBA, row-major,
	// transparent background, ink opaque (alpha is the ink coverage). The
	// slice is reused: it is only valid during the call. The canvas does not
	// update its parents after OnChange while drawing: OnChange updates what
	// it changes.
	OnChange func(ctx app.Context, rgba []byte, w, h int)
	// OnStrokes, if set, receives the finished strokes whenever a stroke
	// ends, is undone or is cleared, to keep them (see setStrokes). The
	// slice is the canvas's own: read it during the call only.
	OnStrokes func(ctx app.Context, strokes [][]point)

	strokes [][]point // finished strokes, oldest first
	cur     []point   // the stroke being drawn
	// times and curT are when each point of strokes and cur was drawn
	// (the events' timeStamp, ms), nil for strokes set from elsewhere.
	times   [][]float64
	curT    []float64
	drawing bool
	pointer int // id of the pointer that draws

	// originX, originY and scale map client coordinates to canvas pixels;
	// they are measured when a stroke starts.
	originX, originY, scale float64

	ctx2d     app.Value // the canvas's 2D context, set on mount
	pointerFn app.Func  // the pointer event listener
	listening app.Value // the element pointerFn listens on
	pixels    []byte
	lastSent  time.Time
	pending   bool // a delayed OnChange is scheduled
	gen       int  // incremented on every OnChange; stale timers check it
}

// newDrawCanvas returns an empty drawing canvas.
func newDrawCanvas() *drawCanvas {
	return &drawCanvas{}
}

// OnChanged sets the OnChange callback and returns the canvas.
func (c *drawCanvas) OnChanged(f func(ctx app.Context, rgba []byte, w, h int)) *drawCanvas {
	c.OnChange = f
	return c
}

// Render returns the canvas and its buttons.
func (c *drawCanvas) Render() app.UI {
	empty := len(c.strokes) == 0 && !c.drawing
	return app.Div().
		Class("draw").
		Body(
			app.Canvas().
				ID(drawCanvasID).
				Class("draw-canvas").
				Width(canvasSize).
				Height(canvasSize).
				Aria("label", "Drawing area: draw a digit with the mouse, a finger or a pen").
				Attr("role", "img"),
			app.Div().
				Class("draw-buttons").
				Body(
					app.Button().
						ID(undoButtonID).
						Type("button").
						Class("button").
						Title("Undo the last stroke").
						Aria("label", "Undo the last stroke").
						Disabled(empty).
						Text("Undo").
						OnClick(c.onUndo),
					app.Button().
						ID(clearButtonID).
						Type("button").
						Class("button").
						Title("Clear the drawing").
						Aria("label", "Clear the drawing").
						Disabled(empty).
						Text("Clear").
						OnClick(c.onClear),
				),
		)
}

// OnMount takes the canvas's 2D context and paints the strokes kept from an
// earlier mount.
func (c *drawCanvas) OnMount(ctx app.Context) {
	canvas := c.canvas()
	c.ctx2d = canvas.Call("getContext", "2d", map[string]any{"willReadFrequently": true})
	c.redraw()
	c.listenPointer(ctx, canvas)
	now := app.Window().Get("performance").Call("now").Float()
	canvas.Call("setAttribute", mountedAttr, strconv.FormatFloat(now, 'f', 1, 64))
}

// OnDismount forgets the 2D context and any pending callback.
func (c *drawCanvas) OnDismount() {
	if c.pointerFn != nil {
		for _, ev := range pointerEvents {
			c.listening.Call("removeEventListener", ev, c.pointerFn)
		}
		c.pointerFn.Release()
		c.pointerFn, c.listening = nil, nil
	}
	c.ctx2d = nil
	c.pending = false
	c.drawing = false
}

func (c *drawCanvas) canvas() app.Value {
	return c.JSValue().Call("querySelector", "canvas")
}

// listenPointer adds one plain DOM listener for every pointer event. It
// updates the stroke and paints right inside the event, in the order the
// browser delivers events, and only then tells go-app: queued through go-app
// instead, a pointerup could overtake the moves before it when the UI
// goroutine is busy (classifying, training), and the stroke would lose its
// end. Moves would also re-render the component and its parents each time.
// (ctx.PreventUpdate is no way out: in go-app v9.8.0 it sticks, and the
// component's later events update nothing.)
func (c *drawCanvas) listenPointer(ctx app.Context, canvas app.Value) {
	c.pointerFn = app.FuncOf(func(this app.Value, args []app.Value) any {
		if len(args) == 0 {
			return nil
		}
		e := args[0]
		var handled, ended bool
		switch e.Get("type").String() {
		case eventPointerDown:
			handled = c.pointerDown(e)
		case eventPointerMove:
			handled = c.pointerMove(e)
		default:
			handled, ended = c.pointerUp(e), true
		}
		if handled {
			// Only the canvas updates: OnChange updates what it changes
			// itself (the page updates just its live panels), so the
			// whole page is not re-rendered at the pen's rate.
			ctx.Dispatch(func(ctx app.Context) { c.changed(ctx, ended) })
		}
		return nil
	})
	for _, ev := range pointerEvents {
		canvas.Call("addEventListener", ev, c.pointerFn)
	}
	c.listening = canvas
}

// pointerDown starts a stroke.
func (c *drawCanvas) pointerDown(e app.Value) bool {
	// A mouse draws with the main button only; touch and pens report 0 too.
	if c.drawing || c.ctx2d == nil || e.Get("button").Int() != 0 {
		return false
	}
	e.Call("preventDefault")
	src := e.Get("currentTarget")
	c.pointer = e.Get("pointerId").Int()
	src.Call("setPointerCapture", c.pointer)

	rect := src.Call("getBoundingClientRect")
	c.originX = rect.Get("left").Float()
	c.originY = rect.Get("top").Float()
	c.scale = 1
	if w := rect.Get("width").Float(); w > 0 {
		c.scale = canvasSize / w
	}
	c.drawing = true
	p := c.toCanvasXY(e.Get("clientX").Float(), e.Get("clientY").Float())
	c.cur = append(c.cur[:0:0], p)
	c.curT = append(c.curT[:0:0], e.Get("timeStamp").Float())
	c.drawDot(p)
	return true
}

// pointerMove extends the stroke with the event's samples. Coalesced events
// carry the samples the browser merged into this one (up to the device's
// rate); they make fast strokes smooth.
func (c *drawCanvas) pointerMove(e app.Value) bool {
	if !c.drawing || e.Get("pointerId").Int() != c.pointer {
		return false
	}
	samples := []app.Value{e}
	if e.Get("getCoalescedEvents").Truthy() {
		if list := e.Call("getCoalescedEvents"); list.Length() > 0 {
			samples = samples[:0]
			for i, n := 0, list.Length(); i < n; i++ {
				samples = append(samples, list.Index(i))
			}
		}
	}
	for _, s := range samples {
		p := c.toCanvasXY(s.Get("clientX").Float(), s.Get("clientY").Float())
		last := c.cur[len(c.cur)-1]
		if math.Hypot(p.x-last.x, p.y-last.y) < minPointDistance {
			continue
		}
		c.cur = append(c.cur, p)
		c.curT = append(c.curT, s.Get("timeStamp").Float())
		c.drawTail(c.cur)
	}
	return true
}

// pointerUp finishes the stroke (also on cancel).
func (c *drawCanvas) pointerUp(e app.Value) bool {
	if !c.drawing || e.Get("pointerId").Int() != c.pointer {
		return false
	}
	c.drawing = false
	c.drawEnd(c.cur)
	c.strokes = append(c.strokes, c.cur)
	for len(c.times) < len(c.strokes)-1 {
		c.times = append(c.times, nil)
	}
	c.times = append(c.times[:len(c.strokes)-1], c.curT)
	c.cur, c.curT = nil, nil
	return true
}

func (c *drawCanvas) onUndo(ctx app.Context, e app.Event) {
	if len(c.strokes) == 0 || c.drawing {
		return
	}
	c.strokes = c.strokes[:len(c.strokes)-1]
	c.times = c.times[:min(len(c.times), len(c.strokes))]
	c.redraw()
	c.changed(ctx, true)
}

func (c *drawCanvas) onClear(ctx app.Context, e app.Event) {
	if c.drawing {
		return
	}
	c.strokes, c.times = nil, nil
	c.redraw()
	c.changed(ctx, true)
}

// setStrokes replaces the drawing with strokes (one kept from an earlier
// visit) and reports the change, unless a stroke is being drawn.
func (c *drawCanvas) setStrokes(ctx app.Context, strokes [][]point) {
	if c.drawing {
		return
	}
	c.strokes, c.times = strokes, nil
	c.redraw()
	c.changed(ctx, true)
	c.Update()
}

// toCanvasXY maps a client position to canvas pixels.
func (c *drawCanvas) toCanvasXY(x, y float64) point {
	return point{(x - c.originX) * c.scale, (y - c.originY) * c.scale}
}

// changed calls OnChange now when now is true, which the On handlers pass
// (go-app re-renders the parents after them), or, during a stroke, as soon
// as the last call is changeInterval old: right away or by a timer.
func (c *drawCanvas) changed(ctx app.Context, now bool) {
	if now && c.OnStrokes != nil {
		c.OnStrokes(ctx, c.strokes)
	}
	if c.OnChange == nil {
		return
	}
	if now {
		c.sendChange(ctx)
		return
	}
	if c.pending {
		return
	}
	c.pending = true
	gen := c.gen
	send := func(ctx app.Context) {
		if !c.pending || c.gen != gen || !c.Mounted() {
			return
		}
		c.sendChange(ctx)
	}
	if wait := changeInterval - time.Since(c.lastSent); wait > 0 {
		ctx.After(wait, send)
	} else {
		send(ctx)
	}
}

// sendChange reads the canvas pixels and passes them to OnChange.
func (c *drawCanvas) sendChange(ctx app.Context) {
	c.pending = false
	c.gen++ // a scheduled call is now stale
	c.lastSent = time.Now()
	if c.ctx2d == nil || c.OnChange == nil {
		return
	}
	if n := canvasSize * canvasSize * 4; len(c.pixels) != n {
		c.pixels = make([]byte, n)
	}
	img := c.ctx2d.Call("getImageData", 0, 0, canvasSize, canvasSize)
	app.CopyBytesToGo(c.pixels, img.Get("data"))
	c.OnChange(ctx, c.pixels, canvasSize, canvasSize)
}

// setPen sets the stroke style. The canvas keeps it between calls, but
// setting it before each path keeps the drawing right even if something
// else touched the context.
func (c *drawCanvas) setPen() {
	g := c.ctx2d
	g.Set("lineWidth", strokeWidth)
	g.Set("lineCap", "round")
	g.Set("lineJoin", "round")
	g.Set("strokeStyle", strokeColor)
	g.Set("fillStyle", strokeColor)
}

// drawDot paints a round dot: a stroke of one point.
func (c *drawCanvas) drawDot(p point) {
	if c.ctx2d == nil {
		return
	}
	g := c.ctx2d
	c.setPen()
	g.Call("beginPath")
	g.Call("arc", p.x, p.y, strokeWidth/2.0, 0, 2*math.Pi)
	g.Call("fill")
}

// drawTail paints the newest piece of a stroke while it is drawn: the
// quadratic curve from the midpoint before the second-last point, through
// that point, to the midpoint of the last two. Drawn one after the other,
// the pieces make the same path as drawStroke.
func (c *drawCanvas) drawTail(s []point) {
	if c.ctx2d == nil || len(s) < 2 {
		return
	}
	g := c.ctx2d
	c.setPen()
	g.Call("beginPath")
	n := len(s)
	if n == 2 {
		m := mid(s[0], s[1])
		g.Call("moveTo", s[0].x, s[0].y)
		g.Call("lineTo", m.x, m.y)
	} else {
		a := mid(s[n-3], s[n-2])
		b := mid(s[n-2], s[n-1])
		g.Call("moveTo", a.x, a.y)
		g.Call("quadraticCurveTo", s[n-2].x, s[n-2].y, b.x, b.y)
	}
	g.Call("stroke")
}

// drawEnd paints the last straight piece of a finished stroke, from the
// midpoint of its last two points to its last point.
func (c *drawCanvas) drawEnd(s []point) {
	if c.ctx2d == nil || len(s) < 2 {
		return
	}
	g := c.ctx2d
	c.setPen()
	a := mid(s[len(s)-2], s[len(s)-1])
	b := s[len(s)-1]
	g.Call("beginPath")
	g.Call("moveTo", a.x, a.y)
	g.Call("lineTo", b.x, b.y)
	g.Call("stroke")
}

// drawStroke paints a whole stroke as one path.
func (c *drawCanvas) drawStroke(s []point) {
	switch {
	case c.ctx2d == nil || len(s) == 0:
		return
	case len(s) == 1:
		c.drawDot(s[0])
		return
	}
	g := c.ctx2d
	c.setPen()
	g.Call("beginPath")
	g.Call("moveTo", s[0].x, s[0].y)
	m := mid(s[0], s[1])
	g.Call("lineTo", m.x, m.y)
	for i := 1; i < len(s)-1; i++ {
		m = mid(s[i], s[i+1])
		g.Call("quadraticCurveTo", s[i].x, s[i].y, m.x, m.y)
	}
	last := s[len(s)-1]
	g.Call("lineTo", last.x, last.y)
	g.Call("stroke")
}

// redraw clears the canvas and paints every finished stroke.
func (c *drawCanvas) redraw() {
	if c.ctx2d == nil {
		return
	}
	c.ctx2d.Call("clearRect", 0, 0, canvasSize, canvasSize)
	for _, s := range c.strokes {
		c.drawStroke(s)
	}
}
