//go:build !js

package browsertest

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/nn/dataset"
)

// The browser tests serve the files that `make build` writes into web/ (the
// wasm programs, wasm_exec.js, the SIMD kernel, the datasets), but build
// them themselves: once per test binary, into a directory of the binary's
// own that Main removes at the end. So `go test ./...` works on a fresh
// clone, and a test never serves a web/app.wasm older than the code.

// built holds what this test binary has built.
var built struct {
	mu      sync.Mutex
	running bool              // Main is running the tests
	dir     string            // the directory, made on first use
	items   map[string]*build // by what was built
	stops   []func() error    // what Main stops before removing dir (a server)
}

// build is one thing built once: its path, or why it failed.
type build struct {
	once sync.Once
	path string
	err  error
}

// Main runs the package's tests, then stops the server Serve started and
// removes what Site, Wasm and Serve built. A package whose tests call them
// runs its tests through it:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
func Main(m *testing.M) {
	built.mu.Lock()
	built.running = true
	built.mu.Unlock()
	code := m.Run()
	built.mu.Lock()
	for i := len(built.stops) - 1; i >= 0; i-- {
		if err := built.stops[i](); err != nil {
			fmt.Fprintln(os.Stderr, "browsertest:", err)
			if code == 0 {
				code = 1
			}
		}
	}
	if built.dir != "" {
		if err := os.RemoveAll(built.dir); err != nil {
			fmt.Fprintln(os.Stderr, "browsertest:", err)
		}
	}
	built.mu.Unlock()
	os.Exit(code)
}

// addCleanup has Main call stop when the tests end, before it removes the
// built files; an error stop returns fails the test binary.
func addCleanup(stop func() error) {
	built.mu.Lock()
	built.stops = append(built.stops, stop)
	built.mu.Unlock()
}

// once returns the path that do gives for key, calling do (with the
// directory to build in) only the first time, and fails the test if it
// failed (then and later).
func once(t testing.TB, key string, do func(dir string) (string, error)) string {
	t.Helper()
	built.mu.Lock()
	if !built.running {
		built.mu.Unlock()
		t.Fatal("browsertest: this package's TestMain must call browsertest.Main, which removes the built files at the end")
	}
	if built.dir == "" {
		dir, err := os.MkdirTemp("", "cnnplay-browsertest-")
		if err != nil {
			built.mu.Unlock()
			t.Fatal(err)
		}
		built.dir = dir
		built.items = make(map[string]*build)
	}
	dir := built.dir
	b := built.items[key]
	if b == nil {
		b = new(build)
		built.items[key] = b
	}
	built.mu.Unlock()
	b.once.Do(func() { b.path, b.err = do(dir) })
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// Wasm builds the Go program in pkg, a directory relative to the module
// root such as "nn/simd/probe", for js/wasm as `make build` does, and
// returns the path of the .wasm file.
func Wasm(t testing.TB, pkg string) string {
	t.Helper()
	return once(t, "wasm "+pkg, func(dir string) (string, error) {
		out := filepath.Join(dir, "wasm", strings.ReplaceAll(pkg, "/", "-")+".wasm")
		return out, buildWasm(pkg, out)
	})
}

// WasmBuildFlags are the flags of `go build` for the browser programs: the
// Makefile's WASM_FLAGS, so that the tests serve what `make` ships
// (e2e/embedsize checks that the two agree).
var WasmBuildFlags = []string{"-trimpath", "-ldflags=-s -w"}

// buildWasm builds the program in pkg (relative to the module root) for
// js/wasm into the file out.
func buildWasm(pkg, out string) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	cmd := exec.Command("go", append(append([]string{"build"}, WasmBuildFlags...), "-o", out, "./"+pkg)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s for js/wasm: %v\n%s", pkg, err, msg)
	}
	return nil
}

// WasmExecJS returns the path of wasm_exec.js, the JavaScript support of
// Go's wasm programs, from the toolchain that Wasm builds with (the two
// must match).
func WasmExecJS(t testing.TB) string {
	t.Helper()
	return once(t, "wasm_exec.js", func(string) (string, error) {
		out, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			return "", fmt.Errorf("go env GOROOT: %v", err)
		}
		p := filepath.Join(strings.TrimSpace(string(out)), "lib", "wasm", "wasm_exec.js")
		if _, err := os.Stat(p); err != nil {
			return "", err
		}
		return p, nil
	})
}

// The files of a built web directory that are not in the source tree's
// web/ (make build writes them there; the tests build them).
const (
	appWasm     = "app.wasm"
	workerWasm  = "worker.wasm"
	convertWasm = "convert.wasm"
	wasmExecJS  = "wasm_exec.js"
	simdWasm    = "gemm_simd.wasm"
	dataDir     = "data"
)

// mnistFiles are the four files of MNIST and of Fashion-MNIST, as web/data
// holds them (Fashion-MNIST's with the prefix "fashion-").
var mnistFiles = []string{dataset.TrainImagesFile, dataset.TrainLabelsFile, dataset.TestImagesFile, dataset.TestLabelsFile}

// Site returns a web directory as `make build` leaves web/: the source
// tree's web/ with app.wasm, worker.wasm, convert.wasm, wasm_exec.js, gemm_simd.wasm,
// MNIST in data/ and, where Debian's dataset-fashion-mnist is installed,
// Fashion-MNIST. It is built once per test binary; serve it read-only.
func Site(t testing.TB) string {
	t.Helper()
	wasmExec := WasmExecJS(t)
	return once(t, "site", func(dir string) (string, error) {
		start := time.Now()
		defer func() { t.Logf("browsertest: built the site in %v", time.Since(start).Round(time.Millisecond)) }()
		root, err := moduleRoot()
		if err != nil {
			return "", err
		}
		web := filepath.Join(dir, "web")
		if err := copyTree(web, filepath.Join(root, "web"), generated); err != nil {
			return "", err
		}
		for pkg, name := range map[string]string{"wasm/app": appWasm, "wasm/worker": workerWasm, "wasm/convert": convertWasm} {
			if err := buildWasm(pkg, filepath.Join(web, name)); err != nil {
				return "", err
			}
		}
		files := map[string]string{
			wasmExecJS: wasmExec,
			simdWasm:   filepath.Join(root, "nn", "simd", "gemm.wasm"),
		}
		mnist, err := dataset.MNISTDir()
		if err != nil {
			return "", err
		}
		for _, f := range mnistFiles {
			files[path.Join(dataDir, f)] = filepath.Join(mnist, f)
			fashion := filepath.Join(dataset.FashionDir, f)
			if _, err := os.Stat(fashion); err == nil {
				files[path.Join(dataDir, "fashion-"+f)] = fashion
			}
		}
		for name, src := range files {
			if err := copyFile(filepath.Join(web, filepath.FromSlash(name)), src); err != nil {
				return "", err
			}
		}
		return web, nil
	})
}

// generated reports whether the slash-separated name, relative to web/, is
// a file that make build or make compress writes there: Site makes its own.
func generated(name string) bool {
	switch {
	case name == appWasm, name == workerWasm, name == convertWasm, name == wasmExecJS, name == simdWasm:
		return true
	case path.Ext(name) == ".br":
		return true
	case path.Dir(name) == dataDir && path.Ext(name) == ".gz":
		return true
	}
	return false
}

// copyTree copies the regular files under src to dst, leaving out those
// whose slash-separated names relative to src skip reports.
func copyTree(dst, src string, skip func(name string) bool) error {
	return fs.WalkDir(os.DirFS(src), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		to := filepath.Join(dst, filepath.FromSlash(name))
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case !d.Type().IsRegular() || skip(name):
			return nil
		}
		return copyFile(to, filepath.Join(src, filepath.FromSlash(name)))
	})
}

// copyFile copies the file src to dst, making dst's directory.
func copyFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, in)
	return err
}
