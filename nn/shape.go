package nn

import "fmt"

// Shape is the shape of one example: height, width and channels. A dense
// vector of n values is Shape{1, 1, n}.
type Shape struct {
	H int `json:"h"`
	W int `json:"w"`
	C int `json:"c"`
}

// Size returns the number of values in one example of this shape.
func (s Shape) Size() int { return s.H * s.W * s.C }

// String formats the shape as HxWxC, the way error messages and the UI show it.
func (s Shape) String() string { return fmt.Sprintf("%dx%dx%d", s.H, s.W, s.C) }

func (s Shape) valid() bool { return s.H > 0 && s.W > 0 && s.C > 0 }
