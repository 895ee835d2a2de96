package dataset

import (
	"fmt"
	"math/rand/v2"
)

// CenterCrop writes into dst (ch*cw pixels) the ch×cw window at the centre
// of the h×w image src (rounding the offset down when the margin is odd).
// It panics if the sizes disagree or the window is larger than the image.
func CenterCrop(dst, src []float32, h, w, ch, cw int) {
	checkCrop("CenterCrop", dst, src, h, w, ch, cw)
	crop(dst, src, w, ch, cw, (h-ch)/2, (w-cw)/2)
}

// RandomCrop writes into dst (ch*cw pixels) a ch×cw window of the h×w image
// src at an offset drawn uniformly with rng among all h-ch+1 by w-cw+1
// positions. It panics if the sizes disagree or the window is larger than
// the image.
func RandomCrop(dst, src []float32, h, w, ch, cw int, rng *rand.Rand) {
	checkCrop("RandomCrop", dst, src, h, w, ch, cw)
	oy := rng.IntN(h - ch + 1)
	ox := rng.IntN(w - cw + 1)
	crop(dst, src, w, ch, cw, oy, ox)
}

// crop copies the ch×cw window at (oy, ox) of an image of width w.
func crop(dst, src []float32, w, ch, cw, oy, ox int) {
	for y := range ch {
		copy(dst[y*cw:(y+1)*cw], src[(oy+y)*w+ox:])
	}
}

// checkCrop panics unless the crop sizes are consistent.
func checkCrop(fn string, dst, src []float32, h, w, ch, cw int) {
	if ch <= 0 || cw <= 0 || ch > h || cw > w || len(src) != h*w || len(dst) != ch*cw {
		panic(fmt.Sprintf("dataset: %s of %d×%d window from %d×%d image: len(src) = %d, len(dst) = %d",
			fn, ch, cw, h, w, len(src), len(dst)))
	}
}
