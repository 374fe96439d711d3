/**
 * centralFlow's `record.topK` on L = ½(1 − xy)², whose Hessian is known in closed form:
 * H(x, y) = [[y², 2xy − 1], [2xy − 1, x²]], eigenvalues m ± r with m = (x² + y²)/2, r = hypot((x² − y²)/2, 2xy − 1).
 * The tracked eigenvalues at the recorded iterates (below and on the edge) must match these; on the edge λ₁ = 2/η.
 */
import { describe, expect, it } from 'vitest';
import { centralFlow } from '../../src/dynamics/central-flow.js';
import { create as scalarFactorization } from '../../src/models/scalar-factorization/model.js';
import { errorCode } from '../helpers/errors.js';

const model = scalarFactorization();
const eta = 2 / 4.42; // gradient flow from w0 would end at sharpness ≈ 4.48 > 2/η: the flow enters the edge
const w0 = new Float64Array([2.05, 0.9 / 2.05]);

function closedForm(x: number, y: number): { l1: number; l2: number; v1: [number, number] } {
  const a = y * y;
  const c = x * x;
  const b = 2 * x * y - 1;
  const m = (a + c) / 2;
  const r = Math.hypot((c - a) / 2, b);
  const l1 = m + r;
  // Eigenvector of λ₁: (b, λ₁ − a) or (λ₁ − c, b), whichever is longer (both span it unless degenerate).
  const p: [number, number] = [b, l1 - a];
  const q: [number, number] = [l1 - c, b];
  const v = Math.hypot(...p) >= Math.hypot(...q) ? p : q;
  const n = Math.hypot(...v);
  return { l1, l2: m - r, v1: [v[0] / n, v[1] / n] };
}

describe('centralFlow record.topK', () => {
  const every = 5;
  const run = centralFlow(model, w0, {
    learningRate: eta,
    maxTime: 60 * eta,
    record: { every: 1, theta: true, topK: { k: 2, every, vectors: true } },
  });
  const top = run.trace.topK!;

  it('records λ₁ ≥ λ₂ at every `every`-th RK4 step, equal to the closed-form eigenvalues at the recorded iterates', () => {
    expect(run.events[0]?.kind).toBe('enter');
    expect(top.k).toBe(2);
    const records = Math.floor(run.steps / every) + 1;
    expect(Array.from(top.step)).toEqual(Array.from({ length: records }, (_, j) => j * every));
    // Tolerance stated before running: 1e-10 relative to λ₁ (Lanczos on a 2×2 matrix is exact after 2 HVPs up to rounding).
    let onEdge = 0;
    for (let j = 0; j < top.step.length; j++) {
      const s = top.step[j];
      const x = run.trace.theta[2 * s];
      const y = run.trace.theta[2 * s + 1];
      const ref = closedForm(x, y);
      const l1 = top.values[2 * j];
      const l2 = top.values[2 * j + 1];
      expect(Math.abs(l1 - ref.l1)).toBeLessThanOrEqual(1e-10 * Math.abs(ref.l1));
      expect(Math.abs(l2 - ref.l2)).toBeLessThanOrEqual(1e-10 * Math.abs(ref.l1));
      const v = top.vectors![j][0];
      expect(Math.abs(Math.abs(v[0] * ref.v1[0] + v[1] * ref.v1[1]) - 1)).toBeLessThanOrEqual(1e-9);
      if (run.trace.edgeDim[s] === 1) {
        onEdge++;
        expect(Math.abs(l1 - 2 / eta)).toBeLessThanOrEqual(1e-12 * (2 / eta)); // held at the edge
      }
    }
    expect(onEdge).toBeGreaterThan(3); // the path must reach the edge for the on-edge check to mean anything
  });

  it('stores ⟨w_{s+1} − w_s, v₁(w_s)⟩, NaN only where the run stopped', () => {
    for (let j = 0; j < top.step.length; j++) {
      const s = top.step[j];
      if (s === run.steps) {
        expect(top.updateProjection[j]).toBeNaN();
        continue;
      }
      const v = top.vectors![j][0];
      const d0 = run.trace.theta[2 * (s + 1)] - run.trace.theta[2 * s];
      const d1 = run.trace.theta[2 * (s + 1) + 1] - run.trace.theta[2 * s + 1];
      expect(top.updateProjection[j]).toBe(v[0] * d0 + v[1] * d1);
    }
  });

  it('leaves the flow itself unchanged bit for bit and counts its HVPs', () => {
    const plain = centralFlow(model, w0, { learningRate: eta, maxTime: 60 * eta, record: { every: 1, theta: true } });
    expect(Array.from(run.trace.loss)).toEqual(Array.from(plain.trace.loss));
    expect(Array.from(run.trace.theta)).toEqual(Array.from(plain.trace.theta));
    expect(run.events).toEqual(plain.events);
    expect(plain.trace.topK).toBeUndefined();
    const topHvps = Array.from(top.hvps).reduce((a, b) => a + b, 0);
    expect(topHvps).toBeGreaterThan(0);
    expect(run.stats.hvps).toBe(plain.stats.hvps + topHvps);
  });

  it('rejects bad topK options with E_BAD_OPTION', () => {
    expect(errorCode(() => centralFlow(model, w0, { learningRate: eta, maxSteps: 5, record: { topK: { k: 0 } } }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => centralFlow(model, w0, { learningRate: eta, maxSteps: 5, record: { topK: { bogus: 1 } as never } }))).toBe('E_BAD_OPTION');
  });
});
