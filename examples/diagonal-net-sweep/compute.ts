/**
 * The computation behind the `diagonal-net-sweep` example: [Conflicting biases]'s two-dimensional diagonal network with
 * shared weights (Sec. 3, App. H.13), L(w) = ½(⟨x, w^{⊙2}⟩ − y)², trained by GD from w₀ = α1 over a range of
 * learning rates, against the theory (Prop. 3.2, eq. (11), Lemma E.1, the KKT points of problem (12)).
 */
import { gd, gdStep } from '../../src/dynamics/gd.js';
import { createRk4Scratch, rk4Step } from '../../src/dynamics/rk4.js';
import { lrSweep, type LrSweepResult, type LrSweepRun } from '../../src/experiments/lr-sweep/index.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import {
  algorithms,
  bestKktPoint,
  constrainedL1Minimizer,
  create,
  expectedRisk,
  gaussianRisk,
  kktPoints,
  l1Minimizers,
  risk,
  sharpnessMinimizers,
  sharpnessOnManifold,
} from '../../src/models/diagonal-net/index.js';

/** Settings of one computation. */
export interface DiagonalSweepSettings {
  /** The single data point's input x ∈ ℝ² (distinct positive entries) and target y > 0. */
  x: readonly [number, number];
  y: number;
  /** w₀ = α·1. */
  alpha: number;
  /** The loss goal ε of the flow and of every GD run. */
  lossGoal: number;
  /** Number of explicit learning rates of the dense sweep (the figures), evenly spaced on `denseRange`·η_c. */
  denseRates: number;
  denseRange: readonly [number, number];
  /** Learning rates (in units of η_c) whose GD paths are drawn over the sharpness map (Fig. 16). */
  pathRates: readonly number[];
  /** GD step budget per run. */
  maxSteps: number;
  /** Heat-map cells (w₁ × w₂) of the sharpness map. */
  heatmap: readonly [number, number];
  /** Monte-Carlo draws for Prop. E.2's expected risks (d = 5 Gaussian model). */
  riskSamples: number;
}

/**
 * x = (1, 4), y = 2, α = 0.01, ε = 1e-6 (chosen, documented in the README row and the guide):
 * - the ℓ1 minimizer (0, 1/√2) has S = 4·y·x_max = 32, the sharpness minimizer (√2, 0) has S = 4·y·x_min = 8, so
 *   GD at η between 2/32 and 2/8 cannot converge near the gradient-flow solution but can still converge on M;
 * - Lemma E.1's risk minimizer on M, w^{⊙2} = 1 − νx with ν = 3/17, has S ≈ 22.1: strictly between, so the risk
 *   is U-shaped in η (R = 1.125 at the ℓ1 minimizer, 0.765 at A_opt, 1.5 at A_S);
 * - α = 0.01 puts the flow's end point (w₁ = α(w₂/α)^{x₁/x₂} ≈ 0.029) close to the ℓ1 minimizer.
 */
export const DEFAULT_SETTINGS: DiagonalSweepSettings = {
  x: [1, 4],
  y: 2,
  alpha: 0.01,
  lossGoal: 1e-6,
  denseRates: 56,
  denseRange: [0.2, 2.4],
  pathRates: [0.8, 1.2, 1.4, 1.6, 1.75, 1.9],
  maxSteps: 500_000,
  heatmap: [40, 22],
  riskSamples: 20_000,
};

/** `--quick`: fewer learning rates, a coarser map, fewer Monte-Carlo draws. */
export const QUICK_SETTINGS: DiagonalSweepSettings = {
  ...DEFAULT_SETTINGS,
  denseRates: 14,
  pathRates: [0.8, 1.4, 1.75],
  maxSteps: 100_000,
  heatmap: [24, 14],
  riskSamples: 2000,
};

/** One GD run of the dense sweep with the theory at its η. */
export interface SweepPoint {
  learningRate: number;
  /** η/η_c. */
  relative: number;
  status: string;
  steps: number;
  regime: string;
  unstableAtGoal: boolean;
  /** Where the `settle` continuation of an unstable-at-goal run ended (null otherwise). */
  settled: { status: string; stable: boolean; lambdaMax: number | null } | null;
  /** Final λ_max and max|λ| (null if diverged). */
  lambdaMax: number | null;
  absMax: number | null;
  /** Largest sharpness along the run (max|λ|, every 10 steps). */
  maxSharpness: number | null;
  /** ‖w‖₂² = ‖w^{⊙2}‖₁ (eq. (10)). */
  l1: number;
  /** Lemma E.1's risk of the final w. */
  risk: number;
  /** Least ‖w‖₂² on M with S ≤ 2/η (Fig. 15b's line), null when no point of M has S ≤ 2/η. */
  predictedL1: number | null;
  /** The best KKT point of (12) (least Lemma E.1 risk on M with S ≤ 2/η). */
  bestKkt: { w: [number, number]; risk: number; sharpness: number; branch: string } | null;
  /** ‖|w_GD| − w_KKT‖₂ to the best KKT point and to the nearest KKT point (entries compared in absolute value). */
  kktDistance: number | null;
  nearestKktDistance: number | null;
  theta: [number, number] | null;
}

/** A path in the plane. */
export interface PlanePath {
  learningRate: number;
  relative: number;
  status: string;
  /** Iterates (thinned to at most 1500 points, the last one kept). */
  w1: number[];
  w2: number[];
  /** All KKT points of (12) at this η, nonnegative representatives. */
  kkt: { w: [number, number]; risk: number; branch: string }[];
}

/** The full result. */
export interface DiagonalSweepResult {
  settings: DiagonalSweepSettings;
  theory: {
    l1Minimizer: { w: number[]; l1: number; sharpness: number; risk: number };
    sharpnessMinimizer: { w: number[]; l1: number; sharpness: number; risk: number; denseHessianLambdaMax: number; proofOfLemmaD2Value: number };
    riskMinimizer: { w: number[]; l1: number; sharpness: number; risk: number };
    /** 2/(4·y·x_min): above it no point of M has S ≤ 2/η. */
    noFeasibleAbove: number;
    expectedRisks: { dim: number; samples: number; excluded: number; l1: [number, number]; optimal: [number, number]; sharpness: [number, number] };
  };
  appG: LrSweepResult;
  dense: LrSweepResult;
  points: SweepPoint[];
  paths: PlanePath[];
  flowPath: { w1: number[]; w2: number[] };
  heatmap: { w1: number[]; w2: number[]; lambdaMax: number[]; step1: number; step2: number };
  domain: { w1: [number, number]; w2: [number, number] };
}

function thin(w1: number[], w2: number[], max: number): { w1: number[]; w2: number[] } {
  if (w1.length <= max) return { w1, w2 };
  const stride = Math.ceil(w1.length / max);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < w1.length; i += stride) {
    a.push(w1[i]);
    b.push(w2[i]);
  }
  a.push(w1[w1.length - 1]);
  b.push(w2[w2.length - 1]);
  return { w1: a, w2: b };
}

/** λ_max of the 2×2 Hessian D_{2rx} + 4(x⊙w)(x⊙w)ᵀ (App. D), closed form. */
function lambdaMax2(x: readonly number[], y: number, w1: number, w2: number): number {
  const r = x[0] * w1 * w1 + x[1] * w2 * w2 - y;
  const a = 2 * r * x[0] + 4 * (x[0] * w1) ** 2;
  const c = 2 * r * x[1] + 4 * (x[1] * w2) ** 2;
  const b = 4 * x[0] * w1 * x[1] * w2;
  return (a + c) / 2 + Math.hypot((a - c) / 2, b);
}

/** Runs both sweeps, the theory and the paths. `progress` receives a line per phase. */
export async function computeDiagonalSweep(settings: DiagonalSweepSettings, progress: (message: string) => void = () => {}): Promise<DiagonalSweepResult> {
  const { x, y, alpha, lossGoal, maxSteps } = settings;
  const model = create({ inputs: [[x[0], x[1]]], targets: [y] });
  const theta0 = new Float64Array([alpha, alpha]);

  // Theory (Prop. 3.2, eq. (11), Lemma E.1, Prop. E.2).
  const l1 = l1Minimizers(x, y);
  const flat = sharpnessMinimizers(x, y);
  const opt = algorithms.optimal(x, y) as Float64Array;
  const optL1 = opt[0] ** 2 + opt[1] ** 2;
  const denseAtFlat = symmetricEigen(model.hessian(flat.canonical)).values[1];
  const er = risk.gaussian(5);
  const mc = { samples: settings.riskSamples, seed: 2024 };
  const eL1 = expectedRisk(algorithms.l1, er, mc);
  const eOpt = expectedRisk((a, b) => algorithms.optimal(a, b), er, mc);
  const eFlat = expectedRisk(algorithms.sharpness, er, mc);

  // [Conflicting biases, App. G]: the schedule from s_0 and s_GF, GD until divergence; settle runs met "in passing".
  progress('App. G sweep');
  const appG = await lrSweep(model, theta0, { lossGoal, maxSteps, settle: {} });
  const etaC = appG.criticalLearningRate;

  // A dense sweep for the figures.
  const [lo, hi] = settings.denseRange;
  const rates = Array.from({ length: settings.denseRates }, (_, i) => etaC * (lo + ((hi - lo) * i) / (settings.denseRates - 1)));
  progress(`dense sweep (${rates.length} learning rates)`);
  const dense = await lrSweep(model, theta0, { lossGoal, maxSteps, learningRates: rates, settle: {} });

  const points: SweepPoint[] = dense.runs.map((run: LrSweepRun) => {
    const eta = run.learningRate;
    const th = run.theta as number[];
    const w = [Math.abs(th[0]), Math.abs(th[1])];
    const predicted = constrainedL1Minimizer(x, y, eta);
    const best = bestKktPoint(x, y, eta);
    const all = kktPoints(x, y, eta);
    const converged = run.status === 'converged';
    const dist = (p: Float64Array) => Math.hypot(w[0] - p[0], w[1] - p[1]);
    return {
      learningRate: eta,
      relative: eta / etaC,
      status: run.status,
      steps: run.steps,
      regime: run.regime,
      unstableAtGoal: run.unstableAtGoal,
      settled: run.settled === null ? null : { status: run.settled.status, stable: run.settled.stable, lambdaMax: run.settled.finalSharpness?.max ?? null },
      lambdaMax: run.finalSharpness?.max ?? null,
      absMax: run.finalSharpness?.abs ?? null,
      maxSharpness: run.maxSharpness,
      l1: th[0] * th[0] + th[1] * th[1],
      risk: gaussianRisk(th),
      predictedL1: predicted === null ? null : predicted.l1Norm,
      bestKkt: best === null ? null : { w: [best.w[0], best.w[1]], risk: best.risk, sharpness: best.sharpness, branch: best.branch },
      kktDistance: converged && best !== null ? dist(best.w) : null,
      nearestKktDistance: converged && all.length > 0 ? Math.min(...all.map((p) => dist(p.w))) : null,
      theta: [th[0], th[1]],
    };
  });

  // GD paths (replayed with gdStep, checked against gd's end point) and the gradient-flow path (fixed-step RK4).
  progress('paths and sharpness map');
  const paths: PlanePath[] = [];
  for (const rel of settings.pathRates) {
    const eta = rel * etaC;
    const run = gd(model, theta0, { learningRate: eta, lossGoal, maxSteps, record: { every: 0 } });
    const last = run.status === 'diverged' ? run.steps - 1 : run.steps;
    const w = Float64Array.from(theta0);
    const g = new Float64Array(2);
    const w1: number[] = [w[0]];
    const w2: number[] = [w[1]];
    for (let k = 0; k < last; k++) {
      gdStep(model, w, eta, g, w);
      w1.push(w[0]);
      w2.push(w[1]);
    }
    if (w[0] !== run.theta[0] || w[1] !== run.theta[1]) throw new Error(`η = ${eta}: the gdStep replay ended at (${w[0]}, ${w[1]}), gd at (${run.theta[0]}, ${run.theta[1]})`);
    const t = thin(w1, w2, 1500);
    paths.push({ learningRate: eta, relative: rel, status: run.status, w1: t.w1, w2: t.w2, kkt: kktPoints(x, y, eta).map((p) => ({ w: [p.w[0], p.w[1]], risk: p.risk, branch: p.branch })) });
  }
  const flowW1: number[] = [alpha];
  const flowW2: number[] = [alpha];
  {
    const w = Float64Array.from(theta0);
    const scratch = createRk4Scratch(2);
    for (let k = 0; k < 200_000 && model.loss(w) > lossGoal; k++) {
      rk4Step(model, w, 0.002, scratch, w);
      flowW1.push(w[0]);
      flowW2.push(w[1]);
    }
  }
  const flowThin = thin(flowW1, flowW2, 600);

  // The plane window and the sharpness map λ_max(∇²L) over it.
  const domain = { w1: [-1.6, 1.6] as [number, number], w2: [-0.9, 0.9] as [number, number] };
  const [n1, n2] = settings.heatmap;
  const step1 = (domain.w1[1] - domain.w1[0]) / n1;
  const step2 = (domain.w2[1] - domain.w2[0]) / n2;
  const hw1: number[] = [];
  const hw2: number[] = [];
  const hl: number[] = [];
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      const a = domain.w1[0] + (i + 0.5) * step1;
      const b = domain.w2[0] + (j + 0.5) * step2;
      hw1.push(a);
      hw2.push(b);
      hl.push(lambdaMax2(x, y, a, b));
    }
  }

  const flatW = Array.from(flat.canonical);
  return {
    settings,
    theory: {
      l1Minimizer: { w: Array.from(l1.canonical), l1: l1.l1Norm, sharpness: sharpnessOnManifold(x, l1.canonical), risk: gaussianRisk(l1.canonical) },
      sharpnessMinimizer: {
        w: flatW,
        l1: flat.l1Norm,
        sharpness: flat.sharpness,
        risk: gaussianRisk(flat.canonical),
        denseHessianLambdaMax: denseAtFlat,
        proofOfLemmaD2Value: y * Math.min(x[0], x[1]),
      },
      riskMinimizer: { w: Array.from(opt), l1: optL1, sharpness: sharpnessOnManifold(x, opt), risk: gaussianRisk(opt) },
      noFeasibleAbove: 2 / flat.sharpness,
      expectedRisks: {
        dim: 5,
        samples: eL1.samples,
        excluded: eL1.excluded,
        l1: [eL1.mean, eL1.standardError],
        optimal: [eOpt.mean, eOpt.standardError],
        sharpness: [eFlat.mean, eFlat.standardError],
      },
    },
    appG,
    dense,
    points,
    paths,
    flowPath: flowThin,
    heatmap: { w1: hw1, w2: hw2, lambdaMax: hl, step1, step2 },
    domain,
  };
}

/** A claim of the paper, checked on the result, with the numbers behind the verdict. */
export interface Claim {
  claim: string;
  reproduced: boolean;
  detail: string;
}

function fmt(v: number, digits = 4): string {
  return Number(v.toPrecision(digits)).toString();
}

/** Checks the paper's claims (Fig. 4, 15, 16; Sec. 3; App. H.13) on the dense sweep. */
export function checkClaims(r: DiagonalSweepResult): Claim[] {
  const etaC = r.dense.criticalLearningRate;
  const sGF = r.dense.flowSharpness;
  const conv = r.points.filter((p) => p.status === 'converged');
  const stable = conv.filter((p) => !p.unstableAtGoal);
  const below = stable.filter((p) => p.learningRate < etaC);
  const above = stable.filter((p) => p.learningRate > etaC);
  const claims: Claim[] = [];

  const devFlow = Math.max(...below.map((p) => Math.abs((p.lambdaMax as number) / sGF - 1)));
  claims.push({
    claim: 'flow-aligned regime (η < η_c): final sharpness ≈ s_GF (within 1%)',
    reproduced: below.length > 0 && devFlow < 0.01,
    detail: `${below.length} runs, max |λ_max/s_GF − 1| = ${fmt(devFlow, 2)} (s_GF = ${fmt(sGF)})`,
  });

  const ratios = above.map((p) => ((p.lambdaMax as number) * p.learningRate) / 2);
  const nearEdge = ratios.filter((q) => q >= 0.9 && q <= 1 + 1e-9).length;
  claims.push({
    claim: 'EoS regime (η > η_c): final sharpness ≈ 2/η, just below it',
    reproduced: above.length > 0 && nearEdge >= 0.75 * above.length && ratios.every((q) => q <= 1 + 1e-9),
    detail: `${nearEdge}/${above.length} converged EoS runs have η·λ_max/2 ∈ [0.9, 1]; range [${fmt(Math.min(...ratios), 3)}, ${fmt(Math.max(...ratios), 3)}]`,
  });

  const flatNorm = below.length > 0 ? Math.max(...below.map((p) => p.l1)) : NaN;
  const maxNorm = Math.max(...above.map((p) => p.l1));
  const lineDev = above.filter((p) => p.predictedL1 !== null).map((p) => Math.abs(p.l1 / (p.predictedL1 as number) - 1));
  claims.push({
    claim: 'ℓ1 norm ‖w^{⊙2}‖₁ flat below η_c, rising above it, along the predicted line (least norm on M with S ≤ 2/η)',
    reproduced: maxNorm > 1.5 * flatNorm && lineDev.length > 0 && median(lineDev) < 0.1,
    detail: `‖w‖² ≤ ${fmt(flatNorm)} below η_c (y/x_max = ${fmt(r.theory.l1Minimizer.l1)}), up to ${fmt(maxNorm)} above; median |‖w‖²/predicted − 1| = ${fmt(median(lineDev), 2)} over ${lineDev.length} EoS runs (max ${fmt(Math.max(...lineDev), 2)})`,
  });

  let best = stable[0];
  for (const p of stable) if (p.risk < best.risk) best = p;
  const lastStable = stable[stable.length - 1];
  const flowRisk = below.length > 0 ? below[0].risk : NaN;
  claims.push({
    claim: 'risk vs η is U-shaped: best at an intermediate η in the EoS regime, worse at both ends',
    reproduced: best.learningRate > etaC && best.risk < flowRisk - 0.05 && best.risk < lastStable.risk - 0.05,
    detail: `min R = ${fmt(best.risk)} at η = ${fmt(best.relative, 3)}·η_c (A_opt: ${fmt(r.theory.riskMinimizer.risk)}); flow-aligned R = ${fmt(flowRisk)}; at the largest stable η (${fmt(lastStable.relative, 3)}·η_c) R = ${fmt(lastStable.risk)}`,
  });

  const dists = above.map((p) => p.kktDistance).filter((d): d is number => d !== null);
  const near = above.map((p) => p.nearestKktDistance).filter((d): d is number => d !== null);
  claims.push({
    claim: 'the GD limit lies near a KKT point of the sharpness-constrained risk minimization (12) (Fig. 16)',
    reproduced: near.length > 0 && median(near) < 0.1,
    detail: `EoS runs: median distance to the nearest KKT point ${fmt(median(near), 2)} (max ${fmt(Math.max(...near), 2)}); to the best (least-risk) KKT point ${fmt(median(dists), 2)}`,
  });

  const firstDiverged = r.points.find((p) => p.status === 'diverged');
  claims.push({
    claim: 'GD diverges already below the theoretical threshold 2/min_M S = 1/(2·y·x_min) (App. H.13)',
    reproduced: firstDiverged !== undefined && firstDiverged.learningRate < r.theory.noFeasibleAbove,
    detail: firstDiverged === undefined
      ? 'no run diverged'
      : `first divergence at η = ${fmt(firstDiverged.learningRate)} (${fmt(firstDiverged.relative, 3)}·η_c) < ${fmt(r.theory.noFeasibleAbove)}`,
  });

  const flat = r.theory.sharpnessMinimizer;
  claims.push({
    claim: 'min_M S = 4·y·x_min (eq. (11)); the proof of Lemma D.2 writes y·x_min (drops the 4)',
    reproduced: Math.abs(flat.denseHessianLambdaMax / flat.sharpness - 1) < 1e-12,
    detail: `dense Hessian at √(y/x_min)e_kmin: λ_max = ${fmt(flat.denseHessianLambdaMax, 6)} = 4·y·x_min = ${fmt(flat.sharpness)}, not ${fmt(flat.proofOfLemmaD2Value)}`,
  });
  return claims;
}

function median(a: number[]): number {
  if (a.length === 0) return NaN;
  const s = [...a].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
