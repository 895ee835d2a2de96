package app

import (
	"archive/zip"
	"bytes"
	"path"
	"strings"

	"github.com/cnnplay/cnnplay/internal/budget"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// readFiles loads the files picked or dropped: one file as it is, several
// as one TF.js model, a model.json and the weight files it names (the
// browser gives them without their folder), bundled into the zip the
// converter reads.
func (f *modelFiles) readFiles(ctx app.Context, files app.Value) {
	n := files.Length()
	switch {
	case n == 1:
		f.read(ctx, files.Index(0))
		return
	case n == 0:
		return
	}
	names := make([]string, n)
	total, jsonName := 0, ""
	buffers := app.Window().Get("Array").New()
	for i := range n {
		file := files.Index(i)
		names[i] = file.Get("name").String()
		total += file.Get("size").Int()
		if strings.HasSuffix(strings.ToLower(names[i]), ".json") {
			jsonName = names[i]
		}
		buffers.Call("push", file.Call("arrayBuffer"))
	}
	if jsonName == "" {
		f.message, f.bad = "Several files were given but none is a model.json: load one model file, or a TF.js model.json with its weight files. The current model is unchanged.", true
		return
	}
	if total > model.MaxFileBytes {
		f.message, f.bad = jsonName+" and its weights are not a model this page can load: together they are larger than "+budget.FormatBytes(model.MaxFileBytes)+". The current model is unchanged.", true
		return
	}
	f.message, f.bad = "Reading "+jsonName+"…", false
	app.Window().Get("Promise").Call("all", buffers).Then(func(bufs app.Value) {
		data := make([][]byte, n)
		for i := range n {
			u8 := app.Window().Get("Uint8Array").New(bufs.Index(i))
			data[i] = make([]byte, u8.Get("byteLength").Int())
			app.CopyBytesToGo(data[i], u8)
		}
		ctx.Dispatch(func(ctx app.Context) {
			zipped, err := bundle(names, data)
			if err != nil {
				f.loaded(ctx, jsonName, nil, err)
				return
			}
			f.convert(ctx, jsonName, strings.TrimSuffix(jsonName, path.Ext(jsonName))+".zip", zipped)
		})
	})
}

// bundle returns a zip (stored, not compressed) of the named files.
func bundle(names []string, data [][]byte) ([]byte, error) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for i, name := range names {
		w, err := z.CreateHeader(&zip.FileHeader{Name: path.Base(name), Method: zip.Store})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data[i]); err != nil {
			return nil, err
		}
	}
	err := z.Close()
	return buf.Bytes(), err
}
