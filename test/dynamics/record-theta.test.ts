/** `record.theta` of gd and gradientFlow: the iterates themselves in the trace, checked against step-kernel replays. */
import { describe, expect, it } from 'vitest';
import { createRk4Scratch, gd, gdStep, gradientFlow, rk4Step, scalarFactorization, stepSize } from '../../src/index.js';
import { thrown } from '../helpers/errors.js';

const model = scalarFactorization.create();

describe('gd record.theta', () => {
  it('rows are θ_k at the recorded steps, bit for bit equal to a gdStep replay (every = 3, η = 0.9: EoS oscillation)', () => {
    const run = gd(model, new Float64Array([2, 0.65]), { learningRate: 0.9, maxSteps: 200, record: { every: 3, theta: true } });
    const t = run.trace.theta!;
    expect(t).toBeInstanceOf(Float64Array);
    expect(t.length).toBe(2 * run.trace.step.length);
    const theta = Float64Array.of(2, 0.65);
    const scratch = new Float64Array(2);
    let j = 0;
    for (let k = 0; k <= run.steps; k++) {
      if (k % 3 === 0) {
        expect([t[2 * j], t[2 * j + 1]]).toEqual([theta[0], theta[1]]);
        expect(run.trace.step[j]).toBe(k);
        j++;
      }
      gdStep(model, theta, 0.9, scratch, theta);
    }
    expect(j).toBe(run.trace.step.length);
  });

  it('absent unless asked; grows past the initial capacity; every = 0 records nothing', () => {
    expect(gd(model, Float64Array.of(1.5, 0.5), { learningRate: 0.1, maxSteps: 5 }).trace.theta).toBeUndefined();
    const long = gd(model, Float64Array.of(1.5, 0.5), { learningRate: 0.01, maxSteps: 3000, record: { theta: true } });
    expect(long.trace.theta!.length).toBe(2 * 3001);
    expect([long.trace.theta![6000], long.trace.theta![6001]]).toEqual([long.theta[0], long.theta[1]]);
    expect(gd(model, Float64Array.of(1.5, 0.5), { learningRate: 0.1, maxSteps: 5, record: { every: 0, theta: true } }).trace.theta!.length).toBe(0);
  });

  it('a non-boolean is E_BAD_OPTION naming options.record.theta', () => {
    const e = thrown(() => gd(model, Float64Array.of(1, 1), { learningRate: 0.1, record: { theta: 1 as unknown as boolean } }));
    expect(e.code).toBe('E_BAD_OPTION');
    expect(e.details.argument).toBe('options.record.theta');
  });
});

describe('gradientFlow record.theta', () => {
  it('rows are the RK4 iterates at the recorded steps (an rk4Step replay, bit for bit with a fixed step)', () => {
    const flow = gradientFlow(model, Float64Array.of(2, 0.65), { step: stepSize.fixed(0.05), maxSteps: 100, record: { every: 10, theta: true } });
    const t = flow.trace.theta!;
    expect(t.length).toBe(2 * flow.trace.step.length);
    const theta = Float64Array.of(2, 0.65);
    const scratch = createRk4Scratch(2);
    let j = 0;
    for (let k = 0; k <= flow.steps; k++) {
      if (k % 10 === 0) {
        expect([t[2 * j], t[2 * j + 1]]).toEqual([theta[0], theta[1]]);
        j++;
      }
      rk4Step(model, theta, 0.05, scratch, theta);
    }
    expect(j).toBe(flow.trace.step.length);
  });
});
