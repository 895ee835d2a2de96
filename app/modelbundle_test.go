package app

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/model/tfjs"
)

// TestBundle: a TF.js model.json and its weight files, picked together,
// bundle into a zip the TF.js reader reads as the model.
func TestBundle(t *testing.T) {
	spec, _ := nn.Preset("lenet5")
	net, err := nn.Build(spec, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	m := &model.Model{Net: net, Classes: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}}
	files, err := tfjs.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var data [][]byte
	for _, f := range slices.Backward(files) { // in any order
		names, data = append(names, f.Name), append(data, f.Data)
	}
	zipped, err := bundle(names, data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tfjs.ReadZip(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Net.WeightData(), net.WeightData()) {
		t.Error("the bundled model has other weights")
	}
}
