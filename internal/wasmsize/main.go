// Command wasmsize lists what a Go WebAssembly program holds, by package:
// the bytes of compiled code of each package's functions, read from the
// module's code section and named through its "name" section (so build it
// without -ldflags=-s), and the data segments as one line. `make wasm-size`
// runs it on unstripped builds of the browser programs:
//
//	go run ./internal/wasmsize -top 25 app.wasm worker.wasm
//
// go tool nm does not read wasm files; this reads the binary format
// directly (https://webassembly.github.io/spec/core/binary/).
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

func main() {
	top := flag.Int("top", 30, "list this many packages, largest first; the rest as one line")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: wasmsize [-top N] file.wasm...\n\nExample:\n  GOOS=js GOARCH=wasm go build -o /tmp/app.wasm ./wasm/app && go run ./internal/wasmsize /tmp/app.wasm\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, name := range flag.Args() {
		b, err := os.ReadFile(name)
		if err == nil {
			var s *sizes
			if s, err = measure(b); err == nil {
				report(out, name, b, s, *top)
				continue
			}
		}
		out.Flush()
		fmt.Fprintf(os.Stderr, "wasmsize: %s: %v\n", name, err)
		os.Exit(1)
	}
}

// sizes is what measure finds in one module.
type sizes struct {
	byPackage map[string]int // code bytes per package path
	code      int            // the whole code section
	data      int            // the whole data section
	unnamed   int            // code bytes of functions the name section does not name
}

// measure reads the sections of a wasm module.
func measure(b []byte) (*sizes, error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, errors.New("not a WebAssembly module")
	}
	r := &reader{b: b, off: 8}
	var imported int
	var bodies []int // size of each defined function's body
	names := map[int]string{}
	s := &sizes{byPackage: map[string]int{}}
	for r.off < len(b) {
		id := r.byte()
		size := int(r.uleb())
		sec := &reader{b: r.bytes(size)}
		if r.err != nil {
			return nil, r.err
		}
		switch id {
		case 0: // custom
			if sec.name() == "name" {
				readFuncNames(sec, names)
			}
		case 2: // imports
			for n := sec.uleb(); n > 0 && sec.err == nil; n-- {
				sec.name()
				sec.name()
				switch kind := sec.byte(); kind {
				case 0: // function
					sec.uleb()
					imported++
				case 1: // table: reftype, limits
					sec.byte()
					sec.limits()
				case 2: // memory
					sec.limits()
				case 3: // global: valtype, mut
					sec.byte()
					sec.byte()
				default:
					return nil, fmt.Errorf("import kind %d", kind)
				}
			}
		case 10: // code
			s.code = size
			for n := sec.uleb(); n > 0 && sec.err == nil; n-- {
				l := int(sec.uleb())
				sec.bytes(l)
				bodies = append(bodies, l)
			}
		case 11: // data
			s.data = size
		}
		if sec.err != nil {
			return nil, fmt.Errorf("section %d: %w", id, sec.err)
		}
	}
	for i, l := range bodies {
		name, ok := names[imported+i]
		if !ok {
			s.unnamed += l
			continue
		}
		s.byPackage[packageOf(name)] += l
	}
	return s, nil
}

// readFuncNames reads the function-names subsection of a "name" section.
func readFuncNames(sec *reader, names map[int]string) {
	for sec.off < len(sec.b) && sec.err == nil {
		id := sec.byte()
		sub := &reader{b: sec.bytes(int(sec.uleb()))}
		if id != 1 {
			continue
		}
		for n := sub.uleb(); n > 0 && sub.err == nil; n-- {
			idx := int(sub.uleb())
			names[idx] = sub.name()
		}
	}
}

// packageOf returns the package path of a function name as Go's linker
// writes it into a wasm module: the path's slashes are underscores, as in
// "github.com_a_b.(*T).M", "internal_abi.TypeOf", "slices.Sort[...]" or
// "type_.eq.x_y.T". The underscores are shown as slashes again (a package
// name with an underscore in it shows as two).
func packageOf(sym string) string {
	sym = strings.TrimPrefix(sym, "type_.eq.")
	if i := strings.IndexByte(sym, '['); i >= 0 {
		sym = sym[:i]
	}
	// The dot of a domain (github.com_, golang.org_) is not the end of
	// the path.
	start := 0
	if loc := domain.FindAllStringIndex(sym, -1); loc != nil {
		start = loc[len(loc)-1][1]
	}
	if i := strings.IndexByte(sym[start:], '.'); i >= 0 {
		sym = sym[:start+i]
	}
	return strings.ReplaceAll(sym, "_", "/")
}

var domain = regexp.MustCompile(`\.(com|org|net|io|in|dev)_`)

// report prints one module's table: packages by code size, with the
// module's total and gzip size for scale.
func report(w io.Writer, name string, b []byte, s *sizes, top int) {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	fmt.Fprintf(w, "%s: %s (gzip -9 %s); code %s, data %s\n", name, mb(len(b)), mb(gz.Len()), mb(s.code), mb(s.data))
	pkgs := make([]string, 0, len(s.byPackage))
	for p := range s.byPackage {
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool {
		if a, b := s.byPackage[pkgs[i]], s.byPackage[pkgs[j]]; a != b {
			return a > b
		}
		return pkgs[i] < pkgs[j]
	})
	rest, restN := 0, 0
	for i, p := range pkgs {
		if i < top {
			fmt.Fprintf(w, "  %9d  %5.1f%%  %s\n", s.byPackage[p], 100*float64(s.byPackage[p])/float64(s.code), p)
			continue
		}
		rest += s.byPackage[p]
		restN++
	}
	if restN > 0 {
		fmt.Fprintf(w, "  %9d  %5.1f%%  (%d more packages)\n", rest, 100*float64(rest)/float64(s.code), restN)
	}
	if s.unnamed > 0 {
		fmt.Fprintf(w, "  %9d  %5.1f%%  (functions without a name: build without -ldflags=-s)\n", s.unnamed, 100*float64(s.unnamed)/float64(s.code))
	}
}

func mb(n int) string { return fmt.Sprintf("%.2f MB", float64(n)/1e6) }

// reader decodes the primitives of the binary format; the first error
// sticks and later reads return zero values.
type reader struct {
	b   []byte
	off int
	err error
}

var errShort = errors.New("unexpected end of module")

func (r *reader) byte() byte {
	if r.err != nil || r.off >= len(r.b) {
		r.err = errShort
		return 0
	}
	r.off++
	return r.b[r.off-1]
}

func (r *reader) uleb() uint64 {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	if r.err == nil {
		r.err = errors.New("LEB128 number too long")
	}
	return 0
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b)-r.off {
		r.err = errShort
		return nil
	}
	r.off += n
	return r.b[r.off-n : r.off]
}

func (r *reader) name() string { return string(r.bytes(int(r.uleb()))) }

func (r *reader) limits() {
	if r.byte()&1 != 0 {
		r.uleb()
	}
	r.uleb()
}
