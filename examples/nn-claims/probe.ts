/**
 * One configuration × one initialization seed of the `nn-claims` example: gradient flow from θ₀ to the loss goal ε
 * (s_GF = the largest sharpness recorded along the flow, η_c = 2/s_GF, as `lrSweep` and [Conflicting biases, App. G]
 * define them), then full-batch GD from the same θ₀ at learning rates r·η_c for a fixed grid of ratios r, each until
 * L ≤ ε, with the measurements of the paper's figures at every end point.
 */
import type { LossModel } from '../../src/core/loss-model.js';
import { gd } from '../../src/dynamics/gd.js';
import { gradientFlow } from '../../src/dynamics/gradient-flow.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import { networkMeasures } from '../../src/measures/network-measures.js';
import { sharpness } from '../../src/sharpness/sharpness.js';

export interface ProbeSettings {
  lossGoal: number;
  /** Further loss goals ε' < ε at which the flow is continued (claim 1); s_GF(ε') and η_c(ε') are reported. */
  smallerGoals: readonly number[];
  ratios: readonly number[];
  maxSteps: number;
  flowMaxSteps: number;
  lanczosTol: number;
  flowSharpnessEvery: number;
  /**
   * The unit of the learning-rate grid: η = r·unit. Default: this configuration's own η_c. The init-scale
   * configurations use the ×1 configuration's η_c instead, so their η axis is the paper's (Fig. 6).
   */
  learningRateUnit?: number;
}

/** One GD run's end point. */
export interface ProbeRun {
  ratio: number;
  learningRate: number;
  status: string;
  steps: number;
  /** steps × η (App. H.8). */
  time: number;
  /** 'flow-aligned' (η ≤ η_c), 'eos' (η > η_c), or 'diverged' / 'not-converged'. */
  regime: string;
  /** max|λ| at the end point; its ratio to 2/η. */
  sharpness: number | null;
  sharpnessOverLimit: number | null;
  norm1: number;
  norm2: number;
  /** ‖W_ℓ‖_F and ‖W_ℓ‖_* per layer (input side first). */
  layerFrobenius: number[];
  layerNuclear: number[];
  /** Each layer's share of ‖θ‖₁ (weights and biases) and its number of parameters (Fig. 14). */
  layerL1: number[];
  layerParameters: number[];
  distanceToFlow2: number;
  distanceToFlow1: number;
  distanceToInit1: number;
  distanceToInit2: number;
  testLoss: number | null;
}

export interface ProbeResult {
  seed: number;
  lossGoal: number;
  /** η = ratio × this (η_c unless the settings gave another unit). */
  learningRateUnit: number;
  initialSharpness: number;
  flowSharpness: number;
  criticalLearningRate: number;
  flowStatus: string;
  /** The flow time t_GF at which L ≤ ε (compare steps × η, App. H.8). */
  flowTime: number;
  flow: { norm1: number; norm2: number; layerFrobenius: number[]; distanceToInit1: number; distanceToInit2: number; testLoss: number | null };
  /** s_GF at each smaller goal (max along the continued flow). */
  smallerGoals: { lossGoal: number; flowSharpness: number; endSharpness: number; status: string }[];
  /** Sharpness at the flow's end point θ_GF(ε) (s_GF is the max along the flow). */
  flowEndSharpness: number;
  runs: ProbeRun[];
}

export function probe(model: LossModel, testModel: LossModel | null, theta0: Float64Array, seed: number, s: ProbeSettings): ProbeResult {
  const sOpts = { method: 'lanczos' as const, tol: s.lanczosTol, which: 'abs' as const };
  const s0 = sharpness(model, theta0, sOpts);
  const flowOptions = (start: number, goal: number) => ({
    step: stepSize.sharpnessAdapted({ alpha: 0.5, maxStep: 10 / start, every: s.flowSharpnessEvery }),
    lossGoal: goal,
    maxSteps: s.flowMaxSteps,
    record: { every: 0, sharpnessEvery: s.flowSharpnessEvery, sharpness: sOpts },
  });
  const flow = gradientFlow(model, theta0, flowOptions(s0, s.lossGoal));
  const flowEnd = sharpness(model, flow.theta, sOpts);
  const sGF = Math.max(flow.maxSharpness ?? 0, flowEnd, s0);
  const etaC = 2 / sGF;
  const flowMeasures = networkMeasures(model, flow.theta, { references: { init: theta0 }, nuclear: false });
  // claim 1: continue the flow to smaller goals (the flow is a Markov process: continuing from θ_GF(ε) is exact)
  const smallerGoals: ProbeResult['smallerGoals'] = [];
  let theta = flow.theta;
  let running = sGF;
  for (const goal of s.smallerGoals) {
    const more = gradientFlow(model, theta, flowOptions(running, goal));
    const end = sharpness(model, more.theta, sOpts);
    running = Math.max(running, more.maxSharpness ?? 0, end);
    smallerGoals.push({ lossGoal: goal, flowSharpness: running, endSharpness: end, status: more.status });
    theta = more.theta;
  }
  const unit = s.learningRateUnit ?? etaC;
  const runs = s.ratios.map((ratio): ProbeRun => {
    const eta = ratio * unit;
    const r = gd(model, theta0, { learningRate: eta, lossGoal: s.lossGoal, maxSteps: s.maxSteps, record: { every: 0 } });
    const ok = r.status === 'converged';
    const m = networkMeasures(model, r.theta, { references: { flow: flow.theta, init: theta0 } });
    const S = ok ? sharpness(model, r.theta, sOpts) : null;
    return {
      ratio,
      learningRate: eta,
      status: r.status,
      steps: r.steps,
      time: r.steps * eta,
      regime: r.status === 'diverged' ? 'diverged' : !ok ? 'not-converged' : eta <= etaC ? 'flow-aligned' : 'eos',
      sharpness: S,
      sharpnessOverLimit: S === null ? null : (S * eta) / 2,
      norm1: m.l1,
      norm2: m.l2,
      layerFrobenius: m.layers.map((l) => l.frobenius),
      layerNuclear: m.layers.map((l) => l.nuclear),
      layerL1: m.layers.map((l) => l.l1),
      layerParameters: m.layers.map((l) => l.parameters),
      distanceToFlow1: m.distances.flow.l1,
      distanceToFlow2: m.distances.flow.l2,
      distanceToInit1: m.distances.init.l1,
      distanceToInit2: m.distances.init.l2,
      testLoss: ok && testModel !== null ? testModel.loss(r.theta) : null,
    };
  });
  return {
    seed,
    lossGoal: s.lossGoal,
    learningRateUnit: unit,
    initialSharpness: s0,
    flowSharpness: sGF,
    criticalLearningRate: etaC,
    flowStatus: flow.status,
    flowTime: flow.time,
    flowEndSharpness: flowEnd,
    flow: {
      norm1: flowMeasures.l1,
      norm2: flowMeasures.l2,
      layerFrobenius: flowMeasures.layers.map((l) => l.frobenius),
      distanceToInit1: flowMeasures.distances.init.l1,
      distanceToInit2: flowMeasures.distances.init.l2,
      testLoss: testModel === null ? null : testModel.loss(flow.theta),
    },
    smallerGoals,
    runs,
  };
}
