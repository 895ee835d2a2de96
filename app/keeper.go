package app

import (
	"bytes"
	"strconv"
	"time"

	"github.com/cnnplay/cnnplay/internal/autosave"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// storeName is the page's IndexedDB database.
const storeName = "cnnplay"

// Element id of the storage status line, stable for tests: its data-state
// is the autosave State (0 when all is kept), its data-saved the time (ms
// since 1970) when the model was last written, "" if not yet, and its
// data-writing whether writes asked for are still under way, data-save-ms
// the longest a save of the training took on the page's thread.
const storageStatusID = "storage-status"

// keeper keeps the page's work in the browser (package autosave on
// IndexedDB): the training as it goes, the training settings and the
// drawing; and it says plainly when storage is full or refused.
//
// It lives on the UI goroutine: the store opens and is read in a goroutine
// (browserstore's calls wait for the browser), and the Saver writes on its
// own, so nothing here waits for storage. Until the store is open it keeps
// the newest settings and drawing, and a new run, to hand over.
type keeper struct {
	saver  *autosave.Saver
	status autosave.Status
	view   *storageView // the status line, updated on its own

	newRun   bool   // a training began before the store opened
	label    string // the run's label, for StartRun
	settings []byte // the newest settings and drawing, until the store opens
	drawing  []byte
	lastForm []byte // the settings last given, to skip unchanged ones

	historyAt time.Time // when the history was last given
	flushing  bool      // a goroutine waits for the saver's writes
	again     bool      // more was given while it waited
	// slowest is the longest a save took on the UI goroutine (encoding
	// the models), shown for tests as the status line's data-save-ms.
	slowest time.Duration
}

func newKeeper() *keeper {
	k := &keeper{}
	k.view = &storageView{Keep: k}
	return k
}

// open opens the store and reads what it holds, in the background, then
// passes it to restore on the UI goroutine (unless a training has begun
// meanwhile, which replaces it). A store that does not open is reported in
// the status line and nothing is kept.
func (k *keeper) open(ctx app.Context, restore func(ctx app.Context, r *autosave.Restored)) {
	ctx.Async(func() {
		st, err := openStore()
		var r *autosave.Restored
		if err == nil {
			r, err = autosave.Load(st)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				k.setStatus(autosave.StatusFor(err))
				return
			}
			k.saver = autosave.New(st, autosave.Options{OnStatus: func(s autosave.Status) {
				ctx.Dispatch(func(ctx app.Context) { k.setStatus(s) })
			}})
			if k.newRun {
				k.saver.StartRun(k.label)
			}
			if k.settings != nil {
				k.saver.Settings(k.settings)
			}
			if k.drawing != nil {
				k.saver.Drawing(k.drawing)
			}
			k.settings, k.drawing = nil, nil
			if !k.newRun {
				restore(ctx, r)
			}
		})
	})
}

func (k *keeper) setStatus(s autosave.Status) {
	k.status = s
	if k.view.Mounted() {
		k.view.Update()
	}
}

// startRun begins keeping a new training called label (its preset): the
// training kept so far is deleted with the first write.
func (k *keeper) startRun(label string) {
	k.newRun, k.label, k.historyAt = true, label, time.Time{}
	if k.saver != nil {
		k.saver.StartRun(label)
	}
}

// discard deletes the training kept, as the user declined to restore it.
func (k *keeper) discard() {
	if k.saver != nil {
		k.saver.Discard()
	}
}

// save keeps the training's state: current is the model being trained
// (taken at most every autosave.DefaultEvery unless force: an epoch ended,
// training paused or finished), best, if not nil, its new best model;
// history is asked for with the same rhythm. Encoding the models is the
// only work done here; force also has the status line say when the write
// is done.
func (k *keeper) save(ctx app.Context, current, best *model.Model, force bool, history func() []byte) {
	if k.saver == nil || current == nil {
		return
	}
	snap := autosave.Snapshot{Current: current, Best: best, Force: force}
	if now := time.Now(); force || now.Sub(k.historyAt) >= autosave.DefaultEvery {
		snap.History, k.historyAt = history(), now
	}
	start := time.Now()
	err := k.saver.Save(snap)
	k.slowest = max(k.slowest, time.Since(start))
	if err != nil {
		k.setStatus(autosave.StatusFor(err))
		return
	}
	if force {
		k.afterWrite(ctx)
	}
}

// afterWrite waits, in the background, for the saver's writes so far, then
// shows the status they leave (and when the model was written).
func (k *keeper) afterWrite(ctx app.Context) {
	if k.flushing {
		k.again = true
		return
	}
	k.flushing, k.again = true, false
	k.setStatus(k.status)
	s := k.saver
	ctx.Async(func() {
		s.Flush()
		ctx.Dispatch(func(ctx app.Context) {
			k.flushing = false
			k.setStatus(s.Status())
			if k.again {
				k.afterWrite(ctx)
			}
		})
	})
}

// keepForm keeps the training settings, if they changed.
func (k *keeper) keepForm(f *trainForm) {
	b := encodeForm(f)
	if bytes.Equal(b, k.lastForm) {
		return
	}
	k.lastForm = b
	if k.saver == nil {
		k.settings = b
		return
	}
	k.saver.Settings(b)
}

// keepStrokes keeps the drawing.
func (k *keeper) keepStrokes(ctx app.Context, strokes [][]point) {
	b := encodeStrokes(strokes)
	if k.saver == nil {
		k.drawing = b
		return
	}
	k.saver.Drawing(b)
	k.afterWrite(ctx)
}

// storageView is the status line that says whether the page's work is
// being kept, plainly when it is not.
type storageView struct {
	app.Compo

	Keep *keeper
}

func (v *storageView) Render() app.UI {
	s := v.Keep.status
	saved := ""
	if !s.Saved.IsZero() {
		saved = strconv.FormatInt(s.Saved.UnixMilli(), 10)
	}
	text := s.Text()
	cls := "storage-status"
	if text != "" {
		cls += " field-error"
	}
	return app.P().
		ID(storageStatusID).
		Class(cls).
		Attr("role", "status").
		DataSet("state", int(s.State)).
		DataSet("saved", saved).
		DataSet("writing", v.Keep.flushing).
		DataSet("save-ms", strconv.FormatFloat(float64(v.Keep.slowest.Microseconds())/1000, 'f', 1, 64)).
		Text(text)
}
