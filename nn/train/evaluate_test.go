package train

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// classifier builds a dense classifier of the given input and class count.
func classifier(t *testing.T, in nn.Shape, classes int) *nn.Network {
	t.Helper()
	net, err := nn.Build(nn.Spec{Input: in, Layers: []nn.LayerSpec{
		{Type: "flatten"}, {Type: "dense", Units: classes}, {Type: "softmax"}}}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// TestFitsRefusesMismatches: every way a valid model can miss a dataset
// (the repro was `cnn eval -model two-class.cnn` panicking with an index
// out of range) is an error naming the set and what differs, and Evaluate,
// given one anyway, panics with that message rather than an index error.
func TestFitsRefusesMismatches(t *testing.T) {
	set := fixture(t, "t10k-500", 50)
	odd := set.Head(3)
	odd.Classes = odd.Classes[:2]
	odd.Labels = []uint8{0, 1, 2}
	for _, c := range []struct {
		name string
		net  *nn.Network
		set  *dataset.Set
		want string
	}{
		{"two classes", classifier(t, nn.Shape{H: 28, W: 28, C: 1}, 2), set, "mnist-t10k-500 has 10 classes; the network tells 2 apart"},
		{"32x32 input", classifier(t, nn.Shape{H: 32, W: 32, C: 1}, 10), set, "mnist-t10k-500 has 28x28 images; the network takes 32x32x1"},
		{"three channels", classifier(t, nn.Shape{H: 28, W: 28, C: 3}, 10), set, "the network takes 28x28x3"},
		{"label beyond the classes", classifier(t, nn.Shape{H: 28, W: 28, C: 1}, 2), odd, "image 2 has label 2; the network tells 2 classes apart"},
	} {
		err := Fits(c.net, c.set)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Fits says %v, want %q", c.name, err, c.want)
			continue
		}
		func() {
			defer func() {
				if p := fmt.Sprint(recover()); !strings.Contains(p, c.want) {
					t.Errorf("%s: Evaluate panicked with %q, want Fits' message", c.name, p)
				}
			}()
			Evaluate(c.net, c.set, 10)
		}()
	}
}

// TestFitsAccepts: a smaller input is a centre crop and more classes than
// the set has is fine, as training allows both.
func TestFitsAccepts(t *testing.T) {
	set := fixture(t, "t10k-500", 50)
	for _, net := range []*nn.Network{
		classifier(t, nn.Shape{H: 24, W: 24, C: 1}, 10),
		classifier(t, nn.Shape{H: 28, W: 28, C: 1}, 12),
	} {
		if err := Fits(net, set); err != nil {
			t.Errorf("%s input, %d classes: %v", net.InShape(), net.Classes(), err)
			continue
		}
		r := Evaluate(net, set, 7)
		n := 0
		for _, row := range r.Confusion {
			for _, v := range row {
				n += v
			}
		}
		if n != set.N || len(r.Confusion) != net.Classes() {
			t.Errorf("%d classes: confusion matrix %dx? counts %d examples of %d", net.Classes(), len(r.Confusion), n, set.N)
		}
	}
}
