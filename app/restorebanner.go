package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Element ids of the restore offer, stable for tests and CSS.
const (
	restoreBannerID  = "restore-offer"
	restoreButtonID  = "restore-run"
	dismissButtonID  = "restore-dismiss"
	restoreProblemID = "restore-problems"
)

// restoreBanner offers to bring back the training kept in the browser from
// an earlier visit ("Restore the model you were training: keras, epoch 6,
// 98.9% validation"), with Restore and Dismiss, and says what was kept but
// cannot be restored.
type restoreBanner struct {
	app.Compo

	Offer     string   // "" when there is nothing to restore
	Problems  []string // what was kept but cannot be restored, in words
	OnRestore func(ctx app.Context)
	OnDismiss func(ctx app.Context)
}

func (b *restoreBanner) Render() app.UI {
	return app.Section().
		ID(restoreBannerID).
		Class("restore-offer").
		Aria("label", "Restore your training").
		Body(
			app.If(b.Offer != "",
				app.P().
					Class("restore-text").
					Text(b.Offer+"?"),
				app.Div().
					Class("button-row").
					Body(
						app.Button().
							ID(restoreButtonID).
							Class("primary").
							OnClick(b.onRestore).
							Text("Restore"),
						app.Button().
							ID(dismissButtonID).
							OnClick(b.onDismiss).
							Text("Dismiss"),
					),
				app.P().
					Class("hint").
					Text("Dismiss forgets it, and so does starting a new training; loading a model file keeps it."),
			),
			app.If(len(b.Problems) > 0,
				app.Ul().
					ID(restoreProblemID).
					Class("restore-problems").
					Body(app.Range(b.Problems).Slice(func(i int) app.UI {
						return app.Li().Text(b.Problems[i])
					})),
			),
			app.If(b.Offer == "",
				app.Div().
					Class("button-row").
					Body(
						app.Button().
							ID(dismissButtonID).
							OnClick(b.onDismiss).
							Text("OK"),
					),
			),
		)
}

func (b *restoreBanner) onRestore(ctx app.Context, e app.Event) {
	if b.OnRestore != nil {
		b.OnRestore(ctx)
	}
}

func (b *restoreBanner) onDismiss(ctx app.Context, e app.Event) {
	if b.OnDismiss != nil {
		b.OnDismiss(ctx)
	}
}
