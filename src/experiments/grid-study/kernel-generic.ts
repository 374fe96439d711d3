/**
 * The generic grid-study kernel: the same runs and statistics as the fused depth-2 kernel for any
 * {@link LossModel}, through `lossAndGrad` and the sharpness module.
 *
 * @module
 */
import type { LossModel } from '../../core/loss-model.js';
import { constantFromStep, scheduleValue } from '../../dynamics/schedules.js';
import {
  createSharpnessWorkspace,
  resolveSharpnessOptions,
  sharpnessEstimateUnchecked,
} from '../../sharpness/sharpness.js';
import { medianWithRepeats } from './median.js';
import {
  type BatchResult,
  CONVERGED,
  DIVERGED,
  type LateScratch,
  MAX_STEPS,
  type RunSettings,
} from './kernel-common.js';

/**
 * The residual r(θ) of a model whose loss is ½r²: for the scalar factorization ∏ᵢ wᵢ − c with the product left to
 * right (the model's order, so depth 2 gives x*y − c exactly as the fused kernel); for any other model √(2L(θ)).
 * @internal
 */
export function residualFunction(model: LossModel): (theta: Float64Array) => number {
  const spec = model.spec;
  if (spec.kind === 'scalar-factorization') {
    const c = spec.target as number;
    const depth = model.dim;
    return (theta) => {
      let prod = 1;
      for (let i = 0; i < depth; i++) prod *= theta[i];
      return prod - c;
    };
  }
  return (theta) => Math.sqrt(2 * model.loss(theta));
}

/** ‖θ‖₂² summed in index order (at depth 2: x*x + y*y, the fused kernel's proxy bit for bit). */
function squaredNorm(theta: Float64Array): number {
  let s = 0;
  for (let i = 0; i < theta.length; i++) s += theta[i] * theta[i];
  return s;
}

/**
 * Runs GD on `model` from the starts s ∈ [from, to) (row-major `starts`, `model.dim` entries each), writing entry s
 * of `out`, with the rules of the fused
 * kernel (`runDepth2Batch`), using r(θ) = {@link residualFunction}, the proxy s = ‖θ‖₂² ([Scalar factorization]'s
 * s(x, y) = x² + y²) and the exact sharpness λ_max(∇²L) from the sharpness module (`method: 'auto'`: the
 * model's dense Hessian when it has one and dim ≤ 64, else Lanczos). The GD step is `gdStep`'s:
 * θ'ᵢ = θᵢ − η·gᵢ after `lossAndGrad`. Under `settings.schedule`, η is η_k at step k, in the step and in the
 * late-phase values |η_k·s(θ_k) − 2|. Allocates per run only the sharpness estimates' small result objects.
 * @internal
 */
export function runGenericBatch(
  model: LossModel,
  starts: Float64Array,
  from: number,
  to: number,
  settings: RunSettings,
  scratch: LateScratch,
  out: BatchResult,
): BatchResult {
  const dim = model.dim;
  const eta0 = settings.learningRate;
  // Under a schedule, η_k at step k; the shortcuts of a fixed point or 2-cycle of the rounded map need the map to
  // stay the same from there on, i.e. k (and k − 1 for a cycle) at or after the step where η_k becomes constant.
  const schedule = settings.schedule ?? null;
  const constantFrom = schedule === null ? 0 : constantFromStep(schedule);
  const residual = residualFunction(model);
  const sharpnessOptions = resolveSharpnessOptions(model, undefined, 'gridStudy', 'sharpness');
  const workspace = createSharpnessWorkspace(model);
  const lambdaMax = (theta: Float64Array): number => sharpnessEstimateUnchecked(model, theta, sharpnessOptions, workspace).value;
  let theta = new Float64Array(dim);
  let next = new Float64Array(dim);
  // θ_{k−1}, for the 2-cycle test in the late phase.
  let older = new Float64Array(dim);
  const grad = new Float64Array(dim);

  for (let s = from; s < to; s++) {
    for (let i = 0; i < dim; i++) theta[i] = starts[s * dim + i];
    const lateThreshold = settings.lateFraction * Math.abs(residual(theta));
    let lateFrom = -1;
    let nLate = 0;
    let repeats = 0;
    let repeatsOfPrevious = 0;
    let status = MAX_STEPS;
    let fixedPointAt = -1;
    let nonFiniteSharpness = false; // a Hessian with NaN/±∞ entries: the exact median is reported as NaN
    let cycleAt = -1;
    let k = 0;
    for (; ; k++) {
      const eta = schedule === null ? eta0 : scheduleValue('gridStudy', 'options.lrSchedule', schedule, k);
      const r = residual(theta);
      if (!Number.isFinite(r)) {
        // The loss overflowed at an iterate that passed the magnitude test (possible for a user's model only).
        status = DIVERGED;
        break;
      }
      const ar = Math.abs(r);
      if (lateFrom < 0 && ar < lateThreshold) lateFrom = k;
      if (lateFrom >= 0) {
        if (nLate === scratch.proxy.length) scratch.grow(nLate);
        scratch.proxy[nLate] = Math.abs(eta * squaredNorm(theta) - 2);
        const lm = lambdaMax(theta);
        if (Number.isNaN(lm)) nonFiniteSharpness = true;
        scratch.exact[nLate] = Number.isNaN(lm) ? Infinity : Math.abs(eta * lm - 2); // the median code needs no NaN
        nLate++;
      }
      if (ar < settings.tolerance) {
        status = CONVERGED;
        break;
      }
      if (k === settings.maxSteps) break;
      model.lossAndGrad(theta, grad);
      let escaped = false;
      let moved = false;
      for (let i = 0; i < dim; i++) {
        const v = theta[i] - eta * grad[i];
        next[i] = v;
        if (!(Math.abs(v) < settings.divergenceThreshold)) escaped = true;
        if (v !== theta[i]) moved = true;
      }
      if (escaped) {
        status = DIVERGED;
        k++;
        break;
      }
      if (!moved && k >= constantFrom) {
        // Fixed point of the rounded map: the rest of the run repeats θ_k (see runDepth2Batch).
        repeats = lateFrom >= 0 ? settings.maxSteps - k : 0;
        fixedPointAt = k;
        k = settings.maxSteps;
        break;
      }
      if (lateFrom >= 0 && k - 1 >= lateFrom && k - 1 >= constantFrom) {
        let cycle = true;
        for (let i = 0; i < dim && cycle; i++) if (next[i] !== older[i]) cycle = false;
        if (cycle) {
          // 2-cycle θ_{k+1} = θ_{k−1} (see runDepth2Batch): count the rest instead of computing it.
          const rest = settings.maxSteps - k;
          repeats = Math.floor(rest / 2);
          repeatsOfPrevious = rest - repeats;
          if (rest % 2 === 1) theta.set(next);
          cycleAt = k;
          k = settings.maxSteps;
          break;
        }
      }
      const t = older;
      older = theta;
      theta = next;
      next = t;
    }
    out.status[s] = status;
    out.steps[s] = k;
    for (let i = 0; i < dim; i++) out.finalTheta[s * dim + i] = theta[i];
    out.sharpnessProxy[s] = squaredNorm(theta);
    out.sharpnessExact[s] = lambdaMax(theta);
    out.lateFrom[s] = lateFrom;
    out.fixedPointAt[s] = fixedPointAt;
    out.cycleAt[s] = cycleAt;
    out.eosMedianProxy[s] = medianWithRepeats(scratch.proxy, nLate, repeats, scratch.runs, repeatsOfPrevious);
    out.eosMedianExact[s] = nonFiniteSharpness ? NaN : medianWithRepeats(scratch.exact, nLate, repeats, scratch.runs, repeatsOfPrevious);
  }
  return out;
}
