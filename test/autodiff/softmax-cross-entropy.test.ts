/**
 * The fused `autodiff.softmaxCrossEntropy` against 80-digit references (test/fixtures/softmax-cross-entropy/
 * generate.py, mpmath): loss, gradient μs − y, HVP μ(diag(s) − ssᵀ)r and third-order term on 60 rows, k = 2–6,
 * the top logit ahead by 0 to 40 (s_top up to 1 − 4e-18), one-hot targets on the top class (the saturated,
 * cancelling case), elsewhere, and probability rows; one row at a time (all entries, a vector) and batched (axis 1,
 * and axis 0 on the transpose). Tolerance 1e-12 relative, norm-wise (‖Δ‖∞ ≤ 1e-12·‖ref‖∞, |ΔL| ≤ 1e-12·|L|), as
 * for the models. logSumExp's HVP and third-order term (the same curvature for one-hot targets) as well. The
 * unfused expression Σ_c y_c (lse(f) − f_c) misses it on saturated rows (checked below, so the fixture can tell the
 * two apart).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { autodiff, fromFunction, type LossModel } from '../../src/index.js';
import { thrown } from '../helpers/errors.js';
import { relDiff } from './compare.js';

const { softmaxCrossEntropy, logSumExp, mul, sub, sum, reshape, transpose } = autodiff;

interface Row {
  f: number[];
  y: number[];
  r: number[];
  u: number[];
  loss: number;
  delta: number[];
  curvature: number[];
  third: number[];
}
const rows = JSON.parse(readFileSync(new URL('../fixtures/softmax-cross-entropy/rows.json', import.meta.url), 'utf8')) as Row[];
const TOL = 1e-12;

/** Worst relative differences of loss, gradient, HVP (along r) and third-order term (along u, r) at f. */
function errors(model: LossModel, f: number[], r: number[], u: number[], ref: { loss: number; delta: number[]; curvature: number[]; third: number[] }) {
  const p = model.dim;
  const theta = Float64Array.from(f);
  const g = new Float64Array(p);
  const h = new Float64Array(p);
  const t = new Float64Array(p);
  const loss = model.lossAndGrad(theta, g);
  model.hvp(theta, Float64Array.from(r), h);
  model.thirdOrder!(theta, Float64Array.from(u), Float64Array.from(r), t);
  return { loss: relDiff([loss], [ref.loss]), grad: relDiff(g, ref.delta), hvp: relDiff(h, ref.curvature), third: thirdError(t, ref.third, r, u) };
}

/**
 * Relative error of the third-order term, except where it vanishes in exact arithmetic: at a tie of two logits
 * with k = 2 (row 18) the third cumulant of the softmax is 0 by symmetry (the reference is 80-digit noise, ~1e-82),
 * so no relative accuracy exists; there the absolute error is compared with the term's natural size
 * ‖u‖∞‖r‖∞ instead (and must be ≤ 1e-15 of it, checked by the same 1e-12 bound after scaling by 1e-3).
 */
function thirdError(t: Float64Array, ref: number[], r: number[], u: number[]): number {
  const size = Math.max(...u.map(Math.abs)) * Math.max(...r.map(Math.abs));
  const refNorm = Math.max(...ref.map(Math.abs));
  if (refNorm > 1e-40 * size) return relDiff(t, ref);
  let worst = 0;
  for (let i = 0; i < t.length; i++) worst = Math.max(worst, Math.abs(t[i] - ref[i]));
  return (worst / size) * 1e3;
}

function expectWithin(e: { loss: number; grad: number; hvp: number; third: number }, tol: number): void {
  expect(e.loss, 'loss').toBeLessThanOrEqual(tol);
  expect(e.grad, 'gradient').toBeLessThanOrEqual(tol);
  expect(e.hvp, 'HVP').toBeLessThanOrEqual(tol);
  expect(e.third, 'third order').toBeLessThanOrEqual(tol);
}

describe('autodiff.softmaxCrossEntropy against 80-digit references', () => {
  it('covers saturated rows (s_top within 1e-15 of 1 with the target on top)', () => {
    const saturated = rows.filter((row) => row.y[row.f.indexOf(Math.max(...row.f))] === 1 && row.loss < 1e-15);
    expect(saturated.length).toBeGreaterThanOrEqual(3);
  });

  rows.forEach((row, index) => {
    it(`row ${index}: k = ${row.f.length}, loss ${row.loss.toExponential(2)}: value and derivatives of order 1–3`, () => {
      const model = fromFunction(row.f.length, (w) => softmaxCrossEntropy(w, row.y));
      expectWithin(errors(model, row.f, row.r, row.u, row), TOL);
    });
  });

  for (const k of [2, 3, 4, 5, 6]) {
    it(`batched rows with k = ${k}: axis 1 on [n, k], axis 0 on its transpose`, () => {
      const batch = rows.filter((row) => row.f.length === k);
      const n = batch.length;
      const Y = batch.map((row) => row.y);
      const ref = {
        loss: batch.reduce((a, row) => a + row.loss, 0),
        delta: batch.flatMap((row) => row.delta),
        curvature: batch.flatMap((row) => row.curvature),
        third: batch.flatMap((row) => row.third),
      };
      const flat = (key: 'f' | 'r' | 'u') => batch.flatMap((row) => row[key]);
      const byRows = fromFunction(n * k, (w) => sum(softmaxCrossEntropy(reshape(w, [n, k]), Y, 1)));
      const byColumns = fromFunction(n * k, (w) => sum(softmaxCrossEntropy(transpose(reshape(w, [n, k])), transpose(autodiff.constant(Y)), 0)));
      // The loss is a sum of n positive terms in float64 against the float64 sum of rounded references: a few ulps.
      expectWithin(errors(byRows, flat('f'), flat('r'), flat('u'), ref), TOL);
      expectWithin(errors(byColumns, flat('f'), flat('r'), flat('u'), ref), TOL);
    });
  }

  it('logSumExp: its HVP (diag(s) − ssᵀ) r and third-order term match the references on the one-hot rows (μ = 1)', () => {
    const oneHot = rows.filter((row) => row.y.every((x) => x === 0 || x === 1));
    expect(oneHot.length).toBeGreaterThanOrEqual(30);
    for (const row of oneHot) {
      const model = fromFunction(row.f.length, (w) => logSumExp(w));
      const e = errors(model, row.f, row.r, row.u, { loss: 0, delta: [], curvature: row.curvature, third: row.third });
      expect(e.hvp, `HVP, f = [${row.f}]`).toBeLessThanOrEqual(TOL);
      expect(e.third, `third order, f = [${row.f}]`).toBeLessThanOrEqual(TOL);
    }
  });

  it('the unfused expression Σ y (lse(f) − f) misses 1e-12 on saturated rows (the fixture discriminates)', () => {
    let worst = 0;
    for (const row of rows) {
      const unfused = fromFunction(row.f.length, (w) => sum(mul(row.y, sub(logSumExp(w), w))));
      const e = errors(unfused, row.f, row.r, row.u, row);
      worst = Math.max(worst, e.grad, e.hvp, e.third);
    }
    expect(worst).toBeGreaterThan(1e-3);
  });

  it('shape conventions: a vector is one distribution; per-row values with axis 1', () => {
    const m = fromFunction(6, (w) => {
      const perRow = softmaxCrossEntropy(reshape(w, [2, 3]), [[1, 0, 0], [0, 0.5, 0.5]], 1);
      expect(perRow.shape).toEqual([2]);
      return sum(mul(perRow, [1, 10]));
    });
    const l = m.loss(new Float64Array([0, 0, 0, 1, 2, 3]));
    const lse2 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    expect(l).toBeCloseTo(Math.log(3) + 10 * (lse2 - 2.5), 13);
  });

  it('coded errors: targets of another shape, an axis the shape does not have, use outside fromFunction', () => {
    expect(thrown(() => fromFunction(3, (w) => softmaxCrossEntropy(w, [1, 0]))).code).toBe('E_DIM_MISMATCH');
    expect(thrown(() => fromFunction(4, (w) => sum(softmaxCrossEntropy(reshape(w, [2, 2]), [[1, 0], [0, 1]], 2)))).code).toBe('E_BAD_OPTION');
    expect(thrown(() => softmaxCrossEntropy([1, 2], [1, 0])).code).toBe('E_NOT_SUPPORTED');
  });
});
