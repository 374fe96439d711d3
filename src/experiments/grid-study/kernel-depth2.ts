/**
 * The fused grid-study kernel for [Scalar factorization]'s model L(x, y) = ½(c − xy)²: GD from a batch of starts with every
 * statistic of the study computed in the same pass, no allocation, bit-for-bit the iterates of docs/math.md §1.
 *
 * @module
 */
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
 * Runs GD on L(x, y) = ½(c − xy)² from the starts s ∈ [from, to), (`starts[2s]`, `starts[2s + 1]`), and writes
 * each run's outcome into entry s of `out`. @internal
 *
 * Per run, for k = 0, 1, … (operation order of docs/math.md §1, no fused multiply-add):
 * 1. p = x*y − c (the product gap r(θ_k); |p| = √(2L));
 * 2. late phase: from the first k with |p| < lateFraction·|p₀| on, store |η·s_k − 2| for the proxy
 *    s = x*x + y*y and for the exact λ_max = (x² + y²)/2 + √(((y² − x²)/2)² + b²), b = x*y + p = 2xy − c (the 2×2
 *    Hessian [[y², b], [b, x²]] in closed form);
 * 3. |p| < tolerance: 'converged' with steps = k;
 * 4. k = maxSteps: 'max-steps';
 * 5. gx = y*p; gy = x*p; x' = x − η*gx; y' = y − η*gy; if |x'| or |y'| is ≥ the threshold or NaN: 'diverged' with
 *    steps = k + 1, keeping θ_k as the final iterate;
 * 6. if θ_{k+1} = θ_k exactly (a fixed point of the rounded map, which is not converged), every later iterate is
 *    θ_k: 'max-steps' with steps = maxSteps at once, θ_k's late values (if late) counted maxSteps − k more times
 *    (counted, not stored: `medianWithRepeats`, so memory does not grow with maxSteps);
 * 7. in the late phase, if θ_{k+1} = θ_{k−1} exactly (a 2-cycle of the rounded map), the rest of the run alternates:
 *    'max-steps' with steps = maxSteps at once, the two late values counted (not stored) ⌈R/2⌉ and ⌊R/2⌋ more
 *    times, R = maxSteps − k; `cycleAt` = k.
 * The medians over the stored values are exact (`medianOfRuns` on the scratch). Starts run one after another with θ
 * in registers. A step is a chain of five dependent floating-point operations (x*y, − c, y*p, η*·, x − ·), so the
 * loop runs at about the latency of that chain, like the C baseline's; V8 does not vectorize, and advancing two
 * starts in one loop to overlap their chains saved only about 20% of the loop time in a trial: not worth a second
 * copy of the loop.
 */
export function runDepth2Batch(
  starts: Float64Array,
  from: number,
  to: number,
  target: number,
  settings: RunSettings,
  scratch: LateScratch,
  out: BatchResult,
): BatchResult {
  for (let s = from; s < to; s++) runDepth2Start(starts, s, target, settings, scratch, out);
  return out;
}

/**
 * One run of {@link runDepth2Batch}, written into entry s of `out`. A function of its own so that V8 optimizes it
 * by call count (and re-optimizes it quickly after a rare deoptimization) instead of by on-stack replacement of
 * one long batch loop. Two loops — before and in the late phase — so the first carries no late-phase branches;
 * both apply the steps 1–6 above in the same order.
 */
function runDepth2Start(
  starts: Float64Array,
  s: number,
  c: number,
  settings: RunSettings,
  scratch: LateScratch,
  out: BatchResult,
): void {
  const eta = settings.learningRate;
  const tol = settings.tolerance;
  const maxSteps = settings.maxSteps;
  const maxAbs = settings.divergenceThreshold;
  // Read here from the Float64Array rather than passed as arguments: V8 then knows x and y are doubles and keeps
  // them unboxed in registers through both loops (arguments are tagged values that may be small integers).
  let x = starts[2 * s];
  let y = starts[2 * s + 1];
  const lateThreshold = settings.lateFraction * Math.abs(x * y - c);
  let lateFrom = -1;
  let nLate = 0;
  // Copies of the last late value a fixed point adds (counted, not stored: memory stays O(late values computed)).
  let repeats = 0;
  let status = MAX_STEPS;
  let fixedPointAt = -1;
  let cycleAt = -1;
  // Copies of the second-to-last late value a 2-cycle adds (counted, not stored).
  let repeatsOfPrevious = 0;
  let k = 0;
  let p = x * y - c;
  // Before the late phase: nothing to record.
  for (;;) {
    const ap = Math.abs(p);
    if (ap < lateThreshold) {
      lateFrom = k;
      break;
    }
    if (ap < tol) {
      status = CONVERGED;
      break;
    }
    if (k === maxSteps) break;
    const nx = x - eta * (y * p); // gx = y*p; x' = x − η*gx
    const ny = y - eta * (x * p); // gy = x*p; y' = y − η*gy
    if (!(Math.abs(nx) < maxAbs && Math.abs(ny) < maxAbs)) {
      status = DIVERGED;
      k++;
      break;
    }
    if (nx === x && ny === y) {
      // A fixed point of the rounded map (e.g. stuck at a subnormal next to the saddle): every later iterate is θ_k,
      // never converged (|p| ≥ tolerance) nor late. Skip to maxSteps exactly.
      fixedPointAt = k;
      k = maxSteps;
      break;
    }
    x = nx;
    y = ny;
    k++;
    p = x * y - c;
  }
  if (lateFrom >= 0) {
    // The late phase: record |η·s − 2| (proxy and exact) for every iterate up to the last one examined.
    let proxyBuf = scratch.proxy;
    let exactBuf = scratch.exact;
    // θ_{k−1} (NaN until the late phase has two iterates: a 2-cycle is detected only between late iterates).
    let px = NaN;
    let py = NaN;
    for (;;) {
      if (nLate === proxyBuf.length) {
        scratch.grow(nLate);
        proxyBuf = scratch.proxy;
        exactBuf = scratch.exact;
      }
      const xx = x * x;
      const yy = y * y;
      proxyBuf[nLate] = Math.abs(eta * (xx + yy) - 2);
      const h = 0.5 * (yy - xx);
      const b = x * y + p; // 2xy − c
      exactBuf[nLate] = Math.abs(eta * (0.5 * (yy + xx) + Math.sqrt(h * h + b * b)) - 2);
      nLate++;
      if (Math.abs(p) < tol) {
        status = CONVERGED;
        break;
      }
      if (k === maxSteps) break;
      const nx = x - eta * (y * p);
      const ny = y - eta * (x * p);
      if (!(Math.abs(nx) < maxAbs && Math.abs(ny) < maxAbs)) {
        status = DIVERGED;
        k++;
        break;
      }
      if (nx === x && ny === y) {
        // Fixed point in the late phase: θ_k's late values count maxSteps − k more times.
        repeats = maxSteps - k;
        fixedPointAt = k;
        k = maxSteps;
        break;
      }
      if (nx === px && ny === py) {
        // A 2-cycle of the rounded map (θ_{k+1} = θ_{k−1}, seen next to the minimizers when c·η is not exact): the
        // remaining R = maxSteps − k iterates alternate θ_{k−1}, θ_k, θ_{k−1}, … — ⌈R/2⌉ copies of θ_{k−1}'s late
        // values and ⌊R/2⌋ of θ_k's, counted, not stored; the last iterate is θ_{k−1} for odd R.
        const rest = maxSteps - k;
        repeats = Math.floor(rest / 2);
        repeatsOfPrevious = rest - repeats;
        if (rest % 2 === 1) {
          x = nx;
          y = ny;
        }
        cycleAt = k;
        k = maxSteps;
        break;
      }
      px = x;
      py = y;
      x = nx;
      y = ny;
      k++;
      p = x * y - c;
    }
  }
  out.status[s] = status;
  out.steps[s] = k;
  out.finalTheta[2 * s] = x;
  out.finalTheta[2 * s + 1] = y;
  const xx = x * x;
  const yy = y * y;
  out.sharpnessProxy[s] = xx + yy;
  const h = 0.5 * (yy - xx);
  const b = x * y + (x * y - c);
  out.sharpnessExact[s] = 0.5 * (yy + xx) + Math.sqrt(h * h + b * b);
  out.lateFrom[s] = lateFrom;
  out.fixedPointAt[s] = fixedPointAt;
  out.cycleAt[s] = cycleAt;
  out.eosMedianProxy[s] = medianWithRepeats(scratch.proxy, nLate, repeats, scratch.runs, repeatsOfPrevious);
  out.eosMedianExact[s] = medianWithRepeats(scratch.exact, nLate, repeats, scratch.runs, repeatsOfPrevious);
}
