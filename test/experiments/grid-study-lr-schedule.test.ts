/**
 * gridStudy with a per-rate learning-rate schedule (`lrSchedule: (η) => LrSchedule`, generic kernel): runs equal a
 * hand-written GD loop with η_k (independent of the kernel), the constant schedule reproduces the constant generic
 * study bit for bit, worker counts 0 and 2 agree bit for bit, and bad shapes are coded errors.
 */
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import { learningRateAt, lrSchedule, type LrSchedule } from '../../src/dynamics/schedules.js';
import { gridStudy, type GridStudyResult } from '../../src/experiments/grid-study/grid-study.js';
import { CONVERGED, DIVERGED } from '../../src/experiments/grid-study/kernel-common.js';
import { create as scalarFactorization } from '../../src/models/scalar-factorization/model.js';

const SPEC = { kind: 'scalar-factorization', target: 1, depth: 2 };
const model = scalarFactorization();
const decay = (eta: number): LrSchedule => lrSchedule.stepDecay({ initial: eta, factor: 0.5, boundaries: [30] });
const options = { grid: { shape: 'disk' as const, n: 15, radius: 3 }, learningRates: [0.6, 0.99], maxSteps: 3000 };

function bytes(a: Float64Array | Int32Array | Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}
function bytesOf(study: GridStudyResult): Buffer[] {
  return study.rates.flatMap((r) =>
    [r.status, r.steps, r.finalTheta.data, r.sharpnessProxy, r.sharpnessExact, r.lateFrom, r.eosMedianProxy, r.eosMedianExact, r.fixedPointAt, r.cycleAt].map(bytes),
  );
}

/** GD with η_k written out: the stopping rules of gridStudy (|xy − 1| < tol, maxSteps, |θᵢ| ≥ threshold). */
function handRun(schedule: LrSchedule, x0: number, y0: number, maxSteps: number): { status: number; steps: number; x: number; y: number; median: number } {
  let x = x0;
  let y = y0;
  const late: number[] = [];
  const lateThreshold = 0.01 * Math.abs(x * y - 1);
  let isLate = false;
  for (let k = 0; ; k++) {
    const eta = learningRateAt(schedule, k);
    const r = x * y - 1;
    if (Math.abs(r) < lateThreshold) isLate = true;
    if (isLate) late.push(Math.abs(eta * (x * x + y * y) - 2));
    const median = (): number => {
      const s = [...late].sort((a, b) => a - b);
      const m = s.length >> 1;
      return s.length === 0 ? NaN : s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    };
    if (Math.abs(r) < 1e-8) return { status: CONVERGED, steps: k, x, y, median: median() };
    if (k === maxSteps) return { status: 2, steps: k, x, y, median: median() };
    // ∇½(xy − 1)² = r·(y, x)
    const nx = x - eta * (r * y);
    const ny = y - eta * (r * x);
    if (!(Math.abs(nx) < 1e6) || !(Math.abs(ny) < 1e6)) return { status: DIVERGED, steps: k + 1, x, y, median: median() };
    x = nx;
    y = ny;
  }
}

describe('gridStudy with options.lrSchedule', () => {
  it('converged and diverged runs match GD with η_k written out by hand; the decay matters', async () => {
    const study = await gridStudy(model, { ...options, lrSchedule: decay, workers: 0 });
    expect(study.engine).toBe('generic');
    const constant = await gridStudy(model, { ...options, engine: 'generic', workers: 0 });
    let checked = 0;
    let differs = 0;
    study.rates.forEach((rate, r) => {
      expect(rate.learningRate).toBe(options.learningRates[r]); // the nominal η
      const schedule = decay(rate.learningRate);
      const starts = study.starts.data;
      for (let s = 0; s < rate.status.length; s++) {
        if (rate.status[s] === 2) continue; // max-steps runs may stop computing at a cycle; compared below by workers
        const h = handRun(schedule, starts[2 * s], starts[2 * s + 1], options.maxSteps);
        expect([rate.status[s], rate.steps[s]]).toEqual([h.status, h.steps]);
        expect([rate.finalTheta.data[2 * s], rate.finalTheta.data[2 * s + 1]]).toEqual([h.x, h.y]);
        if (Number.isNaN(h.median)) expect(rate.eosMedianProxy[s]).toBeNaN();
        else expect(Math.abs(rate.eosMedianProxy[s] - h.median)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.max(1, h.median));
        checked++;
        if (constant.rates[r].steps[s] !== rate.steps[s] || constant.rates[r].status[s] !== rate.status[s]) differs++;
      }
    });
    expect(checked).toBeGreaterThan(100);
    expect(differs).toBeGreaterThan(0);
  });

  it('lrSchedule.constant(η) reproduces the constant-η generic study bit for bit', async () => {
    const a = await gridStudy(SPEC, { ...options, engine: 'generic', workers: 0 });
    const b = await gridStudy(SPEC, { ...options, lrSchedule: (eta) => lrSchedule.constant(eta), workers: 0 });
    expect(bytesOf(b)).toEqual(bytesOf(a));
  });

  it('gives bit-identical results with 0 and 2 workers', async () => {
    const a = await gridStudy(SPEC, { ...options, lrSchedule: decay, workers: 0 });
    const b = await gridStudy(SPEC, { ...options, lrSchedule: decay, workers: 2 });
    expect(bytesOf(b)).toEqual(bytesOf(a));
  });

  it('rejects bad shapes and the fused kernel with coded errors', async () => {
    const codeOf = async (p: Promise<unknown>): Promise<[string, string]> => {
      const e = await p.then(() => undefined, (err: unknown) => err);
      expect(e).toBeInstanceOf(EosLabError);
      return [(e as EosLabError).code, (e as EosLabError).details.argument];
    };
    expect(await codeOf(gridStudy(SPEC, { ...options, lrSchedule: 'cosine' as never, workers: 0 }))).toEqual(['E_BAD_OPTION', 'options.lrSchedule']);
    expect(await codeOf(gridStudy(SPEC, { ...options, lrSchedule: ((eta: number) => eta) as never, workers: 0 }))).toEqual(['E_BAD_OPTION', 'options.lrSchedule(0.6)']);
    expect(await codeOf(gridStudy(SPEC, { ...options, lrSchedule: decay, engine: 'fused', workers: 0 }))).toEqual(['E_NOT_SUPPORTED', 'options.engine']);
    const fnShape = (eta: number): LrSchedule => lrSchedule.fromFunction(() => eta);
    expect(await codeOf(gridStudy(SPEC, { ...options, lrSchedule: fnShape, workers: 2 }))).toEqual(['E_NOT_SUPPORTED', 'options.lrSchedule(0.6)']);
  });
});
