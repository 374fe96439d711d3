/**
 * The computation behind the `diagonal-net-claims` example: claims of [Conflicting biases] about diagonal networks
 * L(w) = ½(⟨x, w^{⊙L}⟩ − y)² (one data point, shared weights) that the `diagonal-net-sweep` example does not test:
 *
 * 1. the initialization scale: gradient flow from α·1 approaches the ℓ1 minimizer as α → 0 [Conflicting biases,
 *    Thm B.1], and α moves s_GF and η_c = 2/s_GF — with GD in both regimes at every α;
 * 2. depth L = 3 and 4 [Conflicting biases, eq. (9)]: both regimes, with `sharpnessOnManifold` at depth L as the
 *    reference;
 * 3. Prop. E.2 under App. E.1's folded-Gaussian model: the expected risks of the idealized algorithms, and what a
 *    Monte-Carlo estimate of the infinite E R(A_S) does as the sample grows.
 *
 * Gradient flow's end point has a closed form here, used as the independent reference: for depth L the flow
 * ẇᵢ = −L xᵢ wᵢ^{L−1} r keeps (wᵢ^{2−L} − α^{2−L})/xᵢ equal across i (L ≥ 3) and (ln wᵢ − ln α)/xᵢ equal (L = 2).
 */
import { gd } from '../../src/dynamics/gd.js';
import { gradientFlow } from '../../src/dynamics/gradient-flow.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import { rng } from '../../src/core/rng.js';
import { algorithms, create, drawDataPoint, expectedRisk, gaussianRisk, risk, sharpnessOnManifold } from '../../src/models/diagonal-net/index.js';
import { sharpness } from '../../src/sharpness/sharpness.js';

/** Settings of one computation. */
export interface DiagonalClaimsSettings {
  /** The data point (d = 2). */
  x: [number, number];
  y: number;
  /** Part 1: the initialization scales α (w₀ = α·1), depth 2. */
  alphas: number[];
  /** Parts 1–2: GD learning rates as multiples of η_c = 2/s_GF (one below 1, one above). */
  rateMultiples: [number, number];
  /** Part 2: the depths and their α. */
  depths: number[];
  depthAlpha: number;
  /** Loss goal of the flow and of GD; GD step budget; RK4 step of the flow. */
  lossGoal: number;
  maxSteps: number;
  flowDt: number;
  /**
   * Part 4: random data from Lemma E.1's model conditioned on x ≥ 0 (x = |z|, y = ⟨1, x⟩ + ε): d, n, the draws'
   * seeds, α and the learning rates as multiples of each draw's η_c.
   */
  drawDim: number;
  drawPoints: number;
  drawSeeds: number[];
  drawAlpha: number;
  drawMultiples: number[];
  drawLossGoal: number;
  /** Part 3: dimension and the growing Monte-Carlo sample sizes. */
  riskDim: number;
  riskSamples: number[];
}

export const DEFAULT_SETTINGS: DiagonalClaimsSettings = {
  x: [1, 4],
  y: 2,
  alphas: [0.5, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001],
  rateMultiples: [0.8, 1.3],
  depths: [2, 3, 4],
  depthAlpha: 0.1,
  lossGoal: 1e-10,
  maxSteps: 200_000,
  flowDt: 0.002,
  riskDim: 5,
  riskSamples: [1000, 10_000, 100_000, 1_000_000],
  drawDim: 5,
  drawPoints: 3,
  drawSeeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  drawAlpha: 0.01,
  drawMultiples: [0.5, 0.9, 1.1, 1.2, 1.35, 1.5, 1.75],
  drawLossGoal: 1e-8,
};

/** `--quick`: fewer scales, smaller samples. */
export const QUICK_SETTINGS: DiagonalClaimsSettings = {
  ...DEFAULT_SETTINGS,
  alphas: [0.3, 0.03, 0.003],
  riskSamples: [1000, 10_000, 100_000],
  drawSeeds: [1, 2, 3, 4],
  drawMultiples: [0.5, 1.2, 1.5],
};

/**
 * Gradient flow's end point from α·1 by the conserved quantity above: w₂ ∈ (α, (y/x₂)^{1/L}) found by bisection on
 * ⟨x, w^{⊙L}⟩ = y, w₁ from the invariant. (Needs x₂ > x₁ > 0, y > ⟨x, α^{⊙L}⟩.)
 */
export function flowEndClosedForm(x: readonly [number, number], y: number, alpha: number, L: number): [number, number] {
  const w1Of = (w2: number): number => {
    if (L === 2) return alpha * Math.pow(w2 / alpha, x[0] / x[1]);
    const a = Math.pow(alpha, 2 - L);
    return Math.pow(a + (x[0] / x[1]) * (Math.pow(w2, 2 - L) - a), 1 / (2 - L));
  };
  let lo = alpha;
  let hi = Math.pow(y / x[1], 1 / L);
  for (let k = 0; k < 200; k++) {
    const mid = 0.5 * (lo + hi);
    const r = x[0] * Math.pow(w1Of(mid), L) + x[1] * Math.pow(mid, L) - y;
    if (r < 0) lo = mid;
    else hi = mid;
  }
  const w2 = 0.5 * (lo + hi);
  return [w1Of(w2), w2];
}

/** One GD run at a multiple of η_c. */
export interface RegimeRun {
  multiple: number;
  learningRate: number;
  status: string;
  steps: number;
  /** λ_max(∇²L) at the final iterate (dense Hessian) and `sharpnessOnManifold` there. */
  finalSharpness: number;
  finalOnManifold: number;
  /** final sharpness / s_GF and / (2/η). */
  overGf: number;
  overEdge: number;
}

/** Gradient flow and GD from α·1 at depth L. */
export interface ScaleRow {
  alpha: number;
  depth: number;
  /** The flow's end point (RK4) and its closed form; their largest coordinate difference. */
  flowEnd: [number, number];
  closedForm: [number, number];
  flowError: number;
  /** s_GF = sharpnessOnManifold at the closed-form end point (depth L); η_c = 2/s_GF. */
  sGf: number;
  etaC: number;
  /** ‖β_GF − β_ℓ1‖₁ with β = w^{⊙L} the regressor and β_ℓ1 = (0, y/x₂) the ℓ1 minimizer, relative to ‖β_ℓ1‖₁. */
  l1Distance: number;
  runs: RegimeRun[];
}

function scaleRow(s: DiagonalClaimsSettings, alpha: number, depth: number): ScaleRow {
  const model = create({ inputs: [s.x], targets: [s.y], depth });
  const theta0 = new Float64Array([alpha, alpha]);
  const flow = gradientFlow(model, theta0, {
    step: stepSize.fixed(s.flowDt),
    lossGoal: s.lossGoal,
    maxSteps: s.maxSteps,
    record: { every: 0, sharpnessEvery: 0 },
  });
  const closed = flowEndClosedForm(s.x, s.y, alpha, depth);
  const sGf = sharpnessOnManifold(s.x, closed, { depth });
  const etaC = 2 / sGf;
  const beta = closed.map((w) => Math.pow(w, depth));
  const betaL1 = [0, s.y / s.x[1]];
  const l1Distance = (Math.abs(beta[0] - betaL1[0]) + Math.abs(beta[1] - betaL1[1])) / betaL1[1];
  const runs = s.rateMultiples.map((multiple) => {
    const eta = multiple * etaC;
    const r = gd(model, theta0, { learningRate: eta, lossGoal: s.lossGoal, maxSteps: s.maxSteps, record: { every: 0 } });
    const finalSharpness = sharpness(model, r.theta, { method: 'dense' });
    return {
      multiple,
      learningRate: eta,
      status: r.status,
      steps: r.steps,
      finalSharpness,
      finalOnManifold: sharpnessOnManifold(s.x, r.theta, { depth }),
      overGf: finalSharpness / sGf,
      overEdge: (finalSharpness * eta) / 2,
    };
  });
  return {
    alpha,
    depth,
    flowEnd: [flow.theta[0], flow.theta[1]],
    closedForm: closed,
    flowError: Math.max(Math.abs(flow.theta[0] - closed[0]), Math.abs(flow.theta[1] - closed[1])),
    sGf,
    etaC,
    l1Distance,
    runs,
  };
}

/** Part 3: one expected-risk estimate per algorithm and sample size. */
export interface RiskRow {
  samples: number;
  l1: { mean: number; standardError: number };
  optimal: { mean: number; standardError: number };
  sharpness: { mean: number; standardError: number };
}

/** Part 4: one draw's gradient flow and GD runs. */
export interface DrawRow {
  seed: number;
  /** How the flow ended ('converged': L ≤ drawLossGoal). */
  flowStatus: string;
  /** s_GF (dense λ_max at the flow's end), η_c = 2/s_GF, R(w_GF) (Lemma E.1's risk). */
  sGf: number;
  etaC: number;
  riskGf: number;
  /** Per multiple of η_c: status, λ_max·η/2 and R(w) at the end (NaN unless converged). */
  runs: { multiple: number; status: string; overEdge: number; overGf: number; risk: number }[];
}

/**
 * Part 4 aggregated per multiple over the draws whose gradient flow converged (the others have no reference): GD runs
 * that converged, mean and standard error of R − R_GF over them.
 */
export interface DrawAggregate {
  multiple: number;
  converged: number;
  meanExcessRisk: number;
  standardError: number;
}

function computeDraws(s: DiagonalClaimsSettings): { rows: DrawRow[]; aggregate: DrawAggregate[] } {
  const model0 = risk.gaussian(s.drawDim);
  const rows = s.drawSeeds.map((seed) => {
    const g = rng(seed);
    const inputs: number[][] = [];
    const targets: number[] = [];
    const x = new Float64Array(s.drawDim);
    for (let i = 0; i < s.drawPoints; i++) {
      targets.push(drawDataPoint(model0, g, x, { nonNegative: true }));
      inputs.push(Array.from(x));
    }
    const model = create({ inputs, targets });
    const theta0 = new Float64Array(s.drawDim).fill(s.drawAlpha);
    const flow = gradientFlow(model, theta0, { step: stepSize.fixed(s.flowDt), lossGoal: s.drawLossGoal, maxSteps: s.maxSteps, record: { every: 0, sharpnessEvery: 0 } });
    const sGf = sharpness(model, flow.theta, { method: 'dense' });
    const etaC = 2 / sGf;
    const riskGf = gaussianRisk(flow.theta);
    const runs = s.drawMultiples.map((multiple) => {
      const eta = multiple * etaC;
      const r = gd(model, theta0, { learningRate: eta, lossGoal: s.drawLossGoal, maxSteps: s.maxSteps, record: { every: 0 } });
      const ok = r.status === 'converged';
      const sh = ok ? sharpness(model, r.theta, { method: 'dense' }) : NaN;
      return { multiple, status: r.status, overEdge: (sh * eta) / 2, overGf: sh / sGf, risk: ok ? gaussianRisk(r.theta) : NaN };
    });
    return { seed, flowStatus: flow.status, sGf, etaC, riskGf, runs };
  });
  const aggregate = s.drawMultiples.map((multiple, j) => {
    const ex = rows.filter((r) => r.flowStatus === 'converged' && r.runs[j].status === 'converged').map((r) => r.runs[j].risk - r.riskGf);
    const mean = ex.reduce((a, v) => a + v, 0) / ex.length;
    const sd = Math.sqrt(ex.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, ex.length - 1));
    return { multiple, converged: ex.length, meanExcessRisk: mean, standardError: sd / Math.sqrt(ex.length) };
  });
  return { rows, aggregate };
}

export interface DiagonalClaims {
  /** S at the ℓ1 minimizer (0, (y/x₂)^{1/2}): 4·y·x₂ (depth 2), the α → 0 limit of s_GF. */
  l1Sharpness: number;
  scales: ScaleRow[];
  depths: ScaleRow[];
  risks: RiskRow[];
  draws: { rows: DrawRow[]; aggregate: DrawAggregate[] };
}

export function computeDiagonalClaims(s: DiagonalClaimsSettings, progress: (line: string) => void): DiagonalClaims {
  const scales = s.alphas.map((a) => scaleRow(s, a, 2));
  progress(`initialization scales: ${scales.length} α`);
  const depths = s.depths.map((L) => scaleRow(s, s.depthAlpha, L));
  progress(`depths ${s.depths.join(', ')}`);
  const folded = risk.foldedGaussian(s.riskDim);
  const risks = s.riskSamples.map((n) => {
    const opts = { samples: n, seed: 7 };
    const pick = (e: { mean: number; standardError: number }) => ({ mean: e.mean, standardError: e.standardError });
    return {
      samples: n,
      l1: pick(expectedRisk(algorithms.l1, folded, opts)),
      optimal: pick(expectedRisk((a, b) => algorithms.optimal(a, b), folded, opts)),
      sharpness: pick(expectedRisk(algorithms.sharpness, folded, opts)),
    };
  });
  progress(`folded-Gaussian expected risks (d = ${s.riskDim})`);
  const draws = computeDraws(s);
  progress(`${s.drawSeeds.length} random draws (d = ${s.drawDim}, n = ${s.drawPoints})`);
  return { l1Sharpness: 4 * s.y * s.x[1], scales, depths, risks, draws };
}
