//go:build !js

package classroom

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cnnplay/cnnplay/internal/strokes"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/cnnplay/cnnplay/nn/preprocess"
)

// Limits of a submission. A real digit drawn on the phone has a few
// strokes of a few hundred points and a path of about 1,000 canvas pixels.
const (
	// MaxBody bounds a submission's body: strokes of at most 64 KB and
	// the few short fields beside them.
	MaxBody = 64<<10 + 1<<10
	// MaxPoints bounds the points of a drawing, all strokes together.
	MaxPoints = 5000
	// MaxStrokes bounds the strokes of a drawing.
	MaxStrokes = 200
	// MaxPath bounds the length of a drawing's path in canvas pixels, so
	// that rendering it costs little whatever its points are.
	MaxPath = 40 * Canvas
	// MaxTime bounds a point's time, ms from the drawing's start.
	MaxTime = 3_600_000
	// MaxNickname is the longest nickname, in characters.
	MaxNickname = 24
	// MaxClasses and MaxClassName bound the teacher's class names.
	MaxClasses   = 50
	MaxClassName = 32
)

// Canvas is the side of the students' drawing canvas in canvas pixels, the
// playground's; Brush is its pen's width.
const (
	Canvas = strokes.Canvas
	Brush  = strokes.Brush
)

// Side is the side of the stored image, the network's input.
const Side = preprocess.Size

// Point is a pen position in canvas pixels and its time in ms since the
// drawing began.
type Point [3]float64

// UnmarshalJSON reads a point as exactly three numbers: encoding/json
// would drop a fourth or zero a missing one without a word.
func (p *Point) UnmarshalJSON(b []byte) error {
	var v []float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if len(v) != 3 {
		return fmt.Errorf("a point is [x, y, ms], got %d numbers", len(v))
	}
	copy(p[:], v)
	return nil
}

// Submission is a student's drawing as the page sends it.
type Submission struct {
	Code     string    `json:"code"`
	Key      string    `json:"key"`    // idempotency key, random per drawing
	Device   string    `json:"device"` // random per browser
	Nickname string    `json:"nickname"`
	Label    string    `json:"label"` // the class the student was asked for
	Strokes  [][]Point `json:"strokes"`
}

// check validates everything in sub but the code and the label, which
// depend on the class.
func (sub *Submission) check() error {
	if err := checkToken("key", sub.Key); err != nil {
		return err
	}
	if err := checkToken("device", sub.Device); err != nil {
		return err
	}
	if err := checkNickname(sub.Nickname); err != nil {
		return err
	}
	return checkStrokes(sub.Strokes)
}

// checkToken checks a client-chosen id: 8 to 64 letters, digits, - or _.
func checkToken(what, s string) error {
	if len(s) < 8 || len(s) > 64 {
		return fmt.Errorf("%s: want 8 to 64 characters, got %d", what, len(s))
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Errorf("%s: only letters, digits, - and _ are allowed", what)
		}
	}
	return nil
}

// checkNickname allows any printable text up to MaxNickname characters.
func checkNickname(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("nickname: not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > MaxNickname {
		return fmt.Errorf("nickname: at most %d characters, got %d", MaxNickname, n)
	}
	if strings.TrimSpace(s) != s {
		return errors.New("nickname: no spaces at the start or the end")
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("nickname: character %U is not allowed", r)
		}
	}
	return nil
}

// checkStrokes checks the drawing's size and that every point is finite,
// inside the canvas, and at a time within MaxTime.
func checkStrokes(ss [][]Point) error {
	if len(ss) == 0 {
		return errors.New("strokes: the drawing is empty")
	}
	if len(ss) > MaxStrokes {
		return fmt.Errorf("strokes: at most %d strokes, got %d", MaxStrokes, len(ss))
	}
	n, path := 0, 0.0
	for i, s := range ss {
		if len(s) == 0 {
			return fmt.Errorf("strokes: stroke %d is empty", i)
		}
		n += len(s)
		if n > MaxPoints {
			return fmt.Errorf("strokes: at most %d points in all", MaxPoints)
		}
		for j, p := range s {
			for _, v := range p {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("strokes: point %d of stroke %d is not a finite number", j, i)
				}
			}
			if p[0] < 0 || p[0] > Canvas || p[1] < 0 || p[1] > Canvas {
				return fmt.Errorf("strokes: point %d of stroke %d, (%g, %g), is outside the %d×%d canvas", j, i, p[0], p[1], Canvas, Canvas)
			}
			if p[2] < 0 || p[2] > MaxTime {
				return fmt.Errorf("strokes: point %d of stroke %d has time %g ms, want 0 to %d", j, i, p[2], MaxTime)
			}
			if j > 0 {
				path += math.Hypot(p[0]-s[j-1][0], p[1]-s[j-1][1])
			}
		}
	}
	if path > MaxPath {
		return fmt.Errorf("strokes: the path is %.0f canvas pixels long, at most %d", path, MaxPath)
	}
	return nil
}

// checkClasses checks the teacher's class names: 2 to MaxClasses distinct
// names of printable characters that can name a folder in the export.
func checkClasses(names []string) error {
	if len(names) < 2 || len(names) > MaxClasses {
		return fmt.Errorf("classes: want 2 to %d names, got %d", MaxClasses, len(names))
	}
	seen := map[string]bool{}
	for _, name := range names {
		if err := imageset.CheckClassName(name); err != nil {
			return err
		}
		switch {
		case name == "" || strings.TrimSpace(name) != name:
			return fmt.Errorf("class name %q: empty, or spaces at the start or the end", name)
		case utf8.RuneCountInString(name) > MaxClassName:
			return fmt.Errorf("class name %q: at most %d characters", name, MaxClassName)
		case strings.ContainsAny(name, `/\:*?"<>|`) || strings.HasPrefix(name, "."):
			return fmt.Errorf("class name %q: it names a folder in the export, so no / \\ : * ? \" < > | and no leading dot", name)
		case seen[strings.ToLower(name)]:
			return fmt.Errorf("class name %q appears twice (folders ignore case)", name)
		}
		for _, r := range name {
			if !unicode.IsPrint(r) {
				return fmt.Errorf("class name %q: character %U is not allowed", name, r)
			}
		}
		seen[strings.ToLower(name)] = true
	}
	return nil
}

// encodeStrokes returns the stored form of checked strokes.
func encodeStrokes(ss [][]Point) []byte {
	b, _ := json.Marshal(ss)
	return b
}

// Render returns the Side×Side image the network sees for the checked
// strokes ss, as bytes (255 = full ink): the strokes painted as the
// playground's canvas paints them (round-capped lines of the pen's width)
// and turned into an MNIST-style digit by nn/preprocess, as the page turns
// its canvas. It returns preprocess.ErrEmpty for a drawing with no ink.
//
// Only the part of the canvas around the ink is painted: the ink's box
// with a margin of white, which is all Digit needs to find the white
// background (it is uniform here, unlike a photo's) and costs a fraction
// of the whole canvas. TestRenderMatchesThePage checks the result against
// the whole canvas's.
func Render(ss [][]Point) ([]byte, error) {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, s := range ss {
		for _, p := range s {
			x0, y0, x1, y1 = min(x0, p[0]), min(y0, p[1]), max(x1, p[0]), max(y1, p[1])
		}
	}
	if math.IsInf(x0, 1) { // no points at all
		return nil, preprocess.ErrEmpty
	}
	const margin = Brush
	left, top := math.Floor(x0-margin), math.Floor(y0-margin)
	w, h := int(math.Ceil(x1+margin-left)), int(math.Ceil(y1+margin-top))
	side := max(w, h)
	img, err := preprocess.Digit(paint(ss, left, top, side), side, side)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(img))
	for i, v := range img {
		out[i] = uint8(math.Round(255 * float64(min(max(v, 0), 1))))
	}
	return out, nil
}

// paint returns the luminance of the side×side part of the canvas whose
// top left corner is (left, top), with the strokes ss painted on it as the
// page paints them.
func paint(ss [][]Point, left, top float64, side int) []float32 {
	d := strokes.Drawing{Strokes: make([][][2]float64, len(ss))}
	for i, s := range ss {
		d.Strokes[i] = split(s, left, top)
	}
	return preprocess.GrayRGBA(strokes.Render(d, side, Brush), side, side)
}

// CanvasPicture returns the drawing as the student's canvas showed it:
// dark ink on white, Canvas×Canvas. Prepared by nn/preprocess, it gives
// the image Render returns.
func CanvasPicture(ss [][]Point) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, Canvas, Canvas))
	for i, v := range paint(ss, 0, 0, Canvas) {
		g.Pix[i] = uint8(math.Round(255 * float64(min(max(v, 0), 1))))
	}
	return g
}

// splitStep is the longest segment the rasteriser is given. The
// rasteriser scans each segment's bounding box, so a long diagonal would
// cost the square of its length; cut into short pieces, the cost follows
// the path's length, and the picture is the same (the ink is the set of
// pixels near the path).
const splitStep = 4.0

// split returns the stroke's points moved by (-left, -top), with points
// added along segments longer than splitStep.
func split(s []Point, left, top float64) [][2]float64 {
	out := make([][2]float64, 0, len(s))
	for j, p := range s {
		if j > 0 {
			q := s[j-1]
			if l := math.Hypot(p[0]-q[0], p[1]-q[1]); l > splitStep {
				k := int(math.Ceil(l / splitStep))
				for i := 1; i < k; i++ {
					t := float64(i) / float64(k)
					out = append(out, [2]float64{q[0] + t*(p[0]-q[0]) - left, q[1] + t*(p[1]-q[1]) - top})
				}
			}
		}
		out = append(out, [2]float64{p[0] - left, p[1] - top})
	}
	return out
}
