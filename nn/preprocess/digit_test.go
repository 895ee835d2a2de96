package preprocess

import (
	"errors"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

// com returns the centre of mass of a 28×28 image in pixel indices, which
// MNIST puts at (14, 14) give or take half a pixel.
func com(img []float32) (x, y float64) {
	var m float64
	for i, v := range img {
		m += float64(v)
		x += float64(v) * float64(i%Size)
		y += float64(v) * float64(i/Size)
	}
	return x / m, y / m
}

// box returns the bounding box [x0,x1)×[y0,y1) of the pixels above t.
func box(img []float32, t float32) (x0, x1, y0, y1 int) {
	x0, y0 = Size, Size
	for i, v := range img {
		if v > t {
			x, y := i%Size, i/Size
			x0, x1 = min(x0, x), max(x1, x+1)
			y0, y1 = min(y0, y), max(y1, y+1)
		}
	}
	return
}

// corr returns the Pearson correlation of a and b.
func corr(a, b []float32) float64 {
	var ma, mb float64
	for i := range a {
		ma += float64(a[i])
		mb += float64(b[i])
	}
	ma /= float64(len(a))
	mb /= float64(len(b))
	var sab, saa, sbb float64
	for i := range a {
		da, db := float64(a[i])-ma, float64(b[i])-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	return sab / math.Sqrt(saa*sbb)
}

// stroke draws a thick "7"-like polyline of value ink on a w×h canvas of
// value bg, offset by (ox, oy).
func stroke(w, h, ox, oy int, ink, bg float32) []float32 {
	g := make([]float32, w*h)
	for i := range g {
		g[i] = bg
	}
	seg := func(ax, ay, bx, by float64) {
		for t := 0.0; t <= 1; t += 0.002 {
			cx, cy := ax+(bx-ax)*t, ay+(by-ay)*t
			for dy := -6; dy <= 6; dy++ {
				for dx := -6; dx <= 6; dx++ {
					if dx*dx+dy*dy <= 36 {
						x, y := int(cx)+dx+ox, int(cy)+dy+oy
						if x >= 0 && y >= 0 && x < w && y < h {
							g[y*w+x] = ink
						}
					}
				}
			}
		}
	}
	seg(0, 0, 60, 0)
	seg(60, 0, 25, 90)
	return g
}

func TestEmpty(t *testing.T) {
	for _, c := range []struct {
		name string
		g    []float32
	}{
		{"black", make([]float32, 100*80)},
		{"white", stroke(100, 80, 1000, 1000, 0, 1)},
		{"flat grey noise", noisy(100, 80, 0.6, 0.03, 1)},
	} {
		if _, err := Digit(c.g, 100, 80); !errors.Is(err, ErrEmpty) {
			t.Errorf("%s: got %v, want ErrEmpty", c.name, err)
		}
	}
	if ErrEmpty.Error() != "preprocess: nothing drawn" {
		t.Errorf("ErrEmpty says %q", ErrEmpty)
	}
	// A transparent canvas.
	if _, err := Digit(GrayRGBA(make([]uint8, 4*50*50), 50, 50), 50, 50); !errors.Is(err, ErrEmpty) {
		t.Errorf("transparent canvas: got %v, want ErrEmpty", err)
	}
	if _, err := Digit(make([]float32, 10), 4, 4); err == nil || errors.Is(err, ErrEmpty) {
		t.Errorf("wrong size: got %v", err)
	}
}

// noisy returns a w×h picture of level bg plus Gaussian noise.
func noisy(w, h int, bg, sigma float32, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 0))
	g := make([]float32, w*h)
	for i := range g {
		g[i] = min(max(bg+sigma*float32(rng.NormFloat64()), 0), 1)
	}
	return g
}

func TestCentred(t *testing.T) {
	const w, h = 280, 280
	// Light on dark, far in the top-left corner.
	out, err := Digit(stroke(w, h, 10, 10, 1, 0), w, h)
	if err != nil {
		t.Fatal(err)
	}
	cx, cy := com(out)
	if math.Abs(cx-14) > 0.5 || math.Abs(cy-14) > 0.5 {
		t.Errorf("centre of mass (%.2f, %.2f), want (14, 14)", cx, cy)
	}
	x0, x1, y0, y1 := box(out, 0.02)
	if x1-x0 > Box+1 || y1-y0 > Box+1 || max(x1-x0, y1-y0) < Box-1 {
		t.Errorf("ink box %d×%d, want it to fit %d×%d with its long side about %d", x1-x0, y1-y0, Box, Box, Box)
	}
	var peak float32
	for _, v := range out {
		if v < 0 || v > 1 {
			t.Fatalf("pixel %v out of [0,1]", v)
		}
		peak = max(peak, v)
	}
	if peak != 1 {
		t.Errorf("peak %v, want 1", peak)
	}
	// Dark on light, elsewhere on the canvas: nearly the same result.
	out2, err := Digit(stroke(w, h, 150, 120, 0, 1), w, h)
	if err != nil {
		t.Fatal(err)
	}
	if c := corr(out, out2); c < 0.99 {
		t.Errorf("dark-on-light vs light-on-dark correlation %.4f", c)
	}
	var diff float64
	for i := range out {
		diff = max(diff, math.Abs(float64(out[i]-out2[i])))
	}
	if diff > 0.1 {
		t.Errorf("dark-on-light differs from light-on-dark by up to %.3f", diff)
	}
}

// loadTest loads the MNIST test extract from testdata.
func loadTest(t testing.TB) *dataset.Set {
	t.Helper()
	d := filepath.Join("..", "..", "testdata", "mnist")
	s, err := dataset.LoadFiles(filepath.Join(d, "t10k-500-images-idx3-ubyte.gz"), filepath.Join(d, "t10k-500-labels-idx1-ubyte.gz"), "t10k-500", dataset.MNISTClasses)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// photo makes a picture of MNIST digit img as dark ink on light grey noisy
// paper lit unevenly: upscaled k times, placed at (ox, oy) in a w×h picture.
func photo(img []float32, k, w, h, ox, oy int, seed uint64) []float32 {
	g := noisy(w, h, 0, 0.025, seed)
	for y := range h {
		for x := range w {
			// Paper from 0.72 to 0.85 across the picture.
			paper := 0.72 + 0.13*float32(x+y)/float32(w+h)
			v := paper
			if sx, sy := (x-ox)/k, (y-oy)/k; x >= ox && y >= oy && sx < Size && sy < Size { // ox, oy may be negative
				v = paper - 0.6*img[sy*Size+sx] // ink darkens the paper
			}
			g[y*w+x] = min(max(v+g[y*w+x], 0), 1)
		}
	}
	return g
}

func TestMNISTPhoto(t *testing.T) {
	// The first 50 test digits, each upscaled 6 times and photographed at
	// another place. MNIST itself moved its digits by whole pixels, so their
	// centres of mass are up to half a pixel from (14, 14) where Digit puts
	// them exactly: that bounds the correlation of some digits.
	s := loadTest(t)
	const w, h, k = 300, 200, 6
	worst, sum := 1.0, 0.0
	for i := range 50 {
		orig := s.Image(i)
		g := photo(orig, k, w, h, 20+3*i, 15+i/2, uint64(i))
		out, err := Digit(g, w, h)
		if err != nil {
			t.Fatal(err)
		}
		c := corr(out, orig)
		worst = min(worst, c)
		sum += c
		if c < 0.85 {
			t.Errorf("test image %d (label %d): correlation %.3f", i, s.Labels[i], c)
		}
	}
	if sum/50 < 0.95 {
		t.Errorf("mean correlation %.3f", sum/50)
	}
	t.Logf("correlation over 50 digits: mean %.3f, worst %.3f", sum/50, worst)
}

func TestMNISTPhoto8x(t *testing.T) {
	// Upscaled 8 times (224 pixels: the empty top rows of the 28×28 field
	// fall off the picture, the ink stays inside) at several places.
	s := loadTest(t)
	const w, h = 300, 200
	for i, at := range [][2]int{{0, -20}, {70, -28}, {10, -12}, {60, -20}, {40, -16}} {
		orig := s.Image(i)
		out, err := Digit(photo(orig, 8, w, h, at[0], at[1], uint64(i)), w, h)
		if err != nil {
			t.Fatal(err)
		}
		if c := corr(out, orig); c < 0.9 {
			t.Errorf("test image %d at %v: correlation %.3f", i, at, c)
		}
	}
}

func TestMNISTFixedPoint(t *testing.T) {
	// MNIST digits are already centred: Digit should nearly reproduce them.
	s := loadTest(t)
	var sum float64
	for i := range 100 {
		out, err := Digit(s.Image(i), Size, Size)
		if err != nil {
			t.Fatal(err)
		}
		sum += corr(out, s.Image(i))
	}
	if m := sum / 100; m < 0.9 {
		t.Errorf("mean correlation with the originals %.3f", m)
	}
}

func TestGray(t *testing.T) {
	// Black ink on a transparent canvas, with an anti-aliased edge.
	rgba := make([]uint8, 4*3*1)
	copy(rgba, []uint8{0, 0, 0, 255, 0, 0, 0, 128, 0, 0, 0, 0})
	g := GrayRGBA(rgba, 3, 1)
	if g[0] != 0 || math.Abs(float64(g[1])-127.0/255) > 1e-6 || g[2] != 1 {
		t.Errorf("dark ink on transparent: %v", g)
	}
	// White ink on a transparent canvas composites over black.
	copy(rgba, []uint8{255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0})
	if g := GrayRGBA(rgba, 3, 1); g[0] != 1 || g[1] != 0 || g[2] != 0 {
		t.Errorf("light ink on transparent: %v", g)
	}
	// Opaque colours: BT.601 luminance.
	copy(rgba, []uint8{255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255})
	if g := GrayRGBA(rgba, 3, 1); math.Abs(float64(g[0])-0.299) > 1e-6 || math.Abs(float64(g[1])-0.587) > 1e-6 || math.Abs(float64(g[2])-0.114) > 1e-6 {
		t.Errorf("colours: %v", g)
	}
	if GrayRGBA(rgba, 2, 1) != nil {
		t.Error("wrong size accepted")
	}

	// Gray agrees with GrayRGBA on every image type it special-cases.
	nrgba := image.NewNRGBA(image.Rect(0, 0, 4, 3))
	for i := range nrgba.Pix {
		nrgba.Pix[i] = uint8(i * 37)
	}
	want := GrayRGBA(nrgba.Pix, 4, 3)
	rgbaImg := image.NewRGBA(nrgba.Bounds())
	gray := image.NewGray(nrgba.Bounds())
	for y := range 3 {
		for x := range 4 {
			rgbaImg.Set(x, y, nrgba.At(x, y))
			gray.Set(x, y, color.Gray{uint8(40 * (x + y))})
		}
	}
	for name, img := range map[string]image.Image{"NRGBA": nrgba, "RGBA": rgbaImg} {
		got, w, h := Gray(img)
		if w != 4 || h != 3 {
			t.Fatalf("%s: size %d×%d", name, w, h)
		}
		for i := range want {
			if math.Abs(float64(got[i]-want[i])) > 0.01 {
				t.Errorf("%s pixel %d: %v, want %v", name, i, got[i], want[i])
			}
		}
	}
	got, _, _ := Gray(gray.SubImage(image.Rect(1, 1, 4, 3)))
	if len(got) != 6 || got[0] != 80.0/255 || got[5] != 200.0/255 {
		t.Errorf("Gray sub-image: %v", got)
	}
	ycc := image.NewYCbCr(image.Rect(0, 0, 2, 2), image.YCbCrSubsampleRatio420)
	copy(ycc.Y, []uint8{0, 51, 102, 255})
	if got, _, _ := Gray(ycc); got[1] != 0.2 || got[3] != 1 {
		t.Errorf("Gray YCbCr: %v", got)
	}
}

// TestFashionPhoto photographs Fashion-MNIST test pictures as dark items on
// light paper, 6 times their size, and checks that Item gives back
// pictures close to the originals, which fill the 28×28 field along their
// longest side.
func TestFashionPhoto(t *testing.T) {
	d := dataset.FashionDir
	s, err := dataset.LoadFiles(filepath.Join(d, dataset.TestImagesFile), filepath.Join(d, dataset.TestLabelsFile), "fashion-test", dataset.FashionClasses)
	if err != nil {
		t.Fatal(err)
	}
	const w, h, k, n = 300, 220, 6, 50
	worst, sum := 1.0, 0.0
	for i := range n {
		orig := s.Image(i)
		out, err := Item(photo(orig, k, w, h, 20+2*i, 10+i/3, uint64(i)), w, h)
		if err != nil {
			t.Fatal(err)
		}
		c := corr(out, orig)
		worst = min(worst, c)
		sum += c
		if c < 0.6 { // dark, textured coats lose most to the ink threshold
			t.Errorf("test image %d (%s): correlation %.3f", i, s.Classes[s.Labels[i]], c)
		}
	}
	if sum/n < 0.85 {
		t.Errorf("mean correlation %.3f", sum/n)
	}
	t.Logf("correlation over %d Fashion-MNIST pictures: mean %.3f, worst %.3f", n, sum/n, worst)
	// The digit preprocessing, which shrinks to 20×20 and centres by mass,
	// is the wrong one for these pictures: it must do measurably worse.
	var digitSum float64
	for i := range n {
		out, _ := Digit(photo(s.Image(i), k, w, h, 20+2*i, 10+i/3, uint64(i)), w, h)
		digitSum += corr(out, s.Image(i))
	}
	if digitSum >= sum {
		t.Errorf("Digit's mean correlation %.3f is no worse than Item's %.3f", digitSum/n, sum/n)
	}
}

// TestThinStrokeBigPicture draws one stroke, narrower than the grid on which
// a big picture's ink level is measured and off it, on a 1000×1000
// picture: it is still found and drawn at full strength.
func TestThinStrokeBigPicture(t *testing.T) {
	const w, h = 1000, 1000
	g := make([]float32, w*h)
	for i := range g {
		if x, y := i%w, i/w; x >= 501 && x < 504 && y >= 200 && y < 800 {
			continue // black ink, between the grid's columns 500 and 504
		}
		g[i] = 1
	}
	out, err := Digit(g, w, h)
	if err != nil {
		t.Fatal(err)
	}
	x0, x1, y0, y1 := box(out, 0.5)
	if y1-y0 < Box-1 || x1-x0 > 3 {
		t.Errorf("stroke drawn %d wide and %d high, want about 1 by %d", x1-x0, y1-y0, Box)
	}
}
