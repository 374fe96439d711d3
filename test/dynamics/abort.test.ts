/**
 * Cancellation of the synchronous drivers and of lrSweep: a fired `signal` throws (or rejects with) `E_ABORTED`
 * naming where the run stopped, with the signal's reason as cause; lrSweep reports progress during its flow.
 */
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import { gd } from '../../src/dynamics/gd.js';
import { gradientFlow } from '../../src/dynamics/gradient-flow.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import { lrSweep, type LrSweepProgress } from '../../src/experiments/lr-sweep/lr-sweep.js';
import { scalarFactorization } from '../../src/index.js';

const model = scalarFactorization.create();
const theta0 = new Float64Array([1.5, 0.1]);

function thrown(f: () => unknown): EosLabError {
  try {
    f();
  } catch (e) {
    return e as EosLabError;
  }
  throw new Error('did not throw');
}

describe('signal of gd and gradientFlow', () => {
  it('gd stops at the step where onProgress aborted it, with E_ABORTED and the reason as cause', () => {
    const controller = new AbortController();
    const e = thrown(() =>
      gd(model, theta0, {
        learningRate: 0.01,
        maxSteps: 100_000,
        signal: controller.signal,
        progressEvery: 100,
        onProgress: (p) => {
          if (p.step === 300) controller.abort('stop at 300');
        },
      }),
    );
    expect(e).toBeInstanceOf(EosLabError);
    expect(e.code).toBe('E_ABORTED');
    expect(e.message).toMatch(/at step 300 of at most 100000/);
    expect(e.cause).toBe('stop at 300');
  });

  it('gradientFlow does the same, and an already aborted signal stops both at step 0', () => {
    const controller = new AbortController();
    const e = thrown(() =>
      gradientFlow(model, theta0, {
        step: stepSize.fixed(0.01),
        maxSteps: 100_000,
        signal: controller.signal,
        progressEvery: 50,
        onProgress: (p) => {
          if (p.step === 150) controller.abort();
        },
      }),
    );
    expect(e.code).toBe('E_ABORTED');
    expect(e.message).toMatch(/at step 150/);
    expect(thrown(() => gd(model, theta0, { learningRate: 0.1, signal: AbortSignal.abort() })).message).toMatch(/at step 0/);
    expect(thrown(() => gradientFlow(model, theta0, { signal: AbortSignal.abort() })).code).toBe('E_ABORTED');
    expect(thrown(() => gd(model, theta0, { learningRate: 0.1, signal: 'stop' as never })).code).toBe('E_BAD_OPTION');
  });
});

describe('lrSweep progress and signal', () => {
  it('reports progress during the gradient flow, every progressEvery RK4 steps', async () => {
    const progress: LrSweepProgress[] = [];
    await lrSweep(model, theta0, { lossGoal: 1e-8, learningRates: [0.1], progressEvery: 20, onProgress: (p) => progress.push(p) });
    const flow = progress.filter((p) => p.flowStep !== undefined);
    expect(flow.length).toBeGreaterThan(2);
    expect(flow.map((p) => p.flowStep)).toEqual(flow.map((_, i) => 20 * i));
    expect(flow.every((p) => p.phase === 'flow' && Number.isFinite(p.flowLoss))).toBe(true);
  });

  it('stops during the flow (from onProgress) and between GD runs (from a timer)', async () => {
    const controller = new AbortController();
    const e = await lrSweep(model, theta0, {
      lossGoal: 1e-8,
      learningRates: [0.1],
      progressEvery: 10,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.flowStep === 30) controller.abort();
      },
    }).catch((x: unknown) => x) as EosLabError;
    expect(e.code).toBe('E_ABORTED');
    expect(e.message).toMatch(/^lrSweep: .*during the gradient flow, at RK4 step 30/);

    // The abort comes from a timer (a macrotask), which can only land if the sweep yields to the event loop between
    // runs. It is armed when the first run reports, not at a fixed time: on a fast, idle machine all 400 runs once
    // finished within a fixed 30 ms.
    const timer = new AbortController();
    const done: number[] = [];
    const rates = Array.from({ length: 400 }, (_, i) => 0.001 + 0.002 * i);
    const e2 = await lrSweep(model, theta0, {
      lossGoal: 1e-8,
      learningRates: rates,
      maxSteps: 20_000,
      signal: timer.signal,
      onProgress: (p) => {
        if (p.run === undefined) return;
        done.push(p.run.learningRate);
        if (done.length === 1) setTimeout(() => timer.abort(), 0);
      },
    }).catch((x: unknown) => x) as EosLabError;
    expect(e2.code).toBe('E_ABORTED');
    expect(e2.message).toMatch(/before the GD run at learning rate/);
    expect(done.length).toBeLessThan(rates.length);
  });
});
