/**
 * The computation behind the `scalar-factorization-gd` example: GD on L(x, y) = ½(1 − xy)² [Scalar factorization] from one
 * start at several learning rates, gradient flow from the same start, and the closed-form theory to compare with.
 */
import { gd, gdStep } from '../../src/dynamics/gd.js';
import { gradientFlow } from '../../src/dynamics/gradient-flow.js';
import { createRk4Scratch, rk4Step } from '../../src/dynamics/rk4.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import { create, gradientFlowSolution, minimizerSharpness } from '../../src/models/scalar-factorization/index.js';
import { sharpness } from '../../src/sharpness/sharpness.js';

/** Settings of one computation. */
export interface ScalarGdSettings {
  /** The common start θ₀ = (x₀, y₀). */
  start: readonly [number, number];
  /** The learning rates η of the GD runs. */
  learningRates: readonly number[];
  /** GD and GF stop at the first iterate with L ≤ lossGoal. */
  lossGoal: number;
  /** Step budget of each GD run. */
  maxSteps: number;
  /** RK4 step size of the gradient-flow path. */
  flowDt: number;
  /** Largest flow time. */
  maxFlowTime: number;
}

/**
 * The default start (x₀, y₀) = (2, 0.65): unbalanced, δ = x₀² − y₀² = 3.5775, so the gradient-flow solution has
 * sharpness s_GFS = √(δ² + 4) ≈ 4.10, above 2/η for η = 0.5 (4) and η = 0.95 (≈ 2.105). GD at those η cannot
 * converge near the GFS and must reach a flatter point of xy = 1; at η = 0.1 (2/η = 20) it should follow the flow.
 * Larger imbalances make GD at η = 0.95 diverge (e.g. from (2.5, 0.1)).
 */
export const DEFAULT_SETTINGS: ScalarGdSettings = {
  start: [2, 0.65],
  learningRates: [0.1, 0.5, 0.95],
  lossGoal: 1e-18,
  maxSteps: 20_000,
  flowDt: 0.01,
  maxFlowTime: 100,
};

/** `--quick`: the same GD runs (they take milliseconds), a coarser flow path. */
export const QUICK_SETTINGS: ScalarGdSettings = { ...DEFAULT_SETTINGS, flowDt: 0.05 };

/** [Scalar factorization]'s "time near the edge of stability" test on the late iterates of one GD run (docs/math.md §1). */
export interface EdgeOfStabilityCheck {
  /** First step k with |x_k y_k − 1| < 1% of |x₀y₀ − 1|: the late phase starts there (null if never). */
  lateFrom: number | null;
  /** Median over the late iterates of |η s(x_k, y_k) − 2|, with s = x² + y² (null without a late phase). */
  medianDistance: number | null;
  /** medianDistance < 0.1. */
  nearEdge: boolean;
}

/** Traces of one GD run (struct of arrays). */
export interface GdRunTrace {
  learningRate: number;
  /** Iterates θ_k for k = 0 … steps (the path). */
  x: Float64Array;
  y: Float64Array;
  /** L(θ_k) at the recorded steps. */
  step: Int32Array;
  loss: Float64Array;
  /** λ_max(∇²L(θ_k)) at the recorded steps. */
  sharpnessStep: Int32Array;
  sharpness: Float64Array;
}

/** The outcome of one GD run against the theory. */
export interface GdRunSummary {
  learningRate: number;
  /** 2/η: GD can converge only to minima with sharpness at most this. */
  stabilityLimit: number;
  status: string;
  message: string;
  steps: number;
  theta: [number, number];
  loss: number;
  /** λ_max(∇²L) at the final iterate (dense 2×2 eigenvalue). */
  finalSharpness: number;
  /** x² + y² at the final iterate: the nonzero Hessian eigenvalue on xy = 1. */
  finalMinimizerSharpness: number;
  /** finalSharpness ≤ 2/η. */
  belowStabilityLimit: boolean;
  /** finalSharpness / s_GFS: 1 when GD follows the flow, < 1 when it reached a flatter minimizer. */
  sharpnessOverGfs: number;
  /** Final imbalance x² − y² (GD changes it; GF keeps δ). */
  imbalance: number;
  edgeOfStability: EdgeOfStabilityCheck;
}

/** Summary of the whole example (written as summary.json). */
export interface ScalarGdSummary {
  model: string;
  seed: string;
  settings: ScalarGdSettings;
  start: [number, number];
  /** δ = x₀² − y₀², conserved by gradient flow. */
  imbalance: number;
  /** λ_max(∇²L(θ₀)). */
  initialSharpness: number;
  gradientFlowSolution: { theta: [number, number]; sharpness: number; formula: string };
  gradientFlow: {
    status: string;
    message: string;
    time: number;
    steps: number;
    theta: [number, number];
    /** max over the two coordinates of |θ_GF(T) − θ_GFS|. */
    distanceToSolution: number;
    /** s_GF: the largest λ_max along the flow [Conflicting biases, App. G]. */
    maxSharpness: number | null;
  };
  runs: GdRunSummary[];
}

/** Everything the figures and files need. */
export interface ScalarGdResult {
  summary: ScalarGdSummary;
  runs: GdRunTrace[];
  flow: { time: Float64Array; x: Float64Array; y: Float64Array; loss: Float64Array };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** [Scalar factorization]'s EoS criterion on a GD path (docs/math.md §1). */
export function edgeOfStability(x: Float64Array, y: Float64Array, learningRate: number): EdgeOfStabilityCheck {
  const gap0 = Math.abs(x[0] * y[0] - 1);
  let lateFrom: number | null = null;
  for (let k = 0; k < x.length; k++) {
    if (Math.abs(x[k] * y[k] - 1) < 0.01 * gap0) {
      lateFrom = k;
      break;
    }
  }
  if (lateFrom === null) return { lateFrom, medianDistance: null, nearEdge: false };
  const d: number[] = [];
  for (let k = lateFrom; k < x.length; k++) d.push(Math.abs(learningRate * (x[k] * x[k] + y[k] * y[k]) - 2));
  const medianDistance = median(d);
  return { lateFrom, medianDistance, nearEdge: medianDistance < 0.1 };
}

/**
 * Runs GD at each learning rate and gradient flow from `settings.start`, and compares with the theory.
 * `progress` receives one line per run.
 */
export function computeScalarGd(settings: ScalarGdSettings, progress: (message: string) => void = () => {}): ScalarGdResult {
  const model = create(); // L(x, y) = ½(1 − xy)², depth 2, target 1
  const theta0 = new Float64Array(settings.start);
  const [x0, y0] = settings.start;
  const gfs = gradientFlowSolution(theta0);
  const initialSharpness = sharpness(model, theta0);

  const runs: GdRunTrace[] = [];
  const runSummaries: GdRunSummary[] = [];
  for (const eta of settings.learningRates) {
    const result = gd(model, theta0, {
      learningRate: eta,
      lossGoal: settings.lossGoal,
      maxSteps: settings.maxSteps,
      record: { every: 1, sharpnessEvery: 1 },
    });
    // The path θ_0 … θ_last, replayed with the one-step primitive (same operation order as the driver, so the
    // iterates agree bit for bit; checked below).
    const last = result.status === 'diverged' ? result.steps - 1 : result.steps;
    const x = new Float64Array(last + 1);
    const y = new Float64Array(last + 1);
    const theta = Float64Array.from(theta0);
    const grad = new Float64Array(2);
    for (let k = 0; ; k++) {
      x[k] = theta[0];
      y[k] = theta[1];
      if (k === last) break;
      gdStep(model, theta, eta, grad, theta);
    }
    if (theta[0] !== result.theta[0] || theta[1] !== result.theta[1]) {
      throw new Error(`η = ${eta}: the gdStep replay ended at (${theta[0]}, ${theta[1]}), gd at (${result.theta[0]}, ${result.theta[1]})`);
    }
    const finalSharpness = sharpness(model, result.theta);
    const stabilityLimit = 2 / eta;
    const summary: GdRunSummary = {
      learningRate: eta,
      stabilityLimit,
      status: result.status,
      message: result.message,
      steps: result.steps,
      theta: [result.theta[0], result.theta[1]],
      loss: result.loss,
      finalSharpness,
      finalMinimizerSharpness: minimizerSharpness(result.theta),
      belowStabilityLimit: finalSharpness <= stabilityLimit,
      sharpnessOverGfs: finalSharpness / gfs.sharpness,
      imbalance: result.theta[0] * result.theta[0] - result.theta[1] * result.theta[1],
      edgeOfStability: edgeOfStability(x, y, eta),
    };
    runSummaries.push(summary);
    runs.push({
      learningRate: eta,
      x,
      y,
      step: result.trace.step,
      loss: result.trace.loss,
      sharpnessStep: result.trace.sharpnessStep,
      sharpness: result.trace.sharpness,
    });
    progress(`GD η = ${eta}: ${result.message}`);
  }

  // Gradient flow: the driver for status, time and s_GF; the path by the RK4 primitive with the same step.
  const flowRun = gradientFlow(model, theta0, {
    step: stepSize.fixed(settings.flowDt),
    lossGoal: settings.lossGoal,
    maxTime: settings.maxFlowTime,
    maxSteps: Math.ceil(settings.maxFlowTime / settings.flowDt),
    record: { every: 0, sharpnessEvery: 1 },
  });
  const n = flowRun.steps + 1;
  const flow = { time: new Float64Array(n), x: new Float64Array(n), y: new Float64Array(n), loss: new Float64Array(n) };
  const theta = Float64Array.from(theta0);
  const scratch = createRk4Scratch(2);
  let t = 0;
  for (let k = 0; k < n; k++) {
    flow.time[k] = t;
    flow.x[k] = theta[0];
    flow.y[k] = theta[1];
    flow.loss[k] = model.loss(theta);
    if (k === n - 1) break;
    const dt = Math.min(settings.flowDt, settings.maxFlowTime - t); // the driver shortens the last step to maxTime
    rk4Step(model, theta, dt, scratch, theta);
    t += dt;
  }
  const replayGap = Math.max(Math.abs(theta[0] - flowRun.theta[0]), Math.abs(theta[1] - flowRun.theta[1]));
  if (flowRun.status !== 'diverged' && !(replayGap <= 1e-12)) {
    throw new Error(`gradient flow: the rk4Step replay ended ${replayGap} away from gradientFlow's final point`);
  }
  progress(`gradient flow: ${flowRun.message}`);

  return {
    summary: {
      model: 'L(x, y) = ½(1 − xy)²',
      seed: '000',
      settings,
      start: [x0, y0],
      imbalance: x0 * x0 - y0 * y0,
      initialSharpness,
      gradientFlowSolution: { theta: [gfs.theta[0], gfs.theta[1]], sharpness: gfs.sharpness, formula: 's_GFS = √(δ² + 4)' },
      gradientFlow: {
        status: flowRun.status,
        message: flowRun.message,
        time: flowRun.time,
        steps: flowRun.steps,
        theta: [flowRun.theta[0], flowRun.theta[1]],
        distanceToSolution: Math.max(Math.abs(flowRun.theta[0] - gfs.theta[0]), Math.abs(flowRun.theta[1] - gfs.theta[1])),
        maxSharpness: flowRun.maxSharpness,
      },
      runs: runSummaries,
    },
    runs,
    flow,
  };
}
