package autosave

import "time"

// Keys of the store (see the package documentation).
const (
	keyCurrent  = "run/current.cnn"
	keyBest     = "run/best.cnn"
	keyHistory  = "run/history"
	keyMeta     = "run/meta"
	keySettings = "settings"
	keyDrawing  = "drawing"
)

// format is the version of this layout, kept in run/meta: a page that
// finds a newer one leaves it alone rather than misread it.
const format = 1

// meta describes the saved run; it is written with every write of the
// run/ keys, so it always describes the models beside it.
type meta struct {
	Format int       `json:"format"`
	Label  string    `json:"label,omitempty"` // what the run is called, the preset's name: "keras"
	Saved  time.Time `json:"saved"`
}
