package app

import (
	"net/url"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Present mode and the presenter's keyboard shortcuts. Present mode is for
// a room: large type, thick strokes, high contrast and the secondary
// controls (settings, architecture editor, model files, sharing) hidden,
// all in CSS under the page's "present" class. It is a toggle in the page's
// header and the link parameter present=1.
const (
	presentParam     = "present"
	presentClass     = "present"
	presentToggleID  = "present-toggle"
	shortcutsID      = "shortcuts"
	shortcutsOpenID  = "shortcuts-open"
	shortcutsCloseID = "shortcuts-close"
)

// shortcutList is what the overlay lists: key and action.
var shortcutList = [][2]string{
	{"Space", "start training, pause, or resume"},
	{"C", "clear the drawing"},
	{"← →", "previous or next view inside the network"},
	{"?", "show or hide this list"},
	{"Esc", "close this list"},
}

// presentOn reports whether a link's query asks for present mode.
func presentOn(rawQuery string) bool {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return false
	}
	switch q.Get(presentParam) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// presenter is the header's present mode toggle and shortcuts button, the
// shortcuts overlay, and the keyboard listener that serves the shortcuts
// anywhere on the page (except while typing in a field). A shortcut clicks
// the panels' own buttons, so that it does exactly what a click does.
type presenter struct {
	app.Compo

	On       bool
	OnToggle func(ctx app.Context, on bool)

	help     bool
	unlisten func()
}

func (pr *presenter) OnMount(ctx app.Context) {
	pr.unlisten = app.Window().AddEventListener("keydown", pr.onKey)
}

func (pr *presenter) OnDismount() {
	if pr.unlisten != nil {
		pr.unlisten()
	}
}

func (pr *presenter) Render() app.UI {
	return app.Div().
		Class("presenter").
		Body(
			app.Button().
				ID(presentToggleID).
				Type("button").
				Class("header-button").
				Aria("pressed", pr.On).
				Title("Present mode: large type and high contrast for a room").
				OnClick(pr.onToggle).
				Text("Present"),
			app.Button().
				ID(shortcutsOpenID).
				Type("button").
				Class("header-button").
				Aria("haspopup", "dialog").
				Title("Keyboard shortcuts (?)").
				OnClick(pr.onHelp).
				Text("Shortcuts ?"),
			app.If(pr.help,
				pr.renderHelp(),
			),
		)
}

func (pr *presenter) renderHelp() app.UI {
	return app.Div().
		Class("shortcuts-backdrop").
		Body(
			app.Div().
				ID(shortcutsID).
				Class("shortcuts").
				Attr("role", "dialog").
				Aria("modal", "true").
				Aria("labelledby", shortcutsID+"-title").
				Body(
					app.H2().
						ID(shortcutsID+"-title").
						Text("Keyboard shortcuts"),
					app.Dl().
						Body(app.Range(shortcutList).Slice(func(i int) app.UI {
							return app.Div().
								Class("shortcut").
								Body(
									app.Dt().Body(app.Kbd().Text(shortcutList[i][0])),
									app.Dd().Text(shortcutList[i][1]),
								)
						})),
					app.Button().
						ID(shortcutsCloseID).
						Type("button").
						Class("button").
						OnClick(pr.onClose).
						Text("Close"),
				),
		)
}

func (pr *presenter) onToggle(ctx app.Context, e app.Event) {
	pr.On = !pr.On
	if pr.OnToggle != nil {
		pr.OnToggle(ctx, pr.On)
	}
}

func (pr *presenter) onHelp(ctx app.Context, e app.Event) { pr.setHelp(ctx, !pr.help) }

func (pr *presenter) onClose(ctx app.Context, e app.Event) { pr.setHelp(ctx, false) }

// setHelp shows or hides the overlay, moving the focus into it and back
// to the button that opens it.
func (pr *presenter) setHelp(ctx app.Context, on bool) {
	if pr.help == on {
		return
	}
	pr.help = on
	focus := shortcutsOpenID
	if on {
		focus = shortcutsCloseID
	}
	ctx.Defer(func(ctx app.Context) {
		if el := app.Window().GetElementByID(focus); el.Truthy() {
			el.Call("focus")
		}
	})
}

// onKey serves the shortcuts. Keys typed into a field, and keys with
// Ctrl, Alt or Meta, are left alone; so is Space on a button, link or
// checkbox, which activates it.
func (pr *presenter) onKey(ctx app.Context, e app.Event) {
	if e.Get("defaultPrevented").Bool() || e.Get("ctrlKey").Bool() || e.Get("altKey").Bool() || e.Get("metaKey").Bool() {
		return
	}
	target := e.Get("target")
	tag := ""
	if target.Truthy() && target.Get("tagName").Truthy() {
		tag = target.Get("tagName").String()
	}
	if tag == "INPUT" || tag == "SELECT" || tag == "TEXTAREA" || (target.Truthy() && target.Get("isContentEditable").Bool()) {
		return
	}
	key := e.Get("key").String()
	switch {
	case key == "Escape" && pr.help:
		pr.setHelp(ctx, false)
	case key == "?":
		pr.setHelp(ctx, !pr.help)
	case pr.help:
		return // the overlay is modal
	case key == " " && tag != "BUTTON" && tag != "A" && tag != "SUMMARY":
		if pressFirst(pauseID, resumeID, startID) {
			e.PreventDefault() // no scrolling
		}
	case key == "c" || key == "C":
		pressFirst(clearButtonID)
	case key == "ArrowRight" || key == "ArrowLeft":
		step := 1
		if key == "ArrowLeft" {
			step = -1
		}
		if nextTab(step, tag == "BUTTON" && target.Get("classList").Call("contains", "inspect-tab").Bool()) {
			e.PreventDefault()
		}
	default:
		return
	}
	pr.Update()
}

// pressFirst clicks the first of the buttons that is there and enabled,
// and reports whether there was one.
func pressFirst(ids ...string) bool {
	for _, id := range ids {
		el := app.Window().GetElementByID(id)
		if el.Truthy() && !el.Get("disabled").Bool() {
			el.Call("click")
			return true
		}
	}
	return false
}

// nextTab selects the inspect panel's tab step places from the selected
// one (wrapping around), focusing it if focus was on a tab.
func nextTab(step int, focus bool) bool {
	tabs := app.Window().Get("document").Call("querySelectorAll", ".inspect-tab")
	n := tabs.Length()
	if n == 0 {
		return false
	}
	cur := 0
	for i := range n {
		if tabs.Index(i).Call("getAttribute", "aria-selected").String() == "true" {
			cur = i
		}
	}
	next := tabs.Index(((cur+step)%n + n) % n)
	next.Call("click")
	if focus {
		next.Call("focus")
	}
	return true
}
