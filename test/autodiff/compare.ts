import fc from 'fast-check';
import type { LossModel } from '../../src/core/loss-model.js';

/** max |a − b| / max|b| (norm-wise relative difference; 0 when both vanish). */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  if (diff === 0) return 0;
  return diff / scale;
}

/**
 * Loss, gradient and HVP of `auto` against `hand` at θ along v: returns the largest norm-wise relative
 * difference (|ΔL|/|L| for the loss; ‖Δ‖∞/‖hand‖∞ for the vectors).
 */
export function worstDifference(auto: LossModel, hand: LossModel, theta: Float64Array, v: Float64Array): { loss: number; grad: number; hvp: number } {
  const p = hand.dim;
  const ga = new Float64Array(p);
  const gh = new Float64Array(p);
  const la = auto.lossAndGrad(theta, ga);
  const lh = hand.lossAndGrad(theta, gh);
  const ha = new Float64Array(p);
  const hh = new Float64Array(p);
  auto.hvp(theta, v, ha);
  hand.hvp(theta, v, hh);
  return { loss: relDiff([la], [lh]), grad: relDiff(ga, gh), hvp: relDiff(ha, hh) };
}

/**
 * A Float64Array of length n with entries 0 or 1e-3 ≤ |x| ≤ r (fast-check doubles in [−r, r], with the ones of
 * magnitude below 1e-3 set to 0). Tiny magnitudes are excluded on purpose: products of them reach the subnormal
 * range, where numbers carry fewer significant bits and no relative accuracy is possible (first runs found
 * differences of 14% and 50% between the autodiff and hand-written kernels at θ = [3.5e-323, 0.9375, 0] and at
 * v = [0, 6.2e-259, 0] — both kernels are equally inexact there). With |x| ≥ 1e-3 and depth ≤ 24 every
 * intermediate is ≥ 1e-72, far from underflow.
 */
export function vector(n: number, r: number): fc.Arbitrary<Float64Array> {
  return fc
    .array(fc.double({ min: -r, max: r, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n })
    .map((a) => Float64Array.from(a, (x) => (Math.abs(x) < 1e-3 ? 0 : x)));
}

/**
 * The saturation allowance of the unfused softmax cross-entropy Σ_c y_c (lse(f) − f_c) (the counter-example in
 * test/models/mlp/saturated-cross-entropy.test.ts; the fused `softmaxCrossEntropy` needs none): 16·ε·(1 + max|f|)·κ with
 * κ = maxᵢ 1/(1 − s_top,i), where 1 − s_top = r/(1 + r), r = Σ_{c≠top} e^{f_c − f_top} (summed without cancellation).
 */
export function saturationAllowance(outputs: Float64Array, examples: number, k: number): { kappa: number; allowance: number } {
  let kappa = 1;
  let fmax = 0;
  for (let i = 0; i < examples; i++) {
    let top = i * k;
    for (let c = i * k; c < (i + 1) * k; c++) {
      if (outputs[c] > outputs[top]) top = c;
      fmax = Math.max(fmax, Math.abs(outputs[c]));
    }
    let r = 0;
    for (let c = i * k; c < (i + 1) * k; c++) if (c !== top) r += Math.exp(outputs[c] - outputs[top]);
    kappa = Math.max(kappa, (1 + r) / r);
  }
  return { kappa, allowance: 16 * Number.EPSILON * (1 + fmax) * kappa };
}
