package dataset

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// square returns an h×w image with a filled rectangle [x0,x1)×[y0,y1) of
// value 1 and a ramp elsewhere inside it so that rows differ.
func square(h, w, x0, y0, x1, y1 int) []float32 {
	img := make([]float32, h*w)
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			img[y*w+x] = 0.5 + float32(x+2*y)/float32(4*(w+h))
		}
	}
	return img
}

func TestAugmentIdentity(t *testing.T) {
	src := square(28, 28, 5, 7, 20, 18)
	dst := make([]float32, len(src))
	Augment{}.Apply(dst, src, 28, 28, nil) // nil rng: the identity must not use it
	if !slices.Equal(dst, src) {
		t.Error("zero Augment is not the identity")
	}
	Warp(dst, src, 28, 28, 0, 0, 0, 1)
	if !slices.Equal(dst, src) {
		t.Error("Warp(0,0,0,1) is not the identity")
	}
}

func TestWarpShift(t *testing.T) {
	const h, w = 10, 12
	src := square(h, w, 3, 2, 8, 6)
	dst := make([]float32, h*w)
	for _, s := range []struct{ dx, dy int }{{1, 0}, {0, 1}, {-1, 0}, {2, -1}} {
		Warp(dst, src, h, w, float64(s.dx), float64(s.dy), 0, 1)
		for y := range h {
			for x := range w {
				var want float32
				if sx, sy := x-s.dx, y-s.dy; sx >= 0 && sy >= 0 && sx < w && sy < h {
					want = src[sy*w+sx]
				}
				if dst[y*w+x] != want {
					t.Fatalf("shift %v: pixel (%d,%d) = %v, want %v", s, x, y, dst[y*w+x], want)
				}
			}
		}
	}
	// Half a pixel blends neighbours equally.
	Warp(dst, src, h, w, 0.5, 0, 0, 1)
	if got, want := dst[2*w+3], src[2*w+3]/2; math.Abs(float64(got-want)) > 1e-6 {
		t.Errorf("half-pixel shift: %v, want %v", got, want)
	}
}

func TestWarpRotateScale(t *testing.T) {
	const n = 9 // odd: the centre is pixel (4,4)
	src := make([]float32, n*n)
	src[4*n+7] = 1 // three pixels right of the centre
	dst := make([]float32, n*n)
	// A quarter turn counter-clockwise on screen moves it three pixels up.
	Warp(dst, src, n, n, 0, 0, 90, 1)
	if dst[1*n+4] < 0.999 {
		t.Errorf("rotation by 90°: pixel above centre is %v; image %v", dst[1*n+4], dst)
	}
	// Doubling the size moves (7,4) three more pixels out, beyond the edge;
	// (5,4) goes to (6,4).
	src[4*n+7], src[4*n+5] = 0, 1
	Warp(dst, src, n, n, 0, 0, 0, 2)
	if dst[4*n+6] < 0.999 {
		t.Errorf("scale 2: pixel (6,4) is %v", dst[4*n+6])
	}
	// The centre pixel is a fixed point of rotation and scale.
	src[4*n+5], src[4*n+4] = 0, 1
	Warp(dst, src, n, n, 0, 0, 33, 1.3)
	if dst[4*n+4] != 1 {
		t.Errorf("centre moved: %v", dst[4*n+4])
	}
}

func TestAugmentDeterministic(t *testing.T) {
	src := square(28, 28, 5, 7, 20, 18)
	a := Augment{MaxShift: 2, MaxRotate: 15, MaxScale: 0.1}
	d1, d2, d3 := make([]float32, 784), make([]float32, 784), make([]float32, 784)
	a.Apply(d1, src, 28, 28, rand.New(rand.NewPCG(7, 7)))
	a.Apply(d2, src, 28, 28, rand.New(rand.NewPCG(7, 7)))
	a.Apply(d3, src, 28, 28, rand.New(rand.NewPCG(8, 8)))
	if !slices.Equal(d1, d2) {
		t.Error("same seed, different augmentation")
	}
	if slices.Equal(d1, d3) || slices.Equal(d1, src) {
		t.Error("augmentation did nothing or ignored the seed")
	}
	for _, v := range d1 {
		if v < 0 || v > 1 || math.IsNaN(float64(v)) {
			t.Fatalf("augmented pixel %v", v)
		}
	}
}

func TestAugmentString(t *testing.T) {
	cases := []struct {
		a    Augment
		want string
	}{
		{Augment{}, "none"},
		{Augment{MaxShift: 2, MaxRotate: 10, MaxScale: 0.1}, "shift ±2 px, rotate ±10°, scale ±10%"},
		{Augment{MaxRotate: 15}, "rotate ±15°"},
		{Augment{MaxShift: 1.5, MaxScale: 0.07}, "shift ±1.5 px, scale ±7%"},
		{Augment{MaxScale: 0.125}, "scale ±12.5%"},
		{Augment{MaxShift: -3}, "shift ±3 px"},
	}
	for _, c := range cases {
		if got := c.a.String(); got != c.want {
			t.Errorf("%#v.String() = %q, want %q", c.a, got, c.want)
		}
	}
}
