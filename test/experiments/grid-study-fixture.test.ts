/**
 * gridStudy against the numpy reference of test/fixtures/grid-study/generate.py (brute force over stored
 * trajectories, one ufunc per operation): identical statuses, steps, final iterates and proxy medians (bit for bit,
 * docs/math.md §1's operation order), exact-sharpness medians to the last bits.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gridStudy } from '../../src/experiments/grid-study/grid-study.js';

interface FixtureRate {
  learningRate: number;
  status: number[];
  steps: number[];
  finalX: number[];
  finalY: number[];
  lateFrom: number[];
  eosMedianProxy: (number | null)[];
  eosMedianExact: (number | null)[];
  sharpnessProxy: number[];
  sharpnessExact: number[];
  summary: {
    converged: number;
    diverged: number;
    maxSteps: number;
    medianSharpnessProxy: number;
    medianSharpnessExact: number;
    eosCountProxy: number;
    eosCountExact: number;
  };
}
interface Fixture {
  grid: { shape: 'disk'; n: number; radius: number };
  maxSteps: number;
  tolerance: number;
  startsX: number[];
  startsY: number[];
  rates: FixtureRate[];
}

const fixture: Fixture = JSON.parse(readFileSync(new URL('../fixtures/grid-study/grid-study.json', import.meta.url), 'utf8'));

describe('gridStudy vs the numpy fixture (disk n = 21, η ∈ {0.3, 0.9, 0.99})', async () => {
  const study = await gridStudy(
    { kind: 'scalar-factorization', target: 1, depth: 2 },
    {
      grid: fixture.grid,
      learningRates: fixture.rates.map((r) => r.learningRate),
      maxSteps: fixture.maxSteps,
      tolerance: fixture.tolerance,
      workers: 0,
    },
  );

  it('has the same starts', () => {
    expect(Array.from(study.grid!.x)).toEqual(fixture.startsX);
    expect(Array.from(study.grid!.y)).toEqual(fixture.startsY);
  });

  fixture.rates.forEach((ref, r) => {
    it(`η = ${ref.learningRate}: per-start results and the summary`, () => {
      const rate = study.rates[r];
      expect(Array.from(rate.status)).toEqual(ref.status);
      expect(Array.from(rate.steps)).toEqual(ref.steps);
      expect(Array.from(rate.lateFrom)).toEqual(ref.lateFrom);
      const m = ref.status.length;
      const x = Array.from({ length: m }, (_, s) => rate.finalTheta.get(s, 0));
      const y = Array.from({ length: m }, (_, s) => rate.finalTheta.get(s, 1));
      expect(x).toEqual(ref.finalX);
      expect(y).toEqual(ref.finalY);
      expect(Array.from(rate.sharpnessProxy)).toEqual(ref.sharpnessProxy);
      // Same closed form, same operation order as generate.py: bit for bit as well.
      expect(Array.from(rate.sharpnessExact)).toEqual(ref.sharpnessExact);
      expect(Array.from(rate.eosMedianProxy, (v) => (Number.isNaN(v) ? null : v))).toEqual(ref.eosMedianProxy);
      expect(Array.from(rate.eosMedianExact, (v) => (Number.isNaN(v) ? null : v))).toEqual(ref.eosMedianExact);
      const sum = rate.summary;
      expect({ converged: sum.converged, diverged: sum.diverged, maxSteps: sum.maxSteps }).toEqual({
        converged: ref.summary.converged,
        diverged: ref.summary.diverged,
        maxSteps: ref.summary.maxSteps,
      });
      expect(sum.medianSharpnessProxy).toBe(ref.summary.medianSharpnessProxy);
      expect(sum.medianSharpnessExact).toBe(ref.summary.medianSharpnessExact);
      expect(sum.eosFractionProxy).toBe(ref.summary.eosCountProxy / ref.summary.converged);
      expect(sum.eosFractionExact).toBe(ref.summary.eosCountExact / ref.summary.converged);
    });
  });
});
