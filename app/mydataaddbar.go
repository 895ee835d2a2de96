package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// myAddBarID is the row of "Add to <class>" buttons under the canvas.
const myAddBarID = "mydata-add-bar"

// myAddBar is the row of "Add to <class>" buttons under the drawing canvas,
// one for each class of the set the My data panel shows, so a drawing
// goes to its class where it was drawn. The number keys do the same (see
// myDataPanel.onKey).
type myAddBar struct {
	app.Compo

	Panel *myDataPanel
}

func (b *myAddBar) Render() app.UI {
	s := b.Panel.set()
	if s == nil || len(s.Classes) == 0 {
		return app.Div().ID(myAddBarID).Class("mydata-add-bar")
	}
	return app.Div().
		ID(myAddBarID).
		Class("mydata-add-bar").
		Aria("label", "Add the drawing to a class of "+s.Name).
		Body(
			app.Span().Class("mydata-add-label").Text(s.Name+":"),
			app.Range(s.Classes).Slice(func(i int) app.UI {
				c := s.Classes[i]
				text := "Add to " + c.Name
				if i < 9 {
					text += " (" + strconv.Itoa(i+1) + ")"
				}
				return app.Button().
					ID(myAddPrefix+strconv.Itoa(i)).
					Class("button mydata-add").
					Type("button").
					DataSet("count", len(c.Examples)).
					Title("Add the drawing to " + c.Name + ", which has " + examplesText(len(c.Examples))).
					OnClick(func(ctx app.Context, e app.Event) { b.Panel.addDrawing(ctx, i) }).
					Text(text)
			}),
		)
}
