//go:build !js

package classroom

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/cnnplay/cnnplay/nn/model"
	"golang.org/x/time/rate"
)

// Paths of class mode. The students' page is Prefix+"/join", the
// teacher's Prefix+"/teacher"; the APIs are under Prefix+"/api/".
const (
	Prefix      = "/class"
	PathJoin    = Prefix + "/join"
	PathTeacher = Prefix + "/teacher"
	pathStatic  = Prefix + "/static/"
	pathAPI     = Prefix + "/api/"
	pathTeacher = pathAPI + "teacher/"
)

// Config configures the class mode's handler.
type Config struct {
	// Store is the class's database.
	Store *Store
	// TeacherKey is the secret the teacher's page sends in its
	// Authorization header; at least 16 bytes.
	TeacherKey string
	// JoinURL is the students' page as they reach it, without the class
	// code, for example http://192.168.1.20:8080/class/join: the teacher's
	// page shows it, with the code, as a QR code.
	JoinURL string
	// Pages holds the pages' files (web/class): join.html, teacher.html
	// and the scripts and styles they name.
	Pages fs.FS
	// Model, if set, is the model "Test the model on our drawings" runs
	// (the shipped digits model).
	Model *model.Model
	// Rate and Burst limit each client's requests to the students' API
	// (per second, and at once); zero means 2 per second, 20 at once.
	Rate  rate.Limit
	Burst int
	// Logf, if set, logs server-side failures.
	Logf func(format string, args ...any)
}

// Handler serves class mode: the pages and the APIs under Prefix.
type Handler struct {
	store   *Store
	keyHash [sha256.Size]byte
	joinURL string
	pages   *pages
	model   *model.Model
	modelMu sync.Mutex // model.Predict reuses buffers
	student *limiters  // the students' API, per client
	badKey  *limiters  // requests with a wrong teacher key, per client
	logf    func(format string, args ...any)
}

// New returns the class mode's handler.
func New(cfg Config) (*Handler, error) {
	if cfg.Store == nil {
		return nil, errors.New("classroom: no store")
	}
	if len(cfg.TeacherKey) < 16 {
		return nil, errors.New("classroom: the teacher's key must be at least 16 bytes")
	}
	p, err := newPages(cfg.Pages)
	if err != nil {
		return nil, err
	}
	if cfg.Rate == 0 {
		cfg.Rate, cfg.Burst = 2, 20
	}
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	return &Handler{
		store:   cfg.Store,
		keyHash: sha256.Sum256([]byte(cfg.TeacherKey)),
		joinURL: cfg.JoinURL,
		pages:   p,
		model:   cfg.Model,
		student: newLimiters(cfg.Rate, cfg.Burst),
		badKey:  newLimiters(1, 5),
		logf:    cfg.Logf,
	}, nil
}

// ServeHTTP routes the request. Every response is marked not to be
// stored by caches: the APIs answer with the class's current state.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == PathJoin || p == Prefix || p == Prefix+"/":
		h.pages.servePage(w, r, "join.html")
	case p == PathTeacher:
		h.pages.servePage(w, r, "teacher.html")
	case strings.HasPrefix(p, pathStatic):
		h.pages.serveFile(w, r, strings.TrimPrefix(p, pathStatic))
	case strings.HasPrefix(p, pathTeacher):
		h.serveTeacher(w, r, strings.TrimPrefix(p, pathTeacher))
	case p == pathAPI+"join":
		h.api(w, r, h.join)
	case p == pathAPI+"submit":
		h.api(w, r, h.submit)
	default:
		http.NotFound(w, r)
	}
}

// apiError is an error with the HTTP status it is answered with.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) error {
	return &apiError{status, fmt.Sprintf(format, args...)}
}

// api runs a students' API endpoint: POST only, JSON in and out, rate
// limited per client.
func (h *Handler) api(w http.ResponseWriter, r *http.Request, f func(r *http.Request) (int, any, error)) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeError(w, errorf(http.StatusMethodNotAllowed, "use POST"))
		return
	}
	if !h.student.allow(r) {
		w.Header().Set("Retry-After", "2")
		writeError(w, errorf(http.StatusTooManyRequests, "too many requests: wait a moment and try again"))
		return
	}
	h.respond(w, r, f)
}

// respond runs f and writes its answer or its error.
func (h *Handler) respond(w http.ResponseWriter, r *http.Request, f func(r *http.Request) (int, any, error)) {
	status, v, err := f(r)
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			if r.Context().Err() == nil {
				h.logf("classroom: %s: %v", r.URL.Path, err)
			}
			err = errorf(http.StatusInternalServerError, "the server could not do that; try again")
		}
		writeError(w, err)
		return
	}
	if f, ok := v.(file); ok {
		w.Header().Set("Content-Type", f.typ)
		if f.name != "" {
			w.Header().Set("Content-Disposition", `attachment; filename="`+f.name+`"`)
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
		w.WriteHeader(status)
		w.Write(f.data)
		return
	}
	writeJSON(w, status, v)
}

// file is an answer that is not JSON: its type, the name to save it
// under ("" to show it) and its bytes.
type file struct {
	typ, name string
	data      []byte
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"cannot encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, err error) {
	status := http.StatusBadRequest
	var ae *apiError
	if errors.As(err, &ae) {
		status = ae.status
	}
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

// decode reads a JSON body of at most limit bytes into v: exactly one
// object with no unknown fields.
func decode(r *http.Request, limit int64, v any) error {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return errorf(http.StatusUnsupportedMediaType, "send the body as application/json")
	}
	body := http.MaxBytesReader(nil, r.Body, limit)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errorf(http.StatusRequestEntityTooLarge, "the request is larger than %d bytes", limit)
		}
		return errorf(http.StatusBadRequest, "malformed JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errorf(http.StatusRequestEntityTooLarge, "the request is larger than %d bytes", limit)
		}
		return errorf(http.StatusBadRequest, "malformed JSON: more after the object")
	}
	return nil
}

// teacherOK reports whether r carries the teacher's key, compared in
// constant time (of the keys' hashes, so not even the length leaks).
func (h *Handler) teacherOK(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	key, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		return false
	}
	got := sha256.Sum256([]byte(key))
	return subtle.ConstantTimeCompare(got[:], h.keyHash[:]) == 1
}
