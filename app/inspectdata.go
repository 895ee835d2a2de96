package app

import (
	"io"
	"time"

	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/cnnplay/cnnplay/internal/webfetch"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The inspect panel's data: downloading the test set, and the training set
// when the data browser asks for it.

// inspectDataFiles returns the URLs of a dataset's image and label files
// and its class names.
func inspectDataFiles(name string, train bool) (images, labels string, classes []string) {
	e := dataset.LookupOrDefault(name)
	if train {
		return "/web/data/" + e.Files[0], "/web/data/" + e.Files[1], e.Classes
	}
	return "/web/data/" + e.Files[2], "/web/data/" + e.Files[3], e.Classes
}

// loadTest fetches the test set of the named dataset.
func (ip *inspectPanel) loadTest(ctx app.Context, name string) {
	images, labels, classes := inspectDataFiles(name, false)
	own, isOwn, ownErr := ownImages(name) // one's own set: all its pictures
	ctx.Async(func() {
		imgs, err := own, ownErr
		if !isOwn {
			imgs, err = inspectFetchImages(images, labels, name+"-test", classes, nil)
		}
		var set *dataset.Set
		if err == nil {
			set = imgs.Set()
		}
		ip.dispatch(ctx, func(ctx app.Context) {
			if ip.testName != name {
				return
			}
			if err != nil {
				ip.testErr = err.Error()
				return
			}
			ip.test, ip.testImgs = set, imgs
			ip.need(ctx)
		})
	})
}

// loadTrain fetches the training set of the named dataset, showing the
// download's progress. The images are read (and unzipped) as the bytes
// arrive, so the page stays responsive between pieces.
func (ip *inspectPanel) loadTrain(ctx app.Context, name string) {
	ip.train, ip.trainName, ip.trainErr, ip.trainGot, ip.trainTotal = nil, name, "", 0, 0
	images, labels, classes := inspectDataFiles(name, true)
	if own, isOwn, err := ownImages(name); isOwn {
		ip.train = own
		if err != nil {
			ip.trainErr = err.Error()
		}
		return
	}
	ctx.Async(func() {
		progress := func(got, total int64) {
			ip.dispatch(ctx, func(ctx app.Context) {
				if ip.trainName == name {
					ip.trainGot, ip.trainTotal = got, total
				}
			})
		}
		imgs, err := inspectFetchImages(images, labels, name+"-train", classes, progress)
		ip.dispatch(ctx, func(ctx app.Context) {
			if ip.trainName != name {
				return
			}
			if err != nil {
				ip.trainErr = err.Error()
				return
			}
			ip.train = imgs
		})
	})
}

// inspectProgressEvery is the least time between two progress reports of a
// download: often enough to see the bar move, rarely enough not to make
// the page re-render for every piece. inspectYieldEvery is the most time
// reading a download may take before it lets the browser paint a frame.
const (
	inspectProgressEvery = 150 * time.Millisecond
	inspectYieldEvery    = 30 * time.Millisecond
)

// inspectFetchImages downloads a gzipped IDX image file and label file. When
// progress is not nil it is told, every so often and once at the end, how
// many bytes of the images file have arrived and how many there are (0 if
// the server did not say).
func inspectFetchImages(imagesURL, labelsURL, name string, classes []string, progress func(got, total int64)) (*inspect.Images, error) {
	img, err := webfetch.Get(webURL(imagesURL))
	if err != nil {
		return nil, err
	}
	defer img.Body.Close()
	lab, err := webfetch.Get(webURL(labelsURL))
	if err != nil {
		return nil, err
	}
	defer lab.Body.Close()
	pr := &inspectYieldReader{r: img.Body, total: max(img.ContentLength, 0), report: progress, yielded: time.Now()}
	defer pr.done()
	return inspect.LoadImages(pr, lab.Body, name, classes)
}

// inspectYieldReader reads a download for a decoder on the UI thread,
// which the browser shares with the page. From localhost the pieces arrive
// faster than they unzip and each read resolves as a microtask, so reading
// and unzipping alone would hold the thread for a second or more: every
// inspectYieldEvery the reader sleeps a moment, which returns to the event
// loop and lets a frame be drawn. It also counts the bytes and reports
// them, at most every inspectProgressEvery, when report is not nil.
type inspectYieldReader struct {
	r                 io.Reader
	got, total        int64
	reported, yielded time.Time
	report            func(got, total int64)
}

func (p *inspectYieldReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.got += int64(n)
	now := time.Now()
	if p.report != nil && now.Sub(p.reported) >= inspectProgressEvery {
		p.reported = now
		p.report(p.got, p.total)
	}
	if now.Sub(p.yielded) >= inspectYieldEvery {
		time.Sleep(time.Millisecond)
		p.yielded = time.Now()
	}
	return n, err
}

// done reports the final count.
func (p *inspectYieldReader) done() {
	if p.report != nil {
		p.report(p.got, p.total)
	}
}
