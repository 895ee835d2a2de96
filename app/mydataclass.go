package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Class import: "Test and train in the playground" on the teacher's page
// (web/class/teacher.js) opens the playground at /#class-import in a tab
// of its own. The playground clears the fragment at once, asks the
// teacher's tab (its opener) for the teacher's key with postMessage, and
// fetches the class's export with the key in the Authorization header, as
// the teacher's page does: the key is in no URL, no server log, no saved
// state and no storage of the playground, only in the closures of the two
// requests. The class's drawings become the My data set "Class <code>",
// which a later import replaces.
const (
	classImportFragment = "class-import"
	classKeyAsk         = "cnnplay-class-key-request" // the playground's message to the teacher's tab
	classKeyGive        = "cnnplay-class-key"         // the answer, with the key
	classTeacherAPI     = "/class/api/teacher/"
	// classTeacherKey is where the teacher's page keeps its key in its
	// tab's sessionStorage; a tab it opens starts with a copy, which the
	// playground drops.
	classTeacherKey = "cnnplay-teacher-key"
	classKeyWait    = 10 * time.Second
)

// classSetName is the name of the set a class's drawings are imported as.
func classSetName(code string) string { return "Class " + code }

// classState is what the playground reads of the teacher API's state.
type classState struct {
	Code    string `json:"code"`
	Locked  bool   `json:"locked"`
	Summary struct {
		Total   int `json:"total"`
		Flagged int `json:"flagged"`
	} `json:"summary"`
}

// parseClassState reads the state answer and says why it cannot import:
// an answer it does not understand, or a class with nothing to import.
func parseClassState(body []byte) (classState, error) {
	var st classState
	if err := json.Unmarshal(body, &st); err != nil || st.Code == "" {
		return st, fmt.Errorf("The class server's answer is not a class's state. Nothing was changed.")
	}
	if st.Summary.Total-st.Summary.Flagged <= 0 {
		msg := fmt.Sprintf("The class %s has no drawings to import yet", st.Code)
		if st.Summary.Flagged > 0 {
			msg += fmt.Sprintf(" (%d are flagged, and flagged drawings stay out)", st.Summary.Flagged)
		}
		if st.Locked {
			msg += "; it is locked, so students cannot send any: unlock it on the teacher's page"
		}
		return st, fmt.Errorf("%s. Nothing was changed.", msg)
	}
	return st, nil
}

// classError says in words why a request to the teacher's API failed:
// status 0 is a network failure (err), any other the server's answer with
// its body.
func classError(status int, body []byte, err error) string {
	const kept = " Nothing was changed."
	if status == 0 {
		return "The class server could not be reached (" + fmt.Sprint(err) + "): is serve -class still running? Try the button on the teacher's page again." + kept
	}
	var e struct {
		Error string `json:"error"`
	}
	json.Unmarshal(body, &e)
	switch status {
	case http.StatusUnauthorized:
		return "The class server refused the teacher's key: it is wrong, or the server restarted since the teacher's page was opened (it makes a new key at every start). Open the teacher's URL it printed, then press Test and train in the playground again." + kept
	case http.StatusTooManyRequests:
		return "The class server refused too many wrong keys: wait a few seconds and try again." + kept
	}
	if e.Error == "" {
		e.Error = fmt.Sprintf("it answered %d", status)
	}
	return "The class's drawings could not be fetched: " + e.Error + "." + kept
}

// replaceSet makes the set named name hold exactly in's classes and
// examples: an earlier set of that name (ignoring case) keeps its id and
// its runs and has its examples replaced, else a new set is made (its id
// from stamp). It returns the set, the writes that keep it as one atomic
// change (the old examples' deletions, the new ones, the meta last), how
// many examples came in, and what could not.
func (m *mySets) replaceSet(name string, in *imageset.Set, stamp int64) (s *mySet, changes []browserstore.Change, added int, problems []string, err error) {
	if s = m.byName(name); s == nil {
		if s, err = m.newSet(name, stamp); err != nil {
			return nil, nil, 0, nil, err
		}
	}
	for _, c := range s.Classes {
		for _, e := range c.Examples {
			changes = append(changes, s.deleteChanges(e)...)
		}
	}
	s.Classes = nil
	more, added, problems := s.merge(in)
	return s, append(changes, more...), added, problems, nil
}

// takeClassImport reports whether the page's address asks for a class
// import (#class-import), and then clears the fragment, so that a reload,
// a bookmark or a shared link never asks again. It also drops the copy of
// the teacher's key a tab opened by the teacher's page starts with.
func takeClassImport() bool {
	if !app.IsClient {
		return false
	}
	win := app.Window()
	loc := win.Get("location")
	if loc.Get("hash").String() != "#"+classImportFragment {
		return false
	}
	win.Get("history").Call("replaceState", win.Get("history").Get("state"), "", loc.Get("pathname").String()+loc.Get("search").String())
	win.Get("sessionStorage").Call("removeItem", classTeacherKey)
	return true
}

// importClass fetches the class of the teacher's tab that opened the page
// and imports it; every failure is said in the panel, and changes nothing.
func (p *myDataPanel) importClass(ctx app.Context) {
	if p.classBusy {
		return
	}
	p.classBusy = true
	p.problems = nil
	p.say("Asking the teacher's page for the class…", false)
	fail := func(ctx app.Context, msg string) {
		p.classBusy = false
		p.say(msg, true)
		p.showPanel(ctx)
	}
	askTeacherKey(ctx, func(ctx app.Context, key string, err error) {
		if err != nil {
			fail(ctx, err.Error())
			return
		}
		teacherPost(ctx, key, "state", `{}`, func(ctx app.Context, status int, body []byte, err error) {
			if status != http.StatusOK {
				fail(ctx, classError(status, body, err))
				return
			}
			st, err := parseClassState(body)
			if err != nil {
				fail(ctx, err.Error())
				return
			}
			p.say(fmt.Sprintf("Fetching the %d drawings of the class %s…", st.Summary.Total-st.Summary.Flagged, st.Code), false)
			teacherPost(ctx, key, "export", `{"format":"folders"}`, func(ctx app.Context, status int, body []byte, err error) {
				if status != http.StatusOK {
					fail(ctx, classError(status, body, err))
					return
				}
				p.classBusy = false
				p.importClassZip(ctx, st, body)
				p.showPanel(ctx)
			})
		})
	})
}

// importClassZip makes the class's export zip the set "Class <code>" and
// shows it.
func (p *myDataPanel) importClassZip(ctx app.Context, st classState, zip []byte) {
	in, problems, err := readMyFiles([]myFile{{Name: "class-" + st.Code + ".zip", Data: zip}}, "")
	if err != nil {
		p.say("The class's drawings could not be read: "+err.Error()+". Nothing was changed.", true)
		return
	}
	name := classSetName(st.Code)
	before := 0
	if old := p.sets.byName(name); old != nil {
		before, _ = old.count()
		for _, c := range old.Classes {
			for _, e := range c.Examples {
				delete(p.thumbs, e)
			}
		}
	}
	s, changes, added, more, err := p.sets.replaceSet(name, in, time.Now().UnixMilli())
	if err != nil {
		p.say("The class's drawings could not be kept as a set: "+err.Error()+". Nothing was changed.", true)
		return
	}
	p.keep(changes...)
	p.cur, p.sel = s.ID, 0
	p.problems = append(problems, more...)
	msg := fmt.Sprintf("Imported the %d drawings of the class %s as the set %s", added, st.Code, s.Name)
	if before > 0 {
		msg += fmt.Sprintf(", in place of its %d earlier ones", before)
	}
	msg += ". Test a model on it below, or train on it in the training panel."
	if st.Locked {
		msg += " (The class is locked: students' new drawings wait on their phones.)"
	}
	if len(p.problems) > 0 {
		msg += fmt.Sprintf(" %d files were not imported (listed below).", len(p.problems))
	}
	p.say(msg, len(p.problems) > 0)
	p.changed(ctx)
}

// byName returns the set named name (ignoring case), or nil.
func (m *mySets) byName(name string) *mySet {
	for _, s := range m.Sets {
		if strings.EqualFold(s.Name, name) {
			return s
		}
	}
	return nil
}

// showPanel scrolls the My data panel into view: in the wide layout it is
// below the first screen, and the import's outcome shows there.
func (p *myDataPanel) showPanel(ctx app.Context) {
	p.changed(ctx)
	ctx.ScrollTo(myPanelID)
}
