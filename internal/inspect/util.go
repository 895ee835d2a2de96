package inspect

import "fmt"

// checkLen panics with a clear message on a buffer of the wrong size, a
// programmer error.
func checkLen(name string, got, want int) {
	if got != want {
		panic(fmt.Sprintf("inspect: %s: buffer has %d values, want %d", name, got, want))
	}
}

// Plane copies channel c of an HWC tensor of shape h×w×ch into dst (h*w
// values) and returns it; nil dst allocates.
func Plane(dst, hwc []float32, h, w, ch, c int) []float32 {
	checkLen("Plane source", len(hwc), h*w*ch)
	if dst == nil {
		dst = make([]float32, h*w)
	}
	checkLen("Plane destination", len(dst), h*w)
	for i := range dst {
		dst[i] = hwc[i*ch+c]
	}
	return dst
}
