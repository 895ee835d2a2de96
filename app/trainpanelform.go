package app

import (
	"fmt"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The training panel's settings form: its fields and their handlers, which
// change the panel's trainForm.

func (p *trainPanel) renderSettings() app.UI {
	s := p.form.settings
	presets := append(nn.PresetNames(), customPreset)
	return app.Div().
		Class("train-settings").
		Body(
			p.selectField(datasetID, "Dataset", s.Dataset, datasetNames(), datasetTitles(), p.onDataset),
			p.selectField(presetID, "Network", s.Preset, presets, presetLabels(presets), p.onPreset),
			p.selectField(optimizerID, "Optimizer", s.Optimizer, []string{"sgd", "adam", "adadelta"}, []string{"SGD", "Adam", "Adadelta"}, p.onOptimizer),
			p.textField(fieldLR, "Learning rate", s.LR, "decimal"),
			p.textField(fieldBatch, "Batch size", s.Batch, "numeric"),
			p.textField(fieldEpochs, "Epochs", s.Epochs, "numeric"),
			p.textField(fieldL2, "L2 decay", s.L2, "decimal"),
			p.textField(fieldSeed, "Seed", s.Seed, "numeric"),
			p.textField(fieldLimit, "Training images (0: all)", s.Limit, "numeric"),
			p.textField(fieldValidation, "Validation images", s.Validation, "numeric"),
			p.textField(fieldWorkers, p.workersLabel(), p.form.workers, "numeric"),
			app.FieldSet().
				Class("augment").
				Body(
					app.Legend().
						Text("Augmentation"),
					p.checkField(shiftID, "shift ±2 px", s.Shift),
					p.checkField(rotateID, "rotate ±10°", s.Rotate),
					p.checkField(scaleID, "scale ±10%", s.Scale),
				),
		)
}

func (p *trainPanel) selectField(id, label, value string, values, labels []string, h app.EventHandler) app.UI {
	return app.Div().
		Class("field").
		Body(
			app.Label().For(id).Text(label),
			app.Select().
				ID(id).
				OnChange(h).
				Body(app.Range(values).Slice(func(i int) app.UI {
					return app.Option().Value(values[i]).Text(labels[i]).Selected(values[i] == value)
				})),
		)
}

func (p *trainPanel) textField(field, label, value, mode string) app.UI {
	id := "train-" + field
	msg := p.form.bad[field]
	return app.Div().
		Class("field").
		Body(
			app.Label().For(id).Text(label),
			app.Input().
				ID(id).
				Type("text").
				Attr("inputmode", mode).
				Aria("invalid", msg != "").
				Value(value).
				OnInput(p.onText(field)),
			app.If(msg != "",
				app.Div().ID(id+"-error").Class("field-error").Text(msg),
			),
		)
}

func (p *trainPanel) checkField(id, label string, on bool) app.UI {
	return app.Label().
		Class("check").
		Body(
			app.Input().
				ID(id).
				Type("checkbox").
				Checked(on).
				OnChange(p.onCheck(id)),
			app.Text(" "+label),
		)
}

func presetLabels(names []string) []string {
	labels := map[string]string{"convnetjs": "ConvNetJS demo", "keras": "Keras mnist_cnn", "lenet5": "LeNet-5", "mlp": "MLP 512-512", customPreset: "custom (edited)"}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if l, ok := labels[n]; ok {
			out[i] = l
		}
	}
	return out
}

// workersLabel labels the worker count field with the cores the browser
// reports and, once a session has started, the workers it trains on.
func (p *trainPanel) workersLabel() string {
	label := fmt.Sprintf("Workers (auto or 1–%d", maxWorkers)
	if n := cores(); n > 0 {
		label += fmt.Sprintf("; %d cores", n)
	}
	if n := p.st.workers(); n > 0 {
		label += fmt.Sprintf("; training on %d", n)
	}
	return label + ")"
}

// Handlers of the controls. The live views show the form's problem and
// its dataset, so they render again.

func (p *trainPanel) onDataset(ctx app.Context, e app.Event) {
	defer p.refresh()
	p.form.setDataset(ctx.JSSrc().Get("value").String())
	p.formChanged()
}

func (p *trainPanel) onPreset(ctx app.Context, e app.Event) {
	defer p.refresh()
	p.form.setPreset(ctx.JSSrc().Get("value").String())
	p.formChanged()
}

func (p *trainPanel) onOptimizer(ctx app.Context, e app.Event) {
	defer p.refresh()
	p.form.setOptimizer(ctx.JSSrc().Get("value").String())
	p.formChanged()
}

func (p *trainPanel) onText(field string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		defer p.refresh()
		p.form.setText(field, ctx.JSSrc().Get("value").String())
		p.formChanged()
	}
}

func (p *trainPanel) onCheck(id string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		p.form.setCheck(id, ctx.JSSrc().Get("checked").Bool())
		p.formChanged()
	}
}

func (p *trainPanel) onSpec(ctx app.Context, spec nn.Spec) {
	defer p.refresh() // the estimate follows the network
	p.form.setSpec(spec)
	p.formChanged()
}
