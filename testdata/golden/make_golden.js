#!/usr/bin/env node
// make_golden.js — generate golden values for cnnplay's CNN engine from an
// independent implementation: TensorFlow.js (tfjs-core + tfjs-backend-cpu;
// the @tensorflow/tfjs union package is loaded only to register gradients;
// exact versions pinned in package.json / package-lock.json), running in Node
// on the plain-JS "cpu" backend, in float32.
//
// How to run (never run in CI; convnet.json is committed):
//
//   cd testdata/golden && npm ci && node make_golden.js > convnet.json
//
// Layouts (these match cnnplay's engine):
//   * activations: NHWC, i.e. [batch][height][width][channels], channels fastest
//   * conv weights: HWIO, [kh][kw][in][out]; conv bias: [out]
//   * dense weights: [in][out]; dense bias: [out]
//   * flatten: row-major reshape of each example's HWC tensor (tf.reshape)
//   * conv padding: symmetric zero padding of P pixels on every side,
//     output size floor((H+2P-K)/S)+1
//   * pooling: no padding, output size floor((H-K)/S)+1
//   * loss: mean over the batch of categorical cross-entropy of softmax(logits)
//
// Every tensor in the output JSON is {"shape": [...], "data": [...]} with
// "data" the row-major (NHWC / HWIO / [in][out]) flattening. Values are the
// float32 results converted to JS numbers, so they round-trip exactly to
// float32. Deterministic "parameter" and input values are generated from
// closed-form formulas of the flat index i (see below) and rounded to float32
// by tf.tensor.

'use strict';

const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu'); // registers the 'cpu' backend
// tfjs-core's Node bundle does not register any gradient functions (its
// dist/register_all_gradients.js is ES-module only and cannot be require()d).
// The union package @tensorflow/tfjs (same version, sharing the same single
// tfjs-core copy in node_modules) registers all of them when loaded, so load
// it for that side effect only. All ops below still come from tfjs-core and
// run on the 'cpu' backend.
require('@tensorflow/tfjs');

// Float32 tensor of the given shape whose flat element i is f(i).
function gen(shape, f) {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = f(i);
  return tf.tensor(data, shape, 'float32');
}

// Serialize a tensor as {shape, data}.
function ser(t) {
  return { shape: t.shape.slice(), data: Array.from(t.dataSync()) };
}

// Symmetric zero padding of p pixels on H and W, as an explicit TF.js padding
// spec (NHWC). Checked below to agree with tf.pad + 'valid'.
function pad(p) {
  return [[0, 0], [p, p], [p, p], [0, 0]];
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  if (tf.getBackend() !== 'cpu') throw new Error('cpu backend not active');

  const out = {};
  out.meta = {
    generator: 'testdata/golden/make_golden.js',
    tfjs_core_version: tf.version_core,
    tfjs_backend_cpu_version: require('@tensorflow/tfjs-backend-cpu').version_cpu,
    backend: tf.getBackend(),
    dtype: 'float32',
    layouts: {
      activations: 'NHWC',
      conv_weights: 'HWIO [kh][kw][in][out]',
      dense_weights: '[in][out]',
      flatten: 'row-major HWC per example',
    },
    notes: 'pool1 (2x2 max pool of relu1.out) has windows whose four values are all 0 ' +
      '(27 of 128 here); TF.js routes the gradient of such a tie to the first element ' +
      'of the window in row-major order (first maximum wins). This only affects ' +
      'grad.relu1.out; grad.conv1.out and everything before it are unaffected because ' +
      'relu has zero derivative there (no conv1.out value is exactly 0). ' +
      'The separate tests use x directly and have no ties.',
  };

  // ---------------------------------------------------------------------
  // Main network.
  // ---------------------------------------------------------------------
  const N = 2;
  const labels = [3, 1];
  const numClasses = 5;

  const x = gen([N, 9, 9, 2], (i) => Math.sin(0.7 * i + 0.3));
  const conv1w = gen([3, 3, 2, 4], (i) => 0.4 * Math.sin(1.3 * i + 0.1));
  const conv1b = gen([4], (i) => 0.05 * Math.cos(i));
  const conv2w = gen([3, 3, 4, 3], (i) => 0.3 * Math.sin(0.9 * i + 0.5));
  const conv2b = gen([3], (i) => 0.02 * i);
  const dense1w = gen([12, 6], (i) => 0.5 * Math.cos(0.6 * i));
  const dense1b = gen([6], (i) => 0.01 * i);
  const dense2w = gen([6, 5], (i) => 0.7 * Math.sin(0.45 * i + 1));
  const dense2b = gen([5], () => 0);
  const onehot = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses), 'float32');

  // Layers as a list of named stages; each maps the previous stage's output
  // (and the parameter list p) to its own output. p order matches paramNames.
  const paramNames = ['conv1.w', 'conv1.b', 'conv2.w', 'conv2.b',
    'dense1.w', 'dense1.b', 'dense2.w', 'dense2.b'];
  const params = [conv1w, conv1b, conv2w, conv2b, dense1w, dense1b, dense2w, dense2b];
  const stages = [
    ['conv1.out', (h, p) => tf.add(tf.conv2d(h, p[0], 1, pad(1)), p[1])],   // [2,9,9,4]
    ['relu1.out', (h) => tf.relu(h)],                                         // [2,9,9,4]
    ['pool1.out', (h) => tf.maxPool(h, 2, 2, 'valid')],                       // [2,4,4,4]
    ['conv2.out', (h, p) => tf.add(tf.conv2d(h, p[2], 2, pad(1)), p[3])],   // [2,2,2,3]
    ['tanh2.out', (h) => tf.tanh(h)],                                         // [2,2,2,3]
    ['flatten.out', (h) => tf.reshape(h, [h.shape[0], -1])],                  // [2,12]
    ['dense1.out', (h, p) => tf.add(tf.matMul(h, p[4]), p[5])],              // [2,6]
    ['sigmoid1.out', (h) => tf.sigmoid(h)],                                   // [2,6]
    ['dense2.out', (h, p) => tf.add(tf.matMul(h, p[6]), p[7])],              // [2,5] logits
  ];

  // Loss: mean over batch of -sum_k onehot_k * log softmax(logits)_k.
  const lossOf = (logits) =>
    tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits, -1)), -1)));

  // Run stages k.. on h and return the loss.
  const tail = (k, h, p) => {
    for (let j = k; j < stages.length; j++) h = stages[j][1](h, p);
    return lossOf(h);
  };

  // Forward, keeping every layer's output.
  out['x'] = ser(x);
  out['labels'] = labels;
  paramNames.forEach((name, j) => { out[name] = ser(params[j]); });
  const acts = [];
  let h = x;
  for (const [name, f] of stages) {
    h = f(h, params);
    acts.push(h);
    out[name] = ser(h);
  }
  const logits = h;
  out['probs'] = ser(tf.softmax(logits, -1));
  out['loss'] = lossOf(logits).dataSync()[0];

  // Gradients of the loss w.r.t. the input and every parameter.
  const g = tf.grads((xx, ...p) => tail(0, xx, p))([x, ...params]);
  out['grad.x'] = ser(g[0]);
  paramNames.forEach((name, j) => { out['grad.' + name] = ser(g[j + 1]); });

  // Gradients of the loss w.r.t. every layer's output: differentiate the
  // rest of the network (stages k+1..) as a function of stage k's output.
  stages.forEach(([name], k) => {
    const gk = tf.grad((hk) => tail(k + 1, hk, params))(acts[k]);
    out['grad.' + name] = ser(gk);
  });

  // Cross-check: explicit padding vs. tf.pad + 'valid' (forward and grads).
  {
    const viaPad = (xx, w, b) => tf.add(tf.conv2d(tf.pad(xx, pad(1)), w, 1, 'valid'), b);
    const a = tf.sub(out_conv1(x), viaPad(x, conv1w, conv1b)).abs().max().dataSync()[0];
    const ga = tf.grads((xx, w) => tf.sum(tf.square(tf.conv2d(xx, w, 1, pad(1)))))([x, conv1w]);
    const gb = tf.grads((xx, w) => tf.sum(tf.square(tf.conv2d(tf.pad(xx, pad(1)), w, 1, 'valid'))))([x, conv1w]);
    const d = Math.max(
      tf.sub(ga[0], gb[0]).abs().max().dataSync()[0],
      tf.sub(ga[1], gb[1]).abs().max().dataSync()[0]);
    if (a > 1e-6 || d > 1e-4) {
      throw new Error(`explicit padding disagrees with tf.pad: fwd ${a}, grad ${d}`);
    }
    function out_conv1(xx) { return stages[0][1](xx, params); }
  }

  // ---------------------------------------------------------------------
  // Separate single-layer tests on the same x, with upstream gradient
  // g[i] = cos(0.2*i) (i = flat NHWC index of the layer's output). The
  // reported gradients are those of sum(layer(x) * g).
  // ---------------------------------------------------------------------
  const upstream = (shape) => gen(shape, (i) => Math.cos(0.2 * i));

  // Average pool, window 3, stride 2, no padding: [2,9,9,2] -> [2,4,4,2].
  {
    const f = (xx) => tf.avgPool(xx, 3, 2, 'valid');
    const y = f(x);
    const gy = upstream(y.shape);
    out['avgpool3s2.out'] = ser(y);
    out['avgpool3s2.g'] = ser(gy);
    out['avgpool3s2.grad.x'] = ser(tf.grad((xx) => tf.sum(tf.mul(f(xx), gy)))(x));
  }

  // Leaky ReLU, alpha 0.1: [2,9,9,2] -> [2,9,9,2].
  {
    const f = (xx) => tf.leakyRelu(xx, 0.1);
    const y = f(x);
    const gy = upstream(y.shape);
    out['leakyrelu0.1.out'] = ser(y);
    out['leakyrelu0.1.g'] = ser(gy);
    out['leakyrelu0.1.grad.x'] = ser(tf.grad((xx) => tf.sum(tf.mul(f(xx), gy)))(x));
  }

  // Max pool, window 3, stride 2 (overlapping windows), no padding:
  // [2,9,9,2] -> [2,4,4,2]. Gradient goes to the argmax of each window and
  // accumulates where windows overlap.
  {
    const f = (xx) => tf.maxPool(xx, 3, 2, 'valid');
    const y = f(x);
    const gy = upstream(y.shape);
    out['maxpool3s2.out'] = ser(y);
    out['maxpool3s2.g'] = ser(gy);
    out['maxpool3s2.grad.x'] = ser(tf.grad((xx) => tf.sum(tf.mul(f(xx), gy)))(x));
  }

  // Conv 2x2, in 2, out 3, stride 2, pad 0: [2,9,9,2] -> [2,4,4,3].
  {
    const w = gen([2, 2, 2, 3], (i) => 0.4 * Math.sin(1.3 * i + 0.1));
    const b = gen([3], (i) => 0.05 * Math.cos(i));
    const f = (xx, ww, bb) => tf.add(tf.conv2d(xx, ww, 2, pad(0)), bb);
    const y = f(x, w, b);
    const gy = upstream(y.shape);
    out['conv2x2s2.w'] = ser(w);
    out['conv2x2s2.b'] = ser(b);
    out['conv2x2s2.out'] = ser(y);
    out['conv2x2s2.g'] = ser(gy);
    const gs = tf.grads((xx, ww, bb) => tf.sum(tf.mul(f(xx, ww, bb), gy)))([x, w, b]);
    out['conv2x2s2.grad.x'] = ser(gs[0]);
    out['conv2x2s2.grad.w'] = ser(gs[1]);
    out['conv2x2s2.grad.b'] = ser(gs[2]);
  }

  // One top-level key per line; JSON.stringify prints the shortest decimal
  // that round-trips the (float32-valued) double, so no precision is lost.
  const lines = Object.keys(out).map((k) => JSON.stringify(k) + ': ' + JSON.stringify(out[k]));
  process.stdout.write('{\n' + lines.join(',\n') + '\n}\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
