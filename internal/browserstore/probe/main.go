//go:build js && wasm

// Command probe exercises browserstore's IndexedDB in a page, for the
// package's Chromium test. The page's query says which step to run:
//
//	?step=check   the conformance checks (storetest.Check) on an empty
//	              database, then a value left for the next step
//	?step=reload  the value left by check, read back after a navigation
//	?step=quota   storetest.CheckQuota, under a quota the test set with
//	              the DevTools protocol
//	?step=autosave           an autosave.Saver keeps a keras-sized run,
//	                         the settings and the drawing
//	?step=autosave-reload    autosave.Load reads them back after a navigation
//	?step=autosave-quota     under the quota, a small run is kept, then a
//	                         keras-sized one does not fit: the status says
//	                         so and the small one stays
//
// It reports by setting window.probe to a JSON Result.
package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"syscall/js"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/cnnplay/cnnplay/internal/browserstore/storetest"
)

// Result is the probe's report; the test decodes the same fields.
type Result struct {
	Step  string            `json:"step"`
	Fails []string          `json:"fails"` // what went wrong; empty when all is well
	Notes map[string]string `json:"notes"` // figures and texts for the test's log
}

// Names the test shares.
const (
	dbName     = "probe"
	persistKey = "persist"
	persistVal = "written before the navigation"
	// quotaTooBig is larger than the quota the test sets.
	quotaTooBig = 4 << 20
)

func main() {
	q, _ := url.ParseQuery(strings.TrimPrefix(js.Global().Get("location").Get("search").String(), "?"))
	r := Result{Step: q.Get("step"), Notes: map[string]string{}}
	if err := run(&r); err != nil {
		r.Fails = append(r.Fails, err.Error())
	}
	out, _ := json.Marshal(r)
	js.Global().Set("probe", string(out))
}

func run(r *Result) error {
	if strings.HasPrefix(r.Step, "autosave") {
		return runAutosave(r)
	}
	s, err := browserstore.Open(dbName)
	if err != nil {
		return fmt.Errorf("Open: %w", err)
	}
	defer s.Close()
	switch r.Step {
	case "check":
		r.Fails = append(r.Fails, storetest.Check(s)...)
		return browserstore.Put(s, persistKey, []byte(persistVal))
	case "reload":
		got, err := s.Get(persistKey)
		if err != nil || string(got) != persistVal {
			r.Fails = append(r.Fails, fmt.Sprintf("after the navigation Get(%q) = %q, %v; want %q", persistKey, got, err, persistVal))
		}
		return browserstore.Delete(s, persistKey)
	case "quota":
		r.Fails = append(r.Fails, storetest.CheckQuota(s, quotaTooBig)...)
		return nil
	}
	return fmt.Errorf("unknown step %q", r.Step)
}
