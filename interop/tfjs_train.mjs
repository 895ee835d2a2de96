// tfjs_train.mjs trains Keras' mnist_cnn architecture (cnnplay's keras
// preset, written with TF.js' Keras-style layers API) for one epoch in
// @tensorflow/tfjs (pure JS, cpu backend), saves it as a layers model the
// way tf.io's handlers save one, and writes its predictions on test images:
// what the Go tests in tfjs_test.go import and compare with cnnplay's.
//
//   node tfjs_train.mjs TRAIN_X TRAIN_Y N TEST_X M OUT_DIR
//
// @tensorflow/tfjs (pinned by package-lock.json) resolves through NODE_PATH
// (the test sets it). TRAIN_X and TEST_X are 28x28 images, float32
// little-endian in [0,1]; TRAIN_Y one label byte per image. OUT_DIR gets
// model.json, weights.bin and probs.bin (M×10 float32). It prints the
// training loss and accuracy.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [trainX, trainY, nArg, testX, mArg, outDir] = process.argv.slice(2);
const require = createRequire(import.meta.url); // CommonJS: it honours NODE_PATH
const tf = require('@tensorflow/tfjs');
await tf.setBackend('cpu');

const floats = (file) => {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const n = Number(nArg), m = Number(mArg);
const x = tf.tensor4d(floats(trainX), [n, 28, 28, 1]);
const y = tf.oneHot(tf.tensor1d(Array.from(fs.readFileSync(trainY)), 'int32'), 10);

const init = (seed) => tf.initializers.glorotUniform({ seed });
const model = tf.sequential({ layers: [
  tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: init(1) }),
  tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }),
  tf.layers.maxPooling2d({ poolSize: 2 }),
  tf.layers.dropout({ rate: 0.25 }),
  tf.layers.flatten(),
  tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init(3) }),
  tf.layers.dropout({ rate: 0.5 }),
  tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(4) }),
] });
model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const h = await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: true, verbose: 0 });

const probs = tf.tidy(() => model.predict(tf.tensor4d(floats(testX), [m, 28, 28, 1])).dataSync());
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'probs.bin'), Buffer.from(probs.buffer, probs.byteOffset, probs.byteLength));

// Saved as tf.io's file handlers save: model.json naming one weight file.
await model.save(tf.io.withSaveHandler(async (artifacts) => {
  const modelJSON = {
    modelTopology: artifacts.modelTopology, format: artifacts.format,
    generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }],
  };
  fs.writeFileSync(path.join(outDir, 'model.json'), JSON.stringify(modelJSON));
  const data = [].concat(artifacts.weightData).map((b) => Buffer.from(b));
  fs.writeFileSync(path.join(outDir, 'weights.bin'), Buffer.concat(data));
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}));
console.log(JSON.stringify({ loss: h.history.loss[0], acc: h.history.acc[0] }));
