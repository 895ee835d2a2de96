//go:build !js

package draw_test

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/nntest"
)

// photoOf saves picture i of s (an MNIST digit, a Fashion-MNIST item) as a photo of paper would look: dark
// ink, scaled up 5x, off-centre on an unevenly lit grey page.
func photoOf(t *testing.T, s *dataset.Set, i int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			v := uint8(200 + x/16)
			img.Set(x, y, color.RGBA{v, v, v - 10, 255})
		}
	}
	src := s.Image(i)
	for y := 0; y < 28*5; y++ {
		for x := 0; x < 28*5; x++ {
			if v := src[(y/5)*28+x/5]; v > 0 {
				g := uint8(200 - 170*v)
				img.Set(x+150, y+60, color.RGBA{g, g, g + 10, 255})
			}
		}
	}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("digit-%d.png", i))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// classifyPhotos opens page and chooses photos of the first n pictures of
// s with the file input, one after the other; the page must name each
// picture's class. It returns the browser for further checks.
func classifyPhotos(t *testing.T, page string, s *dataset.Set, n int) *browsertest.Browser {
	t.Helper()
	b, url := browsertest.StartSite(t)
	b.Navigate(t, url+page)
	b.WaitFor(t, `document.getElementById("prediction-panel").dataset.ready`, 30*time.Second)
	for i := 0; i < n; i++ {
		path := photoOf(t, s, i)
		b.Do(t, chromedp.SetUploadFiles("#image-file", []string{path}))
		b.WaitFor(t, `document.getElementById("image-name").textContent === "`+filepath.Base(path)+`"`, 10*time.Second)
		want := s.Classes[s.Labels[i]]
		b.WaitFor(t, `document.getElementById("prediction").textContent === "`+want+`"`, 5*time.Second)
	}
	return b
}

// TestBrowserClassifiesPicture chooses photos of real test digits with the
// file input and checks the page reads them as it reads drawings; a file
// that is not an image gets a message.
func TestBrowserClassifiesPicture(t *testing.T) {
	test, err := dataset.LoadFiles("../../testdata/mnist/t10k-500-images-idx3-ubyte.gz",
		"../../testdata/mnist/t10k-500-labels-idx1-ubyte.gz", "mnist-test", dataset.MNISTClasses)
	if err != nil {
		t.Fatal(err)
	}
	b := classifyPhotos(t, "/", test, 5)
	b.Screenshot(t, "picture")

	notImage := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notImage, []byte("not a picture"), 0o644)
	b.Do(t, chromedp.SetUploadFiles("#image-file", []string{notImage}))
	b.WaitFor(t, `document.querySelector(".prediction-status").textContent.includes("notes.txt is not an image")`, 10*time.Second)

	// A PNG whose header declares 20000×20000 pixels is refused by its
	// header, before the browser decodes 1.6 GB of it, and the last
	// picture's prediction stays.
	bomb := filepath.Join(t.TempDir(), "bomb.png")
	os.WriteFile(bomb, nntest.PNG(20000, 20000, 1), 0o644)
	b.Do(t, chromedp.SetUploadFiles("#image-file", []string{bomb}))
	b.WaitFor(t, `document.querySelector(".prediction-status").textContent.includes("bomb.png was not read: picture too large: the png is 20000×20000 pixels (400 megapixels)")`, 10*time.Second)
	if got, want := browsertest.Eval[string](t, b, `document.getElementById("prediction").textContent`), test.Classes[test.Labels[4]]; got != want {
		t.Errorf("after the refused picture the prediction is %q, want the last photo's %q", got, want)
	}
	b.Screenshot(t, "picture-too-large")
	b.AssertNoErrors(t)
}

// TestBrowserClassifiesFashionPicture opens the page with the shipped
// Fashion-MNIST model (?model=fashion) and chooses photos of Fashion-MNIST
// test pictures: the page must frame them as clothing, not as digits, and
// name the classes.
func TestBrowserClassifiesFashionPicture(t *testing.T) {
	d := dataset.FashionDir
	test, err := dataset.LoadFiles(filepath.Join(d, dataset.TestImagesFile), filepath.Join(d, dataset.TestLabelsFile), "fashion-test", dataset.FashionClasses)
	if err != nil {
		t.Fatal(err)
	}
	b := classifyPhotos(t, "/?model=fashion", test, 5)
	b.Screenshot(t, "picture-fashion")
	// The model panel names the model, and "Use the shipped model" brings
	// back this one, not the digits.
	const describe = `document.getElementById("model-name").textContent`
	b.WaitFor(t, describe+`.includes("Fashion-MNIST")`, 5*time.Second)
	b.Click(t, "#use-shipped")
	time.Sleep(2 * time.Second) // the model reloads in the background
	if got, want := browsertest.Eval[string](t, b, `document.getElementById("prediction").textContent`), test.Classes[test.Labels[4]]; got != want {
		t.Errorf("after Use the shipped model the photo reads %q, want %q", got, want)
	}
	b.AssertNoErrors(t)
}
