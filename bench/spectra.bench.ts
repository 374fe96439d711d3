/**
 * Top-k tracking along a GD run: Hessian-vector products of warm-started Lanczos (from the previous record's
 * eigenvectors) against cold starts (a fresh random vector each record), for the same tolerance.
 *
 * Run: `npx vitest bench --run bench/spectra.bench.ts`.
 *
 * The run is the `mlp-eos` quick setting: a 1-16-16-1 tanh MLP (p = 321) on Chebyshev T₄ (20 points), GD at
 * η = 0.2 for 2,000 steps (progressive sharpening to 2/η = 10, then the edge of stability). Before timing it prints,
 * for k ∈ {1, 5} and record strides 10 and 100, the total HVPs of both, the ratio (overall, and before / after the
 * onset of the edge of stability), and the largest difference of the
 * tracked eigenvalues (warm vs cold, relative to λ₁) — the counts are deterministic. Then it times top-5 tracking
 * every 10 steps both ways under bench/interleaved.ts's rules (interleaved rounds, medians with the spread, the ratio
 * taken round by round); vitest's own timing afterwards covers the warm start alone.
 *
 * Second table: what `hessianTrace` (Hutchinson, N probes = N HVPs) and `spectralDensity` (SLQ, N probes × m Lanczos
 * steps = N·m HVPs, then the quadrature and the broadened density on the grid) cost beyond the bare HVPs they use, at
 * the run's end point: each estimator against a loop of exactly its HVP count (`result.hvps`) on the same vectors'
 * size, interleaved. A ratio near 1 means the HVPs are the cost; the excess is the estimator's own work
 * (reorthogonalization, the tridiagonal eigensolves, the grid).
 */
import { bench, describe } from 'vitest';
import { gd } from '../src/dynamics/gd.js';
import { hessianTrace } from '../src/sharpness/hessian-trace.js';
import { spectralDensity } from '../src/sharpness/spectral-density.js';
import { create, init } from '../src/models/mlp/index.js';
import { interleave, printInterleaved } from './interleaved.js';

const model = create({ layers: [1, 16, 16, 1], activation: 'tanh', loss: 'mse', data: { dataset: 'chebyshev', points: 20, degree: 4 } });
const theta0 = init(model, { seed: 0 });
const STEPS = 2000;
const ETA = 0.2;
const TOL = 1e-8;

function track(k: number, every: number, warmStart: boolean) {
  return gd(model, theta0, { learningRate: ETA, maxSteps: STEPS, record: { every: 0, topK: { k, every, warmStart, tol: TOL } } }).trace.topK!;
}

const rows = [['k', 'every', 'records', 'HVPs warm', 'HVPs cold', 'cold / warm', 'before / after onset', 'max |Δλ|/λ₁', 'unconverged (w/c)']];
for (const k of [1, 5]) {
  for (const every of [10, 100]) {
    const warm = track(k, every, true);
    const cold = track(k, every, false);
    const sum = (a: Int32Array) => a.reduce((x, y) => x + y, 0);
    let diff = 0;
    let top = 0;
    for (let i = 0; i < warm.values.length; i++) {
      diff = Math.max(diff, Math.abs(warm.values[i] - cold.values[i]));
      top = Math.max(top, Math.abs(warm.values[i]));
    }
    const unconv = (t: typeof warm) => t.converged.length - t.converged.reduce((x, y) => x + y, 0);
    // Split at the onset of the edge of stability (first record with λ₁ ≥ 2/η): before it the top eigenvectors
    // drift slowly, after it GD oscillates along them.
    let onset = warm.step.length;
    for (let j = 0; j < warm.step.length; j++) if (warm.values[j * warm.k] >= 2 / ETA) { onset = j; break; }
    const part = (a: Int32Array, from: number, to: number) => a.subarray(from, to).reduce((x, y) => x + y, 0);
    const ratio = (from: number, to: number) => (part(cold.hvps, from, to) / part(warm.hvps, from, to)).toFixed(2);
    rows.push([
      String(k),
      String(every),
      String(warm.step.length),
      String(sum(warm.hvps)),
      String(sum(cold.hvps)),
      (sum(cold.hvps) / sum(warm.hvps)).toFixed(2),
      `${ratio(0, onset)} / ${ratio(onset, warm.step.length)} (onset: step ${warm.step[onset] ?? '–'})`,
      (diff / top).toExponential(1),
      `${unconv(warm)}/${unconv(cold)}`,
    ]);
  }
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log(`\nTop-k tracking along GD (p = ${model.dim}, η = ${ETA}, ${STEPS} steps, Lanczos tol ${TOL}): HVPs warm vs cold starts`);
for (const r of rows) console.log('  ' + r.map((cell, c) => cell.padEnd(widths[c])).join('  │  '));
console.log('');

printInterleaved(
  `top-5 tracking every 10 steps along ${STEPS} GD steps`,
  interleave({ 'warm-started Lanczos': () => void track(5, 10, true), 'cold-started Lanczos': () => void track(5, 10, false) }, 5, 1),
  'warm-started Lanczos',
  1,
);

// Estimators against their own HVP count, at the end point of the run (on the edge of stability).
const thetaEnd = gd(model, theta0, { learningRate: ETA, maxSteps: STEPS }).theta;
const traceHvps = hessianTrace(model, thetaEnd, { probes: 100 }).hvps;
const densityHvps = spectralDensity(model, thetaEnd, { probes: 10, steps: 90 }).hvps;
const u = new Float64Array(model.dim).fill(1 / Math.sqrt(model.dim));
const hu = new Float64Array(model.dim);
const bareHvps = (count: number) => () => {
  for (let i = 0; i < count; i++) model.hvp(thetaEnd, u, hu);
};
printInterleaved(
  `hessianTrace (100 probes, ${traceHvps} HVPs) against ${traceHvps} bare HVPs (p = ${model.dim})`,
  interleave({ [`${traceHvps} bare HVPs`]: bareHvps(traceHvps), hessianTrace: () => void hessianTrace(model, thetaEnd, { probes: 100 }) }, 7, 3),
  `${traceHvps} bare HVPs`,
  3,
);
printInterleaved(
  `spectralDensity (10 probes × 90 steps, ${densityHvps} HVPs, 1,000 grid points) against ${densityHvps} bare HVPs (p = ${model.dim})`,
  interleave({ [`${densityHvps} bare HVPs`]: bareHvps(densityHvps), spectralDensity: () => void spectralDensity(model, thetaEnd, { probes: 10, steps: 90 }) }, 7, 3),
  `${densityHvps} bare HVPs`,
  3,
);

describe('top-5 tracking every 10 steps along 2,000 GD steps (ratios: the interleaved table above)', () => {
  bench('warm-started Lanczos', () => {
    track(5, 10, true);
  }, { iterations: 3, warmupIterations: 1 });
});
