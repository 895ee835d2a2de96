package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cnnplay/cnnplay/nn"
)

// hostile are class names (and file names) that would act on a terminal
// printed raw: an escape sequence, a tab and a newline that forge columns
// and lines, a right-to-left override, C1's CSI, DEL and BEL. (A byte that
// is not UTF-8 cannot be a class name: the model file's JSON header turns
// it into U+FFFD.)
var hostile = []string{"\x1b[31mred", "a\tb", "two\nlines", "\u202eevil", "csi\u009b2J", "del\x7f", "bell\a",
	"7", "8", "9"}

// terminalSafe fails the test if out holds a control character other than
// the tab and newline the format itself uses, a non-printing rune, or a
// byte that is not UTF-8.
func terminalSafe(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s is not UTF-8: %q", what, out)
	}
	for _, r := range out {
		if r != '\t' && r != '\n' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == '\u202e') {
			t.Errorf("%s holds %U: %q", what, r, out)
			return
		}
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"Ankle boot":      "Ankle boot",
		"T-shirt/top":     "T-shirt/top",
		"ünïcødé ✓ 数字":    "ünïcødé ✓ 数字",
		`back\slash`:      `back\slash`,
		"\x1b[31mred":     `\x1b[31mred`,
		"a\tb\nc\r":       `a\tb\nc\r`,
		"\u202eevil":      `\u202eevil`,
		"csi\u009b2J\x7f": `csi\u009b2J\x7f`,
		"bad\xffbyte":     `bad\xffbyte`,
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestPredictEscapesNames: class names and file names reach the terminal
// escaped, one line per file (they were printed raw), while -json keeps
// them exact as JSON data with every non-printing character escaped.
func TestPredictEscapesNames(t *testing.T) {
	s, dir := testDigits(t), t.TempDir()
	path := writeModel(t, dir, "hostile.cnn", denseSpec(nn.Shape{H: 28, W: 28, C: 1}, len(hostile)), hostile)
	var files []string
	for i, name := range []string{"digit\x1b[2J.png", "new\nline.png", "\u202egnp.png", "x\xff.png"} {
		file := filepath.Join(dir, name)
		if err := os.Rename(writePhoto(t, dir, s, i), file); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	var out bytes.Buffer
	if err := predictCmd(append([]string{"-model", path}, files...), &out); err != nil {
		t.Fatal(err)
	}
	terminalSafe(t, "predict's output", out.String())
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(files) {
		t.Fatalf("%d lines for %d files:\n%s", len(lines), len(files), out.String())
	}
	for i, line := range lines {
		f := strings.Split(line, "\t")
		if len(f) != 3 || f[0] != printable(files[i]) || !slices.Contains(hostile, unprint(f[1])) {
			t.Errorf("line %q: want the escaped file name, an escaped class name and a probability", line)
		}
	}

	out.Reset()
	if err := predictCmd(append([]string{"-json", "-model", path}, files...), &out); err != nil {
		t.Fatal(err)
	}
	terminalSafe(t, "predict -json's output", out.String())
	dec := json.NewDecoder(&out)
	for _, file := range files {
		var r struct {
			File, Class   string
			Probabilities map[string]float64
		}
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		// JSON carries valid UTF-8 only: the stray byte arrives as U+FFFD.
		if r.File != strings.ToValidUTF8(file, "\ufffd") || !slices.Contains(hostile, r.Class) || len(r.Probabilities) != len(hostile) {
			t.Errorf("json %q, class %q, %d probabilities", r.File, r.Class, len(r.Probabilities))
		}
	}
}

// unprint undoes printable for the escapes hostile's names produce.
func unprint(s string) string {
	return strings.NewReplacer(`\x1b`, "\x1b", `\t`, "\t", `\n`, "\n", `\u202e`, "\u202e", `\u009b`, "\u009b",
		`\x7f`, "\x7f", `\a`, "\a").Replace(s)
}

// TestPredictEscapesErrors: an unreadable file's name is escaped in the
// error line too.
func TestPredictEscapesErrors(t *testing.T) {
	r := runCNN(t, "predict", filepath.Join(t.TempDir(), "missing\x1b]0;owned\x07.png"))
	terminalSafe(t, "predict's errors", r.stderr)
	if r.code != 1 || !strings.Contains(r.stderr, `missing\x1b]0;owned\a.png`) {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestEvalEscapesClassNames: the confusion matrix's labels are escaped.
func TestEvalEscapesClassNames(t *testing.T) {
	path := writeModel(t, t.TempDir(), "hostile.cnn", denseSpec(nn.Shape{H: 28, W: 28, C: 1}, len(hostile)), hostile)
	r := runCNN(t, "eval", "-model", path)
	terminalSafe(t, "eval's output", r.stdout+r.stderr)
	if r.code != 0 || !strings.Contains(r.stdout, `\x1b[3`) {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
