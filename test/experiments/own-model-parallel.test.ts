/**
 * Parallel runs of user models (gridStudy, lrSweep): in this thread the model object given is run; before any
 * worker run, the spec must reproduce the model and the workers must know its kind — checked before any work,
 * with messages that say what to do.
 */
import { fileURLToPath } from 'node:url';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import type { LossModel, ModelSpec } from '../../src/core/loss-model.js';
import { registerModel } from '../../src/core/registry.js';
import { gridStudy } from '../../src/experiments/grid-study/grid-study.js';
import { lrSweep, type LrSweepProgress } from '../../src/experiments/lr-sweep/lr-sweep.js';
import { calls, scaledQuadratic } from './helpers/scaled-quadratic.js';

const PRELOAD = [fileURLToPath(new URL('./helpers/scaled-quadratic.ts', import.meta.url))];

/** Starts on a small circle (radius 0.5), as an [m, 2] NdArray. */
function circleStarts(m: number) {
  const data = new Float64Array(2 * m);
  for (let s = 0; s < m; s++) {
    data[2 * s] = 0.5 * Math.cos((2 * Math.PI * s) / m);
    data[2 * s + 1] = 0.5 * Math.sin((2 * Math.PI * s) / m);
  }
  return ndarray(data, [m, 2]);
}

/** A kind registered in this thread only (no preload module registers it). */
function mainOnly(spec: ModelSpec): LossModel {
  return { ...scaledQuadratic(1), spec };
}
registerModel('test-main-thread-only', mainOnly);

describe('gridStudy with a user model', () => {
  it('runs the model object given in this thread, not one rebuilt from its spec', async () => {
    // The spec says a = 1 (η·a = 1.2: converges); the object has a = 4 (η·a = 4.8: diverges from every start).
    const model = scaledQuadratic(1, 4);
    const study = await gridStudy(model, { starts: circleStarts(8), learningRates: [1.2], workers: 0, maxSteps: 500 });
    expect(study.rates[0].summary.diverged).toBe(8);
    const rebuilt = await gridStudy(model.spec, { starts: circleStarts(8), learningRates: [1.2], workers: 0, maxSteps: 500 });
    expect(rebuilt.rates[0].summary.converged).toBe(8);
  });

  it('refuses, before any work, to run on workers a model its spec does not reproduce (E_MODEL_MISMATCH)', async () => {
    const model = scaledQuadratic(1, 4);
    const progress: unknown[] = [];
    const error = await gridStudy(model, {
      starts: circleStarts(8),
      learningRates: [1.2],
      workers: 2,
      preload: PRELOAD,
      onProgress: (p) => progress.push(p),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EosLabError);
    expect((error as EosLabError).code).toBe('E_MODEL_MISMATCH');
    // L(θ₀) at the first start (0.5, 0): ½·4·0.25 = 0.5 given, ½·1·0.25 = 0.125 rebuilt.
    expect((error as EosLabError).details.argument).toBe('createModel(model.spec).loss(theta0)');
    expect((error as EosLabError).details.value).toBe(0.125);
    expect((error as EosLabError).message).toMatch(/0\.5, the given model's value/);
    expect(progress).toEqual([]);
  });

  it('detects a kind the workers do not know before any work, and says to use preload (E_UNKNOWN_MODEL)', async () => {
    const progress: unknown[] = [];
    // 200 starts: 4 blocks of 64, so 2 workers get chunks (with one block the study would run in this thread).
    const error = await gridStudy(mainOnly({ kind: 'test-main-thread-only' }), {
      starts: circleStarts(200),
      learningRates: [0.5],
      workers: 2,
      onProgress: (p) => progress.push(p),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EosLabError);
    expect((error as EosLabError).code).toBe('E_UNKNOWN_MODEL');
    expect((error as EosLabError).message).toMatch(/options\.preload/);
    expect((error as EosLabError).message).toMatch(/'test-main-thread-only'/);
    expect(progress).toEqual([]);
  });

  it('a spec whose kind nobody registered: E_UNKNOWN_MODEL saying to use preload; with the preload it runs', async () => {
    const spec = { kind: 'test-registered-by-preload-only', a: 1, dim: 2 };
    const error = await gridStudy(spec, { starts: circleStarts(8), workers: 0 }).catch((e: unknown) => e);
    expect((error as EosLabError).code).toBe('E_UNKNOWN_MODEL');
    expect((error as EosLabError).message).toMatch(/options\.preload/);
    // The preload module registers it (in this thread too, where the study imports it first).
    const preload = [fileURLToPath(new URL('./helpers/preload-only-model.ts', import.meta.url))];
    const study = await gridStudy(spec, { starts: circleStarts(8), learningRates: [0.5], workers: 0, preload });
    expect(study.rates[0].summary.converged).toBe(8);
  });

  it('with the preload, gives the in-process results bit for bit on 2 workers', async () => {
    const model = scaledQuadratic(1.5);
    const options = { starts: circleStarts(40), learningRates: [0.5, 1.2, 1.4], maxSteps: 2000 };
    const here = await gridStudy(model, { ...options, workers: 0 });
    const threads = await gridStudy(model, { ...options, workers: 2, preload: PRELOAD });
    for (let r = 0; r < 3; r++) {
      expect(threads.rates[r].summary).toEqual(here.rates[r].summary);
      expect(Array.from(threads.rates[r].finalTheta.data)).toEqual(Array.from(here.rates[r].finalTheta.data));
    }
    expect(here.rates[2].summary.diverged).toBe(40); // η·a = 2.1 > 2
  });

  it(`rejects workers above MAX_WORKERS (E_BAD_OPTION) before any work`, async () => {
    await expect(gridStudy(scaledQuadratic(1), { starts: circleStarts(4), workers: 1000 })).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
  });
});

describe('lrSweep with a user model', () => {
  it('detects a kind the workers do not know before the gradient flow (E_UNKNOWN_MODEL, says preload)', async () => {
    const progress: LrSweepProgress[] = [];
    const before = calls.lossAndGrad;
    const error = await lrSweep(mainOnly({ kind: 'test-main-thread-only' }), new Float64Array([0.5, 0.25]), {
      lossGoal: 1e-8,
      workers: 2,
      onProgress: (p) => progress.push(p),
    }).catch((e: unknown) => e);
    expect((error as EosLabError).code).toBe('E_UNKNOWN_MODEL');
    expect((error as EosLabError).message).toMatch(/preload/);
    expect(progress).toEqual([]); // the flow did not start
    // Two gradients: the spec check's, of the given model and of the one rebuilt here, at θ₀; none of the flow.
    expect(calls.lossAndGrad - before).toBe(2);
  });

  it('refuses a model its spec does not reproduce before the flow (E_MODEL_MISMATCH naming the gradient entry)', async () => {
    // Same loss at θ₀ = (0, 1)? No: pick a model differing in the gradient only: a = 1 vs a = 1 + 2⁻⁵², θ₀ = (1e-200, 0).
    const model = scaledQuadratic(1, 1 + 2 ** -52);
    const error = await lrSweep(model, new Float64Array([1e-200, 0]), { lossGoal: 1e-8, workers: 2, preload: PRELOAD }).catch(
      (e: unknown) => e,
    );
    expect((error as EosLabError).code).toBe('E_MODEL_MISMATCH');
    // L(θ₀) = ½·a·1e-400 underflows to 0 for both, so the first difference is the gradient's first entry.
    expect((error as EosLabError).details.argument).toBe('createModel(model.spec).gradient(theta0)[0]');
  });

  it('runs the given object in this thread (workers: 0), whatever its spec says', async () => {
    const sweep = await lrSweep(scaledQuadratic(1, 4), new Float64Array([0.5, 0.25]), { lossGoal: 1e-8, learningRates: [0.3, 0.6] });
    // a = 4: η = 0.3 converges (η·a = 1.2), η = 0.6 diverges (2.4); with a = 1 both would converge.
    expect(sweep.runs.map((r) => r.status)).toEqual(['converged', 'diverged']);
  });
});
