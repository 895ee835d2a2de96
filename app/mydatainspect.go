package app

import (
	"github.com/cnnplay/cnnplay/internal/inspect"
	"github.com/cnnplay/cnnplay/nn/dataset/imageset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/preprocess"
)

// The inspect views on one's own sets: a model trained on a set is looked
// at with the set's pictures, prepared as the network sees them, and its
// class names (the data browser, the convolution sandbox, the projection's
// class-coloured dots, the mistakes).

// ownDatasetOf returns the dataset name of the user's set m was trained on,
// if the page has that set.
func ownDatasetOf(m *model.Model) (string, bool) {
	if s := pageSets.byDataset(m.Record.Dataset); s != nil {
		return s.datasetName(), true
	}
	return "", false
}

// ownImages returns the pictures of the user's set named name, prepared as
// a network sees them (28×28), with the set's class names; false when name
// is not one of the user's sets.
func ownImages(name string) (*inspect.Images, bool, error) {
	s := pageSets.byDataset(name)
	if s == nil {
		return nil, false, nil
	}
	prep, _, err := s.imageSet().Prepare()
	if err != nil {
		return nil, true, err
	}
	return &inspect.Images{Name: s.Name, Pixels: prep.Pixels, Labels: prep.Labels, N: prep.N, H: prep.H, W: prep.W,
		Classes: prep.Classes}, true, nil
}

// frameFor returns how a drawing is framed for a model trained on the
// named dataset: as one's own set says (its framing can be either), else
// as the registry's dataset is.
func frameFor(dataset string) func(gray []float32, w, h int) ([]float32, error) {
	if s := pageSets.byDataset(dataset); s != nil {
		return imageset.Frame(s.Framing)
	}
	return preprocess.For(dataset)
}
