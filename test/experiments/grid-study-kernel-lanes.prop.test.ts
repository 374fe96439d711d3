/**
 * The fused depth-2 kernel advances two runs per loop iteration (runDepth2BatchTwoLanes); every run must give exactly — bit
 * for bit, in every output array — what the one-run-at-a-time reference (runDepth2Batch) gives, for any
 * batch bounds, learning rate and step budget, including runs that converge, diverge, stop at a fixed point or a
 * 2-cycle of the rounded map, or grow the late-phase scratch.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateBatchResult, ArrayArena, type BatchResult, LateScratch, type RunSettings } from '../../src/experiments/grid-study/kernel-common.js';
import { runDepth2BatchTwoLanes, runDepth2Batch } from '../../src/experiments/grid-study/kernel-depth2.js';

/** Every output array of entries [from, to) as plain numbers (NaN and −0 compared by Object.is through toEqual). */
function entries(out: BatchResult, from: number, to: number): Record<string, number[]> {
  const pick = (a: ArrayLike<number>, per = 1) => Array.from(a).slice(from * per, to * per);
  return {
    status: pick(out.status),
    steps: pick(out.steps),
    finalTheta: pick(out.finalTheta, 2),
    sharpnessProxy: pick(out.sharpnessProxy),
    sharpnessExact: pick(out.sharpnessExact),
    lateFrom: pick(out.lateFrom),
    eosMedianProxy: pick(out.eosMedianProxy),
    eosMedianExact: pick(out.eosMedianExact),
    fixedPointAt: pick(out.fixedPointAt),
    cycleAt: pick(out.cycleAt),
  };
}

// Starts on the study's square, plus the saddle (a fixed point at once), subnormal neighbours of it (fixed points of
// the rounded map later), points on the minimizer hyperbola and points far out (divergence at large η).
const coordinate = fc.oneof(
  fc.double({ min: -3, max: 3, noNaN: true }),
  fc.constantFrom(0, -0, 5e-324, -5e-324, 1, -1, 0.5, 2, 40),
);

describe('runDepth2BatchTwoLanes (two lanes) vs runDepth2Batch', () => {
  it('writes bit-identical results for every start of any batch', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(coordinate, coordinate), { minLength: 1, maxLength: 24 }),
        fc.constantFrom(0.1, 0.5, 0.9, 0.95, 0.99, 1.3, 2.5),
        fc.integer({ min: 0, max: 3000 }),
        fc.constantFrom(0.01, 0.3, 1),
        fc.nat(),
        fc.nat(),
        (points, learningRate, maxSteps, lateFraction, a, b) => {
          const count = points.length;
          const starts = new Float64Array(points.flat());
          // Any sub-batch [from, to), the empty one and batches of one included.
          const from = a % (count + 1);
          const to = from + (b % (count - from + 1));
          const settings: RunSettings = { learningRate, tolerance: 1e-8, maxSteps, divergenceThreshold: 1e6, lateFraction };
          const lanes = ArrayArena.build(false, (arena) => allocateBatchResult(arena, count, 2));
          const sequential = ArrayArena.build(false, (arena) => allocateBatchResult(arena, count, 2));
          // Small scratch buffers, so that long late phases make both kernels grow them mid-run.
          const scratch = new LateScratch();
          scratch.proxy = new Float64Array(8);
          scratch.exact = new Float64Array(8);
          runDepth2BatchTwoLanes(starts, from, to, 1, settings, scratch, lanes);
          runDepth2Batch(starts, from, to, 1, settings, new LateScratch(), sequential);
          expect(entries(lanes, 0, count)).toEqual(entries(sequential, 0, count));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('covers every way a run ends (the generator is not vacuous)', () => {
    // Hand-picked starts that end converged and at a fixed point (the saddle) at η = 0.99, and diverged at η = 2.5
    // (the property above draws 2-cycles and scratch growth at random; this checks the endings it must include).
    const starts = new Float64Array([0.3, 2.1, 0, 0, 1.2, -0.4, 40, 40, 2.9, 0.05, -1.7, -1.1]);
    const seen = new Set<string>();
    for (const learningRate of [0.99, 2.5]) {
      const settings: RunSettings = { learningRate, tolerance: 1e-8, maxSteps: 20_000, divergenceThreshold: 1e6, lateFraction: 0.01 };
      const lanes = ArrayArena.build(false, (arena) => allocateBatchResult(arena, 6, 2));
      const sequential = ArrayArena.build(false, (arena) => allocateBatchResult(arena, 6, 2));
      runDepth2BatchTwoLanes(starts, 0, 6, 1, settings, new LateScratch(), lanes);
      runDepth2Batch(starts, 0, 6, 1, settings, new LateScratch(), sequential);
      expect(entries(lanes, 0, 6)).toEqual(entries(sequential, 0, 6));
      for (let s = 0; s < 6; s++) {
        if (lanes.fixedPointAt[s] >= 0) seen.add('fixed point');
        else if (lanes.cycleAt[s] >= 0) seen.add('2-cycle');
        else seen.add(['converged', 'diverged', 'max-steps'][lanes.status[s]]);
      }
    }
    expect(seen).toContain('converged');
    expect(seen).toContain('diverged');
    expect(seen).toContain('fixed point');
  });
});
