package app

import (
	"fmt"
	"strings"

	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// droppedFolders returns the entries of a drop (the File System API's
// FileSystemEntry values) when it holds a folder, nil otherwise: a dropped
// folder is no file to read, its files are found by walking it.
func droppedFolders(dt app.Value) []app.Value {
	items := dt.Get("items")
	if !items.Truthy() {
		return nil
	}
	var entries []app.Value
	folder := false
	for i := range items.Length() {
		it := items.Index(i)
		if !it.Get("webkitGetAsEntry").Truthy() {
			return nil
		}
		en := it.Call("webkitGetAsEntry")
		if !en.Truthy() {
			continue
		}
		folder = folder || en.Get("isDirectory").Bool()
		entries = append(entries, en)
	}
	if !folder {
		return nil
	}
	return entries
}

// importEntries walks dropped folders and files and imports what they hold
// as a chosen folder's files, each with its path.
func (p *myDataPanel) importEntries(ctx app.Context, entries []app.Value) {
	var files []myFile
	var total int64
	pending := 0
	failed := ""
	var walk func(en app.Value)
	done := func() {
		if pending--; pending > 0 {
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			if failed != "" {
				p.say(failed+" Nothing was imported.", true)
				return
			}
			p.merge(ctx, files)
		})
	}
	walk = func(en app.Value) {
		pending++
		path := strings.TrimPrefix(en.Get("fullPath").String(), "/")
		var fail app.Func // the browser could not read a folder or file
		fail = app.FuncOf(func(this app.Value, args []app.Value) any {
			fail.Release()
			failed = path + " could not be read."
			done()
			return nil
		})
		if en.Get("isDirectory").Bool() {
			reader := en.Call("createReader")
			var next app.Func
			next = app.FuncOf(func(this app.Value, args []app.Value) any {
				batch := args[0]
				if batch.Length() == 0 { // readEntries gives a folder's entries in batches, then none
					next.Release()
					fail.Release()
					done()
					return nil
				}
				for i := range batch.Length() {
					walk(batch.Index(i))
				}
				reader.Call("readEntries", next, fail)
				return nil
			})
			reader.Call("readEntries", next, fail)
			return
		}
		var got app.Func
		got = app.FuncOf(func(this app.Value, args []app.Value) any {
			got.Release()
			fail.Release()
			f := args[0]
			if total += int64(f.Get("size").Int()); total > imageset.MaxBytes {
				failed = fmt.Sprintf("The folder holds more than %d MB; a set holds at most %d MB.", imageset.MaxBytes>>20, imageset.MaxBytes>>20)
				done()
				return nil
			}
			i := len(files)
			files = append(files, myFile{Name: f.Get("name").String(), Path: path})
			readFileBytes(f, func(b []byte, err error) {
				files[i].Data = b
				done()
			})
			return nil
		})
		en.Call("file", got, fail)
	}
	p.say("Reading the folder…", false)
	for _, en := range entries {
		walk(en)
	}
}
