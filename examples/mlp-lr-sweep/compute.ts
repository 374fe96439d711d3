/**
 * The computation behind the `mlp-lr-sweep` example: [Conflicting biases]'s Figure 1 in small — `lrSweep` (App. G) on a ReLU
 * MLP trained with MSE on a small MNIST slice, with the test loss of every final iterate, and the statistics that
 * say which of [Conflicting biases]'s claims reproduce.
 */
import type { MnistDescriptor } from '../../src/data/dataset.js';
import { loadMnist } from '../../src/data/mnist.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import { lrSweep, type LrSweepResult, type LrSweepRun } from '../../src/experiments/lr-sweep/index.js';
import { nrm1 } from '../../src/linalg/vector.js';
import { create, init, type MlpSpec } from '../../src/models/mlp/index.js';
import { sharpness } from '../../src/sharpness/sharpness.js';

/** Settings of one computation. */
export interface MlpSweepSettings {
  /** The MNIST slice (`datasets.loadMnist` options). */
  mnist: { perClass: number; testPerClass: number; classes: number[]; resolution: 7 | 14 | 28 };
  /** Hidden widths; the input width is resolution² and the output width the number of classes. */
  hidden: number[];
  /** Seed of θ₀ (pytorch-default). */
  initSeed: number;
  /** ε: the flow and every GD run stop at the first L ≤ ε [Conflicting biases, App. G]. */
  lossGoal: number;
  /** Relative residual tolerance of Lanczos (sharpness along the flow and at every final iterate). */
  lanczosTol: number;
  /** RK4 step h = min(maxStep, α/S) of the flow, refreshed every `flowSharpnessEvery` steps. */
  flowAlpha: number;
  flowSharpnessEvery: number;
  /**
   * Step of the onward points beyond App. G's grids ("until divergence"), at most `maxOnward` of them. App. G's
   * default, the coarse step (2/s_0 − 6/s_GF)/8, is tiny here because 2/s_0 is barely above 6/s_GF (s_0 ≈ s_GF/4);
   * this fixed step (≈ 0.8·η_c for the default settings, read off a first run) reaches divergence in a few points.
   */
  onwardStep: number;
  maxOnward: number;
  /** Step budget of each GD run. */
  maxSteps: number;
  /** Which run ends the onward points: the first diverged one (App. G), or the first that does not converge. */
  stopAt: 'diverged' | 'not-converged';
  /** Worker threads for the GD runs (results are bit-identical for any number). */
  workers: number;
}

export const DEFAULT_SETTINGS: MlpSweepSettings = {
  mnist: { perClass: 20, testPerClass: 50, classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], resolution: 7 },
  hidden: [32, 32],
  initSeed: 0,
  lossGoal: 0.02,
  lanczosTol: 1e-4,
  flowAlpha: 0.5,
  flowSharpnessEvery: 10,
  onwardStep: 0.1,
  maxOnward: 12,
  maxSteps: 200_000,
  stopAt: 'diverged',
  workers: 2,
};

/**
 * `--quick`: three digits, 10 images each, a 49-16-16-3 network, ε = 0.05, at most 3,000 steps per run, onward points
 * until the first run that does not converge, no worker threads (a few seconds).
 */
export const QUICK_SETTINGS: MlpSweepSettings = {
  ...DEFAULT_SETTINGS,
  mnist: { perClass: 10, testPerClass: 20, classes: [0, 1, 7], resolution: 7 },
  hidden: [16, 16],
  lossGoal: 0.05,
  flowSharpnessEvery: 1,
  onwardStep: 0.2,
  maxOnward: 6,
  maxSteps: 3_000,
  stopAt: 'not-converged',
  workers: 0,
};

/** One learning rate of the sweep, as plotted and judged. */
export interface SweepPoint {
  learningRate: number;
  regime: string;
  status: string;
  steps: number;
  /** S(θ_final) = max|λ| (S_L of [Conflicting biases]) and λ_max. */
  sharpness: number | null;
  lambdaMax: number | null;
  /** S(θ_final)/(2/η). */
  sharpnessOverLimit: number | null;
  norm1: number;
  norm2: number;
  /** ‖θ_final − θ₀‖₁ [Conflicting biases, App. H.10, Fig. 12]. */
  distanceToInit1: number;
  /** ‖θ_final − θ_GF‖₂. */
  distanceToFlow: number;
  /** Loss on the held-out test slice. */
  testLoss: number | null;
  /** Converged with λ_max > 2/η: reached ε in passing (see lrSweep). */
  unstableAtGoal: boolean;
  /** θ_final (for checking; null for a diverged run). */
  theta: number[] | null;
}

/** The verdicts with their numbers. */
export interface SweepClaims {
  /** Flow-aligned runs (η ≤ η_c, converged): largest |S/S_GF − 1|, |‖θ‖₂/‖θ_GF‖₂ − 1|, |‖θ‖₁/‖θ_GF‖₁ − 1|. */
  flowAligned: { runs: number; maxSharpnessDeviation: number; maxNorm2Deviation: number; maxNorm1Deviation: number; reproduces: boolean };
  /** EoS runs (η > η_c, converged): S_final/(2/η) — median, range, fraction within ±15%. */
  eosSharpness: { runs: number; medianRatio: number; minRatio: number; maxRatio: number; fractionWithin15Percent: number; reproduces: boolean };
  /**
   * Norm growth above η_c: Spearman rank correlation of ‖θ‖₂ (and ‖θ‖₁) with η over the converged EoS runs, ‖θ‖₂ at
   * the largest converged η relative to the flow's, and the first η from which ‖θ‖₂ stays above the flow's.
   */
  eosNorm: { spearman2: number; spearman1: number; norm2RatioAtLargest: number; norm2AboveFlowFrom: number | null; reproduces: boolean };
  /** Test loss: the flow's, the best run's (η, regime), and whether the curve is U-shaped (best strictly inside). */
  testLoss: { flow: number; best: number; bestLearningRate: number; bestRegime: string; atSmallest: number; atLargestConverged: number; uShaped: boolean; bestInEos: boolean };
}

export interface MlpSweepSummary {
  model: string;
  seed: string;
  settings: MlpSweepSettings;
  spec: MlpSpec;
  testData: MnistDescriptor;
  dim: number;
  examples: number;
  /** s_0, s_GF (max|λ|), η_c = 2/s_GF. */
  initialSharpness: number;
  flowSharpness: number;
  criticalLearningRate: number;
  flow: { status: string; time: number; steps: number; loss: number; sharpness: number; norm1: number; norm2: number; distanceToInit1: number; testLoss: number };
  schedule: LrSweepResult['schedule'];
  points: SweepPoint[];
  claims: SweepClaims;
  notes: string[];
  stats: LrSweepResult['stats'];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Average ranks (ties share the mean rank). */
function ranks(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Spearman's rank correlation (Pearson correlation of the ranks); NaN for fewer than 3 points. */
export function spearman(x: number[], y: number[]): number {
  if (x.length < 3) return NaN;
  const rx = ranks(x);
  const ry = ranks(y);
  const mx = rx.reduce((a, b) => a + b, 0) / rx.length;
  const my = ry.reduce((a, b) => a + b, 0) / ry.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function distance1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s;
}

/** [Conflicting biases]'s claims judged on the sweep's points (thresholds stated in the report). */
export function judge(points: SweepPoint[], flow: MlpSweepSummary['flow']): SweepClaims {
  const converged = points.filter((p) => p.status === 'converged');
  const aligned = converged.filter((p) => p.regime === 'flow-aligned');
  const eos = converged.filter((p) => p.regime === 'eos');
  const dev = (xs: number[], ref: number) => (xs.length ? Math.max(...xs.map((x) => Math.abs(x / ref - 1))) : NaN);
  const maxSharpnessDeviation = dev(aligned.map((p) => p.sharpness ?? NaN), flow.sharpness);
  const maxNorm2Deviation = dev(aligned.map((p) => p.norm2), flow.norm2);
  const maxNorm1Deviation = dev(aligned.map((p) => p.norm1), flow.norm1);
  const ratios = eos.map((p) => p.sharpnessOverLimit ?? NaN);
  const within = ratios.filter((r) => Math.abs(r - 1) <= 0.15).length;
  const etas = eos.map((p) => p.learningRate);
  const spearman2 = spearman(etas, eos.map((p) => p.norm2));
  const spearman1 = spearman(etas, eos.map((p) => p.norm1));
  const largest = eos[eos.length - 1];
  let aboveFrom: number | null = null;
  for (let i = eos.length - 1; i >= 0 && eos[i].norm2 > flow.norm2; i--) aboveFrom = eos[i].learningRate;
  const withTest = converged.filter((p) => p.testLoss !== null);
  let best = withTest[0];
  for (const p of withTest) if ((p.testLoss as number) < (best.testLoss as number)) best = p;
  const atSmallest = withTest[0]?.testLoss ?? NaN;
  const atLargest = withTest[withTest.length - 1]?.testLoss ?? NaN;
  const bestLoss = best?.testLoss ?? NaN;
  return {
    flowAligned: {
      runs: aligned.length,
      maxSharpnessDeviation,
      maxNorm2Deviation,
      maxNorm1Deviation,
      reproduces: aligned.length > 0 && maxSharpnessDeviation <= 0.15 && maxNorm2Deviation <= 0.02 && maxNorm1Deviation <= 0.02,
    },
    eosSharpness: {
      runs: eos.length,
      medianRatio: median(ratios),
      minRatio: ratios.length ? Math.min(...ratios) : NaN,
      maxRatio: ratios.length ? Math.max(...ratios) : NaN,
      fractionWithin15Percent: ratios.length ? within / ratios.length : 0,
      reproduces: ratios.length > 0 && within / ratios.length >= 0.8,
    },
    eosNorm: {
      spearman2,
      spearman1,
      norm2RatioAtLargest: largest ? largest.norm2 / flow.norm2 : NaN,
      norm2AboveFlowFrom: aboveFrom,
      reproduces: spearman2 >= 0.5 && largest !== undefined && largest.norm2 > flow.norm2,
    },
    testLoss: {
      flow: flow.testLoss,
      best: bestLoss,
      bestLearningRate: best?.learningRate ?? NaN,
      bestRegime: best?.regime ?? '-',
      atSmallest,
      atLargestConverged: atLargest,
      uShaped: bestLoss < atSmallest && bestLoss < atLargest,
      bestInEos: best?.regime === 'eos',
    },
  };
}

/** Runs the sweep and evaluates every final iterate on the test slice. */
export async function computeMlpSweep(settings: MlpSweepSettings, progress: (message: string) => void = () => {}): Promise<MlpSweepSummary> {
  const slices = loadMnist({ ...settings.mnist, standardize: 'global' });
  const k = settings.mnist.classes.length;
  const layers = [settings.mnist.resolution ** 2, ...settings.hidden, k];
  const model = create({ layers, activation: 'relu', loss: 'mse', data: slices.train });
  const testModel = create({ layers, activation: 'relu', loss: 'mse', data: slices.test });
  const theta0 = init(model, { seed: settings.initSeed });
  const sharpnessOptions = { method: 'lanczos' as const, tol: settings.lanczosTol, which: 'abs' as const };
  const s0 = sharpness(model, theta0, sharpnessOptions);
  progress(`model ${layers.join('-')} ReLU, MSE, n = ${model.examples}, p = ${model.dim}; S(θ₀) = ${s0.toFixed(3)}; gradient flow to ε = ${settings.lossGoal} …`);
  const started = Date.now();
  const sweep = await lrSweep(model, theta0, {
    lossGoal: settings.lossGoal,
    sharpness: sharpnessOptions,
    flow: {
      step: stepSize.sharpnessAdapted({ alpha: settings.flowAlpha, maxStep: 10 / s0, every: settings.flowSharpnessEvery }),
      sharpnessEvery: settings.flowSharpnessEvery,
    },
    schedule: { maxOnward: settings.maxOnward, onwardStep: settings.onwardStep, stopAt: settings.stopAt },
    sharpnessEvery: 0,
    maxSteps: settings.maxSteps,
    workers: settings.workers,
    onProgress: (p) => {
      const t = ((Date.now() - started) / 1000).toFixed(1);
      if (p.phase === 'flow') progress(`flow done (${t} s); ${p.scheduled} learning rates scheduled`);
      else if (p.run) progress(`η = ${p.run.learningRate.toPrecision(4)}: ${p.run.status} after ${p.run.steps} steps (${p.completed}/${p.scheduled}, ${t} s)`);
    },
  });
  const flowTheta = Float64Array.from(sweep.flow.theta ?? []);
  const flow = {
    status: sweep.flow.status,
    time: sweep.flow.time,
    steps: sweep.flow.steps,
    loss: sweep.flow.loss,
    sharpness: sweep.flow.finalSharpness.abs,
    norm1: sweep.flow.norm1,
    norm2: sweep.flow.norm2,
    distanceToInit1: distance1(flowTheta, theta0),
    testLoss: testModel.loss(flowTheta),
  };
  const points: SweepPoint[] = sweep.runs.map((r: LrSweepRun) => {
    const theta = r.theta === null ? null : Float64Array.from(r.theta);
    const ok = r.status !== 'diverged' && theta !== null;
    const s = r.finalSharpness?.abs ?? null;
    return {
      learningRate: r.learningRate,
      regime: r.regime,
      status: r.status,
      steps: r.steps,
      sharpness: s,
      lambdaMax: r.finalSharpness?.max ?? null,
      sharpnessOverLimit: s === null ? null : (s * r.learningRate) / 2,
      norm1: r.norm1,
      norm2: r.norm2,
      distanceToInit1: theta === null ? NaN : distance1(theta, theta0),
      distanceToFlow: r.distanceToFlow,
      testLoss: ok ? testModel.loss(theta) : null,
      unstableAtGoal: r.unstableAtGoal,
      theta: ok ? r.theta : null,
    };
  });
  return {
    model: `ReLU MLP ${layers.join('-')}, MSE ½·mean Σ_c (f_c − y_c)² on one-hot targets`,
    seed: '004 (Fig. 1, App. G)',
    settings,
    spec: model.spec,
    testData: slices.test.descriptor,
    dim: model.dim,
    examples: model.examples,
    initialSharpness: sweep.initialSharpness.abs,
    flowSharpness: sweep.flowSharpness,
    criticalLearningRate: sweep.criticalLearningRate,
    flow,
    schedule: sweep.schedule,
    points,
    claims: judge(points, flow),
    notes: sweep.notes,
    stats: sweep.stats,
  };
}
