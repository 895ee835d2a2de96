package tfjs

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/model"
)

// opener opens a weight file named by a manifest path.
type opener func(path string) (io.ReadCloser, error)

// decode reads the layers model whose model.json is mj, its weight files
// from open.
func decode(mj []byte, open opener) (*model.Model, error) {
	if len(mj) > MaxModelJSONBytes {
		return nil, fmt.Errorf("tfjs: model.json is larger than %d KiB", MaxModelJSONBytes>>10)
	}
	if err := scanJSON(mj); err != nil {
		return nil, err
	}
	var f modelJSON
	if err := json.Unmarshal(mj, &f); err != nil {
		return nil, fmt.Errorf("tfjs: model.json: %w", err)
	}
	switch f.Format {
	case "layers-model", "":
	case "graph-model":
		return nil, errors.New("tfjs: a TF.js graph model (converted from a SavedModel or a frozen graph): cnnplay imports layers models; convert the Keras model with tensorflowjs_converter --input_format keras")
	default:
		return nil, fmt.Errorf("tfjs: format %q: cnnplay imports layers models", f.Format)
	}
	if len(f.ModelTopology) == 0 || string(f.ModelTopology) == "null" {
		return nil, errors.New("tfjs: model.json has no modelTopology")
	}
	ls, err := layers(f.ModelTopology)
	if err != nil {
		return nil, err
	}
	spec, refs, err := convert(ls)
	if err != nil {
		return nil, err
	}
	if n := len(spec.Layers); n > model.MaxLayers {
		return nil, fmt.Errorf("tfjs: the model makes %d cnnplay layers; at most %d are allowed", n, model.MaxLayers)
	}
	sum, err := nn.Analyze(spec)
	if err != nil {
		return nil, fmt.Errorf("tfjs: the network: %w", err)
	}
	acts := int64(spec.Input.Size())
	for _, l := range sum.Layers {
		acts += int64(l.Out.Size())
	}
	if 4*acts > model.MaxActivationBytes {
		return nil, fmt.Errorf("tfjs: the activations of one example take %d MiB; at most %d MiB are allowed", 4*acts>>20, model.MaxActivationBytes>>20)
	}
	classes, record, err := readMetadata(f.UserDefinedMetadata, sum.Classes)
	if err != nil {
		return nil, err
	}
	plan, err := planWeights(f.WeightsManifest, refs)
	if err != nil {
		return nil, err
	}
	// Every weight starts at zero, as a bias the model does not have stays.
	net, err := nn.BuildEmpty(spec)
	if err != nil { // Analyze passed the same spec
		return nil, fmt.Errorf("tfjs: the network: %w", err)
	}
	if err := readWeights(net, f.WeightsManifest, plan, open); err != nil {
		return nil, err
	}
	net.WeightsChanged()
	return &model.Model{Net: net, Classes: classes, Record: record}, nil
}

// readMetadata returns the class names and record of cnnplay's metadata,
// or "0", "1", … and no record for a model without it.
func readMetadata(raw json.RawMessage, k int) ([]string, model.Record, error) {
	var md metadata
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &md); err != nil {
			return nil, model.Record{}, fmt.Errorf("tfjs: userDefinedMetadata: %w", err)
		}
	}
	if md.CNNPlay == nil || md.CNNPlay.Classes == nil {
		classes := make([]string, k)
		for i := range classes {
			classes[i] = strconv.Itoa(i)
		}
		return classes, model.Record{}, nil
	}
	if n := len(md.CNNPlay.Classes); n != k {
		return nil, model.Record{}, fmt.Errorf("tfjs: userDefinedMetadata names %d classes for a network of %d", n, k)
	}
	return md.CNNPlay.Classes, md.CNNPlay.Record, nil
}

// slot is where one manifest entry goes: the parameter index param of
// cnnplay layer layer, or nowhere (layer -1: a weight cnnplay does not use,
// skipped).
type slot struct{ layer, param int }

// entry is a manifest entry's place: its group, its byte size.
type entry struct {
	group, index int
	bytes        int64
	spec         *weightSpec
}

// planWeights checks the manifest's declared sizes against MaxWeightBytes
// and finds every weight refs need, with the shape it must have. It
// returns, per group and entry, where the values go.
func planWeights(groups []weightGroup, refs []weightRef) ([][]slot, error) {
	var total int64
	byName := map[string][]entry{}
	plan := make([][]slot, len(groups))
	for g := range groups {
		ws := groups[g].Weights
		plan[g] = make([]slot, len(ws))
		for i := range ws {
			w := &ws[i]
			plan[g][i] = slot{-1, -1}
			n, err := byteSize(w)
			if err != nil {
				return nil, err
			}
			if total += n; total > MaxWeightBytes {
				return nil, fmt.Errorf("tfjs: the manifest declares over %d MiB of weights", MaxWeightBytes>>20)
			}
			name := strings.TrimSuffix(w.Name, ":0")
			byName[name] = append(byName[name], entry{g, i, n, w})
		}
	}
	find := func(r weightRef, role string, shape []int, param int) error {
		key := r.keras.name + "/" + role
		found := byName[key]
		if len(found) == 0 {
			for name, es := range byName {
				if strings.HasSuffix(name, "/"+key) {
					found = append(found, es...)
				}
			}
		}
		switch {
		case len(found) == 0:
			return fmt.Errorf("tfjs: %s: the manifest has no weight %q", r.keras, key)
		case len(found) > 1:
			return fmt.Errorf("tfjs: %s: the manifest has %d weights named %q", r.keras, len(found), key)
		}
		e := found[0]
		if s := &plan[e.group][e.index]; s.layer >= 0 {
			return fmt.Errorf("tfjs: %s: weight %q belongs to another layer too", r.keras, e.spec.Name)
		}
		if e.spec.Dtype != "float32" {
			return fmt.Errorf("tfjs: %s: weight %q is %s; cnnplay reads float32 weights", r.keras, e.spec.Name, e.spec.Dtype)
		}
		if !equal(e.spec.Shape, shape) {
			return fmt.Errorf("tfjs: %s: weight %q has shape %v; the layer needs %v", r.keras, e.spec.Name, e.spec.Shape, shape)
		}
		plan[e.group][e.index] = slot{r.layer, param}
		return nil
	}
	for _, r := range refs {
		if err := find(r, "kernel", r.kernel, 0); err != nil {
			return nil, err
		}
		if r.bias != nil {
			if err := find(r, "bias", r.bias, 1); err != nil {
				return nil, err
			}
		}
	}
	return plan, nil
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// byteSize returns the bytes a manifest entry takes in its group's data.
func byteSize(w *weightSpec) (int64, error) {
	dtype := w.Dtype
	if q := w.Quantization; q != nil {
		if w.Dtype != "float32" || q.Dtype != "uint8" && q.Dtype != "uint16" && q.Dtype != "float16" {
			return 0, fmt.Errorf("tfjs: weight %q: %s quantized as %q; TF.js quantizes float32 as uint8, uint16 or float16", w.Name, w.Dtype, q.Dtype)
		}
		dtype = q.Dtype
	}
	var size int64
	switch dtype {
	case "float32", "int32":
		size = 4
	case "uint16", "float16":
		size = 2
	case "uint8", "bool":
		size = 1
	default:
		return 0, fmt.Errorf("tfjs: weight %q has dtype %q", w.Name, dtype)
	}
	if len(w.Shape) > 8 {
		return 0, fmt.Errorf("tfjs: weight %q has %d dimensions", w.Name, len(w.Shape))
	}
	for _, d := range w.Shape {
		if d < 0 || d > MaxWeightBytes || size*int64(d) > MaxWeightBytes {
			return 0, fmt.Errorf("tfjs: weight %q has shape %v: over %d MiB", w.Name, w.Shape, MaxWeightBytes>>20)
		}
		size *= int64(d)
	}
	return size, nil
}

// readWeights reads, group by group, the weights plan places into net's
// parameters, skipping the others. Each group's files must hold exactly the bytes its entries take.
func readWeights(net *nn.Network, groups []weightGroup, plan [][]slot, open opener) error {
	buf := make([]byte, 64<<10)
	for g, group := range groups {
		used := false
		for _, s := range plan[g] {
			used = used || s.layer >= 0
		}
		if !used {
			continue
		}
		r := &groupReader{paths: group.Paths, open: open}
		err := func() error {
			defer r.close()
			for i, w := range group.Weights {
				n, _ := byteSize(&w) // planWeights checked it
				s := plan[g][i]
				if s.layer < 0 {
					if _, err := io.CopyN(io.Discard, r, n); err != nil {
						return r.short(g, err)
					}
					continue
				}
				dst := net.Layers[s.layer].Params()[s.param].W
				size := int(n) / len(dst) // bytes per value
				for off := 0; off < len(dst); {
					chunk := buf[:size*min(len(buf)/size, len(dst)-off)]
					if _, err := io.ReadFull(r, chunk); err != nil {
						return r.short(g, err)
					}
					for j := 0; j < len(chunk); j += size {
						v := value(chunk[j:j+size], w.Quantization)
						if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
							return fmt.Errorf("tfjs: weight %q holds %v", w.Name, v)
						}
						dst[off] = v
						off++
					}
				}
			}
			if n, _ := io.ReadFull(r, buf[:1]); n > 0 {
				return fmt.Errorf("tfjs: the files of weight group %d (%s) hold more bytes than its weights take", g+1, strings.Join(group.Paths, ", "))
			}
			return r.err
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// value returns the float32 that b, one stored value, stands for.
func value(b []byte, q *quantization) float32 {
	le := binary.LittleEndian
	switch len(b) {
	case 4:
		return math.Float32frombits(le.Uint32(b))
	case 1:
		return float32(float64(b[0])*q.Scale + q.Min)
	}
	if q.Dtype == "uint16" {
		return float32(float64(le.Uint16(b))*q.Scale + q.Min)
	}
	return half(le.Uint16(b))
}

// half returns the IEEE 754 half-precision number h as a float32.
func half(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp, frac := uint32(h>>10)&0x1f, uint32(h)&0x3ff
	switch {
	case exp == 0x1f: // infinity or NaN
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp == 0: // zero or subnormal: frac·2⁻²⁴
		v := float32(frac) / (1 << 24)
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
}

// groupReader reads a weight group's files one after the other, opening
// each when the one before is read to its end.
type groupReader struct {
	paths []string
	open  opener
	cur   io.ReadCloser
	next  int
	err   error // opening a file failed
}

func (r *groupReader) Read(p []byte) (int, error) {
	for {
		if r.err != nil {
			return 0, r.err
		}
		if r.cur == nil {
			if r.next == len(r.paths) {
				return 0, io.EOF
			}
			path := r.paths[r.next]
			r.next++
			if r.cur, r.err = r.open(path); r.err != nil {
				r.err = fmt.Errorf("tfjs: weight file %q: %w", path, r.err)
				r.cur = nil
				continue
			}
		}
		n, err := r.cur.Read(p)
		if err == io.EOF {
			r.cur.Close()
			r.cur = nil
			if n == 0 {
				continue
			}
			err = nil
		}
		return n, err
	}
}

func (r *groupReader) close() {
	if r.cur != nil {
		r.cur.Close()
	}
}

// short returns the error for a group whose files end before its weights.
func (r *groupReader) short(g int, err error) error {
	if r.err != nil {
		return r.err
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("tfjs: the files of weight group %d (%s) hold fewer bytes than its weights take", g+1, strings.Join(r.paths, ", "))
	}
	return fmt.Errorf("tfjs: reading weight group %d: %w", g+1, err)
}
