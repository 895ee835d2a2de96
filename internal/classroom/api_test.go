//go:build !js

package classroom

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cnnplay/cnnplay/web"
)

const testKey = "teacher-key-for-tests-0123456789"

// testClass is a class mode handler on a fresh store.
type testClass struct {
	h     *Handler
	store *Store
	code  string
}

func newTestClass(t *testing.T, cfg Config) *testClass {
	t.Helper()
	s := openTest(t, t.TempDir())
	pages, err := fs.Sub(web.Assets(), "class")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store, cfg.TeacherKey, cfg.Pages = s, testKey, pages
	cfg.JoinURL = "http://192.0.2.10:8080" + PathJoin
	cfg.Logf = t.Logf
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Class(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &testClass{h: h, store: s, code: c.Code}
}

// clientIP hands each request helper a distinct client address unless
// one is given, so that rate limits of one test step do not spill over.
var clientIP atomic.Int32

func nextIP() string {
	n := clientIP.Add(1)
	return fmt.Sprintf("198.51.%d.%d:4000", n/250, n%250+1)
}

// do sends a request with the JSON body (a string is sent as it is) and
// the headers, from the client address ip ("" for a fresh one).
func (c *testClass) do(t *testing.T, method, path, ip string, body any, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	r := httptest.NewRequest(method, path, bytes.NewReader(b))
	r.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	if ip == "" {
		ip = nextIP()
	}
	r.RemoteAddr = ip
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	return w
}

func (c *testClass) teacher(t *testing.T, name string, body any) *httptest.ResponseRecorder {
	t.Helper()
	return c.do(t, "POST", pathTeacher+name, "", body, "Authorization", "Bearer "+testKey)
}

// submission returns a valid submission of a 7 with the key.
func (c *testClass) submission(key string) Submission {
	return Submission{Code: c.code, Key: key, Device: "device-test-1", Nickname: "Ann", Label: "7", Strokes: sevenStrokes()}
}

func errorOf(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var e struct{ Error string }
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("status %d, body %q: not a JSON error: %v", w.Code, w.Body, err)
	}
	return e.Error
}

// TestTeacherEndpointsNeedTheKey calls every teacher endpoint without a
// key, with a wrong one, with the class code in the header and in the
// body: each is refused with 401 and tells nothing of the class.
func TestTeacherEndpointsNeedTheKey(t *testing.T) {
	c := newTestClass(t, Config{})
	if w := c.do(t, "POST", PathSubmit(), "", c.submission("key-secret-drawing")); w.Code != http.StatusCreated {
		t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
	names := []string{}
	for name := range c.h.teacherEndpoints() {
		names = append(names, name)
	}
	if len(names) != 9 {
		t.Errorf("%d teacher endpoints; update this test's list of what they may reveal", len(names))
	}
	for _, name := range names {
		path := pathTeacher + name
		for _, a := range []struct {
			what string
			hdr  []string
			body any
		}{
			{"no key", nil, "{}"},
			{"wrong key", []string{"Authorization", "Bearer " + strings.Repeat("x", len(testKey))}, "{}"},
			{"key prefix", []string{"Authorization", "Bearer " + testKey[:len(testKey)-1]}, "{}"},
			{"key without Bearer", []string{"Authorization", testKey}, "{}"},
			{"class code as key", []string{"Authorization", "Bearer " + c.code}, "{}"},
			{"class code in the body", nil, map[string]string{"code": c.code}},
			{"key as a cookie", []string{"Cookie", "key=" + testKey}, "{}"},
			{"key in the query", nil, "{}"},
		} {
			p := path
			if a.what == "key in the query" {
				p += "?key=" + testKey
			}
			w := c.do(t, "POST", p, "", a.body, a.hdr...)
			if w.Code != http.StatusUnauthorized {
				t.Errorf("%s with %s: %d, want 401", name, a.what, w.Code)
			}
			if strings.Contains(w.Body.String(), c.code) || strings.Contains(w.Body.String(), "Ann") {
				t.Errorf("%s with %s revealed the class: %s", name, a.what, w.Body)
			}
			if w.Header().Get("Set-Cookie") != "" {
				t.Errorf("%s set a cookie", name)
			}
		}
		// With the key, GET is refused: every API call is a POST.
		if w := c.do(t, "GET", path, "", nil, "Authorization", "Bearer "+testKey); w.Code != http.StatusMethodNotAllowed {
			t.Errorf("GET %s with the key: %d, want 405", name, w.Code)
		}
	}
	// With the key each answers (the export and the evaluation need a
	// body that says what; {} is a 400 with a message, not a 401).
	for _, name := range names {
		w := c.teacher(t, name, "{}")
		if w.Code == http.StatusUnauthorized || w.Code >= 500 {
			t.Errorf("%s with the key: %d %s", name, w.Code, w.Body)
		}
	}
}

// TestTeacherBadKeyLimit: after a few wrong keys from one client, even the
// right key is refused for a while, so the key cannot be guessed quickly.
func TestTeacherBadKeyLimit(t *testing.T) {
	c := newTestClass(t, Config{})
	ip := nextIP()
	codes := []int{}
	for range 7 {
		w := c.do(t, "POST", pathTeacher+"state", ip, "{}", "Authorization", "Bearer wrong-key-wrong-key")
		codes = append(codes, w.Code)
	}
	if codes[0] != 401 || codes[6] != 429 {
		t.Errorf("wrong keys answered %v, want 401 first and 429 after five", codes)
	}
	if w := c.do(t, "POST", pathTeacher+"state", ip, "{}", "Authorization", "Bearer "+testKey); w.Code != 429 {
		t.Errorf("the right key right after: %d, want 429", w.Code)
	}
	if w := c.do(t, "POST", pathTeacher+"state", "", "{}", "Authorization", "Bearer "+testKey); w.Code != 200 {
		t.Errorf("the right key from another client: %d, want 200", w.Code)
	}
}

// TestStudentsCannotRead: the class code gives no way to read drawings,
// and the pages carry no class data.
func TestStudentsCannotRead(t *testing.T) {
	c := newTestClass(t, Config{})
	w := c.do(t, "POST", PathSubmit(), "", c.submission("key-read-00001"))
	if w.Code != http.StatusCreated {
		t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
	var got map[string]any
	json.Unmarshal(w.Body.Bytes(), &got)
	if len(got) != 1 || got["id"] == nil {
		t.Errorf("submit answered %v: want only the id", got)
	}
	for _, p := range []string{pathAPI + "drawings", pathAPI + "feed", pathAPI + "export", pathAPI + "state", pathAPI + "teacher", pathAPI + "teacher/", pathAPI + "teacher/drawings"} {
		if w := c.do(t, "POST", p, "", map[string]string{"code": c.code}); w.Code != http.StatusNotFound && w.Code != http.StatusUnauthorized {
			t.Errorf("%s with the class code: %d %s", p, w.Code, w.Body)
		}
	}
	for _, p := range []string{PathJoin, PathTeacher} {
		w := c.do(t, "GET", p, "", nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "<html") {
			t.Fatalf("GET %s: %d", p, w.Code)
		}
		if strings.Contains(w.Body.String(), c.code) || strings.Contains(w.Body.String(), testKey) {
			t.Errorf("%s holds the class code or the key", p)
		}
	}
}

// PathSubmit is the students' submit endpoint.
func PathSubmit() string { return pathAPI + "submit" }

// TestSubmitRefusesBadBodies sends malformed, oversized and hostile
// bodies: each gets its status and a message, and nothing is stored.
func TestSubmitRefusesBadBodies(t *testing.T) {
	c := newTestClass(t, Config{})
	good := c.submission("key-bad-00001")
	mut := func(f func(s *Submission)) Submission {
		s := good
		f(&s)
		return s
	}
	many := make([]Point, MaxPoints+1)
	for i := range many {
		many[i] = Point{float64(i % 280), 100, float64(i)}
	}
	huge := `{"code":"` + c.code + `","key":"key-huge-0001","device":"device-test-1","nickname":"","label":"7","strokes":[[` +
		strings.Repeat("[100.123456789,100.123456789,1000.12345678],", 2000) + `[1,1,1]]]}`
	for _, b := range []struct {
		name   string
		body   any
		ctype  string
		status int
		want   string
	}{
		{"not JSON", "draw a 7", "", 400, "malformed JSON"},
		{"truncated", `{"code":"` + c.code + `","strokes":[[[1,2,`, "", 400, "malformed JSON"},
		{"two objects", `{"code":"x"}{"code":"y"}`, "", 400, "malformed JSON"},
		{"array", `[1,2,3]`, "", 400, "malformed JSON"},
		{"unknown field", `{"code":"` + c.code + `","image":"AAAA"}`, "", 400, "unknown field"},
		{"huge number", strings.Replace(huge, "[1,1,1]", "[1e999,1,1]", 1)[:200], "", 400, "malformed JSON"},
		{"deep nesting", strings.Repeat("[", 10000) + strings.Repeat("]", 10000), "", 400, "malformed JSON"},
		{"point of 4 numbers", strings.Replace(mustJSON(t, good), "[70,60,0]", "[70,60,0,5]", 1), "", 400, "got 4 numbers"},
		{"point of 2 numbers", strings.Replace(mustJSON(t, good), "[70,60,0]", "[70,60]", 1), "", 400, "got 2 numbers"},
		{"too large", huge, "", 413, "larger than"},
		{"form body", "code=ABCD", "application/x-www-form-urlencoded", 415, "application/json"},
		{"wrong code", mut(func(s *Submission) { s.Code = "ZZZZ" }), "", 403, "wrong class code"},
		{"no code", mut(func(s *Submission) { s.Code = "" }), "", 403, "wrong class code"},
		{"label not in the class", mut(func(s *Submission) { s.Label = "cat" }), "", 400, "not one of the class's"},
		{"too many points", mut(func(s *Submission) { s.Strokes = [][]Point{many} }), "", 413, "larger than"},
		{"outside the canvas", mut(func(s *Submission) { s.Strokes = [][]Point{{{10, 290, 0}}} }), "", 400, "outside"},
		{"negative", mut(func(s *Submission) { s.Strokes = [][]Point{{{-3, 20, 0}}} }), "", 400, "outside"},
		{"no strokes", mut(func(s *Submission) { s.Strokes = nil }), "", 400, "empty"},
		{"short key", mut(func(s *Submission) { s.Key = "k" }), "", 400, "key"},
		{"key with quotes", mut(func(s *Submission) { s.Key = `key"; DROP TABLE drawings;--` }), "", 400, "key"},
		{"long nickname", mut(func(s *Submission) { s.Nickname = strings.Repeat("é", MaxNickname+1) }), "", 400, "nickname"},
		{"control in nickname", mut(func(s *Submission) { s.Nickname = "a\x1b[31mb" }), "", 400, "nickname"},
	} {
		hdr := []string{}
		if b.ctype != "" {
			hdr = []string{"Content-Type", b.ctype}
		}
		w := c.do(t, "POST", PathSubmit(), "", b.body, hdr...)
		if w.Code != b.status || !strings.Contains(errorOf(t, w), b.want) {
			t.Errorf("%s: %d %q, want %d with %q", b.name, w.Code, errorOf(t, w), b.status, b.want)
		}
	}
	// 5,001 points in a body under the size limit are refused by count.
	compact := make([]Point, MaxPoints+1)
	for i := range compact {
		compact[i] = Point{float64(i % 2), 1, 0}
	}
	small := mustJSON(t, mut(func(s *Submission) { s.Strokes = [][]Point{compact} }))
	if len(small) > MaxBody {
		t.Fatalf("the 5,001-point body is %d bytes", len(small))
	}
	if w := c.do(t, "POST", PathSubmit(), "", small); w.Code != 400 || !strings.Contains(errorOf(t, w), "5000 points") {
		t.Errorf("5,001 points: %d %s", w.Code, w.Body)
	}
	if sum, _ := c.store.Summary(context.Background()); sum.Total != 0 {
		t.Errorf("%d drawings stored from bad bodies", sum.Total)
	}
	// A GET of the API is refused.
	if w := c.do(t, "GET", PathSubmit(), "", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET submit: %d", w.Code)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestNicknameIsEscaped: a nickname that is HTML goes to the teacher as
// JSON text, which the page shows with textContent; the JSON itself has no
// raw < or >, so no HTML context could run it either.
func TestNicknameIsEscaped(t *testing.T) {
	c := newTestClass(t, Config{})
	sub := c.submission("key-escape-01")
	sub.Nickname = `<img src=x onerror=f()>`
	if w := c.do(t, "POST", PathSubmit(), "", sub); w.Code != 201 {
		t.Fatalf("submit: %d %s", w.Code, w.Body)
	}
	w := c.teacher(t, "feed", feedRequest{})
	if strings.ContainsAny(w.Body.String(), "<>") {
		t.Errorf("the feed carries raw < or >: %s", w.Body.String()[:200])
	}
	var f feedResponse
	json.Unmarshal(w.Body.Bytes(), &f)
	if len(f.Drawings) != 1 || f.Drawings[0].Nickname != sub.Nickname {
		t.Errorf("feed %+v", f.Drawings)
	}
}

// TestSubmitSameKeyTwice stores one drawing for two submissions with the
// same idempotency key, and answers both with its id.
func TestSubmitSameKeyTwice(t *testing.T) {
	c := newTestClass(t, Config{})
	sub := c.submission("key-twice-0001")
	w1 := c.do(t, "POST", PathSubmit(), "", sub)
	w2 := c.do(t, "POST", PathSubmit(), "", sub)
	if w1.Code != 201 || w2.Code != 200 {
		t.Fatalf("statuses %d, %d; want 201, 200", w1.Code, w2.Code)
	}
	var r1, r2 submitResponse
	json.Unmarshal(w1.Body.Bytes(), &r1)
	json.Unmarshal(w2.Body.Bytes(), &r2)
	if r1.ID != r2.ID || r1.Duplicate || !r2.Duplicate {
		t.Errorf("answers %+v, %+v", r1, r2)
	}
	if sum, _ := c.store.Summary(context.Background()); sum.Total != 1 {
		t.Errorf("%d drawings stored", sum.Total)
	}
}

// TestRateLimit: one client past its burst gets 429 with Retry-After;
// another client is not affected.
func TestRateLimit(t *testing.T) {
	c := newTestClass(t, Config{Rate: 0.5, Burst: 5})
	ip := nextIP()
	var codes []int
	for i := range 7 {
		w := c.do(t, "POST", PathSubmit(), ip, c.submission(fmt.Sprintf("key-rate-%04d", i)))
		codes = append(codes, w.Code)
		if w.Code == 429 && w.Header().Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if fmt.Sprint(codes) != "[201 201 201 201 201 429 429]" {
		t.Errorf("statuses %v, want 5 × 201 then 429", codes)
	}
	if w := c.do(t, "POST", PathSubmit(), "", c.submission("key-rate-other")); w.Code != 201 {
		t.Errorf("another client: %d", w.Code)
	}
	// The join endpoint shares the client's budget.
	if w := c.do(t, "POST", pathAPI+"join", ip, joinRequest{Code: c.code, Device: "device-test-1"}); w.Code != 429 {
		t.Errorf("join past the limit: %d", w.Code)
	}
}

// TestLock: a locked class refuses new drawings with 423 and takes them
// again once unlocked.
func TestLock(t *testing.T) {
	c := newTestClass(t, Config{})
	if w := c.teacher(t, "lock", map[string]bool{"locked": true}); w.Code != 200 {
		t.Fatalf("lock: %d %s", w.Code, w.Body)
	}
	w := c.do(t, "POST", pathAPI+"join", "", joinRequest{Code: c.code, Device: "device-test-2"})
	var j joinResponse
	json.Unmarshal(w.Body.Bytes(), &j)
	if w.Code != 200 || !j.Locked {
		t.Errorf("join while locked: %d %s", w.Code, w.Body)
	}
	if w := c.do(t, "POST", PathSubmit(), "", c.submission("key-lock-0001")); w.Code != http.StatusLocked {
		t.Errorf("submit while locked: %d %s", w.Code, w.Body)
	}
	c.teacher(t, "lock", map[string]bool{"locked": false})
	if w := c.do(t, "POST", PathSubmit(), "", c.submission("key-lock-0001")); w.Code != 201 {
		t.Errorf("submit after unlock: %d %s", w.Code, w.Body)
	}
}

// TestPagesGzip: the pages and their files go gzipped to a browser that
// accepts it, and plain otherwise, with versioned URLs cached for good.
func TestPagesGzip(t *testing.T) {
	c := newTestClass(t, Config{})
	plain := c.do(t, "GET", PathJoin, "", nil)
	gz := c.do(t, "GET", PathJoin, "", nil, "Accept-Encoding", "br, gzip")
	if gz.Header().Get("Content-Encoding") != "gzip" || plain.Header().Get("Content-Encoding") != "" {
		t.Fatalf("encodings %q, %q", gz.Header().Get("Content-Encoding"), plain.Header().Get("Content-Encoding"))
	}
	if no := c.do(t, "GET", PathJoin, "", nil, "Accept-Encoding", "gzip;q=0"); no.Header().Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 got gzip")
	}
	gzLen := gz.Body.Len()
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	if !bytes.Equal(b, plain.Body.Bytes()) {
		t.Error("the gzipped page differs from the plain one")
	}
	m := regexp.MustCompile(`src="(/class/static/join\.js\?v=[0-9a-f]+)"`).FindSubmatch(plain.Body.Bytes())
	if m == nil {
		t.Fatalf("no versioned script in %s", plain.Body)
	}
	js := c.do(t, "GET", string(m[1]), "", nil)
	if js.Code != 200 || !strings.Contains(js.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(js.Header().Get("Content-Type"), "text/javascript") {
		t.Errorf("script: %d %v", js.Code, js.Header())
	}
	for _, p := range []string{pathStatic + "join.html", pathStatic + "nope.js", pathStatic + "../doc.go"} {
		if w := c.do(t, "GET", p, "", nil); w.Code != 404 {
			t.Errorf("GET %s: %d", p, w.Code)
		}
	}
	t.Logf("the students' page: %d bytes, %d gzipped", plain.Body.Len(), gzLen)
}
