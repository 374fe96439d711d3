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

/** A Float64Array of length n with entries in [−r, r] (no NaN/∞). */
export function vector(n: number, r: number): fc.Arbitrary<Float64Array> {
  return fc.array(fc.double({ min: -r, max: r, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a));
}
