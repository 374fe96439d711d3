/**
 * lrSweep with a per-run learning-rate schedule (`lrSchedule: (η) => LrSchedule`): each run equals `gd` with that
 * schedule run by hand, to the bit; worker counts 0 and 2 give identical results; bad shapes are coded errors.
 */
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import { gd } from '../../src/dynamics/gd.js';
import { learningRateAt, lrSchedule, type LrSchedule } from '../../src/dynamics/schedules.js';
import { lrSweep } from '../../src/experiments/lr-sweep/index.js';
import { create as diagonalNet } from '../../src/models/diagonal-net/model.js';

const model = diagonalNet({ inputs: [[1, 4]], targets: [2] });
const theta0 = new Float64Array([0.01, 0.01]);
const BOUNDARY = 40;
const decay = (eta: number): LrSchedule => lrSchedule.stepDecay({ initial: eta, factor: 0.25, boundaries: [BOUNDARY] });
const base = { lossGoal: 1e-6, maxSteps: 20_000, learningRates: [0.01, 0.03, 0.05, 0.07, 0.09], divergence: { maxAbs: 1e3 } };

async function expectCode(p: Promise<unknown>, code: string, argument: string): Promise<void> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(EosLabError);
  expect((e as EosLabError).code).toBe(code);
  expect((e as EosLabError).details.argument).toBe(argument);
}

describe('lrSweep with options.lrSchedule', () => {
  it('each run is gd with lrSchedule(η) run by hand, bit for bit; η stays nominal and the limit is 2/η_K', async () => {
    const sweep = await lrSweep(model, theta0, { ...base, lrSchedule: decay });
    expect(sweep.runs.map((r) => r.learningRate)).toEqual(base.learningRates);
    let crossed = 0;
    for (const r of sweep.runs) {
      const hand = gd(model, theta0, { learningRate: decay(r.learningRate), lossGoal: base.lossGoal, maxSteps: base.maxSteps, divergence: base.divergence });
      expect(r.status).toBe(hand.status);
      expect(r.steps).toBe(hand.steps);
      expect(Object.is(r.loss, hand.loss)).toBe(true);
      expect(r.theta).toEqual(Array.from(hand.theta));
      expect(r.stabilityLimit).toBe(2 / learningRateAt(decay(r.learningRate), hand.steps));
      if (hand.steps > BOUNDARY) crossed++;
    }
    // The decay must matter for the comparison to mean anything: some runs go past the boundary...
    expect(crossed).toBeGreaterThan(0);
    // ...and there the constant-η sweep differs.
    const constant = await lrSweep(model, theta0, base);
    const differs = constant.runs.filter((r, i) => r.steps !== sweep.runs[i].steps || r.loss !== sweep.runs[i].loss);
    expect(differs.length).toBeGreaterThan(0);
  });

  it('a fromFunction schedule in this thread equals the same rates as plain data', async () => {
    const fnShape = (eta: number): LrSchedule => lrSchedule.fromFunction((k) => (k >= BOUNDARY ? eta * 0.25 : eta));
    const a = await lrSweep(model, theta0, { ...base, lrSchedule: fnShape });
    const b = await lrSweep(model, theta0, { ...base, lrSchedule: decay });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('gives identical results with 0 and 2 workers (App. G grid, settle)', async () => {
    const options = { lossGoal: 1e-6, maxSteps: 20_000, settle: {}, schedule: { maxOnward: 8 }, lrSchedule: decay };
    const serial = await lrSweep(model, theta0, options);
    const threaded = await lrSweep(model, theta0, { ...options, workers: 2 });
    expect(serial.runs.length).toBeGreaterThanOrEqual(12); // App. G's fine grid at least
    expect(serial.runs.some((r) => r.steps > BOUNDARY && r.stabilityLimit === 2 / (0.25 * r.learningRate))).toBe(true);
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(serial));
  });

  it('rejects bad shapes with coded errors', async () => {
    await expectCode(lrSweep(model, theta0, { ...base, lrSchedule: 0.1 as never }), 'E_BAD_OPTION', 'options.lrSchedule');
    await expectCode(lrSweep(model, theta0, { ...base, lrSchedule: ((eta: number) => eta) as never }), 'E_BAD_OPTION', 'options.lrSchedule(0.01)');
    await expectCode(lrSweep(model, theta0, { ...base, lrSchedule: (() => ({ kind: 'exponential' })) as never }), 'E_BAD_OPTION', 'options.lrSchedule(0.01).kind');
    await expectCode(lrSweep(model, theta0, { ...base, lrSchedule: (() => ({ kind: 'step-decay', initial: -1, factor: 0.5, boundaries: [3] })) as never }), 'E_BAD_OPTION', 'options.lrSchedule(0.01).initial');
    const fnShape = (eta: number): LrSchedule => lrSchedule.fromFunction(() => eta);
    await expectCode(lrSweep(model, theta0, { ...base, lrSchedule: fnShape, workers: 2 }), 'E_NOT_SUPPORTED', 'options.lrSchedule(0.01)');
  });
});
