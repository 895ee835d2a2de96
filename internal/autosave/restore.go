package autosave

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/cnnplay/cnnplay/nn/model"
)

// Restored is what a store holds from an earlier visit: what can be
// restored, the offer to put to the user, and what could not be restored.
type Restored struct {
	// Offer is the question for the user, such as "Restore the model you
	// were training: keras, epoch 6, 98.9% validation"; "" when no model
	// can be restored.
	Offer string
	// Label is the run's label (the preset's name), Saved when the run was
	// last written.
	Label string
	Saved time.Time
	// Current is the model that was being trained, Best the best of that
	// training by validation; nil when not saved or not readable.
	Current, Best *model.Model
	// History is the training's history, as the caller gave it; nil when
	// neither model can be restored, since it describes them.
	History []byte
	// Settings and Drawing are as the caller gave them; nil when none.
	Settings, Drawing []byte
	// Problems says, in words for the user, what was stored but cannot be
	// restored, and why.
	Problems []string
}

// Load reads what st holds. Its error is for a store that cannot be read
// at all (see StatusFor); anything stored but unreadable is a Problem, and
// the rest is still restored. Call it when the page starts, before a Saver
// writes; in a browser, from a goroutine (see package browserstore).
func Load(st browserstore.Store) (*Restored, error) {
	r := &Restored{}
	get := func(key string) ([]byte, error) {
		b, err := st.Get(key)
		if errors.Is(err, browserstore.ErrNotFound) {
			return nil, nil
		}
		return b, err
	}
	var err error
	if r.Settings, err = get(keySettings); err != nil {
		return nil, err
	}
	if r.Drawing, err = get(keyDrawing); err != nil {
		return nil, err
	}

	mb, err := get(keyMeta)
	if err != nil {
		return nil, err
	}
	var m meta
	if mb != nil {
		if err := json.Unmarshal(mb, &m); err != nil {
			r.Problems = append(r.Problems, fmt.Sprintf("The record of the training saved in this browser is unreadable (%v), so it cannot be restored.", err))
			return r, nil
		}
		if m.Format != format {
			r.Problems = append(r.Problems, fmt.Sprintf("The training saved in this browser is in storage format %d, which this version of cnnplay does not read (it reads %d), so it cannot be restored.", m.Format, format))
			return r, nil
		}
	}
	r.Label, r.Saved = m.Label, m.Saved

	for _, slot := range []struct {
		key  string
		dst  **model.Model
		what string
	}{{keyCurrent, &r.Current, "The model you were training"}, {keyBest, &r.Best, "The best model of your training"}} {
		b, err := get(slot.key)
		if err != nil {
			return nil, err
		}
		if b == nil {
			continue
		}
		if *slot.dst, err = model.Decode(bytes.NewReader(b)); err != nil {
			r.Problems = append(r.Problems, fmt.Sprintf("%s was saved in this browser but cannot be read (%v), so it cannot be restored.", slot.what, err))
		}
	}
	switch {
	case r.Current != nil:
		r.Offer = "Restore the model you were training" + describe(r.Label, r.Current.Record)
	case r.Best != nil:
		r.Offer = "Restore the best model of the training you were doing" + describe(r.Label, r.Best.Record)
	default:
		return r, nil
	}
	if r.History, err = get(keyHistory); err != nil {
		return nil, err
	}
	return r, nil
}

// describe names a saved model after a colon: ": keras, epoch 6, 98.9%
// validation"; "" when there is nothing to say.
func describe(label string, rec model.Record) string {
	var parts []string
	if label != "" {
		parts = append(parts, label)
	}
	if rec.Epochs > 0 {
		parts = append(parts, fmt.Sprintf("epoch %d", rec.Epochs))
	}
	if rec.ValAcc > 0 {
		parts = append(parts, fmt.Sprintf("%.1f%% validation", 100*rec.ValAcc))
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}
