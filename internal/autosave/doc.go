// Package autosave keeps the page's work in a browserstore.Store while the
// user works, and reads it back after a reload or a crashed tab, so that
// nothing they made is lost.
//
// What is kept, under which keys:
//
//	run/current.cnn  the model being trained (an nn/model file)
//	run/best.cnn     the best model of that training, by validation
//	run/history      the training's history (epoch records), caller's bytes
//	run/meta         JSON: storage format, the run's label (the preset),
//	                 when it was saved
//	settings         the training settings, caller's bytes (JSON)
//	drawing          the drawing, caller's bytes
//
// When it writes: a Saver takes the current model at most once per
// Options.Every (and whenever a snapshot says Force: at epoch ends, when
// training pauses or stops), the best model and the history whenever they
// are given, and the settings and the drawing whenever they change. What
// it takes waits in one slot per key, so only the newest value of each
// is ever written and nothing queues up while the browser is slow or the
// storage refuses. A goroutine does the writing: Save, Settings and
// Drawing never wait for storage (only a model that is due is encoded on
// the caller's path, once per Every at most).
//
// Why nothing good is overwritten by something broken: the run/ keys are
// written together, in one atomic Write, so the models, the history and
// the record describing them always belong together, and a write that
// fails (storage full, the tab killed during it) leaves all of them as
// they were. The settings and the drawing are written on their own, so
// that they are still kept when a model no longer fits. On reading, a
// model must decode (nn/model checks its checksum and every size) to be
// offered; anything unreadable is reported in words instead.
//
// Failures the user must know about come out as a Status, whose Text says
// what is not being kept and what to do ("Storage is full: your model is
// not being saved. Save it to a file.").
package autosave
