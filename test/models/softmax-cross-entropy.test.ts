/**
 * The softmax cross-entropy helpers shared by the MLP and CNN kernels, against 80-digit references
 * (test/fixtures/softmax-cross-entropy/generate.py, mpmath): loss, derivative μs − y and curvature
 * μ(diag(s) − ssᵀ)r on 60 rows, k = 2–6, with the top logit ahead by 0 to 40 (s_top up to 1 − 4e-18), for
 * one-hot targets on the top class (the saturated, cancelling case), elsewhere, and probability rows.
 * Tolerance: 1e-12 relative, norm-wise (‖Δ‖∞ ≤ 1e-12·‖ref‖∞; |ΔL| ≤ 1e-12·|L|), as for the models. The direct
 * formulas (m + log Σ e^{f−m}) − f_c, μ·s − y and s⊙(r − sᵀr) fail this from a gap of ~15 on.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crossEntropyCurvature, crossEntropyDelta, crossEntropyRow, softmaxScratch } from '../../src/models/softmax-cross-entropy.js';
import { relDiff } from '../autodiff/compare.js';

interface Row {
  f: number[];
  y: number[];
  r: number[];
  loss: number;
  delta: number[];
  curvature: number[];
}
const rows = JSON.parse(readFileSync(new URL('../fixtures/softmax-cross-entropy/rows.json', import.meta.url), 'utf8')) as Row[];
const TOL = 1e-12;

describe('softmax cross-entropy without cancellation (80-digit references)', () => {
  it('covers saturated rows (s_top within 1e-15 of 1 with the target on top)', () => {
    const saturated = rows.filter((row) => row.y[row.f.indexOf(Math.max(...row.f))] === 1 && row.loss < 1e-15);
    expect(saturated.length).toBeGreaterThanOrEqual(3);
  });

  rows.forEach((row, index) => {
    it(`row ${index}: k = ${row.f.length}, loss ${row.loss.toExponential(2)}`, () => {
      const k = row.f.length;
      const scratch = softmaxScratch(k);
      // Offsets inside larger buffers, as the kernels use them.
      const f = Float64Array.from([7, ...row.f]);
      const y = Float64Array.from([0.5, 0.5, ...row.y]);
      const r = Float64Array.from([...row.r, 3]);
      const soft = new Float64Array(k + 2);
      const rest = new Float64Array(k + 2);
      expect(relDiff([crossEntropyRow(scratch, f, 1, y, 2)], [row.loss])).toBeLessThanOrEqual(TOL);
      expect(relDiff([crossEntropyRow(scratch, f, 1, y, 2, soft, rest, 2)], [row.loss])).toBeLessThanOrEqual(TOL);
      const mu = row.y.reduce((a, b) => a + b, 0);
      const delta = new Float64Array(k + 1);
      crossEntropyDelta(scratch, y, 2, soft, rest, 2, 1, delta, 1);
      expect(relDiff(delta.subarray(1), row.delta)).toBeLessThanOrEqual(TOL);
      const curvature = new Float64Array(k);
      crossEntropyCurvature(scratch, soft, rest, 2, r, 0, mu, curvature, 0);
      expect(relDiff(curvature, row.curvature)).toBeLessThanOrEqual(TOL);
    });
  });
});
