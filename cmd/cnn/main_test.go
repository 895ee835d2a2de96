package main

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
)

// runMainEnv set to 1 makes the test binary run cnn's main instead of the
// tests, so that a test can run the command as a real process: its exit
// code, its output and what it leaves on disk.
const runMainEnv = "CNN_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// result is what a cnn process did.
type result struct {
	stdout, stderr string
	code           int // exit code
}

// runCNN runs `cnn args...` as a process of this test binary.
func runCNN(t *testing.T, args ...string) result {
	t.Helper()
	return runCmd(t, exec.Command(os.Args[0], args...))
}

// runCmd runs cmd, a cnn process (perhaps behind a shell), and returns what
// it did.
func runCmd(t *testing.T, cmd *exec.Cmd) result {
	t.Helper()
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return result{out.String(), errOut.String(), cmd.ProcessState.ExitCode()}
}

// writeModel writes an untrained model of spec with the given class names
// to dir/name and returns its path.
func writeModel(t *testing.T, dir, name string, spec nn.Spec, classes []string) string {
	t.Helper()
	net, err := nn.Build(spec, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	m := &model.Model{Net: net, Classes: classes, Record: model.Record{Dataset: "mnist"}}
	if err := m.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// denseSpec is a small classifier of the given input and class count.
func denseSpec(in nn.Shape, classes int) nn.Spec {
	return nn.Spec{Input: in, Layers: []nn.LayerSpec{{Type: "flatten"}, {Type: "dense", Units: classes}, {Type: "softmax"}}}
}
