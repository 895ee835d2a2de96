package app

import (
	"fmt"
	"html"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Element ids of the share menu, stable for tests.
const (
	shareID         = "share"
	shareLinkID     = "share-link"
	shareCopyLinkID = "share-copy-link"
	shareViewID     = "share-view"
	shareThemeID    = "share-theme"
	shareEmbedID    = "share-embed"
	shareCopyEmbed  = "share-copy-embed"
	shareStatusID   = "share-status"
)

// embedHeights are the iframe heights, in CSS pixels, that show each view
// without an inner scroll bar at the width of a documentation column.
var embedHeights = map[string]int{
	"draw": 420, "train": 900, "data": 520, "convolution": 560, "network": 460, "filters": 520,
	"featuremaps": 640, "projection": 620, "confusion": 720, "saliency": 520,
}

// shareMenu shows the link to the current setup and the iframe code of one
// of its views, each with a copy button. Both are plain text fields too, so
// they can be copied by hand where the clipboard is not available.
type shareMenu struct {
	app.Compo

	Setup Setup

	view, theme string
	status      string
}

func (m *shareMenu) viewOr() string {
	if m.view == "" {
		return "draw"
	}
	return m.view
}

func (m *shareMenu) themeOr() string {
	if m.theme == "" {
		return "auto"
	}
	return m.theme
}

// link returns the shared link of the setup on this site.
func (m *shareMenu) link() string {
	s := m.Setup
	s.View, s.Theme = "", defaultSetup().Theme
	return currentBase() + queryPrefix(s.Query())
}

// embedCode returns the iframe snippet for the chosen view.
func (m *shareMenu) embedCode() string {
	s := m.Setup
	s.View, s.Theme = m.viewOr(), m.themeOr()
	src := currentBase() + PathEmbed[1:] + queryPrefix(s.Query())
	h := embedHeights[s.View]
	if h == 0 {
		h = 560
	}
	return fmt.Sprintf(`<iframe src="%s" title="cnnplay: %s" width="100%%" height="%d" style="border:0;max-width:960px" loading="lazy"></iframe>`,
		html.EscapeString(src), html.EscapeString(viewTitle(s.View)), h)
}

func (m *shareMenu) Render() app.UI {
	return app.Details().
		ID(shareID).
		Class("share").
		Body(
			app.Summary().
				Text("Share this setup"),
			app.Div().
				Class("field share-field").
				Body(
					app.Label().For(shareLinkID).Text("Link to this setup"),
					app.Div().
						Class("share-row").
						Body(
							app.Input().
								ID(shareLinkID).
								Type("text").
								ReadOnly(true).
								Value(m.link()),
							app.Button().
								ID(shareCopyLinkID).
								OnClick(m.onCopy(shareLinkID, "Link copied.")).
								Text("Copy link"),
						),
				),
			app.Div().
				Class("field share-field").
				Body(
					app.Label().For(shareEmbedID).Text("Embed one view in a page"),
					app.Div().
						Class("share-row").
						Body(
							app.Select().
								ID(shareViewID).
								Aria("label", "View to embed").
								OnChange(m.onView).
								Body(app.Range(setupViews).Slice(func(i int) app.UI {
									v := setupViews[i]
									return app.Option().Value(v.id).Text(v.title).Selected(v.id == m.viewOr())
								})),
							app.Select().
								ID(shareThemeID).
								Aria("label", "Colours").
								OnChange(m.onTheme).
								Body(app.Range(setupThemes).Slice(func(i int) app.UI {
									t := setupThemes[i]
									return app.Option().Value(t).Text(t + " theme").Selected(t == m.themeOr())
								})),
							app.Button().
								ID(shareCopyEmbed).
								OnClick(m.onCopy(shareEmbedID, "Embed code copied.")).
								Text("Copy embed code"),
						),
					app.Textarea().
						ID(shareEmbedID).
						Class("share-code").
						ReadOnly(true).
						Rows(3).
						Text(m.embedCode()),
				),
			app.P().
				ID(shareStatusID).
				Class("share-status").
				Aria("live", "polite").
				Text(m.status),
		)
}

func (m *shareMenu) onView(ctx app.Context, e app.Event) {
	m.view, m.status = ctx.JSSrc().Get("value").String(), ""
}

func (m *shareMenu) onTheme(ctx app.Context, e app.Event) {
	m.theme, m.status = ctx.JSSrc().Get("value").String(), ""
}

// onCopy copies the text of the field with the given id: through the
// asynchronous clipboard API where the page may use it, otherwise it
// selects the text for the user to copy.
func (m *shareMenu) onCopy(id, done string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		field := app.Window().GetElementByID(id)
		if !field.Truthy() {
			return
		}
		text := field.Get("value").String()
		field.Call("select")
		clip := app.Window().Get("navigator").Get("clipboard")
		if !clip.Truthy() {
			m.status = "Press Ctrl+C (⌘C) to copy the selected text."
			return
		}
		var ok, fail app.Func
		release := func() { ok.Release(); fail.Release() }
		ok = app.FuncOf(func(this app.Value, args []app.Value) any {
			ctx.Dispatch(func(ctx app.Context) { m.status = done })
			release()
			return nil
		})
		fail = app.FuncOf(func(this app.Value, args []app.Value) any {
			ctx.Dispatch(func(ctx app.Context) {
				m.status = "The browser did not allow copying: press Ctrl+C (⌘C) to copy the selected text."
			})
			release()
			return nil
		})
		clip.Call("writeText", text).Call("then", ok, fail)
	}
}

// currentBase is the base URL of the site the page was loaded from.
func currentBase() string {
	u := app.Window().URL()
	return siteBase(u.Scheme, u.Host, u.Path)
}
