package dataset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Augment describes random affine distortions of training images: each call
// of Apply draws one shift, one rotation and one scale, uniformly within the
// given bounds, and warps the image about its centre.
type Augment struct {
	// MaxShift is the largest shift, in pixels, along each axis.
	MaxShift float64
	// MaxRotate is the largest rotation, in degrees, either way.
	MaxRotate float64
	// MaxScale is the largest relative change of size: 0.1 means ±10%.
	MaxScale float64
}

// IsIdentity reports whether a changes nothing (all bounds zero).
func (a Augment) IsIdentity() bool {
	return a.MaxShift == 0 && a.MaxRotate == 0 && a.MaxScale == 0
}

// String describes a for people and for a model's training record, the
// CLI and the page alike: "shift ±2 px, rotate ±10°, scale ±10%", naming
// only the bounds that are not zero, or "none" for the identity.
func (a Augment) String() string {
	if a.IsIdentity() {
		return "none"
	}
	var parts []string
	if a.MaxShift != 0 {
		parts = append(parts, "shift ±"+decimal(a.MaxShift)+" px")
	}
	if a.MaxRotate != 0 {
		parts = append(parts, "rotate ±"+decimal(a.MaxRotate)+"°")
	}
	if a.MaxScale != 0 {
		parts = append(parts, "scale ±"+decimal(100*a.MaxScale)+"%")
	}
	return strings.Join(parts, ", ")
}

// decimal writes |v| in decimal with at most six decimals, so that a
// fraction such as 0.07, shown as a percentage, reads "7" and not the
// 7.000000000000001 its float64 product gives (bounds work either way, so
// the sign says nothing).
func decimal(v float64) string {
	return strconv.FormatFloat(math.Round(math.Abs(v)*1e6)/1e6, 'f', -1, 64)
}

// Apply writes into dst the h×w image src warped by one random affine
// transform drawn with rng (see Augment), sampled bilinearly, with zero
// outside the source. When a is the identity, dst is an exact copy of src
// and rng is not used. It panics if dst or src does not hold h*w pixels.
func (a Augment) Apply(dst, src []float32, h, w int, rng *rand.Rand) {
	if a.IsIdentity() {
		checkImage("Augment.Apply", dst, src, h, w)
		copy(dst, src)
		return
	}
	uniform := func(m float64) float64 {
		if m == 0 {
			return 0
		}
		return (2*rng.Float64() - 1) * m
	}
	dx := uniform(a.MaxShift)
	dy := uniform(a.MaxShift)
	rot := uniform(a.MaxRotate)
	scale := 1 + uniform(a.MaxScale)
	Warp(dst, src, h, w, dx, dy, rot, scale)
}

// Warp writes into dst the h×w image src scaled by scale and rotated by
// rotate degrees (counter-clockwise as seen on screen, y pointing down)
// about the image centre, then shifted by (dx, dy) pixels (positive dx moves
// the content right, positive dy down). Each destination pixel samples src
// bilinearly at the inverse-transformed position, with zero outside src, so
// an integer shift with no rotation and scale 1 moves pixels exactly. It
// panics if dst or src does not hold h*w pixels or scale is not positive.
func Warp(dst, src []float32, h, w int, dx, dy, rotate, scale float64) {
	checkImage("Warp", dst, src, h, w)
	if !(scale > 0) {
		panic(fmt.Sprintf("dataset: Warp scale %v must be positive", scale))
	}
	// Pixel centres are at integer coordinates; the centre of the image is
	// ((w-1)/2, (h-1)/2). Forward map: p' = c + S·R·(p - c) + t, so the
	// inverse is p = c + R⁻¹·(p' - c - t)/S.
	cx, cy := float64(w-1)/2, float64(h-1)/2
	sin, cos := math.Sincos(rotate * math.Pi / 180)
	// With y down, a visually counter-clockwise rotation by θ is
	// (x, y) -> (x cosθ + y sinθ, -x sinθ + y cosθ); its inverse rotates by -θ.
	for y := range h {
		for x := range w {
			u := (float64(x) - cx - dx) / scale
			v := (float64(y) - cy - dy) / scale
			sx := cx + u*cos - v*sin
			sy := cy + u*sin + v*cos
			dst[y*w+x] = bilinear(src, h, w, sx, sy)
		}
	}
}

// bilinear samples the h×w image src at (x, y), with zero outside.
func bilinear(src []float32, h, w int, x, y float64) float32 {
	if x <= -1 || y <= -1 || x >= float64(w) || y >= float64(h) {
		return 0
	}
	x0f, y0f := math.Floor(x), math.Floor(y)
	fx, fy := float32(x-x0f), float32(y-y0f)
	x0, y0 := int(x0f), int(y0f)
	at := func(xi, yi int) float32 {
		if xi < 0 || yi < 0 || xi >= w || yi >= h {
			return 0
		}
		return src[yi*w+xi]
	}
	// Skip neighbours with zero weight so exact positions reproduce exactly.
	v := at(x0, y0) * (1 - fx) * (1 - fy)
	if fx != 0 {
		v += at(x0+1, y0) * fx * (1 - fy)
	}
	if fy != 0 {
		v += at(x0, y0+1) * (1 - fx) * fy
		if fx != 0 {
			v += at(x0+1, y0+1) * fx * fy
		}
	}
	return v
}

// checkImage panics unless dst and src both hold h*w pixels.
func checkImage(fn string, dst, src []float32, h, w int) {
	if h <= 0 || w <= 0 || len(src) != h*w || len(dst) != h*w {
		panic(fmt.Sprintf("dataset: %s of %d×%d image: len(src) = %d, len(dst) = %d, want %d", fn, h, w, len(src), len(dst), h*w))
	}
}
