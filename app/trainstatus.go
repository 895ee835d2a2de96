package app

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// trainStatusView is the training panel's status line, download progress
// bar and messages. It renders the session's state and the form's problem;
// the panel keeps one instance and updates it on its own (refresh), so
// that a message from the worker re-renders this and not the panel's
// settings and editor.
type trainStatusView struct {
	app.Compo

	State *trainState
	Form  *trainForm
	Est   *estimator
}

func (v *trainStatusView) Render() app.UI {
	st := v.State
	pct := 0.0
	if st.total > 0 {
		pct = float64(st.loaded) / float64(st.total)
	}
	problem := v.Form.problem()
	return app.Div().
		Class("train-status-box").
		Body(
			app.P().
				ID(trainStatusID).
				Class("train-status").
				Aria("live", "polite").
				Text(st.statusText(v.Form.dataset())),
			v.Est.render(),
			app.If(st.phase == phaseLoading && !st.parsing,
				app.Progress().
					ID(dataProgressID).
					Class("data-progress").
					Max(1).
					Value(fmt.Sprintf("%.3f", pct)).
					Aria("label", "Dataset download"),
			),
			app.If(problem != "",
				app.P().Class("field-error").Text(problem),
			),
			app.If(st.err != "",
				app.P().
					ID(trainErrorID).
					Class("train-error").
					Attr("role", "alert").
					Text(st.err),
			),
		)
}
