package imageset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

// Fractions are the parts of each class held out for validation and for
// testing.
type Fractions struct {
	Val, Test float64
}

// Split is a set split class by class.
type Split struct {
	// Train, Val and Test are disjoint parts of the set, each in the set's
	// order; Val and Test may hold no images.
	Train, Val, Test *dataset.Set
	// TrainIndex, ValIndex and TestIndex give, for each image of the
	// part, its index in the set that was split.
	TrainIndex, ValIndex, TestIndex []int
	// Counts[c] is the number of class c's images in the training,
	// validation and test parts.
	Counts [][3]int
	// TooFew names the classes with too few images to validate: none at
	// all, or one (which training keeps) when a validation part is asked
	// for.
	TooFew []string
}

// Stratify splits s so that each class keeps the fractions f of its images
// for validation and testing (rounded, at least one each when the class
// has enough images), and the rest for training, at least one image a
// class when it has any. The images of each part are drawn with rng, so
// the same seed gives the same split. It returns an error if a fraction
// is negative or not a number, or they add up to 1 or more.
func Stratify(s *dataset.Set, f Fractions, rng *rand.Rand) (*Split, error) {
	if !(f.Val >= 0 && f.Test >= 0 && f.Val+f.Test < 1) {
		return nil, fmt.Errorf("imageset: validation %v and test %v must be fractions of the set that leave some for training", f.Val, f.Test)
	}
	byClass := make([][]int, len(s.Classes))
	for i := range s.N {
		byClass[s.Labels[i]] = append(byClass[s.Labels[i]], i)
	}
	sp := &Split{Counts: make([][3]int, len(s.Classes))}
	for c, idx := range byClass {
		n := len(idx)
		nVal, nTest := part(n, f.Val), part(n, f.Test)
		// Training keeps at least one image; the test part gives way
		// first, since validation is what the page shows as training goes.
		for nVal+nTest >= n && nVal+nTest > 0 {
			if nTest > 0 {
				nTest--
			} else {
				nVal--
			}
		}
		if n == 0 || (f.Val > 0 && nVal == 0) {
			sp.TooFew = append(sp.TooFew, s.Classes[c])
		}
		rng.Shuffle(n, func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		sp.ValIndex = append(sp.ValIndex, idx[:nVal]...)
		sp.TestIndex = append(sp.TestIndex, idx[nVal:nVal+nTest]...)
		sp.TrainIndex = append(sp.TrainIndex, idx[nVal+nTest:]...)
		sp.Counts[c] = [3]int{n - nVal - nTest, nVal, nTest}
	}
	for _, x := range [][]int{sp.TrainIndex, sp.ValIndex, sp.TestIndex} {
		slices.Sort(x)
	}
	sp.Train, sp.Val, sp.Test = s.Subset(sp.TrainIndex), s.Subset(sp.ValIndex), s.Subset(sp.TestIndex)
	sp.Train.Name, sp.Val.Name, sp.Test.Name = s.Name+"-train", s.Name+"-val", s.Name+"-test"
	return sp, nil
}

// part returns the number of a class's n images a fraction f holds out:
// rounded, and at least one when f is not zero and n is at least 2.
func part(n int, f float64) int {
	if f == 0 || n < 2 {
		return 0
	}
	return max(1, int(math.Round(f*float64(n))))
}
