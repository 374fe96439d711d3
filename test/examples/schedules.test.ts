/**
 * Smoke test of `npm run reproduce --quick --only schedules`: files written; the recorded learning rates and limits
 * are the closed-form schedules; the first steps are GD with those rates (replayed here); the verdicts follow from
 * the traces (recomputed here).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/core/registry.js';
import { init, type MlpModel, type MlpSpec } from '../../src/models/mlp/index.js';
import { quickRun } from './quick-run.js';

const NAME = 'schedules';
const quick = quickRun(NAME);

interface TraceJson {
  name: string;
  step: number[];
  loss: number[];
  learningRate: number[];
  stabilityLimit: number[];
  sharpnessStep: number[];
  sharpness: number[];
}
interface WarmupJson {
  learningRate: number;
  constant: { status: string; maxEarlyLossRatio: number };
  warmup: { status: string; maxEarlyLossRatio: number };
  reproduces: { constantSpikes: boolean; warmupNoSpike: boolean; claim: boolean };
}
interface SummaryJson {
  spec: MlpSpec;
  settings: { initSeed: number; warmupSteps: number; decayInitial: number; decayFactor: number; decayAt: number; decayRunSteps: number; band: number; minFractionInBand: number; spikeFactor: number };
  warmup: WarmupJson[];
  decay: { limitAfter: number; reachedNewLimitAt: number | null; reproduces: { risesToNewLimit: boolean } };
}
const summary = (): SummaryJson => JSON.parse(readFileSync(join(quick.dir, 'summary.json'), 'utf8'));
const traces = (): TraceJson[] => JSON.parse(readFileSync(join(quick.dir, 'traces.json'), 'utf8')).runs;

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds, writes its files and prints a verdict for each claim', () => {
    quick.expectOutputs(['decay.svg', 'figure.svg', 'summary.json', 'traces.json', 'warmup-loss.svg', 'warmup-sharpness.svg'], { minPaths: 2 });
    const text = quick.lines.join('\n');
    expect(text).toMatch(/warm-up lets η = .* train without early spikes: (reproduces|does NOT reproduce)/);
    expect(text).toMatch(/after the decay the sharpness rises to the new 2\/η: (reproduces|does NOT reproduce)/);
  });

  it('recorded η_k and 2/η_k are the closed-form schedules', () => {
    const s = summary();
    const t = traces();
    for (const [i, w] of s.warmup.entries()) {
      const c = t[2 * i];
      const wu = t[2 * i + 1];
      expect(c.learningRate.every((x) => x === w.learningRate)).toBe(true);
      for (const k of [0, 1, 17, s.settings.warmupSteps - 1, s.settings.warmupSteps]) {
        if (k >= wu.step.length) continue;
        const W = s.settings.warmupSteps;
        const expected = k >= W ? w.learningRate : w.learningRate / W + ((w.learningRate - w.learningRate / W) * k) / W;
        expect(wu.learningRate[k]).toBeCloseTo(expected, 14);
        expect(wu.stabilityLimit[k]).toBeCloseTo(2 / expected, 9);
      }
    }
    const d = t[t.length - 1];
    const { decayInitial: e1, decayFactor: f, decayAt: at } = s.settings;
    expect(d.learningRate[at - 1]).toBe(e1);
    expect(d.learningRate[at]).toBe(e1 * f);
    expect(d.stabilityLimit[at]).toBe(2 / (e1 * f));
  });

  it('the step-decay run is GD at η₁ before the decay (its first 40 losses replayed from θ₀ by θ ← θ − η₁∇L, bit for bit)', () => {
    const s = summary();
    const d = traces().at(-1)!;
    const model = createModel(s.spec) as MlpModel;
    const theta = init(model, { seed: s.settings.initSeed });
    const g = new Float64Array(model.dim);
    for (let k = 0; k < 40; k++) {
      expect(model.lossAndGrad(theta, g)).toBe(d.loss[k]);
      for (let i = 0; i < model.dim; i++) theta[i] = theta[i] - s.settings.decayInitial * g[i];
    }
  });

  it('the verdicts follow from the traces (recomputed here)', () => {
    const s = summary();
    const t = traces();
    for (const [i, w] of s.warmup.entries()) {
      for (const [tr, part] of [[t[2 * i], w.constant], [t[2 * i + 1], w.warmup]] as const) {
        let m = 0;
        for (let j = 0; j < tr.step.length && tr.step[j] <= s.settings.warmupSteps; j++) m = Math.max(m, tr.loss[j] / tr.loss[0]);
        expect(part.maxEarlyLossRatio).toBe(m);
      }
      expect(w.reproduces.constantSpikes).toBe(w.constant.status === 'diverged' || w.constant.maxEarlyLossRatio > s.settings.spikeFactor);
      expect(w.reproduces.warmupNoSpike).toBe(w.warmup.status !== 'diverged' && w.warmup.maxEarlyLossRatio <= s.settings.spikeFactor);
    }
    const d = t[t.length - 1];
    const j = d.sharpnessStep.findIndex((k, i) => k >= s.settings.decayAt && d.sharpness[i] >= s.decay.limitAfter);
    expect(s.decay.reachedNewLimitAt).toBe(j < 0 ? null : d.sharpnessStep[j]);
    expect(s.decay.reproduces.risesToNewLimit).toBe(j >= 0);
  });
});
