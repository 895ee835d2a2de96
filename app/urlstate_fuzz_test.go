package app

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"github.com/cnnplay/cnnplay/nn"
)

// FuzzParseSetup feeds ParseSetup any query: it must not panic, what it
// returns must keep Setup's promises (settings the form accepts, a spec
// that builds), its notes must be one line of printable text, and the
// setup must read back from its own Query unchanged and without notes.
func FuzzParseSetup(f *testing.F) {
	for _, q := range []string{
		"",
		"preset=lenet5&opt=adam&lr=0.0005",
		"arch=conv4k3p1-leakyrelu0.1-avgpool2-dropout0.3-flatten-dense10-softmax&seed=7&batch=32&aug=scale",
		"view=featuremaps&theme=dark&model=fashion&dataset=fashion",
		"lr=abc&batch=-1&epochs=1e9&l2=NaN&arch=conv0k0",
		"dataset=cifar&model=%00&view=%0a&x=1&x=2",
		"arch=" + strings.Repeat("conv8k3-", 40) + "flatten-dense10-softmax",
		"%zz&;&==&a=%",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		s, notes := ParseSetup(q)
		if _, _, _, bad := s.Settings.config(); len(bad) > 0 {
			t.Fatalf("ParseSetup(%q) kept settings the form refuses: %v", q, bad)
		}
		if _, err := nn.Build(s.Spec, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatalf("ParseSetup(%q) kept a spec that does not build: %v", q, err)
		}
		for _, n := range notes {
			if strings.ContainsFunc(n, func(r rune) bool { return !unicode.IsPrint(r) }) {
				t.Fatalf("ParseSetup(%q) note %q holds characters that do not print", q, n)
			}
		}
		back := s.Query()
		got, notes := ParseSetup(back)
		if len(notes) > 0 {
			t.Fatalf("ParseSetup(%q).Query() = %q reads back with notes %q", q, back, notes)
		}
		if got.Settings != s.Settings || !specEqual(got.Spec, s.Spec) || got.View != s.View || got.Theme != s.Theme || got.Model != s.Model {
			t.Fatalf("ParseSetup(%q).Query() = %q reads back as\n%+v\nwant\n%+v", q, back, got, s)
		}
	})
}
