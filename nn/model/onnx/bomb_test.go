package onnx

import (
	"runtime"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	pb "github.com/cnnplay/cnnplay/nn/model/onnx/onnxpb"
)

// allocated returns Unmarshal's error for data and the bytes it allocated.
func allocated(data []byte) (error, uint64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Unmarshal(data)
	runtime.ReadMemStats(&after)
	return err, after.TotalAlloc - before.TotalAlloc
}

// field wraps value as field num of a message.
func field(num protowire.Number, value []byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(nil, num, protowire.BytesType), value)
}

// TestDecodeBombs: small files that would decode into far more memory
// than they take, or declare huge tensors, are refused having allocated
// little: the wire format is costed before protobuf decodes it, and a
// tensor's declared size is checked against the data it holds.
func TestDecodeBombs(t *testing.T) {
	m := testModel(t, smallSpec, 1)
	// A graph of a million empty nodes: 2 bytes each in the file, a
	// NodeProto each decoded.
	var nodes []byte
	for range 1 << 20 {
		nodes = append(nodes, field(1, nil)...)
	}
	// A tensor whose dims are four million one-byte varints, 8 bytes each
	// decoded.
	var dims []byte
	for range 4 << 20 {
		dims = protowire.AppendVarint(dims, 1)
	}
	dimsBomb := field(7, field(5, protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), dims)))
	// A weight of 2^60 declared values holding none.
	huge := mutate(t, m, func(mp *pb.ModelProto) {
		for _, i := range mp.Graph.Initializer {
			if i.GetName() == "dense1.w" {
				i.Dims, i.RawData = []int64{1 << 30, 1 << 30}, nil
			}
		}
	})
	// A normalisation constant of 2^60 declared values holding one.
	mean := mutate(t, testModel(t, testSpecs(t)["kinds"], 1), func(mp *pb.ModelProto) {
		for _, i := range mp.Graph.Initializer {
			if i.GetName() == "mean" {
				i.Dims = []int64{1 << 30, 1 << 30}
			}
		}
	})
	// A Reshape shape of 2^40 int64s declared.
	shape := mutate(t, m, func(mp *pb.ModelProto) {
		mp.Graph.Initializer = append(mp.Graph.Initializer, &pb.TensorProto{Name: proto.String("s"),
			DataType: proto.Int32(int32(pb.TensorProto_INT64)), Dims: []int64{1 << 40}})
		mp.Graph.Node = append([]*pb.NodeProto{{OpType: proto.String("Reshape"), Input: []string{InputName, "s"}, Output: []string{"r"}}}, mp.Graph.Node...)
	})
	for _, c := range []struct {
		name  string
		data  []byte
		want  string
		limit uint64
	}{
		{"million nodes", field(7, nodes), "refusing it", 16 << 20},
		{"4 million dims", dimsBomb, "refusing it", 16 << 20},
		{"2^60 weights", huge, "[1073741824 1073741824]", 4 << 20},
		{"2^60 mean", mean, "holds more values than a file may", 4 << 20},
		{"2^40 shape", shape, "not a short list", 4 << 20},
	} {
		err, cost := allocated(c.data)
		t.Logf("%s: %d-byte file: %v; allocated %d KB", c.name, len(c.data), err, cost>>10)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
		if cost > c.limit+uint64(len(c.data)) {
			t.Errorf("%s: refusing a %d-byte file allocated %d MB", c.name, len(c.data), cost>>20)
		}
	}
}
