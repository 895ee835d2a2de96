package app

import (
	"fmt"
	"math"
	"strconv"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Ids of the network diagram.
const (
	networkID = "view-network"
)

// networkDiagram shows the network layer by layer, from the 28x28 input to
// the class probabilities: each step's output shape, drawn as a block whose
// size follows the shape, its parameter count and its operations.
type networkDiagram struct {
	app.Compo

	Net   *nn.Network
	Digit []float32
}

func (v *networkDiagram) Render() app.UI {
	if v.Net == nil {
		return app.Div().ID(networkID)
	}
	rows := inspect.Diagram(v.Net)
	return app.Div().
		ID(networkID).
		Class("inspect-view network").
		Body(
			app.P().
				Class("inspect-note").
				Text(fmt.Sprintf("%s parameters; %s operations to classify one image. Follow the image down: every step's output is the next step's input.",
					inspectGroup(v.Net.ParamCount()), inspectGroup(v.Net.FLOPs()))),
			app.Ol().
				Class("net-steps").
				Body(app.Range(rows).Slice(func(i int) app.UI {
					r := rows[i]
					return app.Li().
						Class("net-step net-"+r.Kind).
						DataSet("shape", r.Out.String()).
						Body(
							app.Raw(inspectShapeSVG(r.Out)),
							app.Div().
								Class("net-text").
								Body(
									app.Div().
										Body(
											app.Strong().Text(r.Name),
											app.Span().Class("net-shape").Text(" → "+r.Out.String()),
										),
									app.Div().Class("net-what").Text(r.What),
									app.Div().Class("net-cost").Text(inspectCostText(r)),
								),
						)
				})),
		)
}

func inspectCostText(r inspect.Row) string {
	s := ""
	if r.Params > 0 {
		s = inspectGroup(r.Params) + " parameters"
	}
	if r.FLOPs > 0 {
		if s != "" {
			s += " · "
		}
		s += inspectGroup(r.FLOPs) + " operations"
	}
	return s
}

// inspectShapeSVG draws a shape as a stack of slabs: width and height follow
// H and W (on a square-root scale), the number of slabs follows C, so that
// a student sees maps shrink while channels grow.
func inspectShapeSVG(s nn.Shape) string {
	const box = 64
	side := func(n int) float64 { return 6 + 50*min(1, math.Sqrt(float64(n)/28)) }
	w, h := side(s.W), side(s.H)
	if s.H == 1 && s.W == 1 { // a vector: a bar whose length follows its size
		w, h = 6+50*min(1, math.Sqrt(float64(s.C)/1024)), 6
	}
	slabs := 1
	if s.H > 1 || s.W > 1 {
		slabs = min(s.C, 8)
	}
	svg := fmt.Sprintf(`<svg class="net-svg" width="%d" height="%d" viewBox="0 0 %d %d" aria-hidden="true">`, box, box, box, box)
	for i := slabs - 1; i >= 0; i-- {
		x, y := 2+float64(i)*1.5, (box-h)/2-float64(i)*1.5+4
		svg += fmt.Sprintf(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="1"/>`, x, y, w, h)
	}
	return svg + "</svg>"
}

// inspectGroup writes n with thin spaces between groups of three digits.
func inspectGroup(n int) string {
	s := strconv.Itoa(n)
	out := ""
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out += "\u2009"
		}
		out += string(c)
	}
	return out
}

func (v *networkDiagram) OnMount(ctx app.Context)  { v.mark() }
func (v *networkDiagram) OnUpdate(ctx app.Context) { v.mark() }

func (v *networkDiagram) mark() { inspectMark(networkID, inspectNow()) }
