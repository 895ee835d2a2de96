package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	cases := []struct {
		name, title string
		classes     []string
		files       [4]string
		framing     Framing
		install     string
	}{
		{"mnist", "MNIST digits", MNISTClasses,
			[4]string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"},
			DigitFraming, ""},
		// The Makefile copies Fashion-MNIST to web/data under these names.
		{"fashion", "Fashion-MNIST", FashionClasses,
			[4]string{"fashion-train-images-idx3-ubyte.gz", "fashion-train-labels-idx1-ubyte.gz", "fashion-t10k-images-idx3-ubyte.gz", "fashion-t10k-labels-idx1-ubyte.gz"},
			ItemFraming, "sudo apt-get install dataset-fashion-mnist"},
	}
	for _, c := range cases {
		e, err := Lookup(c.name)
		if err != nil {
			t.Fatalf("Lookup(%q): %v", c.name, err)
		}
		if e.Name != c.name || e.Title != c.title || !slices.Equal(e.Classes, c.classes) || e.Files != c.files ||
			e.Framing != c.framing || e.TestSize != 10000 || e.Install != c.install {
			t.Errorf("Lookup(%q) = %+v", c.name, e)
		}
	}
	fashion, _ := Lookup("fashion")
	if d, err := fashion.Dir(); d != FashionDir || err != nil {
		t.Errorf("fashion's Dir() = %q, %v, want %q", d, err, FashionDir)
	}
	t.Setenv(MNISTEnv, "/some/where")
	mnist, _ := Lookup("mnist")
	if d, err := mnist.Dir(); d != "/some/where" || err != nil {
		t.Errorf("mnist's Dir() = %q, %v, want MNISTDir's answer", d, err)
	}
}

func TestLookupUnknown(t *testing.T) {
	for _, name := range []string{"cifar", "", "MNIST"} {
		_, err := Lookup(name)
		want := `unknown dataset "` + name + `" (known: mnist, fashion)`
		if err == nil || err.Error() != want {
			t.Errorf("Lookup(%q) error %v, want %q", name, err, want)
		}
	}
}

func TestAllInMenuOrder(t *testing.T) {
	var names []string
	for _, e := range All() {
		names = append(names, e.Name)
	}
	if want := []string{"mnist", "fashion"}; !slices.Equal(names, want) || !slices.Equal(Names(), want) {
		t.Errorf("All() names %q, Names() %q, want %q", names, Names(), want)
	}
	// All returns a copy: changing it changes no entry.
	all := All()
	all[0].Name = "changed"
	if All()[0].Name != "mnist" {
		t.Error("changing the slice All returned changed the registry")
	}
}

func TestForModel(t *testing.T) {
	cases := []struct {
		name    string
		classes []string
		want    string
		ok      bool
	}{
		{"fashion", nil, "fashion", true},
		{"mnist", nil, "mnist", true},
		{"", FashionClasses, "fashion", true}, // an old model that names only its classes
		{"", MNISTClasses, "mnist", true},
		{"mnist", FashionClasses, "mnist", true}, // the record's name wins
		{"", nil, "mnist", false},                // says nothing: a digit model
		{"cifar", []string{"cat", "dog"}, "mnist", false},
		{"", FashionClasses[:9], "mnist", false},
	}
	for _, c := range cases {
		e, ok := ForModel(c.name, c.classes)
		if e.Name != c.want || ok != c.ok {
			t.Errorf("ForModel(%q, %q) = %q, %v, want %q, %v", c.name, c.classes, e.Name, ok, c.want, c.ok)
		}
	}
}

// withRegistry restores the registry's entries when t ends.
func withRegistry(t *testing.T) {
	saved := All()
	t.Cleanup(func() {
		registry.Lock()
		registry.entries = saved
		registry.Unlock()
	})
}

// ownEntry is an entry of the kind a folder of one's own images would make.
func ownEntry(dir string) Entry {
	return Entry{
		Name: "own", Title: "My shapes", Classes: []string{"circle", "square"},
		Files:   prefixed("own-"),
		Dir:     func() (string, error) { return dir, nil },
		Framing: ItemFraming, TestSize: 500,
	}
}

func TestRegister(t *testing.T) {
	withRegistry(t)
	e := ownEntry("/nowhere")
	if err := Register(e); err != nil {
		t.Fatal(err)
	}
	if got := Names(); !slices.Equal(got, []string{"mnist", "fashion", "own"}) {
		t.Errorf("Names() after Register = %q", got)
	}
	if got, err := Lookup("own"); err != nil || got.Title != "My shapes" || got.Framing != ItemFraming {
		t.Errorf("Lookup(own) = %+v, %v", got, err)
	}
	if got, ok := ForModel("", []string{"circle", "square"}); !ok || got.Name != "own" {
		t.Errorf("ForModel by the new classes = %q, %v", got.Name, ok)
	}
	if _, err := Lookup("cifar"); err == nil || !strings.Contains(err.Error(), "(known: mnist, fashion, own)") {
		t.Errorf("unknown name error %v does not list the new entry", err)
	}

	bad := []struct {
		change func(*Entry)
		want   string
	}{
		{func(e *Entry) {}, `dataset "own2" is already registered`},
		{func(e *Entry) { e.Name = "" }, "needs a name"},
		{func(e *Entry) { e.Title = "" }, "needs a title"},
		{func(e *Entry) { e.Classes = nil }, "has 0 classes"},
		{func(e *Entry) { e.Classes = make([]string, 257) }, "has 257 classes"},
		{func(e *Entry) { e.Files[3] = "" }, "four different file names"},
		{func(e *Entry) { e.Files[3] = e.Files[2] }, "four different file names"},
		{func(e *Entry) { e.Files[1] = TrainLabelsFile }, `file train-labels-idx1-ubyte.gz is already served for "mnist"`},
		{func(e *Entry) { e.Dir = nil }, "needs a Dir"},
		{func(e *Entry) { e.Framing = 2 }, "unknown framing 2"},
		{func(e *Entry) { e.TestSize = -1 }, "negative test size"},
		{func(e *Entry) { e.Model = "digits" }, `a shipped model named "digits" is already "mnist"'s`},
	}
	for i, c := range bad {
		e := ownEntry("/nowhere")
		e.Name, e.Files = "own2", prefixed("own2-")
		if i == 0 {
			if err := Register(e); err != nil {
				t.Fatal(err)
			}
		}
		c.change(&e)
		if err := Register(e); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: Register error %v, want it to contain %q", i, err, c.want)
		}
	}
	if got := Names(); !slices.Equal(got, []string{"mnist", "fashion", "own", "own2"}) {
		t.Errorf("refused entries joined: Names() = %q", got)
	}
}

// TestEntryLoad loads an entry from its Dir, with the native file names,
// and checks the errors of a missing optional dataset and a failing Dir.
func TestShipped(t *testing.T) {
	if got := Shipped(); !slices.Equal(got, []string{"digits", "fashion"}) {
		t.Errorf("Shipped() = %q, want digits, fashion", got)
	}
	for _, c := range []struct{ model, want string }{{"digits", "mnist"}, {"fashion", "fashion"}} {
		if e, ok := ForShipped(c.model); !ok || e.Name != c.want {
			t.Errorf("ForShipped(%q) = %q, %v; want %q", c.model, e.Name, ok, c.want)
		}
	}
	if _, ok := ForShipped(""); ok {
		t.Error("ForShipped(\"\") found an entry")
	}
	if e := LookupOrDefault("fashion"); e.Name != "fashion" {
		t.Errorf("LookupOrDefault(fashion) = %q", e.Name)
	}
	if e := LookupOrDefault("cifar"); e.Name != Default().Name || e.Name != "mnist" {
		t.Errorf("LookupOrDefault(cifar) = %q, want the default, mnist", e.Name)
	}
}

func TestEntryLoad(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(testdataDir, "mnist")
	for i, f := range []string{"train-2000-images-idx3-ubyte.gz", "train-2000-labels-idx1-ubyte.gz", "t10k-500-images-idx3-ubyte.gz", "t10k-500-labels-idx1-ubyte.gz"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, idxFiles[i]), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e := ownEntry(dir)
	e.Classes = MNISTClasses
	train, test, err := e.Load()
	if err != nil {
		t.Fatal(err)
	}
	if train.N != 2000 || test.N != 500 || train.Name != "own-train" || test.Name != "own-test" || !slices.Equal(test.Classes, MNISTClasses) {
		t.Errorf("loaded %s (%d) and %s (%d) with classes %q", train.Name, train.N, test.Name, test.N, test.Classes)
	}

	e = ownEntry(t.TempDir())
	e.Install = "sudo apt-get install own-shapes"
	want := "My shapes is not installed: run `sudo apt-get install own-shapes` (looked for "
	if _, _, err := e.Load(); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Load of a missing optional dataset: %v, want it to start with %q", err, want)
	}
	e.Install = ""
	if _, _, err := e.Load(); err == nil || strings.Contains(err.Error(), "not installed") {
		t.Errorf("Load of a missing dataset with no install hint: %v", err)
	}

	failed := errors.New("no folder here")
	e.Dir = func() (string, error) { return "", failed }
	if _, _, err := e.Load(); !errors.Is(err, failed) {
		t.Errorf("Load with a failing Dir: %v", err)
	}
}

// TestRegisterSets registers an entry that holds its sets in memory, as a
// set of one's own images does, and loads it through Load.
func TestRegisterSets(t *testing.T) {
	withRegistry(t)
	tr := &Set{Name: "mine-train", Pixels: []byte{1, 2}, Labels: []uint8{0, 1}, N: 2, H: 1, W: 1, Classes: []string{"x", "y"}}
	e := Entry{Name: "mine", Title: "Mine", Classes: tr.Classes, Framing: ItemFraming,
		Sets: func() (*Set, *Set, error) { return tr, tr.Head(1), nil }}
	if err := Register(e); err != nil {
		t.Fatal(err)
	}
	got, err := Lookup("mine")
	if err != nil {
		t.Fatal(err)
	}
	a, b, err := got.Load()
	if err != nil || a != tr || b.N != 1 {
		t.Fatalf("Load = %v, %v, %v", a, b, err)
	}
	e.Name, e.Files = "mine2", prefixed("mine2-")
	if err := Register(e); err == nil || !strings.Contains(err.Error(), "both its sets and files") {
		t.Errorf("an entry with sets and files: %v", err)
	}
}

func TestParseFraming(t *testing.T) {
	for _, f := range []Framing{DigitFraming, ItemFraming} {
		if g, err := ParseFraming(f.String()); err != nil || g != f {
			t.Errorf("ParseFraming(%q) = %v, %v", f.String(), g, err)
		}
	}
	if f, err := ParseFraming(""); err != nil || f != DigitFraming {
		t.Errorf("ParseFraming(\"\") = %v, %v", f, err)
	}
	if _, err := ParseFraming("digit"); err == nil {
		t.Error("ParseFraming took an unknown name")
	}
}
