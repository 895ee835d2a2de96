// onnx_run.js runs an ONNX model in ONNX Runtime (onnxruntime-node, pinned
// by package-lock.json) on a file of float32 inputs and writes the outputs,
// for cnnplay's interop test (onnx_test.go), which compares them with
// cnnplay's own.
//
//   node onnx_run.js model.onnx inputs.f32 N C H W outputs.f32
//
// inputs.f32 holds N×C×H×W little-endian float32 (NCHW, pixels in [0,1]);
// outputs.f32 gets the model's first output, N×classes float32. It prints
// one JSON line: the runtime's version and the graph's input and output
// names. Modules resolve through NODE_PATH (the test sets it).
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, input, n, c, h, w, output] = process.argv.slice(2);
  const N = +n, C = +c, H = +h, W = +w;
  if (!output || !(N > 0 && C > 0 && H > 0 && W > 0)) {
    throw new Error('usage: node onnx_run.js model.onnx inputs.f32 N C H W outputs.f32');
  }
  const bytes = fs.readFileSync(input);
  if (bytes.length !== 4 * N * C * H * W) {
    throw new Error(`${input}: ${bytes.length} bytes, want ${4 * N * C * H * W}`);
  }
  // A copy: a Buffer's offset need not be a multiple of 4.
  const x = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'] });
  const batch = 500, size = C * H * W;
  const parts = [];
  for (let start = 0; start < N; start += batch) {
    const b = Math.min(batch, N - start);
    const t = new ort.Tensor('float32', x.subarray(start * size, (start + b) * size), [b, C, H, W]);
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
