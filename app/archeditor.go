package app

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cnnplay/cnnplay/internal/budget"
	"github.com/cnnplay/cnnplay/nn"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Element ids and classes of the architecture editor, stable for tests.
const (
	archEditorID = "arch-editor"
	archErrorID  = "arch-error"
	archTotalsID = "arch-totals"
	archAddID    = "arch-add"
)

// layerTypes are the layer kinds the editor offers, in the order a network
// usually uses them.
var layerTypes = []string{"conv", "maxpool", "avgpool", "relu", "leakyrelu", "tanh", "sigmoid", "dropout", "flatten", "dense", "softmax"}

// archEditor lists a spec's layers for editing: add, remove, move, change
// type and settings. Each row shows the layer's output shape, parameters
// and cost (Info, computed by the panel with analyzeSpec), and a layer the
// network cannot build says why on its own row.
type archEditor struct {
	app.Compo

	Spec     nn.Spec
	Info     archInfo
	Disabled bool   // while a session trains this spec
	Epoch    string // the epoch estimate, in words (see estimator.short)
	OnChange func(ctx app.Context, spec nn.Spec)

	addType string
}

func newArchEditor() *archEditor { return &archEditor{} }

func (e *archEditor) Render() app.UI {
	return app.Div().
		ID(archEditorID).
		Class("arch-editor").
		DataSet("valid", e.Info.Err == "").
		Body(
			app.Table().
				Class("arch-table").
				Body(
					app.THead().
						Body(
							app.Tr().
								Body(
									app.Th().Text("#"),
									app.Th().Text("layer"),
									app.Th().Text("settings"),
									app.Th().Text("output"),
									app.Th().Text("parameters"),
									app.Th().Text("cost"),
									app.Th().Text(""),
								),
						),
					app.TBody().
						Body(
							app.Tr().
								Class("arch-input").
								Body(
									app.Td().Text(""),
									app.Td().Text("input"),
									app.Td().Text(normText(e.Spec)),
									app.Td().Text(e.Spec.Input.String()),
									app.Td().Text(""),
									app.Td().Text(""),
									app.Td().Text(""),
								),
							app.Range(e.Spec.Layers).Slice(e.renderLayer),
							app.Tr().
								ID(archTotalsID).
								Class("arch-totals").
								Body(
									app.Td().Text(""),
									app.Td().Text("total"),
									app.Td().Text(e.totalsText()),
									app.Td().Text(""),
									app.Td().Text(e.countText(e.Info.Params)),
									app.Td().Text(e.flopsCell(e.Info.FLOPs)),
									app.Td().Text(""),
								),
						),
				),
			app.If(e.Info.Err != "",
				app.P().
					ID(archErrorID).
					Class("field-error").
					Attr("role", "alert").
					Text(e.Info.Err),
			),
			app.Div().
				Class("arch-add").
				Body(
					app.Label().
						For(archAddID).
						Text("Add a layer before softmax: "),
					app.Select().
						ID(archAddID).
						Disabled(e.Disabled).
						OnChange(e.onAddType).
						Body(app.Range(layerTypes[:len(layerTypes)-1]).Slice(func(i int) app.UI {
							return app.Option().Value(layerTypes[i]).Text(layerTypes[i]).Selected(layerTypes[i] == e.addTypeOr())
						})),
					app.Button().
						ID(archAddID+"-button").
						Disabled(e.Disabled).
						OnClick(e.onAdd).
						Text("Add"),
				),
		)
}

func (e *archEditor) renderLayer(i int) app.UI {
	ls := e.Spec.Layers[i]
	var li layerInfo
	if i < len(e.Info.Layers) {
		li = e.Info.Layers[i]
	}
	out, params, cost := "–", "–", "–"
	if e.Info.Built {
		out, params, cost = li.Out.String(), e.countText(li.Params), e.flopsCell(li.FLOPs)
	}
	cls := "arch-row"
	if li.Err != "" {
		cls += " arch-row-bad"
	}
	last := i == len(e.Spec.Layers)-1
	return app.Tr().
		ID(fmt.Sprintf("arch-row-%d", i)).
		Class(cls).
		Body(
			app.Td().Text(i+1),
			app.Td().
				Body(
					app.Select().
						Class("arch-type").
						Aria("label", fmt.Sprintf("type of layer %d", i+1)).
						Disabled(e.Disabled).
						OnChange(e.onType(i)).
						Body(app.Range(layerTypes).Slice(func(j int) app.UI {
							return app.Option().Value(layerTypes[j]).Text(layerTypes[j]).Selected(layerTypes[j] == ls.Type)
						})),
				),
			app.Td().
				Class("arch-settings").
				Body(
					e.settings(i, ls),
					app.If(li.Err != "",
						app.Div().
							Class("field-error").
							Text(li.Err),
					),
				),
			app.Td().Class("arch-out").Text(out),
			app.Td().Class("num").Text(params),
			app.Td().Class("num").Text(cost),
			app.Td().
				Class("arch-actions").
				Body(
					app.Button().
						Class("icon-button").
						Title("move up").
						Aria("label", fmt.Sprintf("move layer %d up", i+1)).
						Disabled(e.Disabled || i == 0 || last).
						OnClick(e.onMove(i, -1)).
						Text("↑"),
					app.Button().
						Class("icon-button").
						Title("move down").
						Aria("label", fmt.Sprintf("move layer %d down", i+1)).
						Disabled(e.Disabled || i >= len(e.Spec.Layers)-2).
						OnClick(e.onMove(i, 1)).
						Text("↓"),
					app.Button().
						Class("icon-button").
						Title("remove").
						Aria("label", fmt.Sprintf("remove layer %d", i+1)).
						Disabled(e.Disabled || last).
						OnClick(e.onRemove(i)).
						Text("✕"),
				),
		)
}

// settings returns the inputs for the fields that matter to the layer's type.
func (e *archEditor) settings(i int, ls nn.LayerSpec) app.UI {
	var fields []app.UI
	num := func(label, field string, v int) {
		fields = append(fields, app.Label().
			Class("arch-field").
			Body(
				app.Text(label+" "),
				app.Input().
					Type("number").
					Class("arch-"+field).
					Min(0).
					Value(v).
					Disabled(e.Disabled).
					OnInput(e.onField(i, field)),
			))
	}
	switch ls.Type {
	case "conv":
		num("filters", "filters", ls.Filters)
		num("kernel", "size", ls.Size)
		num("stride", "stride", max(ls.Stride, 1))
		num("padding", "pad", ls.Pad)
	case "maxpool", "avgpool":
		num("window", "size", ls.Size)
		stride := ls.Stride
		if stride == 0 {
			stride = ls.Size
		}
		num("stride", "stride", stride)
	case "dense":
		num("units", "units", ls.Units)
	case "dropout":
		fields = append(fields, app.Label().
			Class("arch-field").
			Body(
				app.Text("rate "),
				app.Input().
					Type("number").
					Class("arch-rate").
					Step(0.05).
					Min(0).
					Max(0.95).
					Value(strconv.FormatFloat(ls.Rate, 'g', -1, 64)).
					Disabled(e.Disabled).
					OnInput(e.onField(i, "rate")),
			))
	default:
		fields = append(fields, app.Span().Class("muted").Text("no settings"))
	}
	return app.Span().Body(fields...)
}

func (e *archEditor) addTypeOr() string {
	if e.addType == "" {
		return "conv"
	}
	return e.addType
}

func (e *archEditor) totalsText() string {
	if !e.Info.Built {
		return ""
	}
	text := "training memory about " + budget.FormatBytes(int64(e.Info.Memory))
	if e.Epoch != "" {
		text += "; " + e.Epoch
	}
	return text
}

func (e *archEditor) countText(n int) string {
	if !e.Info.Built {
		return "–"
	}
	return groupDigits(n)
}

func (e *archEditor) flopsCell(n int) string {
	if !e.Info.Built {
		return "–"
	}
	return flopsText(n)
}

// change copies the spec, lets edit change the copy, and passes it on.
func (e *archEditor) change(ctx app.Context, edit func(layers []nn.LayerSpec) []nn.LayerSpec) {
	if e.OnChange == nil || e.Disabled {
		return
	}
	spec := e.Spec
	spec.Layers = edit(slices.Clone(e.Spec.Layers))
	e.OnChange(ctx, spec)
}

func (e *archEditor) onType(i int) app.EventHandler {
	return func(ctx app.Context, ev app.Event) {
		t := ctx.JSSrc().Get("value").String()
		e.change(ctx, func(l []nn.LayerSpec) []nn.LayerSpec {
			l[i] = withDefaults(nn.LayerSpec{Type: t}, l[i])
			return l
		})
	}
}

// withDefaults returns a layer of ls's type that keeps what old had for the
// same fields and fills the others with common values.
func withDefaults(ls, old nn.LayerSpec) nn.LayerSpec {
	pick := func(v, d int) int {
		if v > 0 {
			return v
		}
		return d
	}
	switch ls.Type {
	case "conv":
		ls.Filters, ls.Size, ls.Stride, ls.Pad = pick(old.Filters, 8), pick(old.Size, 3), 1, 0
	case "maxpool", "avgpool":
		ls.Size = pick(old.Size, 2)
	case "dense":
		ls.Units = pick(old.Units, 10)
	case "dropout":
		ls.Rate = old.Rate
		if ls.Rate == 0 {
			ls.Rate = 0.25
		}
	}
	return ls
}

func (e *archEditor) onField(i int, field string) app.EventHandler {
	return func(ctx app.Context, ev app.Event) {
		text := strings.TrimSpace(ctx.JSSrc().Get("value").String())
		n, _ := strconv.Atoi(text)
		e.change(ctx, func(l []nn.LayerSpec) []nn.LayerSpec {
			switch field {
			case "filters":
				l[i].Filters = n
			case "size":
				l[i].Size = n
			case "stride":
				l[i].Stride = n
			case "pad":
				l[i].Pad = n
			case "units":
				l[i].Units = n
			case "rate":
				r, err := strconv.ParseFloat(text, 64)
				if err != nil {
					r = -1 // Build explains the range
				}
				l[i].Rate = r
			}
			return l
		})
	}
}

func (e *archEditor) onMove(i, by int) app.EventHandler {
	return func(ctx app.Context, ev app.Event) {
		e.change(ctx, func(l []nn.LayerSpec) []nn.LayerSpec {
			j := i + by
			if j < 0 || j >= len(l)-1 || i >= len(l)-1 {
				return l
			}
			l[i], l[j] = l[j], l[i]
			return l
		})
	}
}

func (e *archEditor) onRemove(i int) app.EventHandler {
	return func(ctx app.Context, ev app.Event) {
		e.change(ctx, func(l []nn.LayerSpec) []nn.LayerSpec { return slices.Delete(l, i, i+1) })
	}
}

func (e *archEditor) onAddType(ctx app.Context, ev app.Event) {
	e.addType = ctx.JSSrc().Get("value").String()
}

func (e *archEditor) onAdd(ctx app.Context, ev app.Event) {
	ls := withDefaults(nn.LayerSpec{Type: e.addTypeOr()}, nn.LayerSpec{})
	e.change(ctx, func(l []nn.LayerSpec) []nn.LayerSpec {
		at := len(l)
		if at > 0 && l[at-1].Type == "softmax" {
			at--
		}
		return slices.Insert(l, at, ls)
	})
}

// normText describes the input normalisation.
func normText(s nn.Spec) string {
	if s.Std == 0 && s.Mean == 0 {
		return "pixels 0 to 1"
	}
	std := s.Std
	if std == 0 {
		std = 1
	}
	return fmt.Sprintf("(x − %.4g) / %.4g", s.Mean, std)
}

// groupDigits formats n with thin spaces between thousands: 1 199 882.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// flopsText formats a forward cost: 1.2 MFLOP.
func flopsText(n int) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GFLOP", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.2f MFLOP", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kFLOP", float64(n)/1e3)
	}
	return fmt.Sprintf("%d FLOP", n)
}
