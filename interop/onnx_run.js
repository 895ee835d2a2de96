// onnx_run.js runs an ONNX model in ONNX Runtime (onnxruntime-node, pinned
// by package-lock.json) on a file of float32 inputs and writes the outputs,
// for cnnplay's interop test (onnx_test.go), which compares them with
// cnnplay's own.
//
//   node onnx_run.js model.onnx inputs.f32 N D1 D2 D3 outputs.f32
//
// inputs.f32 holds N×D1×D2×D3 little-endian float32, pixels in [0,1], fed
// as [N,D1,D2,D3]: C H W for cnnplay's exports, H W C for Keras' graphs;
// outputs.f32 gets the model's first output, N×classes float32. It prints
// one JSON line: the runtime's version and the graph's input and output
// names. Modules resolve through NODE_PATH (the test sets it).
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, input, n, d1, d2, d3, output] = process.argv.slice(2);
  const N = +n, D1 = +d1, D2 = +d2, D3 = +d3;
  if (!output || !(N > 0 && D1 > 0 && D2 > 0 && D3 > 0)) {
    throw new Error('usage: node onnx_run.js model.onnx inputs.f32 N D1 D2 D3 outputs.f32');
  }
  const bytes = fs.readFileSync(input);
  if (bytes.length !== 4 * N * D1 * D2 * D3) {
    throw new Error(`${input}: ${bytes.length} bytes, want ${4 * N * D1 * D2 * D3}`);
  }
  // A copy: a Buffer's offset need not be a multiple of 4.
  const x = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'] });
  const batch = 500, size = D1 * D2 * D3;
  const parts = [];
  for (let start = 0; start < N; start += batch) {
    const b = Math.min(batch, N - start);
    const t = new ort.Tensor('float32', x.subarray(start * size, (start + b) * size), [b, D1, D2, D3]);
    const r = await session.run({ [session.inputNames[0]]: t });
    parts.push(Float32Array.from(r[session.outputNames[0]].data));
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Float32Array(total);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  fs.writeFileSync(output, Buffer.from(out.buffer));
  console.log(JSON.stringify({
    ort: require('onnxruntime-node/package.json').version,
    inputs: session.inputNames, outputs: session.outputNames,
  }));
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
