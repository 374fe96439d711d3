/**
 * The computation behind the `diagonal-net-classification` example: [Conflicting biases, App. F] — two points
 * x̃₁ = 0 (label 0) and x̃₂ (label 1, ‖x̃₂‖ = 1) with a bias feature, x = (x̃, 1), and the logistic loss.
 *
 * A. Thm F.1 (ii): the sharpness λ_max(∇²L) over M = {‖w̃‖ = 1, b ≤ 0 < ⟨w̃, x̃₂⟩ + b} on a (z, b) grid,
 *    z = ⟨w̃, x̃₂⟩, from the model's dense Hessian (depth 1) and from the closed form in the theorem's proof; the
 *    minimum (the paper's ≈ 0.277 at (z, b) = (1, 0), a min-margin classifier) against the max-margin point of
 *    Thm F.1 (i) (z, b) = (1, −½).
 * B. Which one gradient descent picks: GD from 0 at a small and a large learning rate (depth 1), and on a depth-2
 *    diagonal network (`'difference'`), followed to 10⁵ steps: b/‖w̃‖ against the max-margin value −½, and the
 *    sharpness of the normalized iterate on M.
 * C. The generalization statements for ‖μ‖ ≪ 1 and ‖μ‖ ≫ 1: x̃₂ and the test point x are g/‖g‖, g ~ N(μ, I),
 *    drawn independently; the max-margin classifier errs when ⟨x̃₂, x⟩ ≤ ½, the sharpness minimizer when
 *    ⟨x̃₂, x⟩ ≤ 0 (Monte Carlo, seeded), against the paper's approximations.
 */
import { rng } from '../../src/core/rng.js';
import { gd } from '../../src/dynamics/gd.js';
import { createClassifier } from '../../src/models/diagonal-net/classifier.js';
import { sharpness } from '../../src/sharpness/sharpness.js';

/** Settings of one computation. */
export interface ClassificationSettings {
  /** A: grid resolution in z ∈ (0, 1] and b ∈ (−z, 0] (both grids include z = 1 and b = 0). */
  zSteps: number;
  bSteps: number;
  /** B: GD runs: learning rates at depth 1, the depth-2 run's learning rate and start scale, checkpoints. */
  rates: number[];
  deepRate: number;
  deepScale: number;
  checkpoints: number[];
  /** C: ‖μ‖ (small and large), the dimensions d, Monte-Carlo pairs per (‖μ‖, d), seed. */
  muNorms: [number, number];
  dims: number[];
  samples: number;
  seed: number;
}

export const DEFAULT_SETTINGS: ClassificationSettings = {
  zSteps: 50,
  bSteps: 50,
  rates: [1, 10],
  deepRate: 1,
  deepScale: 0.1,
  checkpoints: [100, 1000, 10_000, 100_000],
  muNorms: [0.01, 10],
  dims: [2, 5, 20, 100],
  samples: 100_000,
  seed: 14,
};

/** `--quick`: coarser grid, shorter runs, fewer samples. */
export const QUICK_SETTINGS: ClassificationSettings = {
  ...DEFAULT_SETTINGS,
  zSteps: 20,
  bSteps: 20,
  checkpoints: [100, 1000, 10_000],
  samples: 20_000,
};

/** g′(t) = g(t)(1 − g(t)) of the sigmoid g. */
export function sigmoidSlope(t: number): number {
  const p = 1 / (1 + Math.exp(-t));
  return p * (1 - p);
}

/** The proof of Thm F.1: S(z, b) = ¼(g′(b) + 2g′(z + b) + √(g′(b)² + 4g′(z + b)²)). */
export function closedFormSharpness(z: number, b: number): number {
  const a = sigmoidSlope(b);
  const c = sigmoidSlope(z + b);
  return 0.25 * (a + 2 * c + Math.sqrt(a * a + 4 * c * c));
}

/** The two data points in d̃ = 2 with x̃₂ = e₁: rows (x̃, 1). */
const INPUTS = [
  [0, 0, 1],
  [1, 0, 1],
];

/** A: the grid. */
export interface SharpnessGrid {
  /** Grid points (z, b) and λ_max of the model's dense Hessian at w̃ = (z, √(1 − z²)), b. */
  points: { z: number; b: number; sharpness: number }[];
  /** Largest |model − closed form| over the grid. */
  closedFormError: number;
  minimum: { z: number; b: number; sharpness: number };
  /** S at the max-margin point (z, b) = (1, −½) on M. */
  maxMargin: number;
}

export function sharpnessGrid(s: ClassificationSettings): SharpnessGrid {
  const model = createClassifier({ inputs: INPUTS, labels: [0, 1] });
  const points: SharpnessGrid['points'] = [];
  let closedFormError = 0;
  const theta = new Float64Array(3);
  const at = (z: number, b: number): number => {
    theta[0] = z;
    theta[1] = Math.sqrt(Math.max(0, 1 - z * z));
    theta[2] = b;
    return sharpness(model, theta, { method: 'dense' });
  };
  for (let i = 1; i <= s.zSteps; i++) {
    const z = i / s.zSteps;
    // b ∈ (−z, 0]: b = −z·k/bSteps for k = 0 … bSteps − 1.
    for (let k = 0; k < s.bSteps; k++) {
      const b = -(z * k) / s.bSteps;
      const value = at(z, b);
      closedFormError = Math.max(closedFormError, Math.abs(value - closedFormSharpness(z, b)));
      points.push({ z, b, sharpness: value });
    }
  }
  let minimum = points[0];
  for (const p of points) if (p.sharpness < minimum.sharpness) minimum = p;
  return { points, closedFormError, minimum, maxMargin: at(1, -0.5) };
}

/** B: one GD run's checkpoints. */
export interface DirectionRun {
  label: string;
  depth: number;
  learningRate: number;
  /** λ_max at the start: the learning rate over 2/λ₀ says whether the run starts beyond the edge. */
  initialSharpness: number;
  checkpoints: {
    step: number;
    status: string;
    loss: number;
    /** b/‖w̃‖ of the predictor β = (w̃, b) (max-margin: −½). */
    biasRatio: number;
    /** λ_max(∇²L) at the iterate (in θ) and S of the normalized predictor β/‖w̃‖ on M (depth-1 model). */
    sharpness: number;
    normalizedSharpness: number;
  }[];
}

export function directionRuns(s: ClassificationSettings): DirectionRun[] {
  const flat = createClassifier({ inputs: INPUTS, labels: [0, 1] });
  const beta = new Float64Array(3);
  const run = (label: string, depth: number, eta: number, theta0: Float64Array): DirectionRun => {
    const model = depth === 1 ? flat : createClassifier({ inputs: INPUTS, labels: [0, 1], depth, parametrization: 'difference' });
    let theta = theta0;
    let done = 0;
    const checkpoints: DirectionRun['checkpoints'] = [];
    for (const step of s.checkpoints) {
      const r = gd(model, theta, { learningRate: eta, maxSteps: step - done, record: { every: 0 } });
      theta = r.theta;
      done = step;
      const pred = model.predictor(theta, new Float64Array(3));
      const norm = Math.hypot(pred[0], pred[1]);
      beta[0] = pred[0] / norm;
      beta[1] = pred[1] / norm;
      beta[2] = pred[2] / norm;
      checkpoints.push({
        step,
        status: r.status,
        loss: r.loss,
        biasRatio: pred[2] / norm,
        sharpness: sharpness(model, theta, { method: 'dense' }),
        normalizedSharpness: sharpness(flat, beta, { method: 'dense' }),
      });
      if (r.status === 'diverged') break;
    }
    return { label, depth, learningRate: eta, initialSharpness: sharpness(model, theta0, { method: 'dense' }), checkpoints };
  };
  const runs = s.rates.map((eta) => run(`depth 1, η = ${eta}`, 1, eta, new Float64Array(3)));
  const a = s.deepScale;
  runs.push(run(`depth 2 (u^{⊙2} − v^{⊙2}), η = ${s.deepRate}`, 2, s.deepRate, new Float64Array([a, a, a, a, a, a])));
  return runs;
}

/** C: one (‖μ‖, d) cell. */
export interface GeneralizationCell {
  muNorm: number;
  dim: number;
  samples: number;
  /** Monte-Carlo error of the max-margin (⟨x̃₂, x⟩ ≤ ½) and the sharpness-minimizing (≤ 0) classifier, with SEs. */
  maxMargin: number;
  maxMarginSe: number;
  minSharpness: number;
  minSharpnessSe: number;
  /**
   * The sharpness minimizer's error without the test point's sampling noise: given x̃₂, ⟨x̃₂, g⟩ ~ N(⟨x̃₂, μ⟩, 1), so
   * P[⟨x̃₂, x⟩ ≤ 0 | x̃₂] = Φ(−⟨x̃₂, μ⟩) exactly; the mean of that over the same x̃₂ draws (resolves tiny errors).
   */
  minSharpnessConditional: number;
}

export function generalization(s: ClassificationSettings): GeneralizationCell[] {
  const cells: GeneralizationCell[] = [];
  for (const muNorm of s.muNorms) {
    for (const dim of s.dims) {
      // One stream per cell, seeded from the settings: a cell's numbers do not depend on the other cells.
      const g = rng(s.seed * 1_000_003 + dim * 1009 + Math.round(muNorm * 1000));
      const a = new Float64Array(dim);
      const b = new Float64Array(dim);
      let errMax = 0;
      let errMin = 0;
      let conditional = 0;
      for (let k = 0; k < s.samples; k++) {
        g.fillNormal(a);
        g.fillNormal(b);
        a[0] += muNorm; // μ = ‖μ‖e₁ (the distribution is rotation-equivariant, so the direction does not matter)
        b[0] += muNorm;
        let aa = 0;
        let bb = 0;
        let ab = 0;
        for (let j = 0; j < dim; j++) {
          aa += a[j] * a[j];
          bb += b[j] * b[j];
          ab += a[j] * b[j];
        }
        const t = ab / Math.sqrt(aa * bb); // ⟨x̃₂, x⟩ with x̃₂ = a/‖a‖, x = b/‖b‖
        if (t <= 0.5) errMax++;
        if (t <= 0) errMin++;
        conditional += normalCdf(-(muNorm * a[0]) / Math.sqrt(aa));
      }
      const pMax = errMax / s.samples;
      const pMin = errMin / s.samples;
      cells.push({
        muNorm,
        dim,
        samples: s.samples,
        maxMargin: pMax,
        maxMarginSe: Math.sqrt((pMax * (1 - pMax)) / s.samples),
        minSharpness: pMin,
        minSharpnessSe: Math.sqrt((pMin * (1 - pMin)) / s.samples),
        minSharpnessConditional: conditional / s.samples,
      });
    }
  }
  return cells;
}

/**
 * P[t ≤ c] for t = ⟨u, v⟩ of independent uniform points on the sphere S^{m−1} ⊂ ℝ^m (m ≥ 2): t has density
 * ∝ (1 − t²)^{(m−3)/2}, i.e. with t = sin φ, P = ∫_{−π/2}^{asin c} cos^{m−2}φ dφ / ∫_{−π/2}^{π/2} cos^{m−2}φ dφ
 * (composite Simpson, 4000 intervals per integral; the integrand is smooth).
 */
export function sphereInnerProductCdf(m: number, c: number): number {
  const simpson = (lo: number, hi: number): number => {
    const n = 4000;
    const h = (hi - lo) / n;
    let sum = 0;
    for (let i = 0; i <= n; i++) {
      const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
      sum += w * Math.pow(Math.cos(lo + i * h), m - 2);
    }
    return (sum * h) / 3;
  };
  return simpson(-Math.PI / 2, Math.asin(c)) / simpson(-Math.PI / 2, Math.PI / 2);
}

/** Φ, the standard normal CDF (erfc by the Numerical Recipes Chebyshev fit, relative error < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

export interface ClassificationResult {
  grid: SharpnessGrid;
  runs: DirectionRun[];
  cells: GeneralizationCell[];
}

export function computeClassification(s: ClassificationSettings, progress: (line: string) => void): ClassificationResult {
  const grid = sharpnessGrid(s);
  progress(`sharpness on M: ${grid.points.length} grid points`);
  const runs = directionRuns(s);
  progress(`GD: ${runs.length} runs to ${s.checkpoints[s.checkpoints.length - 1]} steps`);
  const cells = generalization(s);
  progress(`generalization: ${cells.length} cells × ${s.samples} pairs`);
  return { grid, runs, cells };
}
