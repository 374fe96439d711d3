/**
 * Hessian-vector products by automatic differentiation (`fromFunction`) against the hand-written kernels of the
 * same models, measured in one run: diagonal networks (shared weights, depth 2, n = 10 data points) at dim 2, 100
 * and 10,000, and a 49-32-32-10 tanh MLP with MSE on 1,000 examples (p = 2,986).
 *
 * Run: `npx vitest bench --run bench/autodiff.bench.ts`.
 *
 * Method: before timing, the two HVPs are checked to agree to 1e-12 relative. Then 15 interleaved rounds: in each,
 * the hand-written HVP and the autodiff HVP are each timed over a batch of calls sized to take ~20 ms, hand first
 * then autodiff (the next round swaps the order); the ratio of the two per-call times is recorded per round. The
 * table prints the median ratio with the spread (min–max over rounds) and the median per-call times. Targets of
 * issue 9: ≤ 3× at dim ≥ 10,000 and on the MLP. Numbers depend on machine load: report the load average with them.
 */
import { loadavg } from 'node:os';
import { bench, describe } from 'vitest';
import { fromFunction } from '../src/autodiff/from-function.js';
import { matvec, mean, mul, pow, sub } from '../src/autodiff/ops.js';
import type { LossModel } from '../src/core/loss-model.js';
import { rng } from '../src/core/rng.js';
import { create as diagonalNet } from '../src/models/diagonal-net/model.js';
import { create as mlp, init as mlpInit } from '../src/models/mlp/index.js';
import { mlpLossFunction } from '../src/models/mlp/autodiff-form.js';

interface Case {
  name: string;
  hand: LossModel;
  auto: LossModel;
  theta: Float64Array;
  v: Float64Array;
  out: Float64Array;
}

function diagonalCase(d: number): Case {
  const n = 10;
  const r = rng(d);
  const inputs = Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal()));
  const targets = Array.from({ length: n }, () => r.normal());
  const hand = diagonalNet({ inputs, targets, depth: 2 });
  const auto = fromFunction(d, (w) => mul(0.5, mean(pow(sub(matvec(inputs, pow(w, 2)), targets), 2))));
  return { name: `diagonal net, dim ${d} (n = ${n})`, hand, auto, theta: r.fillNormal(new Float64Array(d)), v: r.fillNormal(new Float64Array(d)), out: new Float64Array(d) };
}

function mlpCase(): Case {
  const layers = [49, 32, 32, 10];
  const n = 1000;
  const r = rng(2024);
  const X = r.fillNormal(new Float64Array(n * 49));
  const Y = r.fillNormal(new Float64Array(n * 10));
  const rows = (a: Float64Array, c: number) => Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * c, (i + 1) * c)));
  const hand = mlp({ layers, activation: 'tanh', loss: 'mse', inputs: rows(X, 49), targets: rows(Y, 10) });
  const auto = fromFunction(hand.dim, mlpLossFunction(layers, 'tanh', 'mse', X, Y, n));
  return { name: `MLP 49-32-32-10 tanh MSE (n = ${n}, p = ${hand.dim})`, hand, auto, theta: mlpInit(hand, { seed: 1 }), v: r.fillNormal(new Float64Array(hand.dim)), out: new Float64Array(hand.dim) };
}

const cases = [diagonalCase(2), diagonalCase(100), diagonalCase(10_000), mlpCase()];

for (const c of cases) {
  const a = new Float64Array(c.hand.dim);
  const b = new Float64Array(c.hand.dim);
  c.hand.hvp(c.theta, c.v, a);
  c.auto.hvp(c.theta, c.v, b);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]));
  }
  if (!(diff <= 1e-12 * scale)) throw new Error(`${c.name}: autodiff and hand-written HVPs differ by ${diff} (scale ${scale})`);
}

/** Seconds per call of f over a batch of `calls` calls. */
function perCall(f: () => void, calls: number): number {
  const t = performance.now();
  for (let i = 0; i < calls; i++) f();
  return (performance.now() - t) / 1000 / calls;
}

function batchSize(f: () => void): number {
  let calls = 1;
  for (;;) {
    const t = perCall(f, calls) * calls;
    if (t > 0.02 || calls > 1 << 24) return calls;
    calls *= t < 0.002 ? 8 : 2;
  }
}

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
const ROUNDS = 15;
const load = loadavg()[0];
const rows: string[][] = [['HVP', 'hand-written / call', 'autodiff / call', 'autodiff ÷ hand (median)', 'spread (min–max)']];
for (const c of cases) {
  const hand = () => c.hand.hvp(c.theta, c.v, c.out);
  const auto = () => c.auto.hvp(c.theta, c.v, c.out);
  const nHand = batchSize(hand);
  const nAuto = batchSize(auto);
  const ratios: number[] = [];
  const tHand: number[] = [];
  const tAuto: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let h: number;
    let a: number;
    if (r % 2 === 0) {
      h = perCall(hand, nHand);
      a = perCall(auto, nAuto);
    } else {
      a = perCall(auto, nAuto);
      h = perCall(hand, nHand);
    }
    tHand.push(h);
    tAuto.push(a);
    ratios.push(a / h);
  }
  const fmt = (s: number) => (s < 1e-6 ? `${(s * 1e9).toFixed(0)} ns` : s < 1e-3 ? `${(s * 1e6).toFixed(1)} µs` : `${(s * 1e3).toFixed(2)} ms`);
  rows.push([c.name, fmt(median(tHand)), fmt(median(tAuto)), `${median(ratios).toFixed(2)}×`, `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
console.log(`\nHessian-vector products: fromFunction (autodiff) vs hand-written kernels, ${ROUNDS} interleaved rounds (load average ${load.toFixed(1)} at start):`);
for (const r of rows) console.log('  ' + r.map((cell, i) => cell.padEnd(widths[i])).join('  │  '));
console.log('');

for (const c of cases) {
  // One bench per group: vitest's ratios are not interleaved (the table above is).
  describe(`HVP, ${c.name} (ratios: the interleaved table above)`, () => {
    bench('fromFunction (autodiff)', () => c.auto.hvp(c.theta, c.v, c.out), { time: 200 });
  });
}
