package autosave

import (
	"errors"
	"fmt"
	"time"

	"github.com/cnnplay/cnnplay/internal/browserstore"
)

// State says whether the page's work is being kept.
type State int

// States of a Status.
const (
	// OK: everything asked for so far has been written (or nothing was).
	OK State = iota
	// Full: the browser's storage for this page is full.
	Full
	// Refused: the browser denies this page storage (private browsing,
	// blocked site data, a sandboxed frame).
	Refused
	// Unavailable: this browser has no storage for pages.
	Unavailable
	// Failed: a write failed for another reason.
	Failed
)

// Status is what the page tells the user about keeping their work.
type Status struct {
	State State
	// Err is the error behind State, nil when OK.
	Err error
	// Model says the failure concerns the model (and its history); false
	// when only the settings or the drawing are not being kept.
	Model bool
	// Saved is when the model was last written, zero if it has not been
	// since the page loaded.
	Saved time.Time
}

// StatusFor is the status of storage that failed with err, for example
// when browserstore.Open fails and there is no Saver at all.
func StatusFor(err error) Status {
	s := Status{Err: err, Model: true}
	switch {
	case err == nil:
		s.Model = false
	case errors.Is(err, browserstore.ErrQuota):
		s.State = Full
	case errors.Is(err, browserstore.ErrRefused):
		s.State = Refused
	case errors.Is(err, browserstore.ErrUnavailable):
		s.State = Unavailable
	default:
		s.State = Failed
	}
	return s
}

// Text says the problem plainly, and what to do about it; "" when OK.
func (s Status) Text() string {
	lost := "your model is not being saved. Save it to a file."
	if !s.Model {
		lost = "your settings and drawing are not being saved."
	}
	switch s.State {
	case OK:
		return ""
	case Full:
		return "Storage is full: " + lost
	case Refused:
		return "This browser does not let the page keep anything (private browsing, or site data blocked?): a reload loses your work. Save your model to a file."
	case Unavailable:
		return "This browser has no storage for pages: a reload loses your work. Save your model to a file."
	}
	return fmt.Sprintf("Saving in the browser failed (%v): %s", s.Err, lost)
}
