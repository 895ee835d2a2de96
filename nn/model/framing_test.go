package model

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

// TestOwnSetRecord checks that a model of one's own set keeps its set's
// name and framing through a file, and that the framing comes from the
// record before the registry.
func TestOwnSetRecord(t *testing.T) {
	m := testModel(t)
	m.Classes = []string{"circle", "square", "triangle", "star", "cross", "a", "b", "c", "d", "e"}
	m.Record = Record{Set: "my shapes", Framing: "items"}
	got, err := Decode(bytes.NewReader(encode(t, m)))
	if err != nil {
		t.Fatal(err)
	}
	if got.Record.Set != "my shapes" || got.Framing() != dataset.ItemFraming {
		t.Fatalf("record %+v, framing %v", got.Record, got.Framing())
	}
	for _, tc := range []struct {
		rec  Record
		want dataset.Framing
	}{
		{Record{}, dataset.DigitFraming},
		{Record{Dataset: "fashion"}, dataset.ItemFraming},
		{Record{Dataset: "fashion", Framing: "digits"}, dataset.DigitFraming},
		{Record{Set: "x", Framing: "items"}, dataset.ItemFraming},
	} {
		m.Record = tc.rec
		if f := m.Framing(); f != tc.want {
			t.Errorf("record %+v: framing %v, want %v", tc.rec, f, tc.want)
		}
	}

	m.Record = Record{Framing: "sideways"}
	if err := m.Encode(&bytes.Buffer{}); err == nil {
		t.Error("Encode wrote an unknown framing")
	}
	m.Record = Record{Framing: "items"}
	b := encode(t, m)
	// Swap the framing's name in the header for an unknown one of the
	// same length and fix the checksum: Decode must refuse it.
	i := bytes.Index(b, []byte(`"framing":"items"`))
	copy(b[i+len(`"framing":"`):], "itemz")
	b = signed(b[len(magic)+4 : len(b)-4])
	if _, err := Decode(bytes.NewReader(b)); err == nil || !strings.Contains(err.Error(), "framing") {
		t.Fatalf("Decode of an unknown framing: %v", err)
	}
}
