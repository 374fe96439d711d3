/**
 * [Conflicting biases]'s App. G schedule: the fine and coarse grids and the onward points, from hand-computed values, and
 * the cases App. G does not discuss (empty coarse grid, s_0 ≤ 0).
 */
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import { learningRateSchedule, onwardLearningRate } from '../../src/experiments/lr-sweep/schedule.js';
import { expectRelClose } from '../../src/testing/index.js';

describe('learningRateSchedule (App. G)', () => {
  it('s_0 = 2, s_GF = 20: 12 fine points j/40, coarse 0.3 + k·0.0875 up to 2/s_0 = 1, onward on the same lattice', () => {
    const s = learningRateSchedule(2, 20);
    expect(s.criticalLearningRate).toBe(0.1);
    expect(s.fine).toEqual(Array.from({ length: 12 }, (_, j) => (j + 1) / 40));
    expect(s.fine[3]).toBe(s.criticalLearningRate); // η_c = 2/s_GF is the 4th fine point
    expect(s.coarseEmpty).toBe(false);
    expect(s.coarse).toHaveLength(8);
    expectRelClose(s.coarse, Array.from({ length: 8 }, (_, k) => 0.3 + (k + 1) * 0.0875), { rel: 4 * Number.EPSILON });
    expectRelClose(s.coarse[7], 1, { rel: 4 * Number.EPSILON }); // 2/s_0
    expectRelClose(onwardLearningRate(s, 1), 0.3 + 9 * 0.0875, { rel: 4 * Number.EPSILON });
    expectRelClose(onwardLearningRate(s, 5), 0.3 + 13 * 0.0875, { rel: 4 * Number.EPSILON });
  });

  it('an empty coarse grid (2/s_0 ≤ 6/s_GF) continues from 6/s_GF at the fine step 1/(2 s_GF)', () => {
    const s = learningRateSchedule(10, 20); // 2/s_0 = 0.2 < 0.3
    expect(s.coarse).toEqual([]);
    expect(s.coarseEmpty).toBe(true);
    expectRelClose(onwardLearningRate(s, 1), 0.325, { rel: 4 * Number.EPSILON });
    expectRelClose(onwardLearningRate(s, 4), 0.4, { rel: 4 * Number.EPSILON });
    for (const s0 of [0, -3]) expect(learningRateSchedule(s0, 20).coarseEmpty).toBe(true); // λ_max may be ≤ 0
    expect(learningRateSchedule(20 / 3, 20).coarseEmpty).toBe(true); // 2/s_0 = 6/s_GF: a single point
  });

  it('a custom onward step starts from the last scheduled point', () => {
    const s = learningRateSchedule(2, 20, { onwardStep: 0.5 });
    expect(onwardLearningRate(s, 1)).toBe(s.coarse[7] + 0.5);
    const e = learningRateSchedule(10, 20, { onwardStep: 0.5 });
    expect(onwardLearningRate(e, 2)).toBe(e.fine[11] + 1);
  });

  it('rejects a non-positive s_GF, a non-finite s_0, bad steps and bad k', () => {
    expect(() => learningRateSchedule(1, 0)).toThrow(EosLabError);
    expect(() => learningRateSchedule(NaN, 2)).toThrow(EosLabError);
    expect(() => learningRateSchedule(1, 2, { onwardStep: -1 })).toThrow(EosLabError);
    expect(() => onwardLearningRate(learningRateSchedule(1, 2), 0)).toThrow(EosLabError);
  });
});
