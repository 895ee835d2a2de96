//go:build !js

package classroom

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/png"
	"net/http"
	"time"
)

// teacherEndpoints are the teacher's API, under /class/api/teacher/. Each
// needs the teacher's key.
func (h *Handler) teacherEndpoints() map[string]func(r *http.Request) (int, any, error) {
	return map[string]func(r *http.Request) (int, any, error){
		"state":    h.state,
		"feed":     h.feedRequest,
		"qr":       h.qr,
		"delete":   h.deleteDrawing,
		"flag":     h.flagDrawing,
		"lock":     h.lock,
		"classes":  h.setClasses,
		"export":   h.export,
		"evaluate": h.evaluate,
	}
}

// serveTeacher checks the key and runs the teacher's endpoint name. A
// client that has sent wrong keys too often is refused for a while
// before its key is even looked at.
func (h *Handler) serveTeacher(w http.ResponseWriter, r *http.Request, name string) {
	w.Header().Set("Cache-Control", "no-store")
	f := h.teacherEndpoints()[name]
	if f == nil {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeError(w, errorf(http.StatusMethodNotAllowed, "use POST"))
		return
	}
	if h.badKey.exhausted(r) {
		w.Header().Set("Retry-After", "5")
		writeError(w, errorf(http.StatusTooManyRequests, "too many wrong keys: wait and try again"))
		return
	}
	if !h.teacherOK(r) {
		h.badKey.allow(r)
		w.Header().Set("WWW-Authenticate", `Bearer realm="cnnplay class"`)
		writeError(w, errorf(http.StatusUnauthorized, "the teacher's key is missing or wrong: open the teacher's URL the server printed"))
		return
	}
	h.respond(w, r, f)
}

// stateResponse is the class as the teacher's page shows it.
type stateResponse struct {
	Code    string   `json:"code"`
	JoinURL string   `json:"joinURL"` // with the code
	Classes []string `json:"classes"`
	Locked  bool     `json:"locked"`
	Summary Summary  `json:"summary"`
	CanTest bool     `json:"canTest"` // a model to test with is loaded
}

func (h *Handler) state(r *http.Request) (int, any, error) {
	if err := decode(r, 1<<10, &struct{}{}); err != nil {
		return 0, nil, err
	}
	st, err := h.currentState(r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, st, nil
}

func (h *Handler) currentState(r *http.Request) (stateResponse, error) {
	c, err := h.store.Class(r.Context())
	if err != nil {
		return stateResponse{}, err
	}
	sum, err := h.store.Summary(r.Context())
	if err != nil {
		return stateResponse{}, err
	}
	return stateResponse{Code: c.Code, JoinURL: h.joinURL + "#" + c.Code, Classes: c.Classes,
		Locked: c.Locked, Summary: sum, CanTest: h.model != nil}, nil
}

// idRequest names a drawing.
type idRequest struct {
	ID      int64 `json:"id"`
	Flagged bool  `json:"flagged"`
}

func (h *Handler) deleteDrawing(r *http.Request) (int, any, error) {
	var req idRequest
	if err := decode(r, 1<<10, &req); err != nil {
		return 0, nil, err
	}
	ok, err := h.store.Delete(r.Context(), req.ID)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		return 0, nil, errorf(http.StatusNotFound, "no drawing %d", req.ID)
	}
	return http.StatusOK, map[string]int64{"deleted": req.ID}, nil
}

func (h *Handler) flagDrawing(r *http.Request) (int, any, error) {
	var req idRequest
	if err := decode(r, 1<<10, &req); err != nil {
		return 0, nil, err
	}
	ok, err := h.store.Flag(r.Context(), req.ID, req.Flagged)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		return 0, nil, errorf(http.StatusNotFound, "no drawing %d", req.ID)
	}
	return http.StatusOK, req, nil
}

func (h *Handler) lock(r *http.Request) (int, any, error) {
	var req struct {
		Locked bool `json:"locked"`
	}
	if err := decode(r, 1<<10, &req); err != nil {
		return 0, nil, err
	}
	if err := h.store.SetLocked(r.Context(), req.Locked); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, req, nil
}

func (h *Handler) setClasses(r *http.Request) (int, any, error) {
	var req struct {
		Classes []string `json:"classes"`
	}
	if err := decode(r, 8<<10, &req); err != nil {
		return 0, nil, err
	}
	if err := checkClasses(req.Classes); err != nil {
		return 0, nil, errorf(http.StatusBadRequest, "%v", err)
	}
	if err := h.store.SetClasses(r.Context(), req.Classes); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, req, nil
}

// galleryItem is one drawing in the teacher's gallery: its strokes, which
// the page draws as the student drew them, so a drawing shows as soon as
// it is stored, whatever the renderer's backlog.
type galleryItem struct {
	ID       int64           `json:"id"`
	Nickname string          `json:"nickname"`
	Label    string          `json:"label"`
	Flagged  bool            `json:"flagged"`
	Time     int64           `json:"time"` // Unix ms
	Strokes  json.RawMessage `json:"strokes"`
}

// feedRequest is the body of the feed: the last drawing id and state
// revision the page has.
type feedRequest struct {
	After int64  `json:"after"`
	Rev   uint64 `json:"rev"`
	Wait  int    `json:"wait"` // ms to wait for a change, at most maxWait
}

// feedResponse carries the drawings after the page's last, and the state.
type feedResponse struct {
	Drawings []galleryItem `json:"drawings"`
	Last     int64         `json:"last"`
	Rev      uint64        `json:"rev"`
	More     bool          `json:"more"` // more drawings wait: ask again at once
	State    stateResponse `json:"state"`
}

// Feed limits: a long poll waits at most maxWait for a change and returns
// at most feedPage drawings.
const (
	maxWait      = 25 * time.Second
	feedPage     = 100
	feedCoalesce = 100 * time.Millisecond
)

// feedRequest answers the teacher's live gallery: a long poll that
// returns once anything changed after the page's revision (a new drawing,
// a deletion, a student joining), or after the wait. A change wakes it at
// its commit, and it answers feedCoalesce later, so new drawings show well
// within a second.
func (h *Handler) feedRequest(r *http.Request) (int, any, error) {
	var req feedRequest
	if err := decode(r, 1<<10, &req); err != nil {
		return 0, nil, err
	}
	wait := min(time.Duration(max(req.Wait, 0))*time.Millisecond, maxWait)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		changed := h.store.feed.wait()
		rev := h.store.Rev()
		if rev != req.Rev || wait == 0 {
			return h.feedAnswer(r, req.After, rev)
		}
		select {
		case <-changed:
			// What commits in the next moment comes in the same answer:
			// under load, one answer carries many drawings instead of
			// one answer each.
			select {
			case <-time.After(feedCoalesce):
			case <-r.Context().Done():
				return 0, nil, r.Context().Err()
			}
		case <-timer.C:
			wait = 0
		case <-r.Context().Done():
			return 0, nil, r.Context().Err()
		}
	}
}

func (h *Handler) feedAnswer(r *http.Request, after int64, rev uint64) (int, any, error) {
	ds, err := h.store.Drawings(r.Context(), after, feedPage+1, true)
	if err != nil {
		return 0, nil, err
	}
	resp := feedResponse{Drawings: []galleryItem{}, Last: after, Rev: rev}
	if len(ds) > feedPage {
		ds, resp.More = ds[:feedPage], true
	}
	for _, d := range ds {
		resp.Drawings = append(resp.Drawings, galleryItem{ID: d.ID, Nickname: d.Nickname, Label: d.Label,
			Flagged: d.Flagged, Time: d.Created.UnixMilli(), Strokes: d.Strokes})
		resp.Last = d.ID
	}
	if resp.State, err = h.currentState(r); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, resp, nil
}

// grayImage returns the stored image as a picture: white ink on black, as
// the network sees it.
func grayImage(pix []byte) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, Side, Side))
	copy(g.Pix, pix)
	return g
}

func encodePNG(pix []byte) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, grayImage(pix))
	return buf.Bytes()
}

func pngDataURL(pix []byte) string {
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(encodePNG(pix))
}
