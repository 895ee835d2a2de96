//go:build !(js && wasm)

package app

import (
	"errors"

	"github.com/cnnplay/cnnplay/internal/wire"
)

// trainWorker is the training Web Worker, which only a browser runs: the
// server renders the page but never mounts the panel, so it never starts
// one.
type trainWorker struct{}

func newTrainWorker(onMessage func(wire.Message)) *trainWorker { return &trainWorker{} }

func (tw *trainWorker) post(m wire.Message) error {
	return errors.New("the training worker runs only in a browser")
}

func (tw *trainWorker) close() {}
