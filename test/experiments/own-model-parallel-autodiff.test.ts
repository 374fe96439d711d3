/**
 * Parallel runs of a `fromFunction` (autodiff) user model, the case: through gridStudy and lrSweep on
 * worker threads that rebuild it from its spec (registered by a preload module), with the in-process results to
 * the bit; a function whose data is not in its spec refused before any work (E_MODEL_MISMATCH); the default
 * spec `{ kind: 'from-function' }`, which no worker can rebuild, refused before any work with the advice to
 * register a kind and preload it (E_UNKNOWN_MODEL). The in-thread evaluation count shows that the threaded runs
 * did their work on the workers.
 */
import { fileURLToPath } from 'node:url';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { fromFunction } from '../../src/autodiff/from-function.js';
import { matvec, mean, mul, pow, sub } from '../../src/autodiff/ops.js';
import { EosLabError } from '../../src/core/errors.js';
import type { LossModel } from '../../src/core/loss-model.js';
import { gridStudy } from '../../src/experiments/grid-study/grid-study.js';
import { lrSweep } from '../../src/experiments/lr-sweep/lr-sweep.js';
import { leastSquares, type LeastSquaresSpec } from './helpers/autodiff-least-squares.js';

const PRELOAD = [fileURLToPath(new URL('./helpers/autodiff-least-squares.ts', import.meta.url))];
const SPEC: LeastSquaresSpec = { kind: 'test-autodiff-least-squares', x: [[1, 4], [2, -1]], y: [2, 1] };

/** The model with its gradient evaluations in this thread counted. */
function counted(model: LossModel): { model: LossModel; calls: () => number } {
  let calls = 0;
  return {
    model: {
      ...model,
      lossAndGrad(theta, g) {
        calls++;
        return model.lossAndGrad(theta, g);
      },
    },
    calls: () => calls,
  };
}

/** m starts on the square [0.1, 1.1]² (a 'lattice' of ⌈√m⌉ columns), as an [m, 2] NdArray. */
function starts(m: number) {
  const side = Math.ceil(Math.sqrt(m));
  const data = new Float64Array(2 * m);
  for (let s = 0; s < m; s++) {
    data[2 * s] = 0.1 + (s % side) / side;
    data[2 * s + 1] = 0.1 + Math.floor(s / side) / side;
  }
  return ndarray(data, [m, 2]);
}

describe('a fromFunction model on worker threads', () => {
  it('gridStudy: 2 workers give the in-process results to the bit (200 starts, 3 learning rates)', async () => {
    const options = { starts: starts(200), learningRates: [0.05, 0.15, 0.6], maxSteps: 3000 };
    const here = await gridStudy(leastSquares(SPEC), { ...options, workers: 0 });
    const { model, calls } = counted(leastSquares(SPEC));
    const threads = await gridStudy(model, { ...options, workers: 2, preload: PRELOAD });
    // In this thread only the spec check's gradient ran: the runs were on the workers.
    expect(calls()).toBeLessThanOrEqual(1);
    for (let r = 0; r < 3; r++) {
      expect(threads.rates[r].summary).toEqual(here.rates[r].summary);
      expect(Array.from(threads.rates[r].finalTheta.data)).toEqual(Array.from(here.rates[r].finalTheta.data));
    }
    // Not a vacuous comparison: the study has converged and diverged runs.
    const summaries = here.rates.map((rate) => rate.summary);
    expect(summaries[0].converged).toBeGreaterThan(0);
    expect(summaries[2].diverged).toBeGreaterThan(0);
  });

  it('lrSweep: 2 workers give the in-process result to the bit', async () => {
    const theta0 = new Float64Array([0.5, 0.5]);
    const options = { lossGoal: 1e-10, learningRates: [0.02, 0.05, 0.1, 0.2, 0.3, 0.6], maxSteps: 20_000 };
    const here = await lrSweep(leastSquares(SPEC), theta0, options);
    const { model, calls } = counted(leastSquares(SPEC));
    const threads = await lrSweep(model, theta0, { ...options, workers: 2, preload: PRELOAD });
    expect(JSON.stringify(threads)).toBe(JSON.stringify(here));
    expect(here.runs.map((r) => r.status)).toContain('converged');
    expect(here.runs.map((r) => r.status)).toContain('diverged');
    // In this thread only the spec check and the gradient flow ran; the GD runs' gradients were on the workers.
    expect(calls()).toBeLessThan(here.stats.gradEvals);
  });

  it('a function whose data is not in its spec: E_MODEL_MISMATCH before any work', async () => {
    const progress: unknown[] = [];
    const model = leastSquares(SPEC, [2, 1.5]); // the spec says y = [2, 1]
    const grid = await gridStudy(model, { starts: starts(200), learningRates: [0.1], workers: 2, preload: PRELOAD, onProgress: (p) => progress.push(p) }).catch(
      (e: unknown) => e,
    );
    expect(grid).toBeInstanceOf(EosLabError);
    expect((grid as EosLabError).code).toBe('E_MODEL_MISMATCH');
    expect((grid as EosLabError).details.argument).toBe('createModel(model.spec).loss(theta0)');
    const sweep = await lrSweep(model, new Float64Array([0.5, 0.5]), { lossGoal: 1e-8, workers: 2, preload: PRELOAD, onProgress: (p) => progress.push(p) }).catch(
      (e: unknown) => e,
    );
    expect((sweep as EosLabError).code).toBe('E_MODEL_MISMATCH');
    expect(progress).toEqual([]);
  });

  it("the default spec { kind: 'from-function' }: E_UNKNOWN_MODEL before any work, saying what to do", async () => {
    const model = fromFunction(2, (w) => mul(0.5, mean(pow(sub(matvec(SPEC.x, pow(w, 2)), SPEC.y), 2))));
    expect(model.spec.kind).toBe('from-function');
    const progress: unknown[] = [];
    const { model: watched, calls } = counted(model);
    const grid = await gridStudy(watched, { starts: starts(200), learningRates: [0.1], workers: 2, onProgress: (p) => progress.push(p) }).catch((e: unknown) => e);
    expect((grid as EosLabError).code).toBe('E_UNKNOWN_MODEL');
    expect((grid as EosLabError).message).toMatch(/preload/);
    const sweep = await lrSweep(watched, new Float64Array([0.5, 0.5]), { lossGoal: 1e-8, workers: 2, onProgress: (p) => progress.push(p) }).catch((e: unknown) => e);
    expect((sweep as EosLabError).code).toBe('E_UNKNOWN_MODEL');
    expect((sweep as EosLabError).message).toMatch(/preload/);
    expect(progress).toEqual([]);
    expect(calls()).toBeLessThanOrEqual(2); // at most the spec checks' gradients at θ₀, no run
    // In this thread it runs (no spec needed).
    const sweepHere = await lrSweep(model, new Float64Array([0.5, 0.5]), { lossGoal: 1e-8, learningRates: [0.1] });
    expect(sweepHere.runs[0].status).toBe('converged');
  });

  it('lrSweep rejects workers above MAX_WORKERS (E_BAD_OPTION) before any work', async () => {
    const { model, calls } = counted(leastSquares(SPEC));
    await expect(lrSweep(model, new Float64Array([0.5, 0.5]), { lossGoal: 1e-8, workers: 1000 })).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    expect(calls()).toBe(0);
  });
});
