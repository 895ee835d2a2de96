package app

import (
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// livePanels holds what follows the drawing and the model: the prediction
// and the inside-the-network views. The page updates it on its own (Update)
// while the user draws, so the rest of the page, the training panel above
// all, is not re-rendered at the pen's rate. Its wrapper has CSS display:
// contents, so its two panels lay out as the page's own.
type livePanels struct {
	app.Compo

	Classes []string
	Pred    prediction
	Status  string
	Ink     int    // inked pixels of the drawing last classified (inkAttr)
	Ready   string // readyAttr: when the model was loaded
	Model   *model.Model
	Tab     string // the inspect tab a shared link asked for
}

func (l *livePanels) Render() app.UI {
	return app.Div().
		Class("live-panels").
		Body(
			app.Section().
				ID(predPanelID).
				Class("panel prediction-panel").
				Aria("label", "Prediction").
				Attr(inkAttr, l.Ink).
				Attr(readyAttr, l.Ready).
				Body(
					app.H2().
						Text("Prediction"),
					&predictionView{Classes: l.Classes, Pred: l.Pred, Status: l.Status},
				),
			app.Section().
				Class("panel inspect-panel").
				Aria("label", "Inside the network").
				Body(
					app.H2().
						Text("Inside the network"),
					&inspectPanel{Model: l.Model, Digit: l.Pred.digit, Start: l.Tab},
				),
		)
}
