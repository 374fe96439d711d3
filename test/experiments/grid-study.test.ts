/**
 * gridStudy against brute force: every run re-done here with its whole trajectory stored (plain loop in docs/math.md
 * §1's operation order, no fixed-point shortcut, medians by sorting), on small grids; plus the maps, the
 * gradient-flow solution, saddle starts, the generic engine and option errors.
 */
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import { gridStudy, type GridStudyResult } from '../../src/experiments/grid-study/grid-study.js';
import { GRID_STUDY_STATUSES } from '../../src/experiments/grid-study/kernel-common.js';
import { gridStarts } from '../../src/experiments/grid-study/index.js';
import { create } from '../../src/models/scalar-factorization/index.js';
import { sharpness } from '../../src/sharpness/sharpness.js';
import { expectRelClose } from '../../src/testing/index.js';

const SPEC = { kind: 'scalar-factorization', target: 1, depth: 2 };

interface BruteRun {
  status: number;
  steps: number;
  x: number;
  y: number;
  lateFrom: number;
  medianProxy: number;
  medianExact: number;
  /** Whether the stored path contains θ_{k+1} = θ_k (the shortcut's case). */
  stuck: boolean;
  /** The first such k, −1 if none. */
  stuckAt: number;
}

function sortedMedian(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** λ_max of [[a, b], [b, c]] by trace and determinant (a different rounding path from the kernel's). */
function lambdaMax2(a: number, b: number, c: number): number {
  const t = a + c;
  return t / 2 + Math.sqrt(Math.max(0, (t * t) / 4 - (a * c - b * b)));
}

/** One run, storing the trajectory: statuses and statistics of [Scalar factorization] (rules in grid-study.ts). */
function bruteForce(x0: number, y0: number, eta: number, o: { tol: number; maxSteps: number; c?: number }): BruteRun {
  const c = o.c ?? 1;
  const xs = [x0];
  const ys = [y0];
  let status = 2;
  let steps = o.maxSteps;
  let stuck = false;
  let stuckAt = -1;
  for (let k = 0; ; k++) {
    const x = xs[k];
    const y = ys[k];
    const p = x * y - c;
    if (Math.abs(p) < o.tol) {
      status = 0;
      steps = k;
      break;
    }
    if (k === o.maxSteps) break;
    const nx = x - eta * (y * p);
    const ny = y - eta * (x * p);
    if (!(Math.abs(nx) < 1e6 && Math.abs(ny) < 1e6)) {
      status = 1;
      steps = k + 1;
      break;
    }
    if (nx === x && ny === y && !stuck) {
      stuck = true;
      stuckAt = k;
    }
    xs.push(nx);
    ys.push(ny);
  }
  const last = xs.length - 1;
  const p0 = Math.abs(xs[0] * ys[0] - c);
  let lateFrom = -1;
  for (let k = 0; k <= last; k++) {
    if (Math.abs(xs[k] * ys[k] - c) < 0.01 * p0) {
      lateFrom = k;
      break;
    }
  }
  const proxy: number[] = [];
  const exact: number[] = [];
  if (lateFrom >= 0) {
    for (let k = lateFrom; k <= last; k++) {
      const x = xs[k];
      const y = ys[k];
      proxy.push(Math.abs(eta * (x * x + y * y) - 2));
      exact.push(Math.abs(eta * lambdaMax2(y * y, 2 * x * y - c, x * x) - 2));
    }
  }
  return { status, steps, x: xs[last], y: ys[last], lateFrom, medianProxy: sortedMedian(proxy), medianExact: sortedMedian(exact), stuck, stuckAt };
}

function compareWithBruteForce(study: GridStudyResult, o: { tol: number; maxSteps: number }): { stuck: number; late: number } {
  let stuck = 0;
  let late = 0;
  const m = study.starts.shape[0];
  for (const rate of study.rates) {
    for (let s = 0; s < m; s++) {
      const b = bruteForce(study.starts.get(s, 0), study.starts.get(s, 1), rate.learningRate, o);
      const where = `η = ${rate.learningRate}, start ${s} (${study.starts.get(s, 0)}, ${study.starts.get(s, 1)})`;
      if (
        rate.status[s] !== b.status ||
        rate.steps[s] !== b.steps ||
        !Object.is(rate.finalTheta.get(s, 0), b.x) ||
        !Object.is(rate.finalTheta.get(s, 1), b.y) ||
        rate.lateFrom[s] !== b.lateFrom ||
        !Object.is(rate.eosMedianProxy[s], b.medianProxy)
      ) {
        expect({ status: rate.status[s], steps: rate.steps[s], x: rate.finalTheta.get(s, 0), y: rate.finalTheta.get(s, 1), lateFrom: rate.lateFrom[s], median: rate.eosMedianProxy[s] }, where).toEqual({
          status: b.status,
          steps: b.steps,
          x: b.x,
          y: b.y,
          lateFrom: b.lateFrom,
          median: b.medianProxy,
        });
      }
      // Exact λ_max: closed form in the kernel vs trace/determinant here — a few ulps of λ ~ 2/η (|ηλ − 2| ≥ 0).
      if (Number.isNaN(b.medianExact)) expect(rate.eosMedianExact[s], where).toBeNaN();
      else expect(Math.abs(rate.eosMedianExact[s] - b.medianExact), where).toBeLessThan(1e-12);
      expect(rate.sharpnessProxy[s]).toBe(b.x * b.x + b.y * b.y);
      expectRelClose(rate.sharpnessExact[s], lambdaMax2(b.y * b.y, 2 * b.x * b.y - 1, b.x * b.x), { rel: 1e-12, abs: 1e-14, label: where });
      expect(rate.fixedPointAt[s], where).toBe(b.stuckAt);
      if (b.stuck) stuck++;
      if (b.lateFrom >= 0) late++;
    }
  }
  return { stuck, late };
}

describe('gridStudy vs brute force (stored trajectories)', () => {
  it('matches statuses, steps, final iterates and the exact late-phase medians bit for bit (disk n = 15)', async () => {
    const o = { tol: 1e-8, maxSteps: 3000 };
    const study = await gridStudy(SPEC, { grid: { n: 15 }, learningRates: [0.3, 0.9, 0.99], maxSteps: o.maxSteps, workers: 0 });
    expect(study.engine).toBe('fused');
    const { stuck, late } = compareWithBruteForce(study, o);
    // The saddle-line starts (x = −y) get stuck at a fixed point of the rounded map before maxSteps: the shortcut ran.
    expect(stuck).toBeGreaterThan(0);
    expect(late).toBeGreaterThan(100);
  });

  it('matches when late phases outgrow the scratch and end at fixed points (tolerance 1e-300, never converged)', async () => {
    // With an unreachable tolerance, runs near xy = 1 stay late until a fixed point of the rounded map or
    // maxSteps: late phases of up to 5001 values (the scratch starts at 4096) with repeated late values.
    const o = { tol: 1e-300, maxSteps: 5000 };
    const starts = ndarray(new Float64Array([1.5, 0.6, 0.4, 2.2, -1.1, -0.95, 2.5, 0.1, 0.7, -0.7]), [5, 2]);
    const study = await gridStudy(SPEC, { starts, learningRates: [0.2, 0.5, 0.95], tolerance: o.tol, maxSteps: o.maxSteps, workers: 0 });
    const { stuck, late } = compareWithBruteForce(study, o);
    expect(stuck).toBeGreaterThan(0);
    expect(late).toBeGreaterThan(5);
    const longest = Math.max(...study.rates.flatMap((r) => Array.from(r.steps, (k, s) => (r.lateFrom[s] >= 0 ? k - r.lateFrom[s] + 1 : 0))));
    expect(longest).toBeGreaterThan(4096);
  });
});

describe('gridStudy results', () => {
  it('summaries: counts per status, medians over converged runs, EoS fractions, GD updates', async () => {
    const study = await gridStudy(SPEC, { grid: { n: 21 }, learningRates: [0.5, 0.99], workers: 0 });
    const m = study.starts.shape[0];
    expect(m).toBe(gridStarts({ n: 21 }).count);
    let total = 0;
    for (const rate of study.rates) {
      const sum = rate.summary;
      const conv = Array.from(rate.status.keys()).filter((s) => rate.status[s] === 0);
      expect(sum.starts).toBe(m);
      expect(sum.converged + sum.diverged + sum.maxSteps).toBe(m);
      expect(sum.converged).toBe(conv.length);
      expect(sum.diverged).toBe(rate.status.filter((v) => v === 1).length);
      expect(sum.medianSharpnessProxy).toBe(sortedMedian(conv.map((s) => rate.sharpnessProxy[s])));
      expect(sum.medianSharpnessExact).toBe(sortedMedian(conv.map((s) => rate.sharpnessExact[s])));
      expect(sum.medianGfsSharpness).toBe(sortedMedian(conv.map((s) => study.gradientFlow!.sharpness[s])));
      expect(sum.eosFractionProxy).toBe(conv.filter((s) => rate.eosMedianProxy[s] < 0.1).length / conv.length);
      expect(sum.eosFractionExact).toBe(conv.filter((s) => rate.eosMedianExact[s] < 0.1).length / conv.length);
      for (let s = 0; s < m; s++) {
        expect(rate.nearEdgeProxy[s]).toBe(rate.eosMedianProxy[s] < 0.1 ? 1 : 0);
        expect(GRID_STUDY_STATUSES[rate.status[s]]).toBeDefined();
      }
      // Stability ([Scalar factorization]): converged runs end at λ_max ≤ 2/η (up to the distance |xy − 1| < 1e-8 to the curve).
      for (const s of conv) expect(rate.sharpnessExact[s]).toBeLessThanOrEqual((2 / rate.learningRate) * (1 + 1e-6));
      expect(sum.gdUpdates).toBe(rate.steps.reduce((a, b) => a + b, 0));
      const fixed = Array.from(rate.fixedPointAt).filter((k) => k >= 0);
      expect(sum.fixedPoints).toBe(fixed.length);
      expect(sum.gdUpdatesComputed).toBe(sum.gdUpdates - fixed.reduce((a, k) => a + (20000 - k), 0));
      total += sum.gdUpdates;
    }
    expect(study.gdUpdates).toBe(total);
    // [Scalar factorization]'s qualitative claims on this coarse grid: few EoS runs at η = 0.5, nearly all at η = 0.99.
    expect(study.rates[0].summary.eosFractionProxy).toBeLessThan(0.1);
    expect(study.rates[1].summary.eosFractionProxy).toBeGreaterThan(0.9);
  });

  it('maps: NaN outside the mask and where not converged, the per-start values elsewhere', async () => {
    const study = await gridStudy(SPEC, { grid: { shape: 'diamond', n: 17, radius: 2.5 }, learningRates: [0.9], workers: 0 });
    const grid = study.grid!;
    const rate = study.rates[0];
    const maps = rate.maps!;
    expect(maps.sharpnessProxy.shape).toEqual([17, 17]);
    const seen = new Set<number>();
    for (let s = 0; s < grid.count; s++) {
      const [a, b] = [grid.ix[s], grid.iy[s]];
      seen.add(a * 17 + b);
      expect(grid.lattice[a]).toBe(study.starts.get(s, 0));
      expect(grid.lattice[b]).toBe(study.starts.get(s, 1));
      expect(maps.status.get(a, b)).toBe(rate.status[s]);
      if (rate.status[s] === 0) {
        expect(maps.sharpnessProxy.get(a, b)).toBe(rate.sharpnessProxy[s]);
        expect(maps.sharpnessExact.get(a, b)).toBe(rate.sharpnessExact[s]);
      } else {
        expect(maps.sharpnessProxy.get(a, b)).toBeNaN();
        expect(maps.sharpnessExact.get(a, b)).toBeNaN();
      }
    }
    let outside = 0;
    for (let a = 0; a < 17; a++) {
      for (let b = 0; b < 17; b++) {
        if (seen.has(a * 17 + b)) continue;
        outside++;
        expect(maps.status.get(a, b)).toBeNaN();
        expect(maps.sharpnessProxy.get(a, b)).toBeNaN();
      }
    }
    expect(outside).toBe(17 * 17 - grid.count);
    expect(rate.status.some((v) => v !== 0)).toBe(true);
  });

  it('gives each start its GFS sharpness √(δ² + 4) and keeps the saddle-line starts x = −y under their status', async () => {
    const study = await gridStudy(SPEC, { grid: { n: 21 }, learningRates: [0.1, 0.95], workers: 0, maxSteps: 4000 });
    const gf = study.gradientFlow!;
    const m = study.starts.shape[0];
    let line = 0;
    for (let s = 0; s < m; s++) {
      const x = study.starts.get(s, 0);
      const y = study.starts.get(s, 1);
      if (x === -y) {
        line++;
        expect(gf.reachesMinimizer[s]).toBe(0);
        expect(gf.sharpness[s]).toBe(1); // the saddle (0, 0): eigenvalues ±1
      } else {
        expect(gf.reachesMinimizer[s]).toBe(1);
        const delta = x * x - y * y;
        expectRelClose(gf.sharpness[s], Math.sqrt(delta * delta + 4), { rel: 1e-14, label: `s_GFS of (${x}, ${y})` });
      }
    }
    expect(line).toBe(15); // on the disk n = 21 (i, j ∈ [−10, 10]): i² + i² ≤ 100 ⇔ |i| ≤ 7
    for (const rate of study.rates) {
      const onLine = Array.from(rate.status.keys()).filter((s) => study.starts.get(s, 0) === -study.starts.get(s, 1));
      expect(rate.summary.saddleStarts).toEqual({
        count: 15,
        converged: onLine.filter((s) => rate.status[s] === 0).length,
        diverged: onLine.filter((s) => rate.status[s] === 1).length,
        maxSteps: onLine.filter((s) => rate.status[s] === 2).length,
      });
    }
    // At η = 0.1 GD from x = −y stays on the line (exactly, by symmetry) and never converges: 'max-steps'.
    const first = study.rates[0];
    expect(first.summary.saddleStarts!.maxSteps).toBe(15);
  });

  it('agrees with the generic engine (lossAndGrad + sharpness module) on the depth-2 model', async () => {
    const options = { grid: { shape: 'square' as const, n: 9, radius: 2 }, learningRates: [0.4, 0.97], maxSteps: 3000, workers: 0 };
    const fused = await gridStudy(SPEC, options);
    const generic = await gridStudy(SPEC, { ...options, engine: 'generic' });
    expect(generic.engine).toBe('generic');
    for (let r = 0; r < 2; r++) {
      const [a, b] = [fused.rates[r], generic.rates[r]];
      expect(b.status).toEqual(a.status);
      expect(b.steps).toEqual(a.steps);
      expect(b.finalTheta.data).toEqual(a.finalTheta.data);
      expect(b.lateFrom).toEqual(a.lateFrom);
      expect(b.sharpnessProxy).toEqual(a.sharpnessProxy);
      expect(b.eosMedianProxy).toEqual(a.eosMedianProxy);
      // λ_max: dense eigensolver vs closed form.
      for (let s = 0; s < a.status.length; s++) {
        expectRelClose(b.sharpnessExact[s], a.sharpnessExact[s], { rel: 1e-12, abs: 1e-14 });
        if (Number.isNaN(a.eosMedianExact[s])) expect(b.eosMedianExact[s]).toBeNaN();
        else expect(Math.abs(b.eosMedianExact[s] - a.eosMedianExact[s])).toBeLessThan(1e-12);
      }
    }
  });

  it('runs other models through the generic engine from custom starts (depth-3 scalar factorization)', async () => {
    const spec = { kind: 'scalar-factorization', target: 1, depth: 3 };
    const starts = ndarray(new Float64Array([1.2, 0.9, 1.1, 0.5, 1.5, 1.4, -1, -1.2, 0.9]), [3, 3]);
    const study = await gridStudy(spec, { starts, learningRates: [0.1, 0.3], workers: 0 });
    expect(study.engine).toBe('generic');
    expect(study.grid).toBeUndefined();
    expect(study.rates[0].maps).toBeUndefined();
    const model = create({ depth: 3 });
    for (const rate of study.rates) {
      for (let s = 0; s < 3; s++) {
        expect(rate.status[s]).toBe(0);
        const w = new Float64Array([rate.finalTheta.get(s, 0), rate.finalTheta.get(s, 1), rate.finalTheta.get(s, 2)]);
        expect(Math.abs(w[0] * w[1] * w[2] - 1)).toBeLessThan(1e-8);
        expectRelClose(rate.sharpnessExact[s], sharpness(model, w), { rel: 1e-12 });
        expect(rate.sharpnessProxy[s]).toBe(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
      }
    }
    // GFS of depth D from the closed-form theory (root solve): finite, and GD at small η lands near it.
    expect(study.gradientFlow!.sharpness.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
  });
});

describe('gridStudy option errors', () => {
  async function codeOf(p: Promise<unknown>): Promise<[string, string]> {
    try {
      await p;
    } catch (e) {
      if (!(e instanceof EosLabError)) throw e;
      return [e.code, e.details.argument];
    }
    return ['no error', ''];
  }
  it('rejects bad grids, empty learning-rate lists and contradictions with coded errors', async () => {
    const small = { grid: { n: 5 }, workers: 0 };
    expect(await codeOf(gridStudy(SPEC, { grid: { n: 1 }, workers: 0 }))).toEqual(['E_BAD_OPTION', 'options.grid.n']);
    expect(await codeOf(gridStudy(SPEC, { grid: { radius: -1 }, workers: 0 }))).toEqual(['E_BAD_OPTION', 'options.grid.radius']);
    expect(await codeOf(gridStudy(SPEC, { grid: { shape: 'annulus', radius: 2, innerRadius: 2 }, workers: 0 }))).toEqual([
      'E_BAD_OPTION',
      'options.grid.innerRadius',
    ]);
    expect(await codeOf(gridStudy(SPEC, { ...small, learningRates: [] }))).toEqual(['E_EMPTY', 'options.learningRates']);
    expect(await codeOf(gridStudy(SPEC, { ...small, learningRates: [0.5, -0.1] }))).toEqual(['E_BAD_OPTION', 'options.learningRates[1]']);
    expect(await codeOf(gridStudy(SPEC, { ...small, starts: ndarray(new Float64Array(2), [1, 2]) }))).toEqual(['E_BAD_OPTION', 'options.starts']);
    expect(await codeOf(gridStudy(SPEC, { starts: ndarray(new Float64Array(3), [1, 3]), workers: 0 }))).toEqual(['E_DIM_MISMATCH', 'options.starts.shape']);
    expect(await codeOf(gridStudy(SPEC, { starts: ndarray(new Float64Array([1, NaN]), [1, 2]), workers: 0 }))).toEqual([
      'E_NONFINITE',
      'options.starts[0, 1]',
    ]);
    expect(await codeOf(gridStudy({ kind: 'scalar-factorization', target: 1, depth: 3 }, small))).toEqual(['E_DIM_MISMATCH', 'model.dim']);
    expect(await codeOf(gridStudy({ kind: 'scalar-factorization', target: 1, depth: 3 }, { starts: ndarray(new Float64Array(3), [1, 3]), engine: 'fused' }))).toEqual([
      'E_NOT_SUPPORTED',
      'options.engine',
    ]);
    expect(await codeOf(gridStudy(SPEC, { ...small, divergenceThreshold: 2 }))).toEqual(['E_BAD_OPTION', 'options.divergenceThreshold']);
    expect(await codeOf(gridStudy(SPEC, { ...small, maxSteps: 0 }))).toEqual(['E_BAD_OPTION', 'options.maxSteps']);
    expect(await codeOf(gridStudy(SPEC, { ...small, lateFraction: 2 }))).toEqual(['E_BAD_OPTION', 'options.lateFraction']);
    expect(await codeOf(gridStudy(SPEC, { grid: { n: 5 }, workers: -2 }))).toEqual(['E_BAD_OPTION', 'options.workers']);
    expect(await codeOf(gridStudy({ kind: 'no-such-model' }, small))).toEqual(['E_UNKNOWN_MODEL', 'model.kind']);
    // A LossModel is accepted in place of its spec.
    const viaModel = await gridStudy(create(), { grid: { n: 5 }, learningRates: [0.5], workers: 0 });
    expect(viaModel.spec).toEqual(SPEC);
  });
});
