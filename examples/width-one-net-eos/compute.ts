/**
 * The computation behind the `width-one-net-eos` example ([Minimalist EoS]): GD with α-clipping on the width-one net
 * L = ½λ₁α²β₁² + ½λ₂(αβ₂ − 1)² at three learning rates, the unclipped dynamics, projected GD on the stable set,
 * gradient flow, the checks of Lemma 4.2, Thm 4.1, Thm 5.2 and Thm 4.6/5.5, and a small search over settings for
 * repeated edge-of-stability cycles.
 */
import { gd } from '../../src/dynamics/gd.js';
import { gradientFlow } from '../../src/dynamics/gradient-flow.js';
import { createRk4Scratch, rk4Step } from '../../src/dynamics/rk4.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import type { GradientTransform } from '../../src/dynamics/transforms.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import {
  clipAlpha,
  convergenceLoss,
  create,
  gradientFlowSolution,
  inStableSet,
  oscillatoryLoss,
  projectedGdStep,
  type ClipAlphaState,
  type WidthOneNetPopulationModel,
} from '../../src/models/width-one-net/index.js';
import { eosCycles, progressiveSharpeningTime, type EosCycle } from '../../src/experiments/eos-detectors.js';
import { fitRate } from './fit-rate.js';

/** How GD's α-update is clipped in one run. */
export interface ClipSetting {
  /** `'none'`: plain GD; `'value'`: |α| ≥ C with C = fraction·√(2/(ηλ₁)); `'step'`: the α-step toward 0 is ≤ C. */
  kind: 'none' | 'value' | 'step';
  /** For `'value'`: C as a fraction of √(2/(ηλ₁)), the α where λ₁α² = 2/η. */
  fraction?: number;
  /** For `'step'`: C itself. */
  constant?: number;
}

/** The grid of the search for repeated cycles (λ₁ and α₀, β₂₀ as in the main settings). */
export interface SearchSettings {
  varianceRelevant: number[];
  betaOneStart: number[];
  learningRates: number[];
  clips: ClipSetting[];
  /** Each run takes ⌈stepsTimesRelevant/λ₂⌉ steps (the convergence term needs ~1/λ₂ steps per e-fold at λ₁ = 1). */
  stepsTimesRelevant: number;
}

/** Settings of one computation. */
export interface WidthOneNetEosSettings {
  /** λ₁, the variance of the irrelevant feature. */
  varianceIrrelevant: number;
  /** λ₂, the variance of the relevant feature. */
  varianceRelevant: number;
  /** θ₀ = (α₀, β₁₀, β₂₀). */
  start: [number, number, number];
  /** The learning rate of the main setting. */
  learningRate: number;
  /** Two other learning rates from the same start. */
  otherLearningRates: number[];
  /** The α-clip of every clipped run. */
  clip: ClipSetting;
  /** GD and projected-GD steps per run. */
  steps: number;
  /** Hysteresis band b of the cycle count (crossings of (1 ± b)·2/η). */
  cycleBand: number;
  /** "Repeated cycles" means at least this many. */
  minCycles: number;
  /** The convergence-term rate is fitted from the first step with λ₁α² ≥ 2/η until L_c first falls below this. */
  rateFitFloor: number;
  /** Thm 4.1 is checked on the last `limitTail` fraction of the steps. */
  limitTail: number;
  /** Steps of the unclipped run (it stops earlier if it diverges). */
  unclippedSteps: number;
  /** RK4 step and final time of the gradient-flow path. */
  flowDt: number;
  flowTime: number;
  /**
   * Every `figureStride`-th step goes into traces.json and the figures (all steps go into the measurements); keep it
   * odd, or the figures hide the period-2 oscillation.
   */
  figureStride: number;
  search: SearchSettings;
}

/**
 * The main setting, found by the search below (see docs/width-one-net.md): λ₁ = 1, λ₂ = 10⁻³ (λ₁/λ₂ = 1000), θ₀ =
 * (0.45, 0.01, 0), η = 8 (2/η = 0.25, λ₁α₀² = 0.2025 = 0.81·2/η: a progressive-sharpening phase first), α-clip
 * |α| ≥ 0.9·√(2/(ηλ₁)) (= 0.45 at η = 8). Other learning rates 6 and 12: with ηλ₁α₀² = 1.215 and 2.43, the first
 * sharpens for longer, the second starts above 2/η.
 */
export const DEFAULT_SETTINGS: WidthOneNetEosSettings = {
  varianceIrrelevant: 1,
  varianceRelevant: 1e-3,
  start: [0.45, 0.01, 0],
  learningRate: 8,
  otherLearningRates: [6, 12],
  clip: { kind: 'value', fraction: 0.9 },
  steps: 8000,
  cycleBand: 0.01,
  minCycles: 3,
  rateFitFloor: 1e-22,
  limitTail: 0.1,
  unclippedSteps: 3000,
  flowDt: 0.25,
  flowTime: 30_000,
  // Odd, so consecutive samples alternate between even and odd steps and the period-2 oscillation stays visible
  // (an even stride samples one phase of it only and draws a smooth curve).
  figureStride: 3,
  search: {
    varianceRelevant: [1e-3, 3e-4],
    betaOneStart: [0.01, 0.1],
    learningRates: [6, 8, 10, 12],
    clips: [
      { kind: 'none' },
      { kind: 'step', constant: 0.05 },
      { kind: 'value', fraction: 0.8 },
      { kind: 'value', fraction: 0.9 },
    ],
    stepsTimesRelevant: 8,
  },
};

/** `--quick`: the same main setting over 2500 steps (the cycles of η = 8 end by ~1500), every step in traces.json, a two-run search. */
export const QUICK_SETTINGS: WidthOneNetEosSettings = {
  ...DEFAULT_SETTINGS,
  steps: 2500,
  unclippedSteps: 1000,
  flowDt: 1,
  flowTime: 10_000,
  figureStride: 1, // every step in traces.json: the smoke test recounts the cycles from it
  search: {
    varianceRelevant: [1e-3],
    betaOneStart: [0.01],
    learningRates: [8],
    clips: [{ kind: 'none' }, { kind: 'value', fraction: 0.9 }],
    stepsTimesRelevant: 2.5,
  },
};

/** Per-step record of one GD run (struct of arrays, entry k = iterate θ_k). */
export interface RunTrace {
  alpha: Float64Array;
  betaOne: Float64Array;
  betaTwo: Float64Array;
  loss: Float64Array;
  /** ½λ₁α²β₁². */
  oscillatory: Float64Array;
  /** ½λ₂(αβ₂ − 1)². */
  convergence: Float64Array;
  /** λ_max(∇²L(θ_k)) (dense 3×3 eigensolver). */
  sharpness: Float64Array;
  /** |⟨v_max, e_β₁⟩| for the top unit eigenvector (Lemma 4.2 (ii)); NaN in light runs. */
  alignment: Float64Array;
  /** GFS sharpness at θ_k (`gradientFlowSolution`, Thm 5.2); NaN in light runs. */
  gfsSharpness: Float64Array;
  /** 1 where the clip changed the step from θ_k to θ_{k+1}. */
  clipped: Uint8Array;
}

/** How one run ended. */
export interface RunEnd {
  status: 'completed' | 'diverged';
  /** Index of the last finite iterate recorded. */
  lastStep: number;
  message: string;
}

function makeClip(clip: ClipSetting, eta: number, lambda1: number): GradientTransform<ClipAlphaState> | undefined {
  if (clip.kind === 'none') return undefined;
  if (clip.kind === 'value') return clipAlpha({ constant: (clip.fraction as number) * Math.sqrt(2 / (eta * lambda1)), target: 'value' });
  return clipAlpha({ constant: clip.constant as number, target: 'step', sides: 'one' });
}

/** The clip constant C of a setting at learning rate η (NaN for no clip). */
export function clipConstant(clip: ClipSetting, eta: number, lambda1: number): number {
  if (clip.kind === 'none') return NaN;
  return clip.kind === 'value' ? (clip.fraction as number) * Math.sqrt(2 / (eta * lambda1)) : (clip.constant as number);
}

/** Describes a clip setting in words. */
export function clipLabel(clip: ClipSetting): string {
  if (clip.kind === 'none') return 'no clip';
  if (clip.kind === 'value') return `|α| ≥ ${clip.fraction}·√(2/(ηλ₁))`;
  return `α-step toward 0 ≤ ${clip.constant}`;
}

/**
 * GD θ_{k+1} = θ_k − η·T(∇L(θ_k)) for `steps` steps with the transform applied exactly as `gd` applies it (same
 * operation order; checked against `gd` by the caller), recording every iterate. `full` adds the top eigenvector's
 * alignment and the GFS sharpness. Stops when an iterate has a non-finite or ≥ 10⁶ entry (`gd`'s default test).
 */
export function simulate(
  model: WidthOneNetPopulationModel,
  start: readonly number[],
  eta: number,
  transform: GradientTransform<ClipAlphaState> | undefined,
  steps: number,
  full: boolean,
): { trace: RunTrace; end: RunEnd } {
  const n = steps + 1;
  const trace: RunTrace = {
    alpha: new Float64Array(n),
    betaOne: new Float64Array(n),
    betaTwo: new Float64Array(n),
    loss: new Float64Array(n),
    oscillatory: new Float64Array(n),
    convergence: new Float64Array(n),
    sharpness: new Float64Array(n),
    alignment: new Float64Array(n).fill(NaN),
    gfsSharpness: new Float64Array(n).fill(NaN),
    clipped: new Uint8Array(n),
  };
  const variances = { varianceIrrelevant: model.spec.varianceIrrelevant, varianceRelevant: model.spec.varianceRelevant };
  const theta = Float64Array.from(start);
  const g = new Float64Array(3);
  const state = transform?.init(3);
  const context = { theta, learningRate: eta, step: 0 };
  let last = -1;
  let end: RunEnd = { status: 'completed', lastStep: steps, message: `completed ${steps} steps` };
  for (let k = 0; k <= steps; k++) {
    const L = model.lossAndGrad(theta, g);
    if (!Number.isFinite(L)) {
      end = { status: 'diverged', lastStep: k - 1, message: `diverged at step ${k}: the loss is not finite` };
      break;
    }
    last = k;
    trace.alpha[k] = theta[0];
    trace.betaOne[k] = theta[1];
    trace.betaTwo[k] = theta[2];
    trace.loss[k] = L;
    trace.oscillatory[k] = oscillatoryLoss(theta, variances);
    trace.convergence[k] = convergenceLoss(theta, variances);
    const eig = symmetricEigen(model.hessian(theta));
    trace.sharpness[k] = eig.values[2];
    if (full) {
      trace.alignment[k] = Math.abs(eig.vectors.get(1, 2));
      trace.gfsSharpness[k] = gradientFlowSolution(theta, variances).sharpness;
    }
    if (k === steps) break;
    if (transform !== undefined && state !== undefined) {
      const before = state.clippedSteps;
      context.step = k;
      transform.update(g, state, context, g);
      if (state.clippedSteps > before) trace.clipped[k] = 1;
    }
    for (let i = 0; i < 3; i++) theta[i] = theta[i] - eta * g[i]; // gd's order
    let bad = -1;
    for (let i = 0; i < 3; i++) if (!(Math.abs(theta[i]) < 1e6)) bad = i;
    if (bad >= 0) {
      end = { status: 'diverged', lastStep: k, message: `diverged at step ${k + 1}: |θ[${bad}]| = ${Math.abs(theta[bad]).toExponential(2)} ≥ 10⁶ or not finite` };
      break;
    }
  }
  if (last === steps) return { trace, end };
  const m = last + 1;
  return {
    trace: {
      alpha: trace.alpha.slice(0, m),
      betaOne: trace.betaOne.slice(0, m),
      betaTwo: trace.betaTwo.slice(0, m),
      loss: trace.loss.slice(0, m),
      oscillatory: trace.oscillatory.slice(0, m),
      convergence: trace.convergence.slice(0, m),
      sharpness: trace.sharpness.slice(0, m),
      alignment: trace.alignment.slice(0, m),
      gfsSharpness: trace.gfsSharpness.slice(0, m),
      clipped: trace.clipped.slice(0, m),
    },
    end,
  };
}

/** Measurements of one clipped GD run against [Minimalist EoS]'s claims. */
export interface RunClaims {
  learningRate: number;
  /** 2/η. */
  threshold: number;
  clipConstant: number;
  /** Steps at which the clip acted. */
  clippedSteps: number;
  end: RunEnd;
  /** t_η: the first step with λ_max ≥ 2/η (null if never). */
  firstEdgeStep: number | null;
  /** Steps before t_η at which α decreased (Thm 4.3 reconstructed: α, hence λ₁α², increases before t_η). */
  alphaDecreasesBeforeEdge: number;
  /** Repeated cycles of sharpening above and self-stabilization below 2/η. */
  cycles: { count: number; band: number; list: EosCycle[]; medianPeak: number | null; maxPeak: number | null; medianLossSpike: number | null; lastDown: number | null };
  /** Lemma 4.2 (i): (λ_max − λ₁α²)/λ_max. */
  lemma42i: { minGap: number; fractionGapBelow1Percent: number; maxGap: number };
  /** Lemma 4.2 (ii): |⟨v_max, e_β₁⟩|. */
  lemma42ii: { fractionAligned99: number; fractionAligned99AtEdge: number };
  /** Lemma 4.2 (iii): β₂ increases at every step (counted while |αβ₂ − 1| > 10⁻¹²). */
  lemma42iii: { nonIncreasingSteps: number; maxAlphaBetaTwo: number };
  /** Thm 4.1: ηλ_max/2 at the end and over the last `limitTail` fraction of the steps. */
  limitingSharpness: { final: number; tailMax: number; delta: number };
  /** Thm 5.2: the GFS sharpness along GD, and which steps raise it. */
  gfs: {
    start: number;
    end: number;
    increasingSteps: number;
    /** Σ ln(s_{k+1}/s_k) over the steps that raise it, split by whether the clip acted on that step. */
    increaseOnClippedSteps: number;
    increaseOnUnclippedSteps: number;
    /** Σ ln(s_k/s_{k+1}) over the steps that lower it. */
    totalDecrease: number;
  };
  /** Thm 4.6/5.5: fitted per-step factor of L_c = ½λ₂(αβ₂ − 1)² for GD and projected GD, and 1 − 2λ₂/λ₁ squared. */
  convergenceRate: { from: number; to: number; gd: number; projected: number; predicted: number; projectedStaysInStableSet: boolean };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Projected GD (Sec. 5.2, reconstructed) from θ₀: L_c per step, and whether every iterate after the first lies in S. */
export function projectedRun(model: WidthOneNetPopulationModel, start: readonly number[], eta: number, steps: number): { convergence: Float64Array; alpha: Float64Array; betaTwo: Float64Array; inStableSet: boolean } {
  const theta = Float64Array.from(start);
  const g = new Float64Array(3);
  const convergence = new Float64Array(steps + 1);
  const alpha = new Float64Array(steps + 1);
  const betaTwo = new Float64Array(steps + 1);
  const variances = { varianceIrrelevant: model.spec.varianceIrrelevant, varianceRelevant: model.spec.varianceRelevant };
  let inS = true;
  for (let k = 0; k <= steps; k++) {
    convergence[k] = convergenceLoss(theta, variances);
    alpha[k] = theta[0];
    betaTwo[k] = theta[2];
    if (k > 0 && !inStableSet(theta, eta, { varianceIrrelevant: model.spec.varianceIrrelevant })) inS = false;
    if (k < steps) projectedGdStep(model, theta, eta, g, theta);
  }
  return { convergence, alpha, betaTwo, inStableSet: inS };
}

/** Evaluates the claims on one full run. */
export function evaluate(
  model: WidthOneNetPopulationModel,
  settings: WidthOneNetEosSettings,
  eta: number,
  trace: RunTrace,
  end: RunEnd,
  projected: Float64Array,
  projectedInS: boolean,
): RunClaims {
  const lambda1 = model.spec.varianceIrrelevant;
  const lambda2 = model.spec.varianceRelevant;
  const tau = 2 / eta;
  const n = trace.sharpness.length;
  const { alpha, betaTwo, sharpness } = trace;

  const firstEdge = progressiveSharpeningTime(sharpness, eta);
  let alphaDecreases = 0;
  for (let k = 0; k + 1 < (firstEdge ?? n); k++) if (alpha[k + 1] < alpha[k]) alphaDecreases++;

  const list = eosCycles(sharpness, eta, { loss: trace.loss, band: settings.cycleBand });

  let minGap = Infinity;
  let maxGap = -Infinity;
  let gapSmall = 0;
  let aligned = 0;
  let alignedEdge = 0;
  let atEdge = 0;
  for (let k = 0; k < n; k++) {
    const a2 = lambda1 * alpha[k] * alpha[k];
    const gap = (sharpness[k] - a2) / sharpness[k];
    minGap = Math.min(minGap, gap);
    maxGap = Math.max(maxGap, gap);
    if (gap <= 0.01) gapSmall++;
    if (trace.alignment[k] >= 0.99) aligned++;
    if (a2 >= tau) {
      atEdge++;
      if (trace.alignment[k] >= 0.99) alignedEdge++;
    }
  }

  let nonIncreasing = 0;
  let maxAB = -Infinity;
  for (let k = 0; k < n; k++) {
    const ab = alpha[k] * betaTwo[k];
    maxAB = Math.max(maxAB, ab);
    if (k + 1 < n && Math.abs(ab - 1) > 1e-12 && !(betaTwo[k + 1] > betaTwo[k])) nonIncreasing++;
  }

  const tailFrom = Math.max(0, Math.floor(n * (1 - settings.limitTail)));
  let tailMax = 0;
  for (let k = tailFrom; k < n; k++) tailMax = Math.max(tailMax, (eta * sharpness[k]) / 2);
  const final = (eta * sharpness[n - 1]) / 2;

  const gfs = trace.gfsSharpness;
  let increasing = 0;
  let upClipped = 0;
  let upUnclipped = 0;
  let down = 0;
  for (let k = 0; k + 1 < n; k++) {
    const r = Math.log(gfs[k + 1] / gfs[k]);
    if (r > 0) {
      increasing++;
      if (trace.clipped[k]) upClipped += r;
      else upUnclipped += r;
    } else down -= r;
  }

  const from = firstEdge ?? 0;
  let to = from;
  while (to < n - 1 && trace.convergence[to] > settings.rateFitFloor) to++;
  let toProjected = from;
  while (toProjected < projected.length - 1 && projected[toProjected] > settings.rateFitFloor) toProjected++;
  const rho = 1 - (2 * lambda2) / lambda1;

  const peaks = list.map((c) => c.peak);
  let clippedSteps = 0;
  for (let k = 0; k < n; k++) clippedSteps += trace.clipped[k];
  return {
    learningRate: eta,
    threshold: tau,
    clipConstant: clipConstant(settings.clip, eta, lambda1),
    clippedSteps,
    end,
    firstEdgeStep: firstEdge,
    alphaDecreasesBeforeEdge: alphaDecreases,
    cycles: {
      count: list.length,
      band: settings.cycleBand,
      list,
      medianPeak: median(peaks),
      maxPeak: peaks.length > 0 ? Math.max(...peaks) : null,
      medianLossSpike: median(list.map((c) => c.lossSpike)),
      lastDown: list.length > 0 ? list[list.length - 1].down : null,
    },
    lemma42i: { minGap, fractionGapBelow1Percent: gapSmall / n, maxGap },
    lemma42ii: { fractionAligned99: aligned / n, fractionAligned99AtEdge: atEdge > 0 ? alignedEdge / atEdge : NaN },
    lemma42iii: { nonIncreasingSteps: nonIncreasing, maxAlphaBetaTwo: maxAB },
    limitingSharpness: { final, tailMax, delta: Math.max(0, 2 * tailMax - 2) },
    gfs: { start: gfs[0], end: gfs[n - 1], increasingSteps: increasing, increaseOnClippedSteps: upClipped, increaseOnUnclippedSteps: upUnclipped, totalDecrease: down },
    convergenceRate: {
      from,
      to,
      gd: fitRate(trace.convergence, from, to),
      projected: fitRate(projected, from, Math.max(toProjected, from + 2)),
      predicted: rho * rho,
      projectedStaysInStableSet: projectedInS,
    },
  };
}

/** One row of the search for repeated cycles. */
export interface SearchRow {
  varianceRelevant: number;
  betaOneStart: number;
  learningRate: number;
  clip: string;
  clipConstant: number | null;
  steps: number;
  status: 'completed' | 'diverged';
  cycles: number;
  /** max λ_max/(2/η) over the run. */
  maxSharpnessOverThreshold: number;
  finalSharpnessOverThreshold: number;
  /** β₁ became exactly 0 (underflow): from then on β₁ = 0 is invariant and GD never oscillates again. */
  betaOneUnderflow: boolean;
  finalLoss: number;
}

/** Runs the search grid (light runs: no eigenvectors, no GFS). */
export function search(settings: WidthOneNetEosSettings, progress: (m: string) => void): SearchRow[] {
  const rows: SearchRow[] = [];
  const s = settings.search;
  for (const lambda2 of s.varianceRelevant) {
    const model = create({ varianceIrrelevant: settings.varianceIrrelevant, varianceRelevant: lambda2 });
    const steps = Math.ceil(s.stepsTimesRelevant / lambda2);
    for (const b10 of s.betaOneStart) {
      for (const eta of s.learningRates) {
        for (const clip of s.clips) {
          const start = [settings.start[0], b10, settings.start[2]];
          const { trace, end } = simulate(model, start, eta, makeClip(clip, eta, settings.varianceIrrelevant), steps, false);
          const tau = 2 / eta;
          const n = trace.sharpness.length;
          let peak = 0;
          let underflow = false;
          for (let k = 0; k < n; k++) {
            peak = Math.max(peak, trace.sharpness[k] / tau);
            if (trace.betaOne[k] === 0) underflow = true;
          }
          rows.push({
            varianceRelevant: lambda2,
            betaOneStart: b10,
            learningRate: eta,
            clip: clipLabel(clip),
            clipConstant: clip.kind === 'none' ? null : clipConstant(clip, eta, settings.varianceIrrelevant),
            steps,
            status: end.status,
            cycles: eosCycles(trace.sharpness, eta, { loss: trace.loss, band: settings.cycleBand }).length,
            maxSharpnessOverThreshold: peak,
            finalSharpnessOverThreshold: trace.sharpness[n - 1] / tau,
            betaOneUnderflow: underflow,
            finalLoss: trace.loss[n - 1],
          });
        }
      }
    }
    progress(`search: λ₂ = ${lambda2} done (${rows.length} runs so far)`);
  }
  return rows;
}

/** Everything the figures and files need. */
export interface WidthOneNetEosResult {
  settings: WidthOneNetEosSettings;
  /** The clipped GD runs, main learning rate first. */
  runs: { learningRate: number; trace: RunTrace; claims: RunClaims; projected: Float64Array }[];
  unclipped: { learningRate: number; trace: RunTrace; end: RunEnd; gdStatus: string; gdMessage: string };
  flow: { time: Float64Array; alpha: Float64Array; betaOne: Float64Array; betaTwo: Float64Array; status: string; message: string; distanceToSolution: number };
  gfsAtStart: { alphaSquared: number; theta: number[] | null; sharpness: number; balance: number };
  /** max |θ_gd − θ_replay| over the runs (0: the replay is gd bit for bit). */
  replayGap: number;
  searchRows: SearchRow[];
}

/** Runs everything. */
export function computeWidthOneNetEos(settings: WidthOneNetEosSettings, progress: (m: string) => void = () => {}): WidthOneNetEosResult {
  const model = create({ varianceIrrelevant: settings.varianceIrrelevant, varianceRelevant: settings.varianceRelevant });
  const lambda1 = settings.varianceIrrelevant;
  const theta0 = Float64Array.from(settings.start);
  let replayGap = 0;

  const runs: WidthOneNetEosResult['runs'] = [];
  for (const eta of [settings.learningRate, ...settings.otherLearningRates]) {
    const { trace, end } = simulate(model, settings.start, eta, makeClip(settings.clip, eta, lambda1), settings.steps, true);
    // The same run through the library driver: the replay above must agree with it bit for bit.
    const viaGd = gd(model, theta0, { learningRate: eta, maxSteps: settings.steps, transform: makeClip(settings.clip, eta, lambda1), record: { every: 0 } });
    const last = trace.alpha.length - 1;
    const gap = Math.max(Math.abs(viaGd.theta[0] - trace.alpha[last]), Math.abs(viaGd.theta[1] - trace.betaOne[last]), Math.abs(viaGd.theta[2] - trace.betaTwo[last]));
    replayGap = Math.max(replayGap, gap);
    const p = projectedRun(model, settings.start, eta, settings.steps);
    const claims = evaluate(model, settings, eta, trace, end, p.convergence, p.inStableSet);
    runs.push({ learningRate: eta, trace, claims, projected: p.convergence });
    progress(`clipped GD η = ${eta}: ${claims.cycles.count} cycles, final ηλ_max/2 = ${claims.limitingSharpness.final.toFixed(4)}`);
  }

  const eta = settings.learningRate;
  const un = simulate(model, settings.start, eta, undefined, settings.unclippedSteps, false);
  const unGd = gd(model, theta0, { learningRate: eta, maxSteps: settings.unclippedSteps, record: { every: 0 } });
  progress(`unclipped GD η = ${eta}: ${unGd.message}`);

  // Gradient flow from θ₀: the driver for status; the path by the RK4 primitive with the same step.
  const flowRun = gradientFlow(model, theta0, {
    step: stepSize.fixed(settings.flowDt),
    maxTime: settings.flowTime,
    maxSteps: Math.ceil(settings.flowTime / settings.flowDt) + 1,
    record: { every: 0, sharpnessEvery: 0 },
  });
  const flowStride = Math.max(1, Math.ceil(flowRun.steps / 2000)); // at most ~2000 points on the path
  const m = Math.floor(flowRun.steps / flowStride) + 1;
  const flow = { time: new Float64Array(m), alpha: new Float64Array(m), betaOne: new Float64Array(m), betaTwo: new Float64Array(m) };
  const theta = Float64Array.from(theta0);
  const scratch = createRk4Scratch(3);
  let t = 0;
  for (let k = 0, j = 0; k <= flowRun.steps; k++) {
    if (k % flowStride === 0 && j < m) {
      flow.time[j] = t;
      flow.alpha[j] = theta[0];
      flow.betaOne[j] = theta[1];
      flow.betaTwo[j] = theta[2];
      j++;
    }
    if (k === flowRun.steps) break;
    const dt = Math.min(settings.flowDt, settings.flowTime - t);
    rk4Step(model, theta, dt, scratch, theta);
    t += dt;
  }
  const gfs = gradientFlowSolution(theta0, { varianceIrrelevant: lambda1, varianceRelevant: settings.varianceRelevant });
  const distance = gfs.theta === null ? NaN : Math.max(...[0, 1, 2].map((i) => Math.abs(flowRun.theta[i] - (gfs.theta as Float64Array)[i])));
  progress(`gradient flow: ${flowRun.message}; |θ(T) − θ_GFS|∞ = ${distance.toExponential(2)}`);

  const searchRows = search(settings, progress);

  return {
    settings,
    runs,
    unclipped: { learningRate: eta, trace: un.trace, end: un.end, gdStatus: unGd.status, gdMessage: unGd.message },
    flow: { ...flow, status: flowRun.status, message: flowRun.message, distanceToSolution: distance },
    gfsAtStart: { alphaSquared: gfs.alphaSquared, theta: gfs.theta === null ? null : Array.from(gfs.theta), sharpness: gfs.sharpness, balance: gfs.balance },
    replayGap,
    searchRows,
  };
}
