package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// frameBudgetMs is how long work spread over animation frames may run in
// one frame. At 60 frames per second a frame lasts 16.7 ms, and the page
// still has to lay out and paint in it.
const frameBudgetMs = 6

// nextFrame runs fn on the UI goroutine at the next animation frame, without
// re-rendering src, and not at all once src is dismounted (the user switched
// tabs). Work too long for one frame (painting a network's feature maps,
// occluding an image square by square) goes on this way a slice at a time,
// so that the page keeps drawing at 60 frames per second while the worker
// trains and the views follow its snapshots.
func nextFrame(ctx app.Context, src app.Composer, fn func(app.Context)) {
	var cb app.Func
	cb = app.FuncOf(func(app.Value, []app.Value) any {
		cb.Release()
		ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Next, Source: src, Function: fn})
		return nil
	})
	app.Window().Call("requestAnimationFrame", cb)
}

// inFrames calls step(i) for i = from, from+1, … < n, as many as fit in
// frameBudgetMs, then goes on at the next frame, and calls done after the
// last. It stops early, and done is never called, when live reports that
// the work is stale (a newer drawing or model started its own).
func inFrames(ctx app.Context, src app.Composer, from, n int, live func() bool, step func(i int), done func()) {
	if !live() {
		return
	}
	t0 := inspectNow()
	for i := from; i < n; i++ {
		if i > from && inspectNow()-t0 > frameBudgetMs {
			nextFrame(ctx, src, func(ctx app.Context) { inFrames(ctx, src, i, n, live, step, done) })
			return
		}
		step(i)
	}
	done()
}
