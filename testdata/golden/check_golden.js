#!/usr/bin/env node
// check_golden.js — sanity check of convnet.json with a small, independent
// computation in plain JavaScript (float64, no TensorFlow, no dependencies).
//
//   cd testdata/golden && node check_golden.js convnet.json
//
// It regenerates the input and parameters from their formulas (compared
// against the JSON), recomputes the whole forward pass of the main network
// with naive loops (conv with symmetric zero padding, max pool, tanh, dense,
// sigmoid, softmax cross-entropy), and compares every layer output, the
// probabilities and the loss. It also checks a few gradient entries by
// central finite differences, the separate avg-pool / leaky-ReLU / max-pool /
// stride-2 conv outputs, and their input gradients (computed directly by
// scattering the upstream gradient). Tolerances allow for float32 vs float64.
// Exits non-zero on any mismatch.

'use strict';

const fs = require('fs');
const G = JSON.parse(fs.readFileSync(process.argv[2] || 'convnet.json', 'utf8'));

let failures = 0;
let checks = 0;
function near(name, got, want, tol) {
  checks++;
  const err = Math.abs(got - want) / Math.max(1, Math.abs(want));
  if (!(err <= tol)) {
    failures++;
    if (failures < 30) console.log(`MISMATCH ${name}: golden ${want}, plain-JS ${got}`);
  }
}
function cmpArr(name, got, key, tol = 2e-5) {
  const want = G[key].data;
  if (got.length !== want.length) {
    failures++;
    console.log(`LENGTH ${name}: ${got.length} vs ${want.length}`);
    return;
  }
  for (let i = 0; i < got.length; i++) near(`${name}[${i}]`, got[i], want[i], tol);
}
const gen = (n, f) => Array.from({ length: n }, (_, i) => f(i));

// ---- tensors as {shape, data} in NHWC; naive kernels -----------------------
function conv(x, [N, H, W, C], w, [K, , , O], b, S, P) {
  const OH = Math.floor((H + 2 * P - K) / S) + 1;
  const OW = Math.floor((W + 2 * P - K) / S) + 1;
  const y = new Array(N * OH * OW * O).fill(0);
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let o = 0; o < O; o++) {
          let s = b[o];
          for (let kh = 0; kh < K; kh++)
            for (let kw = 0; kw < K; kw++) {
              const ih = oh * S + kh - P, iw = ow * S + kw - P;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              for (let c = 0; c < C; c++)
                s += x[((n * H + ih) * W + iw) * C + c] * w[((kh * K + kw) * C + c) * O + o];
            }
          y[((n * OH + oh) * OW + ow) * O + o] = s;
        }
  return [y, [N, OH, OW, O]];
}
function pool(x, [N, H, W, C], K, S, kind) {
  const OH = Math.floor((H - K) / S) + 1, OW = Math.floor((W - K) / S) + 1;
  const y = [], arg = [];
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let c = 0; c < C; c++) {
          let best = -Infinity, bi = -1, sum = 0;
          for (let kh = 0; kh < K; kh++)
            for (let kw = 0; kw < K; kw++) {
              const idx = ((n * H + oh * S + kh) * W + ow * S + kw) * C + c;
              sum += x[idx];
              if (x[idx] > best) { best = x[idx]; bi = idx; }
            }
          y.push(kind === 'max' ? best : sum / (K * K));
          arg.push(bi);
        }
  return [y, [N, OH, OW, C], arg];
}
function dense(x, N, I, w, O, b) {
  const y = [];
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++) {
      let s = b[o];
      for (let i = 0; i < I; i++) s += x[n * I + i] * w[i * O + o];
      y.push(s);
    }
  return y;
}
const sigmoid = (v) => 1 / (1 + Math.exp(-v));

// ---- parameters from their formulas ---------------------------------------
const P = {
  x: gen(324, (i) => Math.sin(0.7 * i + 0.3)),
  'conv1.w': gen(72, (i) => 0.4 * Math.sin(1.3 * i + 0.1)),
  'conv1.b': gen(4, (i) => 0.05 * Math.cos(i)),
  'conv2.w': gen(108, (i) => 0.3 * Math.sin(0.9 * i + 0.5)),
  'conv2.b': gen(3, (i) => 0.02 * i),
  'dense1.w': gen(72, (i) => 0.5 * Math.cos(0.6 * i)),
  'dense1.b': gen(6, (i) => 0.01 * i),
  'dense2.w': gen(30, (i) => 0.7 * Math.sin(0.45 * i + 1)),
  'dense2.b': gen(5, () => 0),
};
for (const k of Object.keys(P)) cmpArr(`param ${k}`, P[k], k, 1e-6);
const labels = G.labels;

// Forward pass; returns every stage output and the loss.
function forward(p) {
  const o = {};
  let [h, sh] = conv(p.x, [2, 9, 9, 2], p['conv1.w'], [3, 3, 2, 4], p['conv1.b'], 1, 1);
  o['conv1.out'] = h;
  h = h.map((v) => Math.max(0, v)); o['relu1.out'] = h;
  [h, sh] = pool(h, sh, 2, 2, 'max'); o['pool1.out'] = h;
  [h, sh] = conv(h, sh, p['conv2.w'], [3, 3, 4, 3], p['conv2.b'], 2, 1);
  o['conv2.out'] = h;
  h = h.map(Math.tanh); o['tanh2.out'] = h;
  o['flatten.out'] = h; // NHWC flat data is already the row-major flatten
  h = dense(h, 2, 12, p['dense1.w'], 6, p['dense1.b']); o['dense1.out'] = h;
  h = h.map(sigmoid); o['sigmoid1.out'] = h;
  h = dense(h, 2, 6, p['dense2.w'], 5, p['dense2.b']); o['dense2.out'] = h;
  const probs = [];
  let loss = 0;
  for (let n = 0; n < 2; n++) {
    const z = h.slice(n * 5, n * 5 + 5), m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m)), s = e.reduce((a, b) => a + b, 0);
    e.forEach((v) => probs.push(v / s));
    loss += -(z[labels[n]] - m - Math.log(s));
  }
  o.probs = probs;
  o.loss = loss / 2;
  return o;
}

// Use the golden (float32-rounded) values as inputs so only arithmetic differs.
const P32 = {};
for (const k of Object.keys(P)) P32[k] = G[k].data.slice();
const F = forward(P32);
for (const k of ['conv1.out', 'relu1.out', 'pool1.out', 'conv2.out', 'tanh2.out',
  'flatten.out', 'dense1.out', 'sigmoid1.out', 'dense2.out', 'probs']) {
  cmpArr(k, F[k], k);
}
near('loss', F.loss, G.loss, 2e-6);
// Spot values printed for the README / report.
console.log(`conv1.out[0] (n0,h0,w0,c0): plain-JS ${F['conv1.out'][0]}, golden ${G['conv1.out'].data[0]}`);
const idx = ((1 * 9 + 4) * 9 + 5) * 4 + 2; // n1,h4,w5,c2
console.log(`conv1.out[${idx}] (n1,h4,w5,c2): plain-JS ${F['conv1.out'][idx]}, golden ${G['conv1.out'].data[idx]}`);
console.log(`loss: plain-JS ${F.loss}, golden ${G.loss}`);

// Finite-difference checks of several gradient entries (float64 forward).
const eps = 1e-5;
for (const [key, is] of [['x', [0, 17, 100, 323]], ['conv1.w', [0, 33, 71]], ['conv1.b', [0, 3]],
  ['conv2.w', [0, 50, 107]], ['conv2.b', [1]], ['dense1.w', [0, 40, 71]], ['dense1.b', [5]],
  ['dense2.w', [0, 29]], ['dense2.b', [0, 3]]]) {
  for (const i of is) {
    const pp = { ...P32 }; pp[key] = P32[key].slice(); pp[key][i] += eps;
    const pm = { ...P32 }; pm[key] = P32[key].slice(); pm[key][i] -= eps;
    const fd = (forward(pp).loss - forward(pm).loss) / (2 * eps);
    near(`grad.${key}[${i}] (finite diff)`, fd, G['grad.' + key].data[i], 5e-6);
  }
}
// Exact logits gradient: (softmax - onehot) / N.
cmpArr('grad.dense2.out', F.probs.map((p, j) => (p - (j % 5 === labels[Math.floor(j / 5)] ? 1 : 0)) / 2),
  'grad.dense2.out');

// Backprop through relu1 and pool1 from the golden grad.pool1.out. Where a
// 2x2 window of relu1.out is all zeros (a tie), the gradient goes to the first
// element in row-major window order (first maximum wins), as TF.js does.
{
  const [, , arg] = pool(F['relu1.out'], [2, 9, 9, 4], 2, 2, 'max');
  const gr = new Array(648).fill(0);
  G['grad.pool1.out'].data.forEach((g, j) => { gr[arg[j]] += g; });
  cmpArr('grad.relu1.out', gr, 'grad.relu1.out');
  cmpArr('grad.conv1.out', gr.map((g, i) => (F['conv1.out'][i] > 0 ? g : 0)), 'grad.conv1.out');
}

// ---- separate layer tests --------------------------------------------------
const x = G.x.data, XS = [2, 9, 9, 2];
const up = (n) => gen(n, (i) => Math.cos(0.2 * i));
for (const [name, K, S, kind] of [['avgpool3s2', 3, 2, 'avg'], ['maxpool3s2', 3, 2, 'max']]) {
  const [y, , arg] = pool(x, XS, K, S, kind);
  cmpArr(`${name}.out`, y, `${name}.out`);
  const g = up(y.length);
  cmpArr(`${name}.g`, g, `${name}.g`, 1e-6);
  const gx = new Array(324).fill(0);
  const [N, H, W, C] = XS, OH = Math.floor((H - K) / S) + 1, OW = Math.floor((W - K) / S) + 1;
  let j = 0;
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++)
    for (let c = 0; c < C; c++, j++) {
      if (kind === 'max') { gx[arg[j]] += g[j]; continue; }
      for (let kh = 0; kh < K; kh++) for (let kw = 0; kw < K; kw++)
        gx[((n * H + oh * S + kh) * W + ow * S + kw) * C + c] += g[j] / (K * K);
    }
  cmpArr(`${name}.grad.x`, gx, `${name}.grad.x`);
}
{
  const g = up(324);
  cmpArr('leakyrelu0.1.out', x.map((v) => (v > 0 ? v : 0.1 * v)), 'leakyrelu0.1.out');
  cmpArr('leakyrelu0.1.grad.x', x.map((v, i) => (v > 0 ? g[i] : 0.1 * g[i])), 'leakyrelu0.1.grad.x');
}
{
  const w = G['conv2x2s2.w'].data, b = G['conv2x2s2.b'].data;
  cmpArr('conv2x2s2.w', gen(24, (i) => 0.4 * Math.sin(1.3 * i + 0.1)), 'conv2x2s2.w', 1e-6);
  const [y] = conv(x, XS, w, [2, 2, 2, 3], b, 2, 0);
  cmpArr('conv2x2s2.out', y, 'conv2x2s2.out');
  const g = up(96);
  const gx = new Array(324).fill(0), gw = new Array(24).fill(0), gb = [0, 0, 0];
  for (let n = 0; n < 2; n++) for (let oh = 0; oh < 4; oh++) for (let ow = 0; ow < 4; ow++)
    for (let o = 0; o < 3; o++) {
      const gy = g[((n * 4 + oh) * 4 + ow) * 3 + o];
      gb[o] += gy;
      for (let kh = 0; kh < 2; kh++) for (let kw = 0; kw < 2; kw++) for (let c = 0; c < 2; c++) {
        const xi = ((n * 9 + oh * 2 + kh) * 9 + ow * 2 + kw) * 2 + c, wi = ((kh * 2 + kw) * 2 + c) * 3 + o;
        gx[xi] += gy * w[wi];
        gw[wi] += gy * x[xi];
      }
    }
  cmpArr('conv2x2s2.grad.x', gx, 'conv2x2s2.grad.x');
  cmpArr('conv2x2s2.grad.w', gw, 'conv2x2s2.grad.w');
  cmpArr('conv2x2s2.grad.b', gb, 'conv2x2s2.grad.b');
}

console.log(`${checks} checks, ${failures} mismatches`);
process.exit(failures ? 1 : 0);
