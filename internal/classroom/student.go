//go:build !js

package classroom

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
	"strings"
)

// joinRequest is the body of POST /class/api/join.
type joinRequest struct {
	Code     string `json:"code"`
	Device   string `json:"device"`
	Nickname string `json:"nickname"`
}

// joinResponse tells the students' page what to ask for.
type joinResponse struct {
	Classes []string `json:"classes"`
	Locked  bool     `json:"locked"`
	Canvas  int      `json:"canvas"`
	Brush   int      `json:"brush"`
}

// checkCode compares a class code (case-insensitively: students type it)
// with the class's, in constant time.
func checkCode(got, want string) error {
	if subtle.ConstantTimeCompare([]byte(strings.ToUpper(got)), []byte(want)) != 1 {
		return errorf(http.StatusForbidden, "wrong class code: check the code on the board")
	}
	return nil
}

// join records the student and answers with the class's prompts.
func (h *Handler) join(r *http.Request) (int, any, error) {
	var req joinRequest
	if err := decode(r, 1<<10, &req); err != nil {
		return 0, nil, err
	}
	c, err := h.store.Class(r.Context())
	if err != nil {
		return 0, nil, err
	}
	if err := checkCode(req.Code, c.Code); err != nil {
		return 0, nil, err
	}
	if err := checkToken("device", req.Device); err != nil {
		return 0, nil, errorf(http.StatusBadRequest, "%v", err)
	}
	if err := checkNickname(req.Nickname); err != nil {
		return 0, nil, errorf(http.StatusBadRequest, "%v", err)
	}
	if err := h.store.Join(r.Context(), req.Device, req.Nickname); errors.Is(err, ErrFull) {
		return 0, nil, errorf(http.StatusInsufficientStorage, "the class is full: %d devices have joined", MaxStudents)
	} else if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, joinResponse{Classes: c.Classes, Locked: c.Locked, Canvas: Canvas, Brush: Brush}, nil
}

// submitResponse acknowledges a stored drawing.
type submitResponse struct {
	ID        int64 `json:"id"`
	Duplicate bool  `json:"duplicate,omitempty"` // a retry of a drawing stored before
}

// submit checks and stores one drawing. It answers 201 for a new
// drawing and 200 for a retry, in both cases only once the drawing is
// committed.
func (h *Handler) submit(r *http.Request) (int, any, error) {
	var sub Submission
	if err := decode(r, MaxBody, &sub); err != nil {
		return 0, nil, err
	}
	c, err := h.store.Class(r.Context())
	if err != nil {
		return 0, nil, err
	}
	if err := checkCode(sub.Code, c.Code); err != nil {
		return 0, nil, err
	}
	if err := sub.check(); err != nil {
		return 0, nil, errorf(http.StatusBadRequest, "%v", err)
	}
	if !slices.Contains(c.Classes, sub.Label) {
		return 0, nil, errorf(http.StatusBadRequest, "label %q is not one of the class's: %s", sub.Label, strings.Join(c.Classes, ", "))
	}
	// The image is rendered after the acknowledgement (see renderer).
	d := &Drawing{Key: sub.Key, Device: sub.Device, Nickname: sub.Nickname, Label: sub.Label,
		Strokes: encodeStrokes(sub.Strokes)}
	id, dup, err := h.store.Add(r.Context(), d)
	switch {
	case errors.Is(err, ErrLocked):
		return 0, nil, errorf(http.StatusLocked, "%v", err)
	case errors.Is(err, ErrFull):
		return 0, nil, errorf(http.StatusInsufficientStorage, "%v", err)
	case err != nil:
		return 0, nil, err
	case dup:
		return http.StatusOK, submitResponse{ID: id, Duplicate: true}, nil
	}
	return http.StatusCreated, submitResponse{ID: id}, nil
}
