package imageset

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// debianDigits is where Debian's python3-sklearn installs scikit-learn's
// copy of the UCI optical digits test set (BSD-licensed with
// scikit-learn): 1797 handwritten digits of 8×8 pixels, 0 to 16, each
// scaled by NIST's preprocessing to fill its box, that is cropped tight to
// its edges. Without the package, `apt-get download python3-sklearn` and
// `dpkg-deb -x` give the file; -sklearn names it.
const debianDigits = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"

var (
	sklearnPath  = flag.String("sklearn", debianDigits, "TestSklearnDigits: scikit-learn's digits.csv.gz")
	sklearnWrite = flag.String("sklearn-write", "", "TestSklearnDigits: write the folder sets train/ and test/ here")
	sklearnTrain = flag.Int("sklearn-train", 1200, "TestSklearnDigits: images in train/ (stratified; the rest go to test/)")
)

// readSklearnDigits reads digits.csv.gz: one line per digit, 64 pixel
// values then the label.
func readSklearnDigits(path string) (pix [][64]uint8, labels []int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, nil, err
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		fields := strings.Split(strings.TrimSpace(sc.Text()), ",")
		if len(fields) != 65 {
			return nil, nil, fmt.Errorf("line %d has %d fields, want 65", len(labels)+1, len(fields))
		}
		var p [64]uint8
		for i, s := range fields[:64] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v < 0 || v > 16 {
				return nil, nil, fmt.Errorf("line %d: pixel %q", len(labels)+1, s)
			}
			p[i] = uint8(v)
		}
		l, err := strconv.Atoi(fields[64])
		if err != nil || l < 0 || l > 9 {
			return nil, nil, fmt.Errorf("line %d: label %q", len(labels)+1, fields[64])
		}
		pix, labels = append(pix, p), append(labels, l)
	}
	return pix, labels, sc.Err()
}

// sklearnSets converts the digits into two folder sets, as a user would
// have them: 8×8 PNGs of dark ink on white, one folder per digit, the
// first nTrain (drawn class by class with a fixed seed) for training and
// the rest for testing.
func sklearnSets(t *testing.T, pix [][64]uint8, labels []int, nTrain int) (train, test *Set) {
	train = &Set{Name: "sklearn-digits-train", Classes: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}}
	test = &Set{Name: "sklearn-digits-test", Classes: train.Classes}
	perm := rand.New(rand.NewPCG(1797, 8)).Perm(len(pix))
	frac := float64(nTrain) / float64(len(pix))
	seen, kept := make([]int, 10), make([]int, 10)
	for _, i := range perm {
		img := image.NewGray(image.Rect(0, 0, 8, 8))
		for j, v := range pix[i] {
			img.Pix[j] = uint8(255 - int(v)*255/16)
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		l := labels[i]
		e := Example{Class: train.Classes[l], Name: fmt.Sprintf("%04d.png", i), Data: b.Bytes()}
		seen[l]++
		if float64(kept[l]) < math.Round(frac*float64(seen[l])) {
			kept[l]++
			train.Examples = append(train.Examples, e)
		} else {
			test.Examples = append(test.Examples, e)
		}
	}
	return train, test
}

// TestSklearnDigits builds folder sets of real handwriting from
// scikit-learn's digits and checks that every one of these tiny pictures,
// cropped tight to the digit, is framed as MNIST frames its digits: the ink
// fits a 20×20 box and its centre of mass is at (14, 14). With
// -sklearn-write it writes the sets, for the bar of the issue:
//
//	go test ./nn/dataset/imageset -run TestSklearnDigits -sklearn-write /tmp/skdigits
//	cnn train -data /tmp/skdigits/train -o sk.cnn
//	cnn eval -model sk.cnn -data /tmp/skdigits/test
func TestSklearnDigits(t *testing.T) {
	pix, labels, err := readSklearnDigits(*sklearnPath)
	if os.IsNotExist(err) {
		t.Skipf("%s is missing: install python3-sklearn, or pass -sklearn with digits.csv.gz from its package", *sklearnPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(pix) != 1797 {
		t.Fatalf("read %d digits, want 1797", len(pix))
	}
	train, test := sklearnSets(t, pix, labels, *sklearnTrain)
	if len(train.Examples) < *sklearnTrain-10 || len(train.Examples) > *sklearnTrain+10 {
		t.Fatalf("%d training images, asked for %d", len(train.Examples), *sklearnTrain)
	}
	dir := *sklearnWrite
	if dir == "" {
		dir = t.TempDir()
	}
	for _, s := range []*Set{train, test} {
		var b bytes.Buffer
		if err := s.WriteZip(&b); err != nil {
			t.Fatal(err)
		}
		back, probs, err := ReadZip(b.Bytes())
		if err != nil || len(probs) > 0 {
			t.Fatalf("%s: %v %v", s.Name, err, probs)
		}
		sub := filepath.Join(dir, strings.TrimPrefix(s.Name, "sklearn-digits-"))
		for _, e := range back.Examples {
			if err := os.MkdirAll(filepath.Join(sub, e.Class), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(sub, e.Class, e.Name), e.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	all := &Set{Classes: train.Classes, Examples: append(train.Examples, test.Examples...)}
	p, probs, err := all.Prepare()
	if err != nil || len(probs) > 0 || p.N != 1797 {
		t.Fatalf("prepared %d: %v %v", p.N, err, probs)
	}
	worst, widest := 0.0, 0
	for i := range p.N {
		img := p.Image(i)
		var m, mx, my float64
		x0, x1, y0, y1 := 28, -1, 28, -1
		for j, v := range img {
			x, y := j%28, j/28
			m += float64(v)
			mx += float64(v) * (float64(x) + 0.5)
			my += float64(v) * (float64(y) + 0.5)
			if v > 0.02 {
				x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
			}
		}
		worst = max(worst, math.Hypot(mx/m-14.5, my/m-14.5))
		widest = max(widest, x1-x0+1, y1-y0+1)
	}
	t.Logf("1797 digits: centre of mass at most %.2f px from MNIST's, ink at most %d px wide or tall", worst, widest)
	if worst > 1 || widest > 21 {
		t.Errorf("not framed as MNIST: centre of mass up to %.2f px off, ink up to %d px", worst, widest)
	}
}
