package app

import (
	"errors"

	"github.com/cnnplay/cnnplay/nn/model"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// setupMyData gives the page the My data panel and the row of "Add to
// <class>" buttons under the canvas.
func (p *page) setupMyData() {
	p.mydata = newMyDataPanel()
	p.mydata.TakeDrawing = p.takeDrawing
	p.mydata.OnSets = p.onMySets
	p.addBar = &myAddBar{Panel: p.mydata}
	p.train.OnOwnRun = p.mydata.addRun
	p.mydata.CurrentModel = func() *model.Model { return p.model }
}

// takeDrawing returns the canvas's drawing as a PNG with its strokes and
// clears the canvas for the next one.
func (p *page) takeDrawing(ctx app.Context) ([]byte, []myStroke, error) {
	c := p.canvas
	if len(c.strokes) == 0 || len(c.pixels) != canvasSize*canvasSize*4 || inkedPixels(c.pixels) == 0 {
		return nil, nil, errors.New("Draw something in the box first.")
	}
	png, err := drawingPNG(c.pixels, canvasSize, canvasSize)
	if err != nil {
		return nil, nil, err
	}
	strokes := c.timedStrokes()
	c.setStrokes(ctx, nil)
	return png, strokes, nil
}

// onMySets re-renders what shows the user's sets: the panel, the buttons
// under the canvas and the training panel's dataset menu.
func (p *page) onMySets(ctx app.Context) {
	for _, c := range []app.Composer{p.mydata, p.addBar, p.train} {
		if c.Mounted() {
			c.Update()
		}
	}
}
