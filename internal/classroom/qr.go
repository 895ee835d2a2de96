//go:build !js

package classroom

import (
	"net/http"

	qrcode "github.com/skip2/go-qrcode"
)

// qrSize is the QR code's side in pixels: sharp on a projector.
const qrSize = 768

// qr answers the join URL, with the class code, as a QR code (PNG), made
// here so that nothing leaves the machine.
func (h *Handler) qr(r *http.Request) (int, any, error) {
	if err := decode(r, 1<<10, &struct{}{}); err != nil {
		return 0, nil, err
	}
	st, err := h.currentState(r)
	if err != nil {
		return 0, nil, err
	}
	b, err := qrcode.Encode(st.JoinURL, qrcode.Medium, qrSize)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, file{typ: "image/png", data: b}, nil
}
