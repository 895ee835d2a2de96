package app

import (
	"encoding/csv"
	"encoding/xml"
	"strings"
	"testing"
)

// TestChartExports: the CSV has a row per point, names with commas quoted;
// the SVG is well-formed and carries the title and the model.
func TestChartExports(t *testing.T) {
	c := &lineChart{ID: "c", Title: "Loss", Model: "cnnplay: keras on MNIST digits", Series: []series{
		{Name: "training", Class: "s-train", Points: []chartPoint{{20, 2.3}, {40, 1.9}, {60, 1.2}}},
		{Name: "validation, 1,000 images", Class: "s-quick", Dotted: true, Points: []chartPoint{{40, 1.5}}},
	}}
	rows, err := csv.NewReader(strings.NewReader(chartCSV(c.Series))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[1][0] != "training" || rows[3][2] != "1.2" || rows[4][0] != "validation, 1,000 images" || rows[4][1] != "40" {
		t.Errorf("CSV rows %q", rows)
	}
	var doc struct {
		XMLName xml.Name
		Texts   []string `xml:"text"`
	}
	if err := xml.Unmarshal([]byte(c.standaloneSVG()), &doc); err != nil {
		t.Fatalf("the SVG does not parse: %v", err)
	}
	all := strings.Join(doc.Texts, "|")
	if doc.XMLName.Local != "svg" || !strings.Contains(all, "Loss|cnnplay: keras on MNIST digits") {
		t.Errorf("SVG %s with texts %q", doc.XMLName.Local, all)
	}
	if got := fileName("Loss (lower is better)", "keras on MNIST digits, 1 200 examples"); got != "cnnplay-loss-lower-is-better-keras-on-mnist-digits-1-200-examples" {
		t.Errorf("file name %q", got)
	}
}
