/**
 * Long grid studies: memory that does not grow with maxSteps (fixed points and 2-cycles of the rounded GD map are
 * counted, not stored), a memory estimate before any allocation, progress reports and cancellation.
 */
import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import { gridStudy, type GridStudyProgress } from '../../src/experiments/grid-study/grid-study.js';
import { scaledQuadratic } from './helpers/scaled-quadratic.js';

const SPEC = { kind: 'scalar-factorization', target: 1 / 3, depth: 2 };
const ETA = 0.5;

function sortedMedian(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Independent re-run of one start by the study's documented rules (steps 1–5 of the fused kernel, without its
 * fixed-point and cycle shortcuts), keeping every late value |η·(x² + y²) − 2| as (value, count) pairs: a tail
 * that is periodic with period 1 or 2 is extended to maxSteps by counting, so that maxSteps = 10⁹ stays cheap.
 */
function lateValues(x0: number, y0: number, c: number, maxSteps: number, tol: number): { values: number[]; counts: number[] } {
  let x = x0;
  let y = y0;
  const late = 0.01 * Math.abs(x * y - c);
  const values: number[] = [];
  const counts: number[] = [];
  const hist: [number, number][] = [];
  let inLate = false;
  for (let k = 0; ; k++) {
    const p = x * y - c;
    if (!inLate && Math.abs(p) < late) inLate = true;
    if (inLate) {
      values.push(Math.abs(ETA * (x * x + y * y) - 2));
      counts.push(1);
    }
    if (Math.abs(p) < tol || k === maxSteps) break;
    const nx = x - ETA * (y * p);
    const ny = y - ETA * (x * p);
    hist.push([x, y]);
    // Periodic tail (period 1 or 2) among late iterates: the remaining iterates repeat the last one or two values.
    const period = nx === x && ny === y ? 1 : hist.length >= 2 && nx === hist[hist.length - 2][0] && ny === hist[hist.length - 2][1] ? 2 : 0;
    if (inLate && period > 0 && values.length >= period) {
      const rest = maxSteps - k;
      if (period === 1) counts[counts.length - 1] += rest;
      else {
        counts[counts.length - 1] += Math.floor(rest / 2);
        counts[counts.length - 2] += rest - Math.floor(rest / 2);
      }
      break;
    }
    x = nx;
    y = ny;
  }
  return { values, counts };
}

/** The median of a multiset given as (value, count) pairs: sort the pairs, walk to the middle rank(s). */
function weightedMedian({ values, counts }: { values: number[]; counts: number[] }): number {
  const pairs = values.map((v, i) => [v, counts[i]] as const).sort((a, b) => a[0] - b[0]);
  const total = counts.reduce((a, b) => a + b, 0);
  const at = (r: number): number => {
    let seen = 0;
    for (const [v, n] of pairs) {
      seen += n;
      if (r < seen) return v;
    }
    return NaN;
  };
  if (total === 0) return NaN;
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
}

describe('gridStudy memory does not grow with maxSteps', () => {
  // Target 1/3 and tolerance 1e-300: near the hyperbola the rounded GD map has fixed points and 2-cycles with
  // |xy − c| ≈ 1e-16 > tolerance, so those runs never converge and end 'max-steps' after a long late phase.
  const options = { grid: { n: 7, radius: 2 }, learningRates: [ETA], tolerance: 1e-300, workers: 0 } as const;

  it('maxSteps 1e9 (before: every repeated late value was stored, 16 GB per run, and the allocation failed)', async () => {
    const study = await gridStudy(SPEC, { ...options, maxSteps: 1e9 });
    const rate = study.rates[0];
    const lateFixed = Array.from(rate.fixedPointAt).filter((k, s) => k >= 0 && rate.lateFrom[s] >= 0).length;
    expect(lateFixed).toBeGreaterThan(0);
    expect(rate.summary.cycles).toBeGreaterThan(0);
    expect(rate.summary.gdUpdatesComputed).toBeLessThan(1e6);
    for (let s = 0; s < study.starts.shape[0]; s++) {
      if (rate.lateFrom[s] < 0 || (rate.fixedPointAt[s] < 0 && rate.cycleAt[s] < 0)) continue;
      const expected = weightedMedian(lateValues(study.starts.get(s, 0), study.starts.get(s, 1), 1 / 3, 1e9, 1e-300));
      expect(rate.eosMedianProxy[s], `start ${s}`).toBe(expected);
    }
  });

  it('gives the medians of the full late phase, computed here step by step, at maxSteps 3001 and 3000', async () => {
    for (const maxSteps of [3001, 3000]) {
      const study = await gridStudy(SPEC, { ...options, maxSteps });
      const rate = study.rates[0];
      expect(rate.summary.cycles + rate.summary.fixedPoints).toBeGreaterThan(0);
      for (let s = 0; s < study.starts.shape[0]; s++) {
        // Every late value, no shortcut: run all maxSteps steps.
        let x = study.starts.get(s, 0);
        let y = study.starts.get(s, 1);
        const late = 0.01 * Math.abs(x * y - 1 / 3);
        const values: number[] = [];
        for (let k = 0; ; k++) {
          const p = x * y - 1 / 3;
          if (values.length > 0 || Math.abs(p) < late) values.push(Math.abs(ETA * (x * x + y * y) - 2));
          if (Math.abs(p) < 1e-300 || k === maxSteps) break;
          const nx = x - ETA * (y * p);
          y -= ETA * (x * p);
          x = nx;
        }
        const expected = values.length === 0 ? NaN : sortedMedian(values);
        expect(rate.eosMedianProxy[s], `start ${s}, maxSteps ${maxSteps}`).toBe(expected);
        expect(rate.finalTheta.get(s, 0), `start ${s}`).toBe(x);
        expect(rate.finalTheta.get(s, 1), `start ${s}`).toBe(y);
      }
    }
  });
});

describe('gridStudy memory estimate', () => {
  it('refuses grid.n = 46341 (maps beyond a 32-bit index, 51 GB per rate) with E_RESOURCE, before allocating anything', async () => {
    const error = await gridStudy(SPEC, { grid: { n: 46341 }, learningRates: [0.5], workers: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EosLabError);
    expect((error as EosLabError).code).toBe('E_RESOURCE');
    expect((error as EosLabError).details.argument).toMatch(/^options\.grid/);
  });

  for (const n of [20000, 100000]) {
    // The maps alone take 24·n² bytes per learning rate: 11 rates at n = 20000 is 1.06e11 bytes.
    const mapsBytes = 11 * 24 * n * n;
    it.skipIf(mapsBytes <= totalmem())(`refuses grid.n = ${n} at 11 rates with E_RESOURCE naming the estimate (≥ ${mapsBytes} B)`, async () => {
      const t0 = Date.now();
      const error = await gridStudy(SPEC, { grid: { n }, workers: 0 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EosLabError);
      expect((error as EosLabError).code).toBe('E_RESOURCE');
      expect((error as EosLabError).details.value as number).toBeGreaterThanOrEqual(mapsBytes);
      expect((error as EosLabError).message).toMatch(/GB estimated/);
      // Refused up front (before: n = 20000 ran, used 11.8 GB and threw a RangeError; n = 100000 ran 48 s).
      expect(Date.now() - t0).toBeLessThan(2000);
    });
  }
});

describe('gridStudy progress and cancellation', () => {
  it('reports progress after each chunk, in this thread and on workers, with the same results', async () => {
    const options = { grid: { n: 41, radius: 3 }, learningRates: [0.5, 0.9], maxSteps: 3000 } as const;
    const plain = await gridStudy({ kind: 'scalar-factorization', target: 1, depth: 2 }, { ...options, workers: 0 });
    for (const workers of [0, 2]) {
      const seen: GridStudyProgress[] = [];
      const study = await gridStudy({ kind: 'scalar-factorization', target: 1, depth: 2 }, {
        ...options,
        workers,
        onProgress: (p) => seen.push(p),
        progressEvery: 200,
      });
      const count = study.starts.shape[0];
      expect(seen.length, `workers ${workers}`).toBeGreaterThanOrEqual(Math.ceil(count / 200));
      expect(seen.map((p) => p.completed)).toEqual(seen.map((_, i) => i + 1));
      expect(seen[seen.length - 1]).toEqual({ completed: seen.length, total: seen.length, startsCompleted: count, starts: count });
      for (let r = 0; r < 2; r++) expect(study.rates[r].summary).toEqual(plain.rates[r].summary);
    }
  });

  it('stops when the signal fires: E_ABORTED, in this thread and on workers', async () => {
    for (const workers of [0, 2]) {
      const controller = new AbortController();
      const seen: number[] = [];
      const error = await gridStudy({ kind: 'scalar-factorization', target: 1, depth: 2 }, {
        grid: { n: 61 },
        learningRates: [0.5, 0.9],
        workers,
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p.completed);
          controller.abort(new Error('enough'));
        },
      }).catch((e: unknown) => e);
      expect((error as EosLabError).code, `workers ${workers}`).toBe('E_ABORTED');
      expect(((error as EosLabError).cause as Error).message).toBe('enough');
      expect(seen.length, `workers ${workers}`).toBeLessThan(8);
    }
    await expect(gridStudy(scaledQuadratic(1), { grid: { n: 5 }, signal: AbortSignal.abort(), workers: 0 })).rejects.toMatchObject({
      code: 'E_ABORTED',
    });
    await expect(gridStudy(scaledQuadratic(1), { grid: { n: 5 }, progressEvery: 10, workers: 0 })).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
  });
});
