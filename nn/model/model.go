// Package model reads and writes cnnplay model files and classifies images
// with them.
//
// A model file is one versioned binary holding everything needed to use and
// to trust a trained network:
//
//	magic    "CNNPLAY\x00"            8 bytes
//	version  uint32 little-endian     currently 1
//	hlen     uint32                   length of the header
//	header   JSON                     architecture (nn.Spec), class names,
//	                                  parameter names and shapes, training record
//	count    uint32                   number of float32 weights
//	weights  count × float32 LE       in nn.Network.Params order
//	crc      uint32                   CRC-32 (IEEE) of every byte before it
//
// Decode checks the checksum before anything else and then every size and
// shape against the architecture, so a corrupt, truncated or foreign file is
// an error that says which, never a panic. It checks the header against
// the limits in limits.go before it allocates anything in proportion to
// what the header says, so a small file cannot cost much memory.
package model

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"slices"

	"github.com/cnnplay/cnnplay/nn"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

const (
	magic   = "CNNPLAY\x00"
	version = 1
)

// Model is a trained classifier with its class names and training record.
type Model struct {
	Net     *nn.Network
	Classes []string
	Record  Record
}

// Record says how a model was trained, so its file documents itself.
type Record struct {
	Dataset   string           `json:"dataset,omitempty"` // a name in the dataset registry (nn/dataset)
	Epochs    int              `json:"epochs,omitempty"`
	Examples  int              `json:"examples,omitempty"` // training examples seen
	Seed      uint64           `json:"seed,omitempty"`
	Optimizer nn.OptimizerSpec `json:"optimizer,omitzero"`
	Batch     int              `json:"batch,omitempty"`
	Augment   string           `json:"augment,omitempty"`
	ValAcc    float64          `json:"valAcc,omitempty"`
	TestAcc   float64          `json:"testAcc,omitempty"`
	Command   string           `json:"command,omitempty"` // the command that made it
	// Set names one's own image set the model was trained on ("" for a
	// dataset of the registry): the page and the command line show it.
	Set string `json:"set,omitempty"`
	// Framing is how pictures were made to look like the training images,
	// a dataset.Framing's name ("digits" or "items"); "" means as the
	// registry's entry for Dataset frames them. Models of one's own sets
	// carry it, since no entry of the registry knows them.
	Framing string `json:"framing,omitempty"`
}

// Framing returns how pictures must be framed for m: as its record says,
// or else as the registry's entry for the dataset it names (or whose
// classes it has) frames them; digits for a model that says nothing.
func (m *Model) Framing() dataset.Framing {
	if f, err := dataset.ParseFraming(m.Record.Framing); err == nil && m.Record.Framing != "" {
		return f
	}
	e, _ := dataset.ForModel(m.Record.Dataset, m.Classes)
	return e.Framing
}

type header struct {
	Spec    nn.Spec     `json:"spec"`
	Classes []string    `json:"classes"`
	Params  []paramInfo `json:"params"`
	Record  Record      `json:"record"`
}

type paramInfo struct {
	Name string `json:"name"`
	Dims []int  `json:"dims"`
}

// ErrNotModel is wrapped by Decode's error for a file that is not a cnnplay
// model at all (another file dropped by mistake).
var ErrNotModel = errors.New("not a cnnplay model file")

// Encode writes m in the model file format.
func (m *Model) Encode(w io.Writer) error {
	if len(m.Classes) != m.Net.Classes() {
		return fmt.Errorf("model: %d class names for a network with %d classes", len(m.Classes), m.Net.Classes())
	}
	if _, err := dataset.ParseFraming(m.Record.Framing); err != nil {
		return fmt.Errorf("model: record: %w", err)
	}
	h := header{Spec: m.Net.Spec, Classes: m.Classes, Record: m.Record}
	for _, p := range m.Net.Params() {
		h.Params = append(h.Params, paramInfo{p.Name, p.Dims})
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return err
	}
	// One buffer, filled straight from the network's weights: the page
	// saves the model it trains every few seconds, on its UI thread. Three
	// 4.8 MB copies and binary.Write's per-value interface calls made this
	// about 27 ms of CPU for keras under WebAssembly; now about 14, most of
	// it the checksum. The bytes are the same.
	weights := m.Net.WeightData()
	le := binary.LittleEndian
	buf := make([]byte, 0, len(magic)+16+len(hj)+4*len(weights))
	buf = append(buf, magic...)
	buf = le.AppendUint32(buf, version)
	buf = le.AppendUint32(buf, uint32(len(hj)))
	buf = append(buf, hj...)
	buf = le.AppendUint32(buf, uint32(len(weights)))
	for _, v := range weights {
		buf = le.AppendUint32(buf, math.Float32bits(v))
	}
	buf = le.AppendUint32(buf, crc32.ChecksumIEEE(buf))
	_, err = w.Write(buf)
	return err
}

// Decode reads a model file. Any problem with the file is an error saying
// what is wrong; nothing the caller had is touched.
func Decode(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("model: reading: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("model: file is larger than %d MiB", MaxFileBytes>>20)
	}
	if len(data) < len(magic) || string(data[:len(magic)]) != magic {
		return nil, fmt.Errorf("model: %w (it does not start with %q)", ErrNotModel, "CNNPLAY")
	}
	if len(data) < len(magic)+16 { // version, header length, count, checksum
		return nil, errors.New("model: file is truncated")
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if v := binary.LittleEndian.Uint32(data[8:]); v != version {
		return nil, fmt.Errorf("model: file format version %d; this cnnplay reads version %d", v, version)
	}
	if crc32.ChecksumIEEE(body) != sum {
		return nil, errors.New("model: checksum mismatch: the file is corrupt or truncated")
	}
	hlen := int(binary.LittleEndian.Uint32(body[12:]))
	rest := body[16:]
	if hlen > MaxHeaderBytes || hlen+4 > len(rest) {
		return nil, fmt.Errorf("model: header length %d does not fit the file", hlen)
	}
	if err := checkLists(rest[:hlen]); err != nil {
		return nil, err
	}
	var h header
	if err := json.Unmarshal(rest[:hlen], &h); err != nil {
		return nil, fmt.Errorf("model: header: %w", err)
	}
	if _, err := dataset.ParseFraming(h.Record.Framing); err != nil {
		return nil, fmt.Errorf("model: record: %w", err)
	}
	rest = rest[hlen:]
	count := int(binary.LittleEndian.Uint32(rest))
	rest = rest[4:]
	if count*4 != len(rest) {
		return nil, fmt.Errorf("model: the file says it holds %d weights but has %d bytes of them", count, len(rest))
	}
	if err := checkArchitecture(&h, count); err != nil {
		return nil, err
	}
	// No initial weights are drawn: the file's replace them all.
	net, err := nn.BuildEmpty(h.Spec)
	if err != nil { // checkArchitecture analysed the same spec
		return nil, fmt.Errorf("model: architecture: %w", err)
	}
	params := net.Params()
	if len(h.Params) != len(params) {
		return nil, fmt.Errorf("model: %d parameter tensors listed, the architecture has %d", len(h.Params), len(params))
	}
	for i, p := range params {
		if h.Params[i].Name != p.Name || !slices.Equal(h.Params[i].Dims, p.Dims) {
			return nil, fmt.Errorf("model: parameter %d is %s %v in the file but %s %v in the architecture", i, h.Params[i].Name, h.Params[i].Dims, p.Name, p.Dims)
		}
	}
	weights := net.WeightData() // the network's own, count long as checked
	for i := range weights {
		v := math.Float32frombits(binary.LittleEndian.Uint32(rest[4*i:]))
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("model: weight %d is %v", i, v)
		}
		weights[i] = v
	}
	net.WeightsChanged()
	return &Model{Net: net, Classes: h.Classes, Record: h.Record}, nil
}
