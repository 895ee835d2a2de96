package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Keyboard access to the clickable canvases: each is focusable (tabindex
// 0) and answers Enter and Space as a click, and the canvases that hold a
// grid (the data browser's images and pixels) move their selection with
// the arrow keys.

// onActivate returns a keydown handler that calls h for Enter and Space.
func onActivate(h app.EventHandler) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		switch e.Get("key").String() {
		case "Enter", " ":
			e.PreventDefault()
			h(ctx, e)
		default:
			ctx.PreventUpdate()
		}
	}
}

// arrowStep returns how an arrow key moves a cursor in a grid of cols
// columns (-1, +1, -cols, +cols), and false for other keys.
func arrowStep(key string, cols int) (int, bool) {
	switch key {
	case "ArrowLeft":
		return -1, true
	case "ArrowRight":
		return 1, true
	case "ArrowUp":
		return -cols, true
	case "ArrowDown":
		return cols, true
	}
	return 0, false
}
