package imageset

import "github.com/cnnplay/cnnplay/nn/dataset"

// Entry returns a registry entry for s that holds its prepared training and
// test sets in memory (dataset.Entry.Sets), so code that takes an entry
// (its classes, framing and sets) works on one's own images as on MNIST.
// Its name is s.Name ("own" when s has none); it is not registered.
func (s *Set) Entry(train, test *dataset.Set) dataset.Entry {
	name := s.Name
	if name == "" {
		name = "own"
	}
	return dataset.Entry{
		Name: name, Title: name, Classes: s.Classes, Framing: s.Framing, TestSize: test.N,
		Sets: func() (*dataset.Set, *dataset.Set, error) { return train, test, nil },
	}
}
