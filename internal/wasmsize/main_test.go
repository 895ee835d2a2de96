package main

import (
	"testing"
)

func TestPackageOf(t *testing.T) {
	for sym, want := range map[string]string{
		"github.com_cnnplay_cnnplay_nn_dataset.readIDX":        "github.com/cnnplay/cnnplay/nn/dataset",
		"github.com_cnnplay_cnnplay_app.(*embedPage).Render":   "github.com/cnnplay/cnnplay/app",
		"internal_abi.__Type_.Len":                             "internal/abi",
		"type_.eq.runtime.mspan":                               "runtime",
		"slices.SortFunc[...]":                                 "slices",
		"vendor_golang.org_x_net_http2_hpack.(*Decoder).Write": "vendor/golang.org/x/net/http2/hpack",
		"gonum.org_v1_gonum_mat.(*Dense).Mul":                  "gonum.org/v1/gonum/mat",
		"runtime.mallocgc":                                     "runtime",
		"go_buildid":                                           "go/buildid",
	} {
		if got := packageOf(sym); got != want {
			t.Errorf("packageOf(%q) = %q, want %q", sym, got, want)
		}
	}
}

// TestMeasure reads a hand-made module: one imported function, two
// defined ones (bodies of 4 and 6 bytes) named in two packages, one data
// segment.
func TestMeasure(t *testing.T) {
	name := func(s string) []byte { return append([]byte{byte(len(s))}, s...) }
	section := func(id byte, payload []byte) []byte { return append([]byte{id, byte(len(payload))}, payload...) }
	var m []byte
	m = append(m, "\x00asm\x01\x00\x00\x00"...)
	m = append(m, section(1, []byte{1, 0x60, 0, 0})...)                                                // type: () -> ()
	m = append(m, section(2, append(append(append([]byte{1}, name("go")...), name("f")...), 0, 0))...) // import func 0
	m = append(m, section(3, []byte{2, 0, 0})...)                                                      // two functions
	m = append(m, section(10, []byte{2, 4, 0, 1, 1, 0x0b, 6, 0, 1, 1, 1, 1, 0x0b})...)                 // bodies of 4 and 6 bytes
	m = append(m, section(11, []byte{1, 0, 0x41, 0, 0x0b, 3, 'a', 'b', 'c'})...)                       // one data segment
	names := append([]byte{2}, append(append([]byte{1}, name("a_b.F")...), append([]byte{2}, name("runtime.g")...)...)...)
	m = append(m, section(0, append(name("name"), append([]byte{1, byte(len(names))}, names...)...))...)
	s, err := measure(m)
	if err != nil {
		t.Fatal(err)
	}
	if s.byPackage["a/b"] != 4 || s.byPackage["runtime"] != 6 || s.unnamed != 0 || s.data != 9 {
		t.Errorf("measure = %+v", s)
	}
	if _, err := measure(m[:len(m)-3]); err == nil {
		t.Error("a truncated module measured without error")
	}
}
