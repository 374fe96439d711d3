/**
 * What recording the preconditioned sharpness costs along an Adam run: HVPs and time of λ_max(P⁻¹H) (Lanczos on
 * P^{-1/2}HP^{-1/2}) against the plain sharpness λ_max(H) (Lanczos on H) at the same iterates.
 *
 * Run: `npx vitest bench --run bench/preconditioned-sharpness.bench.ts`.
 *
 * Setup: the width-16 Chebyshev MLP of the `optimizers-eos` example (p = 321), Adam (β₁ = 0.9, β₂ = 0.999,
 * η = 0.005) for 600 steps; at steps 100, 200, …, 600 the state's P = diag(√ν̂ + ε) is kept. Before timing it prints
 * the HVPs each quantity needs at tol 1e-10 at each of those points (P spans orders of magnitude, so the spectrum
 * and gaps of P^{-1/2}HP^{-1/2} differ from H's; the table shows whether that costs Lanczos steps). Then it times
 * the six estimates of each kind under bench/interleaved.ts's rules (interleaved rounds, medians with the spread, the
 * ratio taken round by round); vitest's own timing afterwards covers the preconditioned estimate alone.
 */
import { bench, describe } from 'vitest';
import { createOptimizerState, optimizer, optimizerStep, preconditionerDiagonal } from '../src/dynamics/optimizers.js';
import { create, init } from '../src/models/mlp/index.js';
import { PreconditionedProbe, preconditionedSharpness } from '../src/sharpness/preconditioned.js';
import { sharpnessEstimate } from '../src/sharpness/sharpness.js';
import { interleave, printInterleaved } from './interleaved.js';

const model = create({ layers: [1, 16, 16, 1], activation: 'tanh', loss: 'mse', data: { dataset: 'chebyshev', points: 20, degree: 4 } });
const opt = optimizer.adam({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
const points: { theta: Float64Array; p: Float64Array }[] = [];
{
  const theta = init(model, { seed: 0 });
  const g = new Float64Array(model.dim);
  const state = createOptimizerState(opt, model.dim);
  for (let k = 1; k <= 600; k++) {
    model.lossAndGrad(theta, g);
    optimizerStep(opt, theta, g, state, 0.005, theta);
    if (k % 100 === 0) points.push({ theta: Float64Array.from(theta), p: preconditionerDiagonal(opt, state, new Float64Array(model.dim)) });
  }
}

const rows = points.map(({ theta, p }, i) => {
  const probe = new PreconditionedProbe(model, { tol: 1e-10, maxIterations: undefined, seed: 0 });
  const pre = probe.value(theta, p).value;
  const plain = sharpnessEstimate(model, theta, { method: 'lanczos', tol: 1e-10 });
  return { step: 100 * (i + 1), 'λ_max(P⁻¹H)': Number(pre.toPrecision(6)), 'HVPs (P⁻¹H)': probe.hvps, 'λ_max(H)': Number(plain.value.toPrecision(6)), 'HVPs (H)': plain.hvps };
});
console.table(rows);

const preconditioned = () => {
  for (const { theta, p } of points) preconditionedSharpness(model, theta, p, { tol: 1e-10 });
};
const plain = () => {
  for (const { theta } of points) sharpnessEstimate(model, theta, { method: 'lanczos', tol: 1e-10 });
};
printInterleaved('sharpness at 6 iterates of an Adam run, tol 1e-10', interleave({ 'plain λ_max(H)': plain, 'preconditioned λ_max(P⁻¹H)': preconditioned }, 7, 5), 'plain λ_max(H)', 5);

describe('sharpness along an Adam run (6 iterates, tol 1e-10; ratios: the interleaved table above)', () => {
  bench('preconditioned λ_max(P⁻¹H)', preconditioned);
});
