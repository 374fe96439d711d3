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
 * Runs GD on L(x, y) = ½(c − xy)² from the starts s ∈ [from, to), (`starts[2s]`, `starts[2s + 1]`), two runs at a
 * time, and writes each run's outcome into entry s of `out`, bit-identical to {@link runDepth2Batch}. @internal
 *
 * Not used by `gridStudy`: in the interleaved bench (`bench/grid-study.bench.ts`, which runs
 * `bench/grid-kernel-lanes.ts`) it was not faster than one run at a time, neither on a shared machine nor on an idle
 * one (1.07× [0.96–1.12] the time, 7 rounds, load average 1.4 on 2 cores; its twelve live doubles per loop iteration
 * exceed x86-64's sixteen vector registers together with the constants, so V8 spills some of them). It stays, with
 * its bit-identity test, as the measured alternative (and the baseline for a SIMD-across-starts kernel); to adopt
 * it, call it from `runGridStudyChunk` and include `scratch.partner()`'s buffers in that function's scratch-size
 * check.
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
 * The medians over the stored values are exact (`medianOfRuns` on the scratch).
 *
 * A step is a chain of five dependent floating-point operations (x*y, − c, y*p, η*·, x − ·), so one run alone
 * advances at the latency of that chain and leaves most of the core idle (V8 does not vectorize). This kernel
 * therefore advances two runs per loop iteration ("lanes", each with θ in registers and its own late-phase scratch),
 * so that the processor overlaps their independent chains; when a run ends, its lane takes the next start. Each
 * run performs exactly the operations of {@link runDepth2Batch} in the same order, so the results are
 * bit-identical to it (and to any split of the starts across threads); only the order in which runs finish differs.
 * When no start is left for a lane, the other lane's run is redone from its start by the one-run kernel (the waste is
 * at most one run per batch).
 */
export function runDepth2BatchTwoLanes(
  starts: Float64Array,
  from: number,
  to: number,
  target: number,
  settings: RunSettings,
  scratch: LateScratch,
  out: BatchResult,
): BatchResult {
  if (to - from < 2) return runDepth2Batch(starts, from, to, target, settings, scratch, out);
  const c = target;
  const eta = settings.learningRate;
  const tol = settings.tolerance;
  const maxSteps = settings.maxSteps;
  const maxAbs = settings.divergenceThreshold;
  const lateFraction = settings.lateFraction;
  const scratchA = scratch;
  const scratchB = scratch.partner();
  let next = from;
  // The doubles a lane reads at most once per step off the iteration's dependency chain (late threshold, θ_{k−1}),
  // kept in memory rather than registers so that θ and p of both lanes and the constants fit in registers.
  const slow = scratch.laneSlots;

  // Lane A's state (names as in runDepth2Start; `sA` is the start it runs).
  let sA = next++;
  let xA = starts[2 * sA];
  let yA = starts[2 * sA + 1];
  let pA = xA * yA - c;
  slow[0] = lateFraction * Math.abs(pA);
  let kA = 0;
  let lateA = false;
  let lateFromA = -1;
  let nLateA = 0;
  slow[1] = NaN;
  slow[2] = NaN;
  let proxyA = scratchA.proxy;
  let exactA = scratchA.exact;
  // Lane B's state.
  let sB = next++;
  let xB = starts[2 * sB];
  let yB = starts[2 * sB + 1];
  let pB = xB * yB - c;
  slow[3] = lateFraction * Math.abs(pB);
  let kB = 0;
  let lateB = false;
  let lateFromB = -1;
  let nLateB = 0;
  slow[4] = NaN;
  slow[5] = NaN;
  let proxyB = scratchB.proxy;
  let exactB = scratchB.exact;

  // How the run that left the loop ended (written just before `break`).
  let status = MAX_STEPS;
  let repeats = 0;
  let repeatsOfPrevious = 0;
  let fixedPointAt = -1;
  let cycleAt = -1;
  for (;;) {
    let ended: 'A' | 'B';
    // The two lanes' steps are the same code with A and B swapped (steps 1–7 of the list above).
    for (;;) {
      // Lane A.
      let ap = Math.abs(pA);
      if (!lateA && ap < slow[0]) {
        lateA = true;
        lateFromA = kA;
      }
      if (lateA) {
        if (nLateA === proxyA.length) {
          scratchA.grow(nLateA);
          proxyA = scratchA.proxy;
          exactA = scratchA.exact;
        }
        const xx = xA * xA;
        const yy = yA * yA;
        proxyA[nLateA] = Math.abs(eta * (xx + yy) - 2);
        const h = 0.5 * (yy - xx);
        const b = xA * yA + pA;
        exactA[nLateA] = Math.abs(eta * (0.5 * (yy + xx) + Math.sqrt(h * h + b * b)) - 2);
        nLateA++;
      }
      if (ap < tol) {
        status = CONVERGED;
        ended = 'A';
        break;
      }
      if (kA === maxSteps) {
        status = MAX_STEPS;
        ended = 'A';
        break;
      }
      let nx = xA - eta * (yA * pA);
      let ny = yA - eta * (xA * pA);
      if (!(Math.abs(nx) < maxAbs && Math.abs(ny) < maxAbs)) {
        status = DIVERGED;
        kA++;
        ended = 'A';
        break;
      }
      if (nx === xA && ny === yA) {
        status = MAX_STEPS;
        repeats = lateA ? maxSteps - kA : 0;
        fixedPointAt = kA;
        kA = maxSteps;
        ended = 'A';
        break;
      }
      if (lateA) {
        if (nx === slow[1] && ny === slow[2]) {
          const rest = maxSteps - kA;
          status = MAX_STEPS;
          repeats = Math.floor(rest / 2);
          repeatsOfPrevious = rest - repeats;
          if (rest % 2 === 1) {
            xA = nx;
            yA = ny;
          }
          cycleAt = kA;
          kA = maxSteps;
          ended = 'A';
          break;
        }
        slow[1] = xA;
        slow[2] = yA;
      }
      xA = nx;
      yA = ny;
      kA++;
      pA = xA * yA - c;

      // Lane B.
      ap = Math.abs(pB);
      if (!lateB && ap < slow[3]) {
        lateB = true;
        lateFromB = kB;
      }
      if (lateB) {
        if (nLateB === proxyB.length) {
          scratchB.grow(nLateB);
          proxyB = scratchB.proxy;
          exactB = scratchB.exact;
        }
        const xx = xB * xB;
        const yy = yB * yB;
        proxyB[nLateB] = Math.abs(eta * (xx + yy) - 2);
        const h = 0.5 * (yy - xx);
        const b = xB * yB + pB;
        exactB[nLateB] = Math.abs(eta * (0.5 * (yy + xx) + Math.sqrt(h * h + b * b)) - 2);
        nLateB++;
      }
      if (ap < tol) {
        status = CONVERGED;
        ended = 'B';
        break;
      }
      if (kB === maxSteps) {
        status = MAX_STEPS;
        ended = 'B';
        break;
      }
      nx = xB - eta * (yB * pB);
      ny = yB - eta * (xB * pB);
      if (!(Math.abs(nx) < maxAbs && Math.abs(ny) < maxAbs)) {
        status = DIVERGED;
        kB++;
        ended = 'B';
        break;
      }
      if (nx === xB && ny === yB) {
        status = MAX_STEPS;
        repeats = lateB ? maxSteps - kB : 0;
        fixedPointAt = kB;
        kB = maxSteps;
        ended = 'B';
        break;
      }
      if (lateB) {
        if (nx === slow[4] && ny === slow[5]) {
          const rest = maxSteps - kB;
          status = MAX_STEPS;
          repeats = Math.floor(rest / 2);
          repeatsOfPrevious = rest - repeats;
          if (rest % 2 === 1) {
            xB = nx;
            yB = ny;
          }
          cycleAt = kB;
          kB = maxSteps;
          ended = 'B';
          break;
        }
        slow[4] = xB;
        slow[5] = yB;
      }
      xB = nx;
      yB = ny;
      kB++;
      pB = xB * yB - c;
    }

    // One lane's run ended: write it out, then give the lane its next start.
    if (ended === 'A') {
      writeRun(out, sA, c, status, kA, xA, yA, lateFromA, fixedPointAt, cycleAt, scratchA, nLateA, repeats, repeatsOfPrevious);
      if (next < to) {
        sA = next++;
      } else {
        // No start left: lane B's run is redone from its start alone (at most one run per batch computed twice).
        runDepth2Start(starts, sB, c, settings, scratchB, out);
        break;
      }
      xA = starts[2 * sA];
      yA = starts[2 * sA + 1];
      pA = xA * yA - c;
      slow[0] = lateFraction * Math.abs(pA);
      kA = 0;
      lateA = false;
      lateFromA = -1;
      nLateA = 0;
      slow[1] = NaN;
      slow[2] = NaN;
      proxyA = scratchA.proxy;
      exactA = scratchA.exact;
    } else {
      writeRun(out, sB, c, status, kB, xB, yB, lateFromB, fixedPointAt, cycleAt, scratchB, nLateB, repeats, repeatsOfPrevious);
      if (next < to) {
        sB = next++;
      } else {
        // No start left: lane A's run is redone from its start alone (at most one run per batch computed twice).
        runDepth2Start(starts, sA, c, settings, scratchA, out);
        break;
      }
      xB = starts[2 * sB];
      yB = starts[2 * sB + 1];
      pB = xB * yB - c;
      slow[3] = lateFraction * Math.abs(pB);
      kB = 0;
      lateB = false;
      lateFromB = -1;
      nLateB = 0;
      slow[4] = NaN;
      slow[5] = NaN;
      proxyB = scratchB.proxy;
      exactB = scratchB.exact;
    }
    status = MAX_STEPS;
    repeats = 0;
    repeatsOfPrevious = 0;
    fixedPointAt = -1;
    cycleAt = -1;
  }
  return out;
}

/**
 * Runs GD on L(x, y) = ½(c − xy)² from the starts s ∈ [from, to), one after another with θ in registers, and writes
 * each run's outcome into entry s of `out` (steps 1–7 of {@link runDepth2BatchTwoLanes}). The kernel the grid study
 * uses, and the reference the two-lane kernel is tested against bit for bit. @internal
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

/** Writes one finished run into entry s of `out`: its outcome, final sharpness and late-phase medians. */
function writeRun(
  out: BatchResult,
  s: number,
  c: number,
  status: number,
  k: number,
  x: number,
  y: number,
  lateFrom: number,
  fixedPointAt: number,
  cycleAt: number,
  scratch: LateScratch,
  nLate: number,
  repeats: number,
  repeatsOfPrevious: number,
): void {
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
  writeRun(out, s, c, status, k, x, y, lateFrom, fixedPointAt, cycleAt, scratch, nLate, repeats, repeatsOfPrevious);
}
