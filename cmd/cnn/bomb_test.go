package main

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cnnplay/cnnplay/nn/nntest"
)

// TestPredictRefusesPictureBomb: a PNG that declares 20000×20000 pixels is
// refused with a message, for under 100 MB (image.Decode allocated 400 MB
// for it and Gray 1.6 GB more: 4 GB in all for the full 389 KB bomb).
func TestPredictRefusesPictureBomb(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bomb.png")
	os.WriteFile(file, nntest.PNG(20000, 20000, 1), 0o644)
	var err error
	var out bytes.Buffer
	cost := nntest.Allocated(func() { err = predictCmd([]string{file}, &out) })
	t.Logf("predict of a 20000×20000 PNG: %v; allocated %d KB", err, cost>>10)
	if err == nil || cost >= 100<<20 {
		t.Errorf("error %v, allocated %d MB; want an error for under 100 MB", err, cost>>20)
	}
	r := runCNN(t, "predict", file)
	if r.code != 1 || !strings.Contains(r.stderr, "the png is 20000×20000 pixels (400 megapixels); at most 40 megapixels are read") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestPredictRefusesModelBomb: a model file of a few hundred bytes that
// declares 52 million parameters is refused for under 20 MB.
func TestPredictRefusesModelBomb(t *testing.T) {
	dir := t.TempDir()
	bomb := filepath.Join(dir, "bomb.cnn")
	os.WriteFile(bomb, modelBomb(), 0o644)
	var err error
	cost := nntest.Allocated(func() { _, err = loadModel(bomb) })
	t.Logf("loading a %d-byte model that declares 52M parameters: %v; allocated %d KB", len(modelBomb()), err, cost>>10)
	if err == nil || cost >= 20<<20 {
		t.Errorf("error %v, allocated %d MB; want an error for under 20 MB", err, cost>>20)
	}
	s := testDigits(t)
	r := runCNN(t, "predict", "-model", bomb, writePhoto(t, dir, s, 0))
	if r.code != 1 || !strings.Contains(r.stderr, "the architecture has 52020010 weights; the file holds 0") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// modelBomb is a model file whose header declares a 1020×1020×5 input
// densely connected to 10 classes (52,020,010 parameters) and that holds no
// weights, with a correct checksum.
func modelBomb() []byte {
	header := `{"spec":{"input":{"h":1020,"w":1020,"c":5},"layers":[{"type":"flatten"},{"type":"dense","units":10},{"type":"softmax"}]},` +
		`"classes":["0","1","2","3","4","5","6","7","8","9"],"params":[{"name":"dense1.w","dims":[5202000,10]},{"name":"dense1.b","dims":[10]}],"record":{}}`
	var b bytes.Buffer
	b.WriteString("CNNPLAY\x00")
	b.Write(binary.LittleEndian.AppendUint32(nil, 1))
	b.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(header))))
	b.WriteString(header)
	b.Write(binary.LittleEndian.AppendUint32(nil, 0))
	b.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(b.Bytes())))
	return b.Bytes()
}
