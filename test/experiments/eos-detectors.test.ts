import { describe, expect, it } from 'vitest';
import { eosCycles, progressiveSharpeningTime } from '../../src/experiments/eos-detectors.js';
import { gd } from '../../src/dynamics/gd.js';
import { create as widthOneNet, clipAlpha } from '../../src/models/width-one-net/index.js';
import { errorCode } from '../helpers/errors.js';

describe('progressiveSharpeningTime: t_η = inf{k : S_k ≥ 2/η}', () => {
  it('finds the first entry at or above 2/η (hand-made traces)', () => {
    expect(progressiveSharpeningTime([1, 2.5, 3.9, 4, 3.8], 0.5)).toBe(3); // reaching 2/η exactly counts
    expect(progressiveSharpeningTime([1, 2, 3], 0.5)).toBeNull();
    expect(progressiveSharpeningTime([NaN, 5], 0.5)).toBe(1); // NaN never counts
    expect(progressiveSharpeningTime(new Float64Array([0, 9]), 0.5, { steps: new Int32Array([0, 250]) })).toBe(250);
    expect(progressiveSharpeningTime([], 1)).toBeNull();
  });

  it('rejects bad input with codes', () => {
    expect(errorCode(() => progressiveSharpeningTime([1], 0))).toBe('E_BAD_OPTION');
    expect(errorCode(() => progressiveSharpeningTime([1], NaN))).toBe('E_NONFINITE');
    expect(errorCode(() => progressiveSharpeningTime(3 as never, 1))).toBe('E_BAD_OPTION');
    expect(errorCode(() => progressiveSharpeningTime([1, 2], 1, { steps: [0] }))).toBe('E_DIM_MISMATCH');
  });
});

describe('eosCycles: up-crossings of (1 + band)·2/η closed by down-crossings of (1 − band)·2/η', () => {
  it('counts complete excursions only, with hysteresis (hand-made trace, 2/η = 2, band 1%)', () => {
    //          0    1    2    3     4     5    6    7    8    9
    const s = [1.5, 2.5, 1.9, 2.01, 1.99, 2.3, 2.6, 1.5, 2.9, 2.8];
    const loss = [1, 2, 1, 1, 1, 1, 8, 1, 1, 1];
    const cycles = eosCycles(s, 1, { loss });
    // entries 3–4 wiggle inside [1.98, 2.02]: no cycle; entries 8–9 never come back down: not counted.
    expect(cycles).toEqual([
      { up: 1, down: 2, peak: 1.25, peakStep: 1, lossSpike: 1 },
      { up: 5, down: 7, peak: 1.3, peakStep: 6, lossSpike: 8 },
    ]);
  });

  it('a wider band ignores small excursions; steps map entries to steps; lossSpike is NaN without loss', () => {
    const s = [1.5, 2.1, 1.7, 3, 1];
    expect(eosCycles(s, 1, { band: 0.2 }).map((c) => c.up)).toEqual([3]);
    const [c] = eosCycles(s, 1, { band: 0.2, steps: [0, 10, 20, 30, 40] });
    expect([c.up, c.down, c.peakStep]).toEqual([30, 40, 30]);
    expect(c.lossSpike).toBeNaN();
  });

  it('finds repeated cycles on [Minimalist EoS]\'s clipped GD and none on a stable quadratic-like run', () => {
    // The width-one net's documented setting (docs/width-one-net.md): λ₁ = 1, λ₂ = 1e-3, θ₀ = (0.45, 0.01, 0), η = 8,
    // |α| kept ≥ 0.9·√(2/(ηλ₁)). Sharpness by the dense 3×3 solver every step.
    const model = widthOneNet({ varianceIrrelevant: 1, varianceRelevant: 1e-3 });
    const eta = 8;
    const run = gd(model, new Float64Array([0.45, 0.01, 0]), {
      learningRate: eta,
      maxSteps: 1500,
      transform: clipAlpha({ constant: 0.9 * Math.sqrt(2 / eta) }),
      record: { every: 1, sharpnessEvery: 1 },
    });
    const cycles = eosCycles(run.trace.sharpness, eta, { loss: run.trace.loss.subarray(0, run.trace.sharpness.length) });
    expect(cycles.length).toBeGreaterThanOrEqual(5);
    for (const c of cycles) {
      expect(c.peak).toBeGreaterThan(1.01);
      expect(c.down).toBeGreaterThan(c.up);
    }
    // Far below the edge (η = 0.5, 2/η = 4 ≫ λ_max ≈ 0.2): no crossing at all.
    const calm = gd(model, new Float64Array([0.45, 0.01, 0]), { learningRate: 0.5, maxSteps: 200, record: { every: 1, sharpnessEvery: 1 } });
    expect(eosCycles(calm.trace.sharpness, 0.5)).toEqual([]);
    expect(progressiveSharpeningTime(calm.trace.sharpness, 0.5)).toBeNull();
    expect(progressiveSharpeningTime(run.trace.sharpness, eta)).not.toBeNull();
  });

  it('rejects bad input with codes', () => {
    expect(errorCode(() => eosCycles([1], -1))).toBe('E_BAD_OPTION');
    expect(errorCode(() => eosCycles([1], 1, { band: 1 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => eosCycles([1], 1, { band: -0.1 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => eosCycles([1, 2], 1, { loss: [1] }))).toBe('E_DIM_MISMATCH');
    expect(errorCode(() => eosCycles([1, 2], 1, { loss: 5 as never }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => progressiveSharpeningTime([1, 2], 1, { steps: 'ab' as never }))).toBe('E_BAD_OPTION');
  });
});
