/**
 * The computation behind the `eos-post-claims` example: three statements of [EoS blog post] checked on small models
 * with the library's public tools (`gd`, `sharpness`, `mlp`, `symmetricEigen`):
 *
 * A. the descent lemma on a quadratic: GD decreases L at every step when η < 2/λ_max and diverges when η > 2/λ_max;
 * B. sharpness is not invariant under reparameterizations that leave the function unchanged [Dinh et al. 2017]:
 *    scaling a ReLU layer by c and the next by 1/c;
 * C. the catapult [Lewkowycz et al. 2020]: at 2/λ₀ < η < ~4/λ₀ the loss first spikes, then GD converges to a region
 *    with sharpness below 2/η.
 */
import type { LossModel } from '../../src/core/loss-model.js';
import { gd } from '../../src/dynamics/gd.js';
import type { NdArray } from 'ndarray';
import { matrixFromRows } from '../../src/linalg/matrix.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { create, init, views, type MlpModel } from '../../src/models/mlp/index.js';
import { sharpness } from '../../src/sharpness/sharpness.js';
import { loadMnist } from '../../src/data/mnist.js';
import { DEFAULT_SETTINGS as SWEEP_SETTINGS } from '../mlp-lr-sweep/compute.js';

/** Settings of one computation. */
export interface PostClaimsSettings {
  /** A: the eigenvalues λᵢ of the quadratic L(θ) = ½ Σ λᵢ θᵢ², θ₀ = (1, …, 1). */
  quadraticEigenvalues: number[];
  /** A: the learning rates as multiples of 2/λ_max. */
  quadraticRates: number[];
  /** A: GD steps. */
  quadraticSteps: number;
  /** B: widths of the ReLU network [1, h, 1] fitted to Chebyshev T₄ on 20 points. */
  rescaleLayers: number[];
  /** B: GD steps (at η = rescaleRate) before the rescaling, to be near a minimizer. */
  rescaleTrainSteps: number;
  rescaleRate: number;
  /** B: the scale factors c (powers of two, so that the rescaling is exact in floating point). */
  rescaleFactors: number[];
  /** C: widths of the network for the catapult ([1, h, 1], ReLU, Chebyshev T₄). */
  catapultLayers: number[];
  /** C: the learning rates as multiples of 2/λ₀ (λ₀ = λ_max at θ₀). */
  catapultRates: number[];
  /** C: GD steps per run, sharpness every `catapultSharpnessEvery` steps. */
  catapultSteps: number;
  catapultSharpnessEvery: number;
  /** Seed of θ₀ (pytorch-default) for B and C. */
  initSeed: number;
  /** D: the `mlp-lr-sweep` run at this η, analysed as a catapult; its step budget. */
  sweepRate: number;
  sweepMaxSteps: number;
}

export const DEFAULT_SETTINGS: PostClaimsSettings = {
  quadraticEigenvalues: [4, 1, 0.25],
  quadraticRates: [0.25, 0.5, 0.95, 1.05],
  quadraticSteps: 80,
  rescaleLayers: [1, 64, 1],
  rescaleTrainSteps: 5000,
  rescaleRate: 0.05,
  rescaleFactors: [0.125, 0.25, 0.5, 1, 2, 4, 8],
  catapultLayers: [1, 512, 1],
  catapultRates: [0.5, 1.2, 1.5, 1.8, 2.5],
  catapultSteps: 4000,
  catapultSharpnessEvery: 10,
  initSeed: 0,
  sweepRate: 1.38,
  sweepMaxSteps: 200_000,
};

/** `--quick`: narrower networks and fewer steps. */
export const QUICK_SETTINGS: PostClaimsSettings = {
  ...DEFAULT_SETTINGS,
  rescaleLayers: [1, 16, 1],
  rescaleTrainSteps: 1000,
  catapultLayers: [1, 128, 1],
  catapultSteps: 1000,
  sweepMaxSteps: 300,
};

const CHEBYSHEV = { dataset: 'chebyshev', points: 20, degree: 4 } as const;

// ---------------------------------------------------------------------------------------------------------------
// A. The descent lemma on a quadratic.

/** L(θ) = ½ Σ λᵢ θᵢ² as a LossModel (exact gradient λ ⊙ θ and Hessian diag(λ)). */
export function diagonalQuadratic(eigenvalues: readonly number[]): LossModel {
  const lambda = Float64Array.from(eigenvalues);
  const dim = lambda.length;
  return {
    spec: { kind: 'example-diagonal-quadratic', eigenvalues: [...eigenvalues] },
    dim,
    loss(theta) {
      let s = 0;
      for (let i = 0; i < dim; i++) s += 0.5 * lambda[i] * theta[i] * theta[i];
      return s;
    },
    lossAndGrad(theta, g) {
      let s = 0;
      for (let i = 0; i < dim; i++) {
        g[i] = lambda[i] * theta[i];
        s += 0.5 * lambda[i] * theta[i] * theta[i];
      }
      return s;
    },
    hvp(_theta, v, out) {
      for (let i = 0; i < dim; i++) out[i] = lambda[i] * v[i];
    },
  };
}

/** One GD run on the quadratic. */
export interface QuadraticRun {
  /** η/(2/λ_max). */
  ratio: number;
  learningRate: number;
  status: string;
  step: number[];
  loss: number[];
  /** Steps k with L(θ_{k+1}) ≥ L(θ_k) (none expected below the threshold). */
  increases: number;
  /** Largest violation of the descent lemma L(θ_{k+1}) ≤ L(θ_k) − η(1 − ηλ_max/2)‖∇L(θ_k)‖², relative to L(θ_k). */
  worstDescentLemmaGap: number;
  /** Largest relative difference between the recorded L(θ_k) and the closed form ½ Σ λᵢ (1 − ηλᵢ)^{2k}. */
  worstClosedFormGap: number;
  finalOverInitial: number;
}

export function computeQuadratic(s: PostClaimsSettings): { lambdaMax: number; runs: QuadraticRun[] } {
  const model = diagonalQuadratic(s.quadraticEigenvalues);
  const lambdaMax = Math.max(...s.quadraticEigenvalues);
  const runs = s.quadraticRates.map((ratio) => {
    const eta = (ratio * 2) / lambdaMax;
    const r = gd(model, new Float64Array(model.dim).fill(1), { learningRate: eta, maxSteps: s.quadraticSteps, divergence: { maxAbs: 1e12 } });
    const loss = Array.from(r.trace.loss);
    const grad = Array.from(r.trace.gradNorm);
    let increases = 0;
    let worstLemma = -Infinity;
    let worstClosed = 0;
    for (let k = 0; k < loss.length; k++) {
      let closed = 0;
      for (const l of s.quadraticEigenvalues) closed += 0.5 * l * Math.pow(1 - eta * l, 2 * k);
      worstClosed = Math.max(worstClosed, Math.abs(loss[k] - closed) / closed);
      if (k + 1 < loss.length) {
        if (loss[k + 1] >= loss[k]) increases++;
        const bound = loss[k] - eta * (1 - (eta * lambdaMax) / 2) * grad[k] * grad[k];
        worstLemma = Math.max(worstLemma, (loss[k + 1] - bound) / loss[k]);
      }
    }
    return {
      ratio,
      learningRate: eta,
      status: r.status,
      step: Array.from(r.trace.step),
      loss,
      increases,
      worstDescentLemmaGap: worstLemma,
      worstClosedFormGap: worstClosed,
      finalOverInitial: loss[loss.length - 1] / loss[0],
    };
  });
  return { lambdaMax, runs };
}

// ---------------------------------------------------------------------------------------------------------------
// B. Sharpness is not reparameterization-invariant.

/** θ with W₁, b₁ scaled by c and W₂ by 1/c (b₂ unchanged): f(x; θ_c) = f(x; θ) for ReLU, since relu(cz) = c·relu(z), c > 0. */
export function rescaleLayers(layers: readonly number[], theta: Float64Array, c: number): Float64Array {
  const out = Float64Array.from(theta);
  const [first, second] = views({ layers }, out);
  // Each view is a contiguous row-major block of θ starting at its offset.
  for (let i = 0; i < first.weight.size; i++) out[first.weight.offset + i] *= c;
  for (let i = 0; i < first.bias.size; i++) out[first.bias.offset + i] *= c;
  for (let i = 0; i < second.weight.size; i++) out[second.weight.offset + i] /= c;
  return out;
}

/**
 * The largest eigenvalue of the symmetrized Hessian block on the coordinates [from, to) (the whole Hessian for
 * [0, p)), by the dense eigensolver. (`hessian` builds column j as H e_j, symmetric only up to rounding.)
 */
function blockTop(h: NdArray<Float64Array>, from: number, to: number): number {
  const n = to - from;
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) row.push(0.5 * (h.get(from + i, from + j) + h.get(from + j, from + i)));
    rows.push(row);
  }
  const values = symmetricEigen(matrixFromRows(rows)).values;
  return values[n - 1];
}

/** One rescaled network. */
export interface RescaleRow {
  c: number;
  /** L(θ_c) and whether it equals L(θ) bit for bit; likewise the outputs on the training inputs. */
  loss: number;
  lossIdentical: boolean;
  outputsIdentical: boolean;
  /** λ_max(∇²L(θ_c)) (dense Hessian). */
  sharpness: number;
  /** The proven lower bound max(c²·μ₂, μ₁/c²) (μ: top eigenvalue of the W₂ and W₁ blocks at c = 1, see docs). */
  lowerBound: number;
}

export function computeRescale(s: PostClaimsSettings): { trainedLoss: number; mu1: number; mu2: number; rows: RescaleRow[] } {
  const layers = s.rescaleLayers;
  const model: MlpModel = create({ layers, activation: 'relu', data: CHEBYSHEV });
  const trained = gd(model, init({ layers }, { seed: s.initSeed }), { learningRate: s.rescaleRate, maxSteps: s.rescaleTrainSteps, record: { every: 0 } });
  const theta = trained.theta;
  const baseLoss = model.loss(theta);
  const baseOut = model.outputs(theta, new Float64Array(model.examples));
  const h = model.hessian(theta);
  const [first, second] = views({ layers }, theta);
  const mu1 = blockTop(h, first.weight.offset, first.weight.offset + first.weight.size);
  const mu2 = blockTop(h, second.weight.offset, second.weight.offset + second.weight.size);
  const rows = s.rescaleFactors.map((c) => {
    const t = rescaleLayers(layers, theta, c);
    const loss = model.loss(t);
    const out = model.outputs(t, new Float64Array(model.examples));
    let same = true;
    for (let i = 0; i < out.length; i++) if (!Object.is(out[i], baseOut[i])) same = false;
    const sharp = blockTop(model.hessian(t), 0, model.dim);
    return { c, loss, lossIdentical: Object.is(loss, baseLoss), outputsIdentical: same, sharpness: sharp, lowerBound: Math.max(c * c * mu2, mu1 / (c * c)) };
  });
  return { trainedLoss: baseLoss, mu1, mu2, rows };
}

// ---------------------------------------------------------------------------------------------------------------
// C. The catapult.

/** One GD run of the catapult study. */
export interface CatapultRun {
  /** η/(2/λ₀). */
  ratio: number;
  learningRate: number;
  status: string;
  steps: number;
  step: number[];
  loss: number[];
  sharpnessStep: number[];
  sharpness: number[];
  initialLoss: number;
  /** max_k L(θ_k) and where; a spike when it exceeds L(θ₀). */
  peakLoss: number;
  peakStep: number;
  finalLoss: number;
  /**
   * The catapult's landing: the first sampled step after the peak with L below L(θ₀), and λ_max there over 2/η
   * (null when the loss never came back below L(θ₀) after a peak).
   */
  landingStep: number | null;
  landingOverEdge: number | null;
  /** λ_max at the final iterate, and its ratio to 2/η. */
  finalSharpness: number;
  finalOverEdge: number;
}

export function computeCatapult(s: PostClaimsSettings, progress: (line: string) => void): { lambda0: number; initialLoss: number; runs: CatapultRun[] } {
  const layers = s.catapultLayers;
  const model = create({ layers, activation: 'relu', data: CHEBYSHEV });
  const theta0 = init({ layers }, { seed: s.initSeed });
  const lambda0 = sharpness(model, theta0, { method: 'lanczos', tol: 1e-8 });
  const runs = s.catapultRates.map((ratio) => {
    const eta = (ratio * 2) / lambda0;
    const r = gd(model, theta0, {
      learningRate: eta,
      maxSteps: s.catapultSteps,
      record: { every: 1, sharpnessEvery: s.catapultSharpnessEvery, sharpness: { method: 'lanczos', tol: 1e-6 } },
    });
    const loss = Array.from(r.trace.loss);
    let peak = 0;
    for (let k = 1; k < loss.length; k++) if (loss[k] > loss[peak]) peak = k;
    const finalSharpness = sharpness(model, r.theta, { method: 'lanczos', tol: 1e-8 });
    const sStep = Array.from(r.trace.sharpnessStep);
    const sVal = Array.from(r.trace.sharpness);
    let landing = -1;
    if (peak > 0) for (let j = 0; j < sStep.length && landing < 0; j++) if (sStep[j] > r.trace.step[peak] && loss[sStep[j]] < loss[0]) landing = j;
    progress(`catapult η = ${ratio}·2/λ₀: ${r.status} after ${r.steps} steps`);
    return {
      ratio,
      learningRate: eta,
      status: r.status,
      steps: r.steps,
      step: Array.from(r.trace.step),
      loss,
      sharpnessStep: sStep,
      sharpness: sVal,
      landingStep: landing < 0 ? null : sStep[landing],
      landingOverEdge: landing < 0 ? null : (sVal[landing] * eta) / 2,
      initialLoss: loss[0],
      peakLoss: loss[peak],
      peakStep: r.trace.step[peak],
      finalLoss: loss[loss.length - 1],
      finalSharpness,
      finalOverEdge: (finalSharpness * eta) / 2,
    };
  });
  return { lambda0, initialLoss: model.loss(theta0), runs };
}

// ---------------------------------------------------------------------------------------------------------------
// D. The η = 1.38 run of `mlp-lr-sweep`, analysed as a catapult.

/** The run, with the same data, network and θ₀ as the `mlp-lr-sweep` example's default settings. */
export interface SweepCatapult {
  layers: number[];
  lambda0: number;
  /** η·λ₀/2: the catapult window is 1 < ηλ₀/2 < ~2. */
  ratio: number;
  status: string;
  steps: number;
  initialLoss: number;
  peakLoss: number;
  peakStep: number;
  finalLoss: number;
  /** λ_max·η/2 sampled every 50 steps: its smallest value after the peak and at the end. */
  minOverEdgeAfterPeak: number;
  finalOverEdge: number;
}

export function computeSweepCatapult(s: PostClaimsSettings): SweepCatapult {
  const m = SWEEP_SETTINGS;
  const slices = loadMnist({ ...m.mnist, standardize: 'global' });
  const layers = [m.mnist.resolution ** 2, ...m.hidden, m.mnist.classes.length];
  const model = create({ layers, activation: 'relu', loss: 'mse', data: slices.train });
  const theta0 = init(model, { seed: m.initSeed });
  const lambda0 = sharpness(model, theta0, { method: 'lanczos', tol: 1e-8 });
  const eta = s.sweepRate;
  const r = gd(model, theta0, {
    learningRate: eta,
    lossGoal: m.lossGoal,
    maxSteps: s.sweepMaxSteps,
    record: { every: 1, sharpnessEvery: 50, sharpness: { method: 'lanczos', tol: 1e-4 } },
  });
  const loss = r.trace.loss;
  let peak = 0;
  for (let k = 1; k < loss.length; k++) if (loss[k] > loss[peak]) peak = k;
  let minAfter = Infinity;
  for (let j = 0; j < r.trace.sharpnessStep.length; j++) if (r.trace.sharpnessStep[j] > peak) minAfter = Math.min(minAfter, (r.trace.sharpness[j] * eta) / 2);
  return {
    layers,
    lambda0,
    ratio: (eta * lambda0) / 2,
    status: r.status,
    steps: r.steps,
    initialLoss: loss[0],
    peakLoss: loss[peak],
    peakStep: peak,
    finalLoss: loss[loss.length - 1],
    minOverEdgeAfterPeak: minAfter,
    finalOverEdge: (sharpness(model, r.theta, { method: 'lanczos', tol: 1e-8 }) * eta) / 2,
  };
}
