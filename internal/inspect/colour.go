package inspect

import "math"

// The diverging scale's end points: a blue for negative values and an
// orange for positive ones, both far from each other for every common kind
// of colour vision (the pair of ColorBrewer's PuOr/RdBu ends), with white at
// zero.
var (
	negColour = [3]float32{33, 102, 172} // #2166ac
	posColour = [3]float32{230, 97, 1}   // #e66101
)

// MaxAbs returns the largest absolute value of vals (0 for none), the
// symmetric scale that makes zero white and keeps the sign readable.
func MaxAbs(vals []float32) float32 {
	var m float32
	for _, v := range vals {
		m = max(m, float32(math.Abs(float64(v))))
	}
	return m
}

// Diverging returns the colour of v on a symmetric scale [-scale, scale]:
// blue for negative, white for zero, orange for positive, saturating
// beyond the scale. A zero scale paints everything white.
func Diverging(v, scale float32) (r, g, b uint8) {
	if !(scale > 0) {
		return 255, 255, 255
	}
	t := min(max(v/scale, -1), 1)
	end := posColour
	if t < 0 {
		end, t = negColour, -t
	}
	mix := func(c float32) uint8 { return uint8(255 + (c-255)*t + 0.5) }
	return mix(end[0]), mix(end[1]), mix(end[2])
}

// DivergingRGBA writes vals as opaque RGBA pixels on the symmetric scale
// into dst, which must hold 4*len(vals) bytes, and returns dst.
func DivergingRGBA(dst []byte, vals []float32, scale float32) []byte {
	checkLen("DivergingRGBA destination", len(dst), 4*len(vals))
	for i, v := range vals {
		dst[4*i], dst[4*i+1], dst[4*i+2] = Diverging(v, scale)
		dst[4*i+3] = 255
	}
	return dst
}

// GreyRGBA writes vals as opaque grey pixels into dst (4*len(vals) bytes):
// lo and below black, hi and above white. It returns dst.
func GreyRGBA(dst []byte, vals []float32, lo, hi float32) []byte {
	checkLen("GreyRGBA destination", len(dst), 4*len(vals))
	span := hi - lo
	for i, v := range vals {
		var c uint8
		if span > 0 {
			c = uint8(255*min(max((v-lo)/span, 0), 1) + 0.5)
		}
		dst[4*i], dst[4*i+1], dst[4*i+2], dst[4*i+3] = c, c, c, 255
	}
	return dst
}

// HeatRGBA writes non-negative vals as opaque pixels from white (0) to a
// dark red-brown (scale and above), one hue whose lightness carries the
// value, into dst (4*len(vals) bytes). It returns dst.
func HeatRGBA(dst []byte, vals []float32, scale float32) []byte {
	checkLen("HeatRGBA destination", len(dst), 4*len(vals))
	for i, v := range vals {
		t := float32(0)
		if scale > 0 {
			t = min(max(v/scale, 0), 1)
		}
		dst[4*i] = uint8(255 - 128*t + 0.5)
		dst[4*i+1] = uint8(255 - 215*t + 0.5)
		dst[4*i+2] = uint8(255 - 245*t + 0.5)
		dst[4*i+3] = 255
	}
	return dst
}

// Range returns the smallest and largest of vals (0, 0 for none).
func Range(vals []float32) (lo, hi float32) {
	if len(vals) == 0 {
		return 0, 0
	}
	lo, hi = vals[0], vals[0]
	for _, v := range vals[1:] {
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi
}
