/**
 * The computation behind the `schedules` example, on the Chebyshev MLP of `mlp-eos` with full-batch GD:
 * (A) warm-up — a learning rate whose limit 2/η is below λ_max(θ₀), run at a constant rate and with a linear warm-up;
 * (B) step decay — GD at η₁ until the edge of stability, then η₂ = factor·η₁: does λ_max rise to the new 2/η₂?
 * [Cohen et al. 2021, Sec. 6; EoS blog post]. The stability limit recorded per step is the schedule's, 2/η_k.
 */
import type { ChebyshevDescriptor } from '../../src/data/dataset.js';
import { lrSchedule, type LrSchedule } from '../../src/dynamics/schedules.js';
import { train, type TrainResult } from '../../src/dynamics/train.js';
import { create, init, type MlpModel, type MlpSpec } from '../../src/models/mlp/index.js';
import { sharpness } from '../../src/sharpness/sharpness.js';

export interface SchedulesSettings {
  layers: number[];
  data: ChebyshevDescriptor;
  initSeed: number;
  /**
   * (A) the large rates, as multiples r of 2/λ_max(θ₀): η = r·2/λ_max(θ₀), so 2/η = λ_max(θ₀)/r lies below the
   * initial sharpness (r > 1) and a constant rate starts unstable.
   */
  warmupMultiples: number[];
  warmupSteps: number;
  warmupRunSteps: number;
  /** (B) η₁, the decay factor, the decay step and the total steps. */
  decayInitial: number;
  decayFactor: number;
  decayAt: number;
  decayRunSteps: number;
  sharpnessEvery: number;
  lanczosTol: number;
  /** Claims fixed before running. A spike: L(θ_k) > spikeFactor·L(θ₀) for some k ≤ warmupSteps. */
  spikeFactor: number;
  /** "Trains": final loss < L(θ₀)/trainsBy. */
  trainsBy: number;
  /** |λ_max/(2/η) − 1| ≤ band is "at the limit"; hovering = ≥ minFractionInBand of the samples in the last quarter of a phase. */
  band: number;
  minFractionInBand: number;
}

export const DEFAULT_SETTINGS: SchedulesSettings = {
  layers: [1, 100, 100, 1],
  data: { dataset: 'chebyshev', points: 20, degree: 4 },
  initSeed: 0,
  warmupMultiples: [1.2, 1.6, 2],
  warmupSteps: 1_000,
  warmupRunSteps: 3_000,
  decayInitial: 0.1,
  decayFactor: 0.5,
  decayAt: 4_000,
  decayRunSteps: 10_000,
  sharpnessEvery: 20,
  lanczosTol: 1e-6,
  spikeFactor: 1,
  trainsBy: 10,
  band: 0.1,
  minFractionInBand: 0.8,
};

export const QUICK_SETTINGS: SchedulesSettings = {
  ...DEFAULT_SETTINGS,
  layers: [1, 16, 16, 1],
  warmupRunSteps: 2_000,
  decayInitial: 0.3,
  decayAt: 1_500,
  decayRunSteps: 4_000,
};

export interface ScheduleRunTrace {
  name: string;
  step: Int32Array;
  loss: Float64Array;
  learningRate: Float64Array;
  stabilityLimit: Float64Array;
  sharpnessStep: Int32Array;
  sharpness: Float64Array;
}

export interface WarmupSummary {
  /** r: η = r·2/λ_max(θ₀). */
  multiple: number;
  learningRate: number;
  /** 2/η at the peak rate, = λ_max(θ₀)/r. */
  peakLimit: number;
  constant: { status: string; steps: number; maxEarlyLossRatio: number; finalLoss: number };
  warmup: { status: string; steps: number; maxEarlyLossRatio: number; finalLoss: number };
  reproduces: { constantSpikes: boolean; warmupNoSpike: boolean; warmupTrains: boolean; claim: boolean };
}

export interface DecaySummary {
  limitBefore: number;
  limitAfter: number;
  /** λ_max/(2/η₁) over the last quarter before the decay. */
  beforeFractionInBand: number;
  beforeMedianRatio: number;
  /** After the decay: the first sampled step with λ_max ≥ 2/η₂ (null: never) and the largest λ_max/(2/η₂). */
  reachedNewLimitAt: number | null;
  maxRatioAfter: number;
  /** λ_max/(2/η₂) over the last quarter of the run. */
  afterFractionInBand: number;
  afterMedianRatio: number;
  status: string;
  reproduces: { atEdgeBeforeDecay: boolean; risesToNewLimit: boolean; hoversAtNewLimit: boolean };
}

export interface SchedulesResult {
  summary: { model: string; settings: SchedulesSettings; spec: MlpSpec; dim: number; initialSharpness: number; warmup: WarmupSummary[]; decay: DecaySummary };
  runs: ScheduleRunTrace[];
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function run(model: MlpModel, theta0: Float64Array, schedule: LrSchedule, steps: number, s: SchedulesSettings, name: string, progress: (m: string) => void): [TrainResult, ScheduleRunTrace] {
  const r = train(model, theta0, {
    learningRate: schedule,
    maxSteps: steps,
    record: { every: 1, sharpnessEvery: s.sharpnessEvery, sharpness: { method: 'lanczos', tol: s.lanczosTol } },
    onProgress: (p) => progress(`${name}: step ${p.step}/${p.maxSteps}, loss ${p.loss.toExponential(3)}`),
    progressEvery: 2000,
  });
  progress(`${name}: ${r.message}`);
  return [r, { name, step: r.trace.step, loss: r.trace.loss, learningRate: r.trace.learningRate, stabilityLimit: r.trace.stabilityLimit, sharpnessStep: r.trace.sharpnessStep, sharpness: r.trace.sharpness }];
}

/** max over recorded k ≤ until of L(θ_k)/L(θ₀). */
export function maxEarlyLossRatio(t: ScheduleRunTrace, until: number): number {
  let m = 0;
  for (let j = 0; j < t.step.length && t.step[j] <= until; j++) m = Math.max(m, t.loss[j] / t.loss[0]);
  return m;
}

/** Samples of λ_max/limit with steps in [from, to). */
export function ratiosIn(t: ScheduleRunTrace, from: number, to: number, limit: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < t.sharpnessStep.length; j++) if (t.sharpnessStep[j] >= from && t.sharpnessStep[j] < to) out.push(t.sharpness[j] / limit);
  return out;
}

export function computeSchedules(s: SchedulesSettings, progress: (m: string) => void = () => {}): SchedulesResult {
  const model = create({ layers: s.layers, activation: 'tanh', loss: 'mse', data: s.data });
  const theta0 = init(model, { seed: s.initSeed });
  const initialSharpness = sharpness(model, theta0, { method: 'lanczos', tol: s.lanczosTol });
  progress(`model: p = ${model.dim}, λ_max(θ₀) = ${initialSharpness.toFixed(3)}`);

  // (A) warm-up, at each multiple r
  const warmups: WarmupSummary[] = [];
  const runs: ScheduleRunTrace[] = [];
  for (const r of s.warmupMultiples) {
    const eta = Number(((2 * r) / initialSharpness).toPrecision(3));
    const [cRun, cTrace] = run(model, theta0, lrSchedule.constant(eta), s.warmupRunSteps, s, `constant η = ${eta}`, progress);
    const [wRun, wTrace] = run(model, theta0, lrSchedule.linearWarmup({ peak: eta, warmupSteps: s.warmupSteps }), s.warmupRunSteps, s, `warm-up to ${eta}`, progress);
    runs.push(cTrace, wTrace);
    const l0 = cTrace.loss[0];
    const cEarly = maxEarlyLossRatio(cTrace, s.warmupSteps);
    const wEarly = maxEarlyLossRatio(wTrace, s.warmupSteps);
    const constantSpikes = cRun.status === 'diverged' || cEarly > s.spikeFactor;
    const warmupNoSpike = wRun.status !== 'diverged' && wEarly <= s.spikeFactor;
    const warmupTrains = wRun.status !== 'diverged' && wRun.loss < l0 / s.trainsBy;
    warmups.push({
      multiple: r,
      learningRate: eta,
      peakLimit: 2 / eta,
      constant: { status: cRun.status, steps: cRun.steps, maxEarlyLossRatio: cEarly, finalLoss: cRun.loss },
      warmup: { status: wRun.status, steps: wRun.steps, maxEarlyLossRatio: wEarly, finalLoss: wRun.loss },
      reproduces: { constantSpikes, warmupNoSpike, warmupTrains, claim: constantSpikes && warmupNoSpike && warmupTrains },
    });
  }

  // (B) step decay
  const decaySchedule = lrSchedule.stepDecay({ initial: s.decayInitial, factor: s.decayFactor, boundaries: [s.decayAt] });
  const [dRun, dTrace] = run(model, theta0, decaySchedule, s.decayRunSteps, s, `step decay ${s.decayInitial} → ×${s.decayFactor} at ${s.decayAt}`, progress);
  const limitBefore = 2 / s.decayInitial;
  const limitAfter = 2 / (s.decayInitial * s.decayFactor);
  const before = ratiosIn(dTrace, 0.75 * s.decayAt, s.decayAt, limitBefore);
  const after = ratiosIn(dTrace, s.decayAt, s.decayRunSteps + 1, limitAfter);
  const lastQuarter = ratiosIn(dTrace, s.decayRunSteps - 0.25 * (s.decayRunSteps - s.decayAt), s.decayRunSteps + 1, limitAfter);
  let reachedNewLimitAt: number | null = null;
  for (let j = 0; j < dTrace.sharpnessStep.length; j++) {
    if (dTrace.sharpnessStep[j] >= s.decayAt && dTrace.sharpness[j] >= limitAfter) {
      reachedNewLimitAt = dTrace.sharpnessStep[j];
      break;
    }
  }
  const frac = (v: number[]) => (v.length ? v.filter((r) => Math.abs(r - 1) <= s.band).length / v.length : 0);
  const decay: DecaySummary = {
    limitBefore,
    limitAfter,
    beforeFractionInBand: frac(before),
    beforeMedianRatio: median(before),
    reachedNewLimitAt,
    maxRatioAfter: after.length ? Math.max(...after) : NaN,
    afterFractionInBand: frac(lastQuarter),
    afterMedianRatio: median(lastQuarter),
    status: dRun.status,
    reproduces: {
      atEdgeBeforeDecay: frac(before) >= s.minFractionInBand,
      risesToNewLimit: reachedNewLimitAt !== null,
      hoversAtNewLimit: frac(lastQuarter) >= s.minFractionInBand,
    },
  };
  return {
    summary: {
      model: `tanh MLP ${s.layers.join('-')}, MSE on Chebyshev T_${s.data.degree} at ${s.data.points} points, full-batch GD`,
      settings: s,
      spec: model.spec,
      dim: model.dim,
      initialSharpness,
      warmup: warmups,
      decay,
    },
    runs: [...runs, dTrace],
  };
}
