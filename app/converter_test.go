package app

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestConverterKeepsProtobufOutOfAppWasm: the page's own program does not
// link the ONNX code or protobuf (3.9 MB of WebAssembly); only the
// converter worker does.
func TestConverterKeepsProtobufOutOfAppWasm(t *testing.T) {
	deps := func(pkg string) string {
		cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg)
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		return string(out)
	}
	const pb, onnx = "google.golang.org/protobuf/", "github.com/cnnplay/cnnplay/nn/model/onnx\n"
	if d := deps("../wasm/app"); strings.Contains(d, pb) || strings.Contains(d, onnx) {
		t.Error("app.wasm links protobuf or nn/model/onnx: the page loads them on every visit")
	}
	if d := deps("../wasm/convert"); !strings.Contains(d, pb) || !strings.Contains(d, onnx) {
		t.Error("convert.wasm does not link nn/model/onnx: what writes ONNX for the page?")
	}
}

func TestConverts(t *testing.T) {
	for name, want := range map[string]bool{"m.onnx": true, "M.ONNX": true, "model": true, "m.cnn": false, "photo.png": false} {
		if got := converts(name); got != want {
			t.Errorf("converts(%q) = %v, want %v", name, got, want)
		}
	}
}
