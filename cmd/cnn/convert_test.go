package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
	"github.com/cnnplay/cnnplay/nn/model"
	"github.com/cnnplay/cnnplay/nn/model/tfjs"
	"github.com/cnnplay/cnnplay/web/models"
)

// TestExportImport: the shipped digits model exported to ONNX and
// imported again has the same weights; predict reads the .onnx file and
// answers as it does for the .cnn one.
func TestExportImport(t *testing.T) {
	dir := t.TempDir()
	shipped, err := models.Files.ReadFile(models.Digits)
	if err != nil {
		t.Fatal(err)
	}
	cnnPath := filepath.Join(dir, "digits.cnn")
	if err := os.WriteFile(cnnPath, shipped, 0o644); err != nil {
		t.Fatal(err)
	}
	onnxPath, back := filepath.Join(dir, "digits.onnx"), filepath.Join(dir, "back.cnn")
	if r := runCNN(t, "export", "-format", "onnx", "-o", onnxPath, cnnPath); r.code != 0 || !strings.Contains(r.stdout, "[N,1,28,28]") {
		t.Fatalf("export: %+v", r)
	}
	if r := runCNN(t, "import", "-o", back, onnxPath); r.code != 0 || !strings.Contains(r.stdout, "10 classes") {
		t.Fatalf("import: %+v", r)
	}
	read := func(path string) *model.Model {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		m, err := model.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	a, b := read(cnnPath), read(back)
	if !slices.Equal(a.Net.Weights(), b.Net.Weights()) || !slices.Equal(a.Classes, b.Classes) || a.Record != b.Record {
		t.Error("export → import changed the model")
	}
	s := testDigits(t)
	photo := writePhoto(t, dir, s, 3)
	var fromCNN, fromONNX bytes.Buffer
	if err := predictCmd([]string{"-model", cnnPath, photo}, &fromCNN); err != nil {
		t.Fatal(err)
	}
	if err := predictCmd([]string{"-model", onnxPath, photo}, &fromONNX); err != nil {
		t.Fatal(err)
	}
	if fromCNN.String() != fromONNX.String() {
		t.Errorf("predict: %q from the .cnn, %q from the .onnx", fromCNN.String(), fromONNX.String())
	}
}

func TestExportImportBadInput(t *testing.T) {
	dir := t.TempDir()
	m := writeModel(t, dir, "m.cnn", denseSpec(nn.Shape{H: 28, W: 28, C: 1}, 10), dataset.MNISTClasses)
	junk := filepath.Join(dir, "junk.onnx")
	if err := os.WriteFile(junk, []byte("\x0a\xff\xff\xff\x0fshort"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.cnn")
	if err := os.WriteFile(out, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "-o", out, filepath.Join(dir, "missing", "model.json")}, "no such file"},
		{[]string{"export", "-format", "caffe", "-o", filepath.Join(dir, "x"), m}, `unknown model format "caffe"`},
		{[]string{"export", m}, "needs one model file and -o"},
		{[]string{"import", "-o", out, junk}, "not an ONNX model"},
		{[]string{"eval", "-model", junk}, "not an ONNX model"},
	} {
		r := runCNN(t, c.args...)
		if r.code == 0 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("cnn %v: exit %d, stderr %q; want %q", c.args, r.code, r.stderr, c.want)
		}
	}
	if b, _ := os.ReadFile(out); string(b) != "keep me" {
		t.Errorf("a failed import changed %s", out)
	}
}

// TestExportImportTFJS: the shipped digits model exported as a TF.js zip,
// and as model.json with its shard beside it, imports with the same
// weights, and predict and eval read both forms as they read the .cnn.
func TestExportImportTFJS(t *testing.T) {
	dir := t.TempDir()
	shipped, err := models.Files.ReadFile(models.Digits)
	if err != nil {
		t.Fatal(err)
	}
	cnnPath := filepath.Join(dir, "digits.cnn")
	if err := os.WriteFile(cnnPath, shipped, 0o644); err != nil {
		t.Fatal(err)
	}
	zipPath, back := filepath.Join(dir, "digits-tfjs.zip"), filepath.Join(dir, "back.cnn")
	if r := runCNN(t, "export", "-format", "tfjs", "-o", zipPath, cnnPath); r.code != 0 || !strings.Contains(r.stdout, "input [N,28,28,1]") {
		t.Fatalf("export: %+v", r)
	}
	zipped, err := os.ReadFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	m, err := tfjs.ReadZip(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "tfjs_model")
	files, err := tfjs.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(folder, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	jsonPath := filepath.Join(folder, tfjs.ModelFile)
	if r := runCNN(t, "import", "-o", back, jsonPath); r.code != 0 || !strings.Contains(r.stdout, "10 classes") {
		t.Fatalf("import: %+v", r)
	}
	a, err := model.Decode(bytes.NewReader(shipped))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(back)
	if err != nil {
		t.Fatal(err)
	}
	bm, err := model.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Net.Weights(), bm.Net.Weights()) || !slices.Equal(a.Classes, bm.Classes) || a.Record != bm.Record {
		t.Error("export → import changed the model")
	}
	photo := writePhoto(t, dir, testDigits(t), 3)
	var want bytes.Buffer
	if err := predictCmd([]string{"-model", cnnPath, photo}, &want); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{zipPath, jsonPath} {
		var got bytes.Buffer
		if err := predictCmd([]string{"-model", p, photo}, &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("predict: %q from the .cnn, %q from %s", want.String(), got.String(), p)
		}
	}
}
