/**
 * The computation behind the `mlp-eos` example: full-batch GD on a tanh MLP fitting Cohen et al.'s Chebyshev task,
 * from one initialization at several learning rates, with λ_max(∇²L) by Lanczos on exact Hessian-vector products
 * along the way — and the statistics that say whether the edge-of-stability picture reproduces [EoS blog post].
 */
import { gd } from '../../src/dynamics/gd.js';
import type { ChebyshevDescriptor } from '../../src/data/dataset.js';
import { create, init, type MlpSpec } from '../../src/models/mlp/index.js';
import { sharpness } from '../../src/sharpness/sharpness.js';

/** Settings of one computation. */
export interface MlpEosSettings {
  /** Widths [1, h, …, h, 1]. */
  layers: number[];
  /** The data: Cohen et al.'s `chebyshev-k-n`. */
  data: ChebyshevDescriptor;
  /** Seed of the common initialization θ₀ (pytorch-default). */
  initSeed: number;
  /** The learning rates η of the GD runs. */
  learningRates: number[];
  /** GD steps per run. */
  steps: number;
  /** λ_max is computed at every step k with k mod sharpnessEvery = 0. */
  sharpnessEvery: number;
  /** Relative residual tolerance of Lanczos. */
  lanczosTol: number;
  /** "Late in training": the steps k ≥ lateFrom·steps. */
  lateFrom: number;
  /** Half-width of the band around 2/η, relative: |λ_max/(2/η) − 1| ≤ band. */
  band: number;
}

export const DEFAULT_SETTINGS: MlpEosSettings = {
  layers: [1, 100, 100, 1],
  data: { dataset: 'chebyshev', points: 20, degree: 4 },
  initSeed: 0,
  learningRates: [0.04, 0.07, 0.1],
  steps: 12_000,
  sharpnessEvery: 20,
  lanczosTol: 1e-6,
  lateFrom: 0.5,
  band: 0.1,
};

/** `--quick`: a width-16 network (p = 321), larger learning rates, 3,000 steps (about a second). */
export const QUICK_SETTINGS: MlpEosSettings = {
  ...DEFAULT_SETTINGS,
  layers: [1, 16, 16, 1],
  learningRates: [0.15, 0.2, 0.3],
  steps: 3_000,
  sharpnessEvery: 10,
};

/** Traces of one GD run (struct of arrays). */
export interface EosRunTrace {
  learningRate: number;
  /** L(θ_k) for k = 0 … steps. */
  step: Int32Array;
  loss: Float64Array;
  /** λ_max(∇²L(θ_k)) at k = 0, sharpnessEvery, …. */
  sharpnessStep: Int32Array;
  sharpness: Float64Array;
}

/** What one run shows, with numbers. */
export interface EosRunSummary {
  learningRate: number;
  /** 2/η. */
  stabilityLimit: number;
  status: string;
  steps: number;
  initialLoss: number;
  finalLoss: number;
  /** λ_max(θ₀)/(2/η): below 1 means GD starts stable. */
  initialRatio: number;
  /** t_η: the first sampled step with λ_max ≥ 2/η (docs/math.md §0); null if never. */
  progressiveSharpeningStep: number | null;
  /** L(θ) at t_η. */
  lossAtEdge: number | null;
  /** Over the sampled steps k ≥ lateFrom·steps: the largest, median and smallest λ_max/(2/η). */
  lateMaxRatio: number;
  lateMedianRatio: number;
  lateMinRatio: number;
  /** Fraction of those samples with |λ_max/(2/η) − 1| ≤ band. */
  lateFractionInBand: number;
  /** Number of steps k with L(θ_{k+1}) > L(θ_k): before t_η and from t_η on. */
  lossIncreasesBeforeEdge: number;
  lossIncreasesAfterEdge: number;
  /** max_k L(θ_{k+1})/L(θ_k) from t_η on (the largest spike). */
  largestLossJump: number | null;
  /** The claims of [EoS blog post] / Cohen et al. for this run. */
  reproduces: {
    /** GD starts below 2/η (initialRatio < 0.9) and λ_max reaches 2/η. */
    progressiveSharpening: boolean;
    /** Late samples stay near 2/η: lateFractionInBand ≥ 0.8 and lateMaxRatio ≤ 1.5. */
    hoversAtEdge: boolean;
    /** The loss goes up at some steps after t_η … */
    nonMonotoneLoss: boolean;
    /** … and still falls: finalLoss < lossAtEdge / 10. */
    lossKeepsFalling: boolean;
  };
  /** The final iterate, for checking. */
  finalTheta: number[];
}

export interface MlpEosSummary {
  model: string;
  seed: string;
  settings: MlpEosSettings;
  spec: MlpSpec;
  dim: number;
  /** λ_max(∇²L(θ₀)). */
  initialSharpness: number;
  runs: EosRunSummary[];
}

export interface MlpEosResult {
  summary: MlpEosSummary;
  runs: EosRunTrace[];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The statistics of {@link EosRunSummary} from one run's traces. */
export function analyzeRun(trace: EosRunTrace, settings: MlpEosSettings, initialSharpness: number): Omit<EosRunSummary, 'status' | 'steps' | 'finalTheta'> {
  const eta = trace.learningRate;
  const limit = 2 / eta;
  let edgeIndex = -1;
  for (let j = 0; j < trace.sharpness.length; j++) {
    if (trace.sharpness[j] >= limit) {
      edgeIndex = j;
      break;
    }
  }
  const edgeStep = edgeIndex < 0 ? null : trace.sharpnessStep[edgeIndex];
  const late: number[] = [];
  const lateStart = settings.lateFrom * (trace.step[trace.step.length - 1] ?? 0);
  for (let j = 0; j < trace.sharpness.length; j++) if (trace.sharpnessStep[j] >= lateStart) late.push(trace.sharpness[j] / limit);
  let before = 0;
  let after = 0;
  let jump: number | null = null;
  for (let j = 0; j + 1 < trace.loss.length; j++) {
    const k = trace.step[j];
    const up = trace.loss[j + 1] > trace.loss[j];
    if (edgeStep !== null && k >= edgeStep) {
      if (up) after++;
      const r = trace.loss[j + 1] / trace.loss[j];
      if (jump === null || r > jump) jump = r;
    } else if (up) before++;
  }
  const lossAtEdge = edgeStep === null ? null : trace.loss[edgeStep];
  const finalLoss = trace.loss[trace.loss.length - 1];
  const inBand = late.filter((r) => Math.abs(r - 1) <= settings.band).length;
  const lateMax = late.length ? Math.max(...late) : NaN;
  const fraction = late.length ? inBand / late.length : 0;
  const initialRatio = initialSharpness / limit;
  return {
    learningRate: eta,
    stabilityLimit: limit,
    initialLoss: trace.loss[0],
    finalLoss,
    initialRatio,
    progressiveSharpeningStep: edgeStep,
    lossAtEdge,
    lateMaxRatio: lateMax,
    lateMedianRatio: late.length ? median(late) : NaN,
    lateMinRatio: late.length ? Math.min(...late) : NaN,
    lateFractionInBand: fraction,
    lossIncreasesBeforeEdge: before,
    lossIncreasesAfterEdge: after,
    largestLossJump: jump,
    reproduces: {
      progressiveSharpening: initialRatio < 0.9 && edgeStep !== null,
      hoversAtEdge: fraction >= 0.8 && lateMax <= 1.5,
      nonMonotoneLoss: after > 0,
      lossKeepsFalling: lossAtEdge !== null && finalLoss < lossAtEdge / 10,
    },
  };
}

/** Runs GD at each learning rate from the same θ₀ and analyses the traces. `progress` gets one line per 1,000 steps. */
export function computeMlpEos(settings: MlpEosSettings, progress: (message: string) => void = () => {}): MlpEosResult {
  const model = create({ layers: settings.layers, activation: 'tanh', loss: 'mse', data: settings.data });
  const theta0 = init(model, { seed: settings.initSeed });
  const sharpnessOptions = { method: 'lanczos' as const, tol: settings.lanczosTol };
  const initialSharpness = sharpness(model, theta0, sharpnessOptions);
  progress(`model: p = ${model.dim}, λ_max(θ₀) = ${initialSharpness.toFixed(3)}`);

  const runs: EosRunTrace[] = [];
  const summaries: EosRunSummary[] = [];
  for (const eta of settings.learningRates) {
    const result = gd(model, theta0, {
      learningRate: eta,
      maxSteps: settings.steps,
      record: { every: 1, sharpnessEvery: settings.sharpnessEvery, sharpness: sharpnessOptions },
      onProgress: (p) => progress(`η = ${eta}: step ${p.step}/${p.maxSteps}, loss ${p.loss.toExponential(3)}`),
      progressEvery: 2000,
    });
    const trace: EosRunTrace = {
      learningRate: eta,
      step: result.trace.step,
      loss: result.trace.loss,
      sharpnessStep: result.trace.sharpnessStep,
      sharpness: result.trace.sharpness,
    };
    runs.push(trace);
    summaries.push({
      ...analyzeRun(trace, settings, initialSharpness),
      status: result.status,
      steps: result.steps,
      finalTheta: Array.from(result.theta),
    });
    progress(`η = ${eta}: ${result.message}`);
  }
  return {
    summary: {
      model: `tanh MLP ${settings.layers.join('-')}, MSE L = (1/(2n)) Σᵢ (f(xᵢ) − T_${settings.data.degree}(xᵢ))², n = ${settings.data.points}`,
      seed: '001 (Cohen et al. 2021)',
      settings,
      spec: model.spec,
      dim: model.dim,
      initialSharpness,
      runs: summaries,
    },
    runs,
  };
}
