package preprocess

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/web/models"
)

// digitsModel loads the digits model shipped with the playground.
func digitsModel(t *testing.T) *model.Model {
	t.Helper()
	f, err := models.Files.Open(models.Digits)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := model.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// reads reports whether m reads picture g (w×h) through Digit as label; a
// picture Digit cannot answer is read wrong.
func reads(t *testing.T, m *model.Model, g []float32, w, h int, label uint8) (bool, error) {
	t.Helper()
	img, err := Digit(g, w, h)
	if err != nil {
		return false, err
	}
	p, err := m.Predict(img, Size, Size)
	if err != nil {
		t.Fatal(err)
	}
	return nn.Argmax(p) == int(label), nil
}

// tint says how a digit is drawn: the luminance of the ink and of the
// paper, and the deviation of the pixel noise over both.
type tint struct {
	name              string
	ink, paper, grain float32
}

var tints = []tint{
	{"dark on light", 0.1, 0.9, 0},
	{"light on dark", 1, 0, 0},
	{"grey 110 on 150", 110.0 / 255, 150.0 / 255, 0},
	{"grey 150 on 110", 150.0 / 255, 110.0 / 255, 0},
	{"dark on light, noise 0.05", 0.15, 0.85, 0.05},
	{"light on dark, noise 0.05", 0.85, 0.15, 0.05},
	{"grey 110 on 150, noise 0.03", 110.0 / 255, 150.0 / 255, 0.03},
	{"grey 150 on 110, noise 0.03", 150.0 / 255, 110.0 / 255, 0.03},
}

// render draws the part [x0,x1)×[y0,y1) of the 28×28 MNIST image img,
// scaled k times by bilinear interpolation as an image editor resizes a
// crop, in tint tn. It returns the picture and its size.
func render(img []float32, x0, x1, y0, y1 int, k float64, tn tint, seed uint64) ([]float32, int, int) {
	w := max(1, int(math.Round(float64(x1-x0)*k)))
	h := max(1, int(math.Round(float64(y1-y0)*k)))
	kx, ky := float64(x1-x0)/float64(w), float64(y1-y0)/float64(h)
	at := func(x, y int) float32 {
		return img[min(max(y, y0), y1-1)*Size+min(max(x, x0), x1-1)]
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	g := make([]float32, w*h)
	for Y := range h {
		for X := range w {
			sx := float64(x0) + (float64(X)+0.5)*kx - 0.5
			sy := float64(y0) + (float64(Y)+0.5)*ky - 0.5
			ix, iy := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fy := float32(sx-float64(ix)), float32(sy-float64(iy))
			v := (1-fx)*(1-fy)*at(ix, iy) + fx*(1-fy)*at(ix+1, iy) +
				(1-fx)*fy*at(ix, iy+1) + fx*fy*at(ix+1, iy+1)
			p := tn.paper + (tn.ink-tn.paper)*v + tn.grain*float32(rng.NormFloat64())
			g[Y*w+X] = min(max(p, 0), 1)
		}
	}
	return g, w, h
}

// inkBounds returns the bounding box [x0,x1)×[y0,y1) of the nonzero pixels
// of a 28×28 image: the tightest crop.
func inkBounds(img []float32) (x0, x1, y0, y1 int) {
	x0, y0 = Size, Size
	for i, v := range img {
		if v > 0 {
			x, y := i%Size, i/Size
			x0, x1 = min(x0, x), max(x1, x+1)
			y0, y1 = min(y0, y), max(y1, y+1)
		}
	}
	return
}

// tally counts pictures read right, of the whole picture and of its crop.
type tally struct{ n, whole, crop int }

func (c *tally) add(whole, crop bool) {
	c.n++
	if whole {
		c.whole++
	}
	if crop {
		c.crop++
	}
}

func (c tally) String() string {
	return fmt.Sprintf("%3d digits: whole %5.1f%%, cropped %5.1f%%", c.n, 100*float64(c.whole)/float64(c.n), 100*float64(c.crop)/float64(c.n))
}

// near reports whether the crops are read within points percentage points
// of the whole pictures.
func (c tally) near(points float64) bool {
	return float64(c.crop) >= float64(c.whole)-points/100*float64(c.n)
}

// TestTightCrops cuts the MNIST test digits of testdata to their bounding
// box (ink on every edge: the picture a person gets by cropping a scan
// tightly), scales the crop so its long side has 20, 28, 64 or 200
// pixels, and draws it in each tint in turn: dark on light and light on
// dark, at full and at low contrast, with and without noise. Every crop
// must be answered, and the shipped digits model must read the crops
// about as well as the whole 28×28 pictures drawn at the same scale.
func TestTightCrops(t *testing.T) {
	m := digitsModel(t)
	s := loadTest(t)
	var all tally
	byTint := make([]tally, len(tints))
	for _, side := range []int{20, 28, 64, 200} {
		var bySide tally
		n := len(s.Labels)
		if side == 200 {
			n = 200 // big pictures: fewer, to keep the test short
		}
		for i := range n {
			img, label := s.Image(i), s.Labels[i]
			tn := tints[i%len(tints)]
			x0, x1, y0, y1 := inkBounds(img)
			k := float64(side) / float64(max(x1-x0, y1-y0))
			g, w, h := render(img, 0, Size, 0, Size, k, tn, uint64(i))
			whole, err := reads(t, m, g, w, h, label)
			if err != nil && !errors.Is(err, ErrEmpty) {
				t.Fatal(err)
			}
			g, w, h = render(img, x0, x1, y0, y1, k, tn, uint64(i))
			crop, err := reads(t, m, g, w, h, label)
			if err != nil {
				t.Errorf("test digit %d (%d), %d×%d crop, %s: %v", i, label, w, h, tn.name, err)
			}
			bySide.add(whole, crop)
			byTint[i%len(tints)].add(whole, crop)
			all.add(whole, crop)
		}
		t.Logf("long side %3d: %v", side, bySide)
		if !bySide.near(3) {
			t.Errorf("long side %d: crops read %d of %d, the whole pictures %d", side, bySide.crop, bySide.n, bySide.whole)
		}
	}
	for i, c := range byTint {
		t.Logf("%-28s %v", tints[i].name+":", c)
		if !c.near(3) {
			t.Errorf("%s: crops read %d of %d, the whole pictures %d", tints[i].name, c.crop, c.n, c.whole)
		}
	}
	t.Logf("%-28s %v", "all:", all)
	if !all.near(1.5) || all.crop < all.n*95/100 {
		t.Errorf("crops read %d of %d, the whole pictures %d", all.crop, all.n, all.whole)
	}
}
