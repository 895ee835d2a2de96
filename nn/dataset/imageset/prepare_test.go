package imageset

import (
	"bytes"
	"image"
	"image/png"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/preprocess"
)

// TestPrepareMatchesPage checks that a set's picture becomes the image the
// page makes of the same drawing: canvas pixels through GrayRGBA and the
// framing, with no file in between.
func TestPrepareMatchesPage(t *testing.T) {
	s := sampleSet(t, 2)
	s.Examples = append(s.Examples, Example{Class: "ring", Name: "blank.png", Data: emptyPNG(t)},
		Example{Class: "ring", Name: "cut.png", Data: s.Examples[0].Data[:200]})
	for _, f := range []dataset.Framing{dataset.DigitFraming, dataset.ItemFraming} {
		s.Framing = f
		p, probs, err := s.Prepare()
		if err != nil {
			t.Fatal(err)
		}
		if p.N != 6 || len(probs) != 2 || !strings.Contains(probs[0].Reason, "blank") || probs[1].File != "ring/cut.png" {
			t.Fatalf("prepared %d, problems %v", p.N, probs)
		}
		for i := range p.N {
			e := s.Examples[p.Example[i]]
			if s.Classes[p.Labels[i]] != e.Class {
				t.Fatalf("image %d labelled %s, its example is %s", i, s.Classes[p.Labels[i]], e.Class)
			}
			c := map[string]int{"ring": 0, "bar": 1, "cross": 2}[e.Class]
			d, st := drawing(c, int(e.Name[2]-'0'))
			rgba := renderRGBA(d, st)
			want, err := Frame(f)(preprocess.GrayRGBA(rgba, 280, 280), 280, 280)
			if err != nil {
				t.Fatal(err)
			}
			got := p.Image(i)
			for j := range want {
				if d := got[j] - want[j]; d > 0.5/255+1e-6 || d < -0.5/255-1e-6 {
					t.Fatalf("framing %d image %d pixel %d: %v, the page makes %v", f, i, j, got[j], want[j])
				}
			}
		}
	}
}

func TestStratify(t *testing.T) {
	s := &dataset.Set{Name: "s", H: 1, W: 1, Classes: []string{"a", "b", "c", "d"}}
	for c, n := range []int{20, 7, 1, 0} {
		for range n {
			s.Labels = append(s.Labels, uint8(c))
			s.Pixels = append(s.Pixels, uint8(len(s.Labels)))
		}
	}
	s.N = len(s.Labels)
	sp, err := Stratify(s, Fractions{Val: 0.2, Test: 0.1}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if want := [][3]int{{14, 4, 2}, {5, 1, 1}, {1, 0, 0}, {0, 0, 0}}; !slices.Equal(sp.Counts, want) {
		t.Errorf("counts %v, want %v", sp.Counts, want)
	}
	if !slices.Equal(sp.TooFew, []string{"c", "d"}) {
		t.Errorf("too few: %v", sp.TooFew)
	}
	all := slices.Concat(sp.TrainIndex, sp.ValIndex, sp.TestIndex)
	slices.Sort(all)
	if len(all) != s.N || slices.Compact(all)[s.N-1] != s.N-1 {
		t.Fatalf("the parts do not cover the set once: %v", all)
	}
	for i, j := range sp.ValIndex {
		if sp.Val.Pixels[i] != s.Pixels[j] || sp.Val.Labels[i] != s.Labels[j] {
			t.Fatal("validation image differs from its index")
		}
	}
	again, _ := Stratify(s, Fractions{Val: 0.2, Test: 0.1}, rand.New(rand.NewPCG(1, 2)))
	other, _ := Stratify(s, Fractions{Val: 0.2, Test: 0.1}, rand.New(rand.NewPCG(3, 2)))
	if !slices.Equal(again.ValIndex, sp.ValIndex) || slices.Equal(other.ValIndex, sp.ValIndex) {
		t.Error("the split does not follow the seed")
	}
	for _, f := range []Fractions{{-0.1, 0}, {0.5, 0.5}, {Val: 2}} {
		if _, err := Stratify(s, f, rand.New(rand.NewPCG(1, 2))); err == nil {
			t.Errorf("Stratify took fractions %v", f)
		}
	}
}

func TestEncodeIDX(t *testing.T) {
	p, _, err := sampleSet(t, 2).Prepare()
	if err != nil {
		t.Fatal(err)
	}
	img, lab, err := EncodeIDX(p.Set)
	if err != nil {
		t.Fatal(err)
	}
	back, err := dataset.Load(bytes.NewReader(img), bytes.NewReader(lab), "x", p.Classes)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.Pixels, p.Pixels) || !bytes.Equal(back.Labels, p.Labels) || back.N != p.N {
		t.Fatal("the IDX files do not read back as the set")
	}
	if _, _, err := EncodeIDX(&dataset.Set{H: 28, W: 28}); err == nil {
		t.Error("EncodeIDX encoded an empty set")
	}
}

// TestTinyPicture frames a digit of 8×8 pixels cropped tight to its ink
// (a 4 from scikit-learn's digits, values 0 to 16), which preprocess alone
// finds blank, as an MNIST digit.
func TestTinyPicture(t *testing.T) {
	four := [64]uint8{
		0, 0, 0, 10, 14, 0, 0, 0,
		0, 0, 1, 16, 10, 0, 0, 0,
		0, 0, 10, 16, 1, 0, 0, 0,
		0, 4, 16, 8, 0, 3, 5, 0,
		0, 10, 15, 0, 2, 15, 10, 0,
		0, 12, 16, 14, 16, 13, 1, 0,
		0, 2, 11, 14, 16, 3, 0, 0,
		0, 0, 0, 8, 16, 2, 0, 0,
	}
	img := image.NewGray(image.Rect(0, 0, 8, 8))
	for i, v := range four {
		img.Pix[i] = uint8(255 - int(v)*255/16)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	out, err := Picture(b.Bytes(), preprocess.Digit)
	if err != nil {
		t.Fatal(err)
	}
	var m, my float64
	for j, v := range out {
		m += float64(v)
		my += float64(v) * float64(j/28)
	}
	if m < 20 || my/m < 13.5 || my/m > 14.5 {
		t.Errorf("ink %.1f, centre of mass at row %.2f", m, my/m)
	}
}
