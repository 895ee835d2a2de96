package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/train"
)

func evalCmd(args []string) error {
	fs := flag.NewFlagSet("eval", flag.ExitOnError)
	path := fs.String("model", "", "model file (default: the shipped digits model)")
	data := fs.String("dataset", "", "dataset: "+strings.Join(dataset.Names(), ", ")+" (default: the model's own)")
	fs.Parse(args)
	m, err := loadModel(*path)
	if err != nil {
		return err
	}
	name := *data
	if name == "" {
		name = m.Record.Dataset
	}
	if name == "" { // an old model that names only its classes
		e, _ := dataset.ForModel("", m.Classes)
		name = e.Name
	}
	_, test, err := loadDataset(name)
	if err != nil {
		return err
	}
	if err := fitsTest(m, *path, name, test); err != nil {
		return err
	}
	r := train.Evaluate(m.Net, test, 500)
	fmt.Printf("%s test set: accuracy %.2f%% (%d of %d), loss %.4f\n\n", printable(name), 100*r.Acc,
		int(r.Acc*float64(test.N)+0.5), test.N, r.Loss)
	fmt.Print("true \\ predicted")
	for _, c := range m.Classes {
		fmt.Printf(" %6s", short(c))
	}
	fmt.Println()
	for y, row := range r.Confusion {
		fmt.Printf("%16s", short(m.Classes[y]))
		for _, v := range row {
			fmt.Printf(" %6d", v)
		}
		fmt.Println()
	}
	return nil
}

// short keeps confusion-matrix columns narrow for Fashion-MNIST's names,
// and escapes what would not print.
func short(s string) string {
	s = printable(strings.ReplaceAll(s, "T-shirt/top", "Tshirt"))
	if r := []rune(s); len(r) > 6 {
		return string(r[:6])
	}
	return s
}

// fitsTest returns an error saying why model m, read from path, cannot be
// evaluated on the test set of the named dataset: another number of
// classes, or images that do not fill its input.
func fitsTest(m *model.Model, path, name string, test *dataset.Set) error {
	if path == "" {
		path = "the shipped digits model"
	}
	if k := m.Net.Classes(); k != len(test.Classes) {
		return fmt.Errorf("%s tells %d classes apart; %s has %d: evaluate it on a dataset with its classes (-dataset)", path, k, name, len(test.Classes))
	}
	if err := train.Fits(m.Net, test); err != nil {
		return fmt.Errorf("%s does not fit the %s test set: %w", path, name, err)
	}
	return nil
}
