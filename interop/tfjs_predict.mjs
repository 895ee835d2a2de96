// tfjs_predict.mjs runs a TF.js layers model with @tensorflow/tfjs (pure JS,
// cpu backend) on images and writes the class probabilities: what the Go
// tests in tfjs_test.go compare cnnplay's own predictions with.
//
//   node tfjs_predict.mjs MODEL_JSON IMAGES N OUT
//
// @tensorflow/tfjs (pinned by package-lock.json) resolves through NODE_PATH
// (the test sets it). IMAGES is N examples of the model's input
// shape, float32 little-endian, NHWC; OUT gets N×classes float32. It prints
// one line of JSON: the model's input and output shapes and its
// userDefinedMetadata, as TF.js read them.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [modelPath, imagesPath, nArg, outPath] = process.argv.slice(2);
const require = createRequire(import.meta.url); // CommonJS: it honours NODE_PATH
const tf = require('@tensorflow/tfjs');
await tf.setBackend('cpu');

// The model's files, loaded the way tf.io's file handlers load them: the
// manifest's weights in order, their shards concatenated.
const modelJSON = JSON.parse(fs.readFileSync(modelPath, 'utf8'));
const dir = path.dirname(modelPath);
const weightSpecs = [];
const buffers = [];
for (const group of modelJSON.weightsManifest) {
  weightSpecs.push(...group.weights);
  for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
}
const all = Buffer.concat(buffers);
const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
const model = await tf.loadLayersModel(tf.io.fromMemory({
  modelTopology: modelJSON.modelTopology, weightSpecs, weightData,
  format: modelJSON.format, generatedBy: modelJSON.generatedBy,
  userDefinedMetadata: modelJSON.userDefinedMetadata,
}));

const n = Number(nArg);
const shape = model.inputs[0].shape.slice(1);
const size = shape.reduce((a, b) => a * b, 1);
const raw = fs.readFileSync(imagesPath);
const images = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
if (images.length !== n * size) throw new Error(`${images.length} values for ${n} examples of ${shape}`);
const batch = 500;
const out = fs.openSync(outPath, 'w');
for (let i = 0; i < n; i += batch) {
  const m = Math.min(batch, n - i);
  const probs = tf.tidy(() => {
    const x = tf.tensor(images.subarray(i * size, (i + m) * size), [m, ...shape]);
    return model.predict(x).dataSync();
  });
  fs.writeSync(out, Buffer.from(probs.buffer, probs.byteOffset, probs.byteLength));
}
fs.closeSync(out);
console.log(JSON.stringify({
  input: model.inputs[0].shape, output: model.outputs[0].shape,
  layers: model.layers.map((l) => l.getClassName()),
  metadata: model.getUserDefinedMetadata(),
}));
