package app

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// chartTableRows is the most rows per series in a chart's table: the
// table is read aloud or scanned, so it summarises a long series (thinned
// as the chart thins it) rather than list thousands of points.
const chartTableRows = 20

// table is the chart's text alternative: its series as a table of
// examples seen and values, in a disclosure under the chart (the SVG says
// only what the chart is of).
func (c *lineChart) table() app.UI {
	var rows []app.UI
	for _, s := range c.Series {
		for _, p := range thin(s.Points, chartTableRows) {
			v := trimFloat(p.Y)
			if c.Percent {
				v = fmt.Sprintf("%.2f%%", 100*p.Y)
			}
			rows = append(rows, app.Tr().Body(
				app.Td().Text(s.Name),
				app.Td().Text(groupDigits(int(p.X+0.5))),
				app.Td().Text(v),
			))
		}
	}
	return app.Details().
		Class("chart-table").
		Body(
			app.Summary().Text("As a table"),
			app.Table().
				ID(c.ID+"-table").
				Body(
					app.Caption().Text(c.Title),
					app.THead().Body(app.Tr().Body(
						app.Th().Attr("scope", "col").Text("series"),
						app.Th().Attr("scope", "col").Text("examples seen"),
						app.Th().Attr("scope", "col").Text("value"),
					)),
					app.TBody().Body(rows...),
				),
		)
}
