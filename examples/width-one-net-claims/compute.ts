/**
 * The computation behind the `width-one-net-claims` example: claims of [Minimalist EoS] about the width-one net
 * L = ½λ₁α²β₁² + ½λ₂(αβ₂ − 1)² that the `width-one-net-eos` example does not test:
 *
 * A. Fig. 4: where gradient flow launched from each GD iterate would end (its sharpness, in closed form, checked by
 *    RK4 from a few iterates) — the gradient-flow solution moving along the run;
 * B. Figs. 10–11: the contrast with a depth-4 scalar network L = ½(1 − w₁w₂w₃w₄)² (no progressive sharpening, the
 *    sharpness near 2/η from the start, a loss that is monotone after a few steps);
 * C. Fig. 13's "unclipped GD often behaves like clipped GD": a scan over the reconstruction's free choices (λ₁/λ₂, the
 *    start, η) with and without the α-clip, and what the clip constant sets (the bottom of every cycle).
 */
import { gd } from '../../src/dynamics/gd.js';
import { gradientFlow } from '../../src/dynamics/gradient-flow.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import { eosCycles } from '../../src/experiments/eos-detectors.js';
import * as scalarFactorization from '../../src/models/scalar-factorization/index.js';
import { clipAlpha, create, gradientFlowSolution } from '../../src/models/width-one-net/index.js';
import { sharpness } from '../../src/sharpness/sharpness.js';

/** Settings of one computation. */
export interface WidthOneClaimsSettings {
  /** A: the main setting of `width-one-net-eos`: λ₁, λ₂, θ₀, η, |α| ≥ clipFraction·√(2/(ηλ₁)), steps. */
  lambda1: number;
  lambda2: number;
  start: [number, number, number];
  learningRate: number;
  clipFraction: number;
  steps: number;
  /** A: iterates from which gradient flow is also integrated by RK4 (step flowDt up to flowTime). */
  flowFrom: number[];
  flowDt: number;
  flowTime: number;
  /**
   * B: the depth-4 scalar network's start and learning rates (as multiples of 2/s_GFS(θ₀)). Our choice:
   * [Minimalist EoS] states no start and no step sizes for Figs. 10–11 — it shows them in App. A ("phenomena in
   * other works") as experiments of Zhu et al. (2022) and Kreisler et al. (2023), and its text (Sec. 6.1, App. A)
   * says only that the loss oscillates for a few steps and then decreases monotonically while the sharpness
   * fluctuates around 2/η from initialization.
   */
  scalarStart: [number, number, number, number];
  scalarRateMultiples: number[];
  scalarSteps: number;
  /** C: the scan. */
  scanRelevant: number[];
  scanAlpha: number[];
  scanBetaOne: number[];
  scanRates: number[];
  scanClipFractions: number[];
  /** C: steps per run: ⌈scanStepsTimesRelevant/λ₂⌉. */
  scanStepsTimesRelevant: number;
  /** Hysteresis band of the cycle count and "repeated" = at least minCycles. */
  cycleBand: number;
  minCycles: number;
}

export const DEFAULT_SETTINGS: WidthOneClaimsSettings = {
  lambda1: 1,
  lambda2: 1e-3,
  start: [0.45, 0.01, 0],
  learningRate: 8,
  clipFraction: 0.9,
  steps: 8000,
  flowFrom: [0, 250, 500, 1000, 2000],
  flowDt: 0.25,
  flowTime: 30_000,
  scalarStart: [1.6, 1.2, 0.8, 0.6],
  scalarRateMultiples: [0.9, 1.1, 1.5],
  scalarSteps: 2000,
  scanRelevant: [1e-2, 1e-3],
  scanAlpha: [0.3, 0.45, 0.6],
  scanBetaOne: [0.01, 0.1],
  scanRates: [6, 8, 12],
  scanClipFractions: [0.8, 0.9],
  scanStepsTimesRelevant: 8,
  cycleBand: 0.01,
  minCycles: 3,
};

/** `--quick`: a shorter main run and a smaller scan. */
export const QUICK_SETTINGS: WidthOneClaimsSettings = {
  ...DEFAULT_SETTINGS,
  steps: 2500,
  flowFrom: [0, 500, 1000],
  scanRelevant: [1e-2],
  scanAlpha: [0.45],
  scanRates: [6, 8, 12],
  scanClipFractions: [0.9],
};

// ---------------------------------------------------------------------------------------------------------------
// A. The gradient-flow solution along GD (Fig. 4).

export interface GfsAlongGd {
  step: number[];
  /** λ_max(θ_k) and s_GFS(θ_k) (closed form) at every step. */
  sharpness: number[];
  gfsSharpness: number[];
  /** RK4 gradient flow from a few iterates: its final λ_max against the closed form. */
  flows: { from: number; rk4: number; closedForm: number; relativeError: number }[];
  /** Summary: s_GFS at θ₀, its largest and its last value, and 2/η. */
  first: number;
  max: number;
  last: number;
  edge: number;
  /** The clip's floor on λ₁α² over 2/η: fraction² (the bottom of every cycle). */
  clipFloorOverEdge: number;
  /** min over steps after the first up-crossing of λ_max/(2/η). */
  minAfterFirstCrossing: number;
}

export function computeGfsAlongGd(s: WidthOneClaimsSettings): GfsAlongGd {
  const model = create({ varianceIrrelevant: s.lambda1, varianceRelevant: s.lambda2 });
  const eta = s.learningRate;
  const C = s.clipFraction * Math.sqrt(2 / (eta * s.lambda1));
  const run = gd(model, Float64Array.from(s.start), {
    learningRate: eta,
    maxSteps: s.steps,
    transform: clipAlpha({ constant: C, target: 'value' }),
    record: { every: 0 },
  });
  // Replay the run with the same transform to get every iterate (gd keeps only the final one): same operation order.
  const transform = clipAlpha({ constant: C, target: 'value' });
  const state = transform.init(model.dim);
  const theta = Float64Array.from(s.start);
  const g = new Float64Array(3);
  const u = new Float64Array(3);
  const step: number[] = [];
  const sharp: number[] = [];
  const gfs: number[] = [];
  const iterates: Float64Array[] = [];
  const opts = { varianceIrrelevant: s.lambda1, varianceRelevant: s.lambda2 };
  for (let k = 0; k <= s.steps; k++) {
    step.push(k);
    sharp.push(sharpness(model, theta, { method: 'dense' }));
    gfs.push(gradientFlowSolution(theta, opts).sharpness);
    if (s.flowFrom.includes(k)) iterates.push(Float64Array.from(theta));
    if (k === s.steps) break;
    model.lossAndGrad(theta, g);
    transform.update(g, state, { theta, learningRate: eta, step: k }, u);
    for (let i = 0; i < 3; i++) theta[i] -= eta * u[i];
  }
  // The replay must end where gd ended, bit for bit.
  for (let i = 0; i < 3; i++) if (!Object.is(theta[i], run.theta[i])) throw new Error(`replay differs from gd at coordinate ${i}`);
  const flows = s.flowFrom.map((from, j) => {
    const f = gradientFlow(model, iterates[j], { step: stepSize.fixed(s.flowDt), maxTime: s.flowTime, maxSteps: Math.ceil(s.flowTime / s.flowDt) + 1, record: { every: 0, sharpnessEvery: 0 } });
    const rk4 = sharpness(model, f.theta, { method: 'dense' });
    const closedForm = gfs[from];
    return { from, rk4, closedForm, relativeError: Math.abs(rk4 - closedForm) / closedForm };
  });
  const edge = 2 / eta;
  const firstCross = sharp.findIndex((v) => v > edge);
  return {
    step,
    sharpness: sharp,
    gfsSharpness: gfs,
    flows,
    first: gfs[0],
    max: Math.max(...gfs),
    last: gfs[gfs.length - 1],
    edge,
    clipFloorOverEdge: s.clipFraction ** 2,
    minAfterFirstCrossing: firstCross < 0 ? NaN : Math.min(...sharp.slice(firstCross)) / edge,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// B. The depth-4 scalar network (Figs. 10–11).

export interface ScalarRun {
  multiple: number;
  learningRate: number;
  status: string;
  step: number[];
  loss: number[];
  sharpness: number[];
  gfsSharpness: number[];
  /** λ_max(θ₀)·η/2 and the largest λ_max·η/2 over the run. */
  initialOverEdge: number;
  maxOverEdge: number;
  /** Largest rise of λ_max above λ_max(θ₀) while λ_max < 2/η (relative): progressive sharpening if large. */
  sharpeningRise: number;
  /** Steps k ≥ 10 with L(θ_{k+1}) > L(θ_k). */
  lossIncreasesAfter10: number;
  /** Steps with s_GFS(θ_{k+1}) > s_GFS(θ_k)(1 + 1e-12). */
  gfsIncreases: number;
  finalOverEdge: number;
}

export function computeScalar(s: WidthOneClaimsSettings): { gfs0: number; runs: ScalarRun[] } {
  const model = scalarFactorization.create({ depth: 4, target: 1 });
  const theta0 = Float64Array.from(s.scalarStart);
  const gfs0 = scalarFactorization.gradientFlowSolution(theta0).sharpness;
  const runs = s.scalarRateMultiples.map((multiple) => {
    const eta = (multiple * 2) / gfs0;
    const r = gd(model, theta0, {
      learningRate: eta,
      maxSteps: s.scalarSteps,
      lossGoal: 1e-28,
      record: { every: 1, sharpnessEvery: 1, sharpness: { method: 'dense' } },
    });
    const loss = Array.from(r.trace.loss);
    const sharp = Array.from(r.trace.sharpness);
    // Replay for s_GFS at each iterate (the trace keeps only scalars).
    const theta = Float64Array.from(theta0);
    const g = new Float64Array(4);
    const gfs: number[] = [];
    for (let k = 0; k < loss.length; k++) {
      gfs.push(scalarFactorization.gradientFlowSolution(theta).sharpness);
      model.lossAndGrad(theta, g);
      for (let i = 0; i < 4; i++) theta[i] -= eta * g[i];
    }
    const edge = 2 / eta;
    let rise = 0;
    for (const v of sharp) if (v < edge) rise = Math.max(rise, v / sharp[0] - 1);
    let inc = 0;
    for (let k = 10; k + 1 < loss.length; k++) if (loss[k + 1] > loss[k]) inc++;
    let gInc = 0;
    for (let k = 0; k + 1 < gfs.length; k++) if (gfs[k + 1] > gfs[k] * (1 + 1e-12)) gInc++;
    return {
      multiple,
      learningRate: eta,
      status: r.status,
      step: Array.from(r.trace.step),
      loss,
      sharpness: sharp,
      gfsSharpness: gfs,
      initialOverEdge: sharp[0] / edge,
      maxOverEdge: Math.max(...sharp) / edge,
      sharpeningRise: rise,
      lossIncreasesAfter10: inc,
      gfsIncreases: gInc,
      finalOverEdge: sharp[sharp.length - 1] / edge,
    };
  });
  return { gfs0, runs };
}

// ---------------------------------------------------------------------------------------------------------------
// C. The unclipped-vs-clipped scan (Fig. 13).

export interface ScanRun {
  lambda2: number;
  start: [number, number, number];
  learningRate: number;
  /** NaN for no clip. */
  clipFraction: number;
  status: string;
  steps: number;
  cycles: number;
  finalLoss: number;
  finalOverEdge: number;
}

export function computeScan(s: WidthOneClaimsSettings, progress: (line: string) => void): ScanRun[] {
  const out: ScanRun[] = [];
  for (const lambda2 of s.scanRelevant) {
    const model = create({ varianceIrrelevant: s.lambda1, varianceRelevant: lambda2 });
    const steps = Math.ceil(s.scanStepsTimesRelevant / lambda2);
    for (const a of s.scanAlpha) {
      for (const b1 of s.scanBetaOne) {
        for (const eta of s.scanRates) {
          for (const fraction of [NaN, ...s.scanClipFractions]) {
            const start: [number, number, number] = [a, b1, 0];
            const transform = Number.isNaN(fraction) ? undefined : clipAlpha({ constant: fraction * Math.sqrt(2 / (eta * s.lambda1)), target: 'value' });
            const r = gd(model, Float64Array.from(start), {
              learningRate: eta,
              maxSteps: steps,
              lossGoal: 1e-20,
              ...(transform ? { transform } : {}),
              record: { every: 1, sharpnessEvery: 1, sharpness: { method: 'dense' } },
            });
            const cycles = eosCycles(r.trace.sharpness, eta, { band: s.cycleBand }).length;
            const last = r.trace.sharpness.length - 1;
            out.push({
              lambda2,
              start,
              learningRate: eta,
              clipFraction: fraction,
              status: r.status,
              steps: r.steps,
              cycles,
              finalLoss: r.trace.loss[r.trace.loss.length - 1],
              finalOverEdge: (r.trace.sharpness[last] * eta) / 2,
            });
          }
        }
      }
    }
    progress(`scan λ₂ = ${lambda2}: ${out.length} runs so far`);
  }
  return out;
}
