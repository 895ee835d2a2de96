package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/model/formats"
	"github.com/cnnplay/cnnplay/nn/model/tfjs"
	"github.com/cnnplay/cnnplay/web/models"
)

// loadDataset returns the training and test sets of the dataset named name
// in the registry.
func loadDataset(name string) (trainSet, test *dataset.Set, err error) {
	e, err := dataset.Lookup(name)
	if err != nil {
		return nil, nil, err
	}
	return e.Load()
}

// loadModel reads a model file of any format cnnplay reads (.cnn, .onnx or
// a TF.js zip, see formats.Decode; a TF.js model.json with the weight files
// beside it), or the shipped digits model when path is "".
func loadModel(path string) (*model.Model, error) {
	if path == "" {
		f, err := models.Files.Open(models.Digits)
		if err != nil {
			return nil, fmt.Errorf("the shipped digits model is missing (%v): pass -model", err)
		}
		defer f.Close()
		return model.Decode(f)
	}
	if strings.EqualFold(filepath.Ext(path), ".json") {
		m, err := tfjs.ReadFS(os.DirFS(filepath.Dir(path)), filepath.Base(path))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return m, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, model.MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	m, err := formats.Decode(path, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
