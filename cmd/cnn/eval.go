package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/train"
)

func evalCmd(args []string) error {
	fs := flag.NewFlagSet("eval", flag.ExitOnError)
	path := fs.String("model", "", "model file (default: the shipped digits model)")
	data := fs.String("dataset", "", "dataset: "+strings.Join(dataset.Names(), ", ")+" (default: the model's own)")
	own := fs.String("data", "", "evaluate on one's own images instead: a folder (or zip) with one folder of PNG/JPEG pictures per class, named as the model's classes")
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
	var test *dataset.Set
	if *own != "" {
		name, test, err = ownTest(m, *own)
	} else {
		_, test, err = loadDataset(name)
	}
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

// ownTest reads a folder of one's own pictures as a test set for m: framed
// as m's training images were, with each class folder's label the index of
// the model's class of that name. A folder of a class the model does not
// know is an error naming it.
func ownTest(m *model.Model, path string) (string, *dataset.Set, error) {
	if len(m.Classes) > imageset.MaxClasses {
		return "", nil, fmt.Errorf("the model tells %d classes apart; a set of one's own holds at most %d", len(m.Classes), imageset.MaxClasses)
	}
	s, p, err := readOwn(path, m.Framing().String(), os.Stderr)
	if err != nil {
		return "", nil, err
	}
	label := make([]uint8, len(s.Classes))
	var unknown []string
	for i, c := range s.Classes {
		j := slices.Index(m.Classes, c)
		if j < 0 {
			unknown = append(unknown, c)
		}
		label[i] = uint8(max(j, 0))
	}
	if len(unknown) > 0 {
		return "", nil, fmt.Errorf("%s has classes the model does not know: %s (its classes: %s)", path, strings.Join(unknown, ", "), strings.Join(m.Classes, ", "))
	}
	test := p.Set
	for i, l := range test.Labels {
		test.Labels[i] = label[l]
	}
	test.Classes = m.Classes
	return s.Name, test, nil
}
