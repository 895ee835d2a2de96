//go:build !(js && wasm)

package app

import (
	"github.com/cnnplay/cnnplay/nn/model/formats"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// convertModel does what the converter worker does in the browser, here
// and at once, for native tests.
func convertModel(ctx app.Context, op, format, name string, data []byte, done func(out []byte, err error)) {
	done(formats.Convert(op, format, name, data))
}
