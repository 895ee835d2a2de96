package app

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/internal/browserstore"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
)

// classExport returns a class's drawings as the teacher API's export
// reads: n pictures of each digit class named.
func classExport(t *testing.T, n int, classes ...string) *imageset.Set {
	in := &imageset.Set{Name: "class ABCD", Framing: dataset.DigitFraming, Classes: classes}
	for ci, c := range classes {
		for i := range n {
			in.Examples = append(in.Examples, imageset.Example{Class: c, Name: fmt.Sprintf("%06d.png", 100*ci+i), Data: picture(t, 20, 20, 2+i)})
		}
	}
	return in
}

// TestReplaceSet imports a class twice: the second import replaces the
// first set's examples in place (same id, no second set), the store holds
// exactly the new examples, and the user's other sets are untouched.
func TestReplaceSet(t *testing.T) {
	st := browserstore.NewMemory()
	sets := &mySets{}
	mine, _ := sets.newSet("My shapes", 1)
	mine.addClass("circle")
	e, _ := mine.addExample(0, "", picture(t, 20, 20, 5), nil)
	if err := st.Write(append(mine.exampleChanges(e), mine.metaChange())...); err != nil {
		t.Fatal(err)
	}

	s, changes, added, problems, err := sets.replaceSet(classSetName("ABCD"), classExport(t, 3, "1", "7"), 2)
	if err != nil || added != 6 || len(problems) > 0 {
		t.Fatalf("first import: added %d, problems %q, err %v", added, problems, err)
	}
	if err := st.Write(changes...); err != nil {
		t.Fatal(err)
	}
	id := s.ID
	s.addRun(myRun{PerClass: 3, ValAcc: 0.5, Net: "tiny"})

	s2, changes, added, problems, err := sets.replaceSet("class abcd", classExport(t, 2, "7", "3"), 3)
	if err != nil || added != 4 || len(problems) > 0 {
		t.Fatalf("second import: added %d, problems %q, err %v", added, problems, err)
	}
	if err := st.Write(changes...); err != nil {
		t.Fatal(err)
	}
	if s2 != s || s2.ID != id || len(sets.Sets) != 2 {
		t.Fatalf("the second import made another set: %d sets, id %q then %q", len(sets.Sets), id, s2.ID)
	}
	if got := strings.Join(s2.classNames(), ","); got != "7,3" {
		t.Errorf("classes %s after the second import, want 7,3 (the class's own, the old 1 gone)", got)
	}
	if len(s2.Runs) != 1 {
		t.Errorf("the set's runs were lost: %v", s2.Runs)
	}

	back, probs, err := loadMySets(st)
	if err != nil || len(probs) > 0 {
		t.Fatalf("loading: %v, %q", err, probs)
	}
	counts := map[string]string{}
	for _, b := range back.Sets {
		var cs []string
		for _, c := range b.Classes {
			cs = append(cs, fmt.Sprintf("%s:%d", c.Name, len(c.Examples)))
		}
		counts[b.Name] = strings.Join(cs, " ")
	}
	if want := map[string]string{"Class ABCD": "7:2 3:2", "My shapes": "circle:1"}; fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("the store holds %v, want %v", counts, want)
	}
	keys, _ := st.Keys()
	files := 0
	for _, k := range keys {
		if strings.HasPrefix(k, "set/"+id+"/file/") {
			files++
		}
	}
	if files != 4 {
		t.Errorf("the store keeps %d files of the class set, want the 4 of the last import", files)
	}
}

// TestParseClassState takes a class with drawings and says why an empty,
// all-flagged or locked one imports nothing.
func TestParseClassState(t *testing.T) {
	st, err := parseClassState([]byte(`{"code":"WXYZ","locked":false,"summary":{"total":5,"flagged":1}}`))
	if err != nil || st.Code != "WXYZ" {
		t.Fatalf("a class of 4 drawings: %+v, %v", st, err)
	}
	for body, want := range map[string]string{
		`{"code":"WXYZ","summary":{"total":0}}`:               "The class WXYZ has no drawings to import yet. Nothing",
		`{"code":"WXYZ","summary":{"total":2,"flagged":2}}`:   "(2 are flagged, and flagged drawings stay out)",
		`{"code":"WXYZ","locked":true,"summary":{"total":0}}`: "it is locked",
		`<html>`: "not a class's state",
		`{}`:     "not a class's state",
	} {
		if _, err := parseClassState([]byte(body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want it to say %q", body, err, want)
		}
	}
}

// TestClassError says why each failure imports nothing, and never shows
// the key.
func TestClassError(t *testing.T) {
	for _, c := range []struct {
		status int
		body   string
		err    error
		want   string
	}{
		{0, "", errors.New("TypeError: Failed to fetch"), "could not be reached (TypeError: Failed to fetch)"},
		{http.StatusUnauthorized, `{"error":"the teacher's key is missing or wrong"}`, nil, "refused the teacher's key"},
		{http.StatusTooManyRequests, `{"error":"too many"}`, nil, "too many wrong keys"},
		{http.StatusInternalServerError, `{"error":"the server could not do that; try again"}`, nil, "could not be fetched: the server could not do that; try again."},
		{http.StatusBadGateway, `<html>`, nil, "it answered 502"},
	} {
		got := classError(c.status, []byte(c.body), c.err)
		if !strings.Contains(got, c.want) || !strings.HasSuffix(got, "Nothing was changed.") {
			t.Errorf("status %d: %q, want it to say %q and that nothing changed", c.status, got, c.want)
		}
	}
}
