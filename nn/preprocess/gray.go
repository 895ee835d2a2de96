package preprocess

import "image"

// Luminance weights of ITU-R BT.601, the ones JPEG uses for Y.
const (
	wr = 0.299
	wg = 0.587
	wb = 0.114
)

// GrayRGBA returns the luminance in [0,1] of the w×h picture rgba, given as
// canvas ImageData does: 4 bytes per pixel (R, G, B, A), not premultiplied,
// row-major. Transparent pixels count as background: when the picture has
// any, it is composited over white if its visible pixels are dark on
// average (dark ink on a transparent canvas) and over black otherwise. It
// returns nil if len(rgba) is not 4*w*h.
func GrayRGBA(rgba []uint8, w, h int) []float32 {
	if w <= 0 || h <= 0 || len(rgba) != 4*w*h {
		return nil
	}
	lum := make([]float32, w*h)
	alpha := make([]float32, w*h)
	var sumA, sumLA float64
	translucent := false
	for i := range lum {
		p := rgba[4*i : 4*i+4 : 4*i+4]
		l := float32(wr*float64(p[0])+wg*float64(p[1])+wb*float64(p[2])) / 255
		a := float32(p[3]) / 255
		lum[i], alpha[i] = l, a
		sumA += float64(a)
		sumLA += float64(a * l)
		if p[3] != 255 {
			translucent = true
		}
	}
	if translucent {
		composite(lum, alpha, sumA, sumLA)
	}
	return lum
}

// composite blends lum (not premultiplied) over the background chosen from
// the mean visible luminance sumLA/sumA.
func composite(lum, alpha []float32, sumA, sumLA float64) {
	var bg float32
	if sumA == 0 || sumLA/sumA < 0.5 {
		bg = 1
	}
	for i, a := range alpha {
		lum[i] = a*lum[i] + (1-a)*bg
	}
}

// Gray returns the luminance in [0,1] of img, row-major, with its width and
// height; transparent pixels are treated as in GrayRGBA.
func Gray(img image.Image) (pix []float32, w, h int) {
	b := img.Bounds()
	w, h = b.Dx(), b.Dy()
	pix = make([]float32, w*h)
	switch m := img.(type) {
	case *image.Gray:
		for y := range h {
			row := m.Pix[(y+b.Min.Y-m.Rect.Min.Y)*m.Stride+(b.Min.X-m.Rect.Min.X):]
			for x := range w {
				pix[y*w+x] = float32(row[x]) / 255
			}
		}
		return pix, w, h
	case *image.YCbCr:
		// Y is already the BT.601 luminance.
		for y := range h {
			for x := range w {
				pix[y*w+x] = float32(m.Y[m.YOffset(b.Min.X+x, b.Min.Y+y)]) / 255
			}
		}
		return pix, w, h
	case *image.NRGBA:
		rgba := make([]uint8, 0, 4*w*h)
		for y := range h {
			off := m.PixOffset(b.Min.X, b.Min.Y+y)
			rgba = append(rgba, m.Pix[off:off+4*w]...)
		}
		return GrayRGBA(rgba, w, h), w, h
	}
	// Generic path: At gives alpha-premultiplied 16-bit values.
	alpha := make([]float32, w*h)
	var sumA, sumLA float64
	translucent := false
	for y := range h {
		for x := range w {
			r, g, bl, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			i := y*w + x
			af := float32(a) / 0xffff
			var l float32
			if a > 0 {
				// Un-premultiply to get the colour of the visible ink.
				l = float32(wr*float64(r)+wg*float64(g)+wb*float64(bl)) / float32(a)
			}
			pix[i], alpha[i] = min(l, 1), af
			sumA += float64(af)
			sumLA += float64(af * pix[i])
			if a != 0xffff {
				translucent = true
			}
		}
	}
	if translucent {
		composite(pix, alpha, sumA, sumLA)
	}
	return pix, w, h
}
