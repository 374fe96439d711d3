/**
 * The computation behind the `spectrum` example: full-batch GD on the Chebyshev tanh MLP of `mlp-eos`, with the top-5
 * Hessian eigenvalues tracked along the run (`record.topK`, warm-started Lanczos), the Hessian trace by Hutchinson's
 * estimator along training, and the spectral density by stochastic Lanczos quadrature at three checkpoints: the
 * initialization, the onset of the edge of stability (the first record with λ₁ ≥ 2/η) and the end.
 */
import { gd } from '../../src/dynamics/gd.js';
import type { ChebyshevDescriptor } from '../../src/data/dataset.js';
import { lanczos } from '../../src/linalg/lanczos.js';
import { hessianOperator } from '../../src/linalg/operator.js';
import { symmetricEigen } from '../../src/linalg/symmetric-eigen.js';
import { create, init, type MlpModel, type MlpSpec } from '../../src/models/mlp/index.js';
import { hessianTrace } from '../../src/sharpness/hessian-trace.js';
import { spectralDensity } from '../../src/sharpness/spectral-density.js';

/** Settings of one computation. */
export interface SpectrumSettings {
  /** Widths [1, h, …, h, 1]. */
  layers: number[];
  data: ChebyshevDescriptor;
  initSeed: number;
  learningRate: number;
  steps: number;
  /** Top-k tracking: k eigenvalues every `topKEvery` steps. */
  topK: number;
  topKEvery: number;
  /** Hutchinson trace every `traceEvery` steps with `traceProbes` probes. */
  traceEvery: number;
  traceProbes: number;
  /** SLQ: probes and Lanczos steps per checkpoint, density grid points. */
  slqProbes: number;
  slqSteps: number;
  gridPoints: number;
  /** Compare with the dense Hessian's eigenvalues (only for small p). */
  denseCheck: boolean;
}

export const DEFAULT_SETTINGS: SpectrumSettings = {
  layers: [1, 100, 100, 1],
  data: { dataset: 'chebyshev', points: 20, degree: 4 },
  initSeed: 0,
  learningRate: 0.1,
  steps: 8_000,
  topK: 5,
  topKEvery: 10,
  traceEvery: 200,
  traceProbes: 30,
  slqProbes: 10,
  slqSteps: 80,
  gridPoints: 1000,
  denseCheck: false,
};

/** `--quick`: the width-16 network of `mlp-eos --quick` (p = 321) at η = 0.2, 2,000 steps; dense checks on. */
export const QUICK_SETTINGS: SpectrumSettings = {
  ...DEFAULT_SETTINGS,
  layers: [1, 16, 16, 1],
  learningRate: 0.2,
  steps: 2_000,
  traceEvery: 100,
  slqSteps: 60,
  denseCheck: true,
};

/**
 * Thresholds of the claims, fixed before running (not tuned to the outcome).
 * - `outlierFraction`: "outliers" are eigenvalues above this fraction of λ₁;
 * - `fewOutliers`: a few outliers means at most this many (p × the SLQ mass above outlierFraction·λ₁);
 * - `bulkQuantile` / `bulkSeparation`: the bulk is separated when its `bulkQuantile`-quantile of |λ| (SLQ measure)
 *   lies below λ₁/`bulkSeparation`;
 * - `separationGrowth`: the separation λ₁/q grows by at least this factor from initialization to the end;
 * - `edgeBand`: at the end λ₁ lies within ±edgeBand·2/η;
 * - `traceSigmas`: the trace rises from initialization to the onset of EoS by more than this many combined
 *   standard errors; SLQ and Hutchinson traces agree within it; and (dense check) Hutchinson is within it of tr H;
 * - `alignmentGrowth`: the median of |cos ∠(Δθ_k, v₁(θ_k))| over the records after the onset of EoS is at least this
 *   factor times its median before the onset (GD's steps turn toward the top eigenvector at the edge of stability);
 * - `denseW1`: (dense check) the Wasserstein-1 distance of the SLQ measure to the eigenvalues ≤ this fraction of
 *   the spectral spread; `topNode`: the largest SLQ node within this relative distance of the tracked λ₁.
 */
export const THRESHOLDS = {
  outlierFraction: 0.25,
  fewOutliers: 10,
  bulkQuantile: 0.9,
  bulkSeparation: 10,
  separationGrowth: 2,
  edgeBand: 0.1,
  traceSigmas: 3,
  alignmentGrowth: 2,
  denseW1: 0.05,
  topNode: 1e-3,
} as const;

/** One SLQ checkpoint. */
export interface Checkpoint {
  label: 'initialization' | 'onset of EoS' | 'end';
  step: number;
  loss: number;
  /** The top-k tracked eigenvalues at this step (top-k record). */
  topEigenvalues: number[];
  /** The SLQ discrete measure (all probes): nodes and weights/N. */
  nodes: number[];
  weights: number[];
  grid: Float64Array;
  density: Float64Array;
  broadening: number;
  slqTrace: { estimate: number; standardError: number };
  hutchinson: { estimate: number; standardError: number };
  /** p × SLQ mass above outlierFraction·λ₁. */
  outlierCount: number;
  /** The bulkQuantile-quantile of |λ| under the SLQ measure. */
  bulkQuantile: number;
  /** λ₁ / bulkQuantile. */
  separation: number;
  largestNode: number;
  hvps: number;
  /** Dense ground truth (quick mode only). */
  dense: { trace: number; lambdaMax: number; w1: number; spread: number; eigenvalues: number[] } | null;
}

export interface SpectrumResult {
  summary: {
    model: string;
    settings: SpectrumSettings;
    thresholds: typeof THRESHOLDS;
    spec: MlpSpec;
    dim: number;
    stabilityLimit: number;
    onsetStep: number | null;
    status: string;
    finalLoss: number;
    topKHvps: { total: number; records: number };
    checkpoints: Omit<Checkpoint, 'grid' | 'density' | 'nodes' | 'weights'>[];
    claims: { claim: string; holds: boolean; numbers: string }[];
  };
  /** Per step: loss. */
  loss: { step: Int32Array; loss: Float64Array };
  /** Top-k records: step, values (row-major k per record), update projection. */
  topK: { k: number; step: Int32Array; values: Float64Array; updateProjection: Float64Array };
  /** |cos ∠(θ_{k+1} − θ_k, v₁(θ_k))| = |⟨Δθ, v₁⟩| / (η‖∇L(θ_k)‖) at the top-k records (NaN where no step was taken). */
  alignment: { step: Int32Array; cosine: Float64Array };
  /** Hutchinson trace along training. */
  trace: { step: number[]; estimate: number[]; standardError: number[] };
  checkpoints: Checkpoint[];
}

/** Wasserstein-1 distance between two discrete measures on the line, from their atoms. */
export function w1(ax: ArrayLike<number>, aw: ArrayLike<number>, bx: ArrayLike<number>, bw: ArrayLike<number>): number {
  const atoms: { x: number; m: number }[] = [];
  for (let i = 0; i < ax.length; i++) atoms.push({ x: ax[i], m: aw[i] });
  for (let i = 0; i < bx.length; i++) atoms.push({ x: bx[i], m: -bw[i] });
  atoms.sort((u, v) => u.x - v.x);
  let d = 0;
  let s = 0;
  for (let i = 0; i + 1 < atoms.length; i++) {
    d += atoms[i].m;
    s += Math.abs(d) * (atoms[i + 1].x - atoms[i].x);
  }
  return s;
}

/** The q-quantile of |λ| under the discrete measure (nodes, weights). */
function absQuantile(nodes: number[], weights: number[], q: number): number {
  const order = nodes.map((x, i) => ({ a: Math.abs(x), w: weights[i] })).sort((u, v) => u.a - v.a);
  let c = 0;
  for (const o of order) {
    c += o.w;
    if (c >= q) return o.a;
  }
  return order[order.length - 1].a;
}

function checkpoint(
  model: MlpModel,
  theta: Float64Array,
  label: Checkpoint['label'],
  step: number,
  top: number[],
  s: SpectrumSettings,
  range: [number, number] | undefined,
): Checkpoint {
  const slq = spectralDensity(model, theta, { probes: s.slqProbes, steps: s.slqSteps, seed: 1, gridPoints: s.gridPoints, range });
  const hutch = hessianTrace(model, theta, { probes: s.traceProbes, seed: 2 });
  const nodes: number[] = [];
  const weights: number[] = [];
  slq.nodes.forEach((n, l) => n.forEach((x, j) => (nodes.push(x), weights.push(slq.weights[l][j] / s.slqProbes))));
  const lambda1 = top[0];
  let mass = 0;
  for (let i = 0; i < nodes.length; i++) if (nodes[i] > THRESHOLDS.outlierFraction * lambda1) mass += weights[i];
  const bulk = absQuantile(nodes, weights, THRESHOLDS.bulkQuantile);
  let dense: Checkpoint['dense'] = null;
  if (s.denseCheck) {
    const values = Array.from(symmetricEigen(model.hessian(theta)).values);
    const p = values.length;
    dense = {
      trace: values.reduce((a, b) => a + b, 0),
      lambdaMax: values[p - 1],
      w1: w1(nodes, weights, values, new Float64Array(p).fill(1 / p)),
      spread: values[p - 1] - values[0],
      eigenvalues: values,
    };
  }
  return {
    label,
    step,
    loss: model.loss(theta),
    topEigenvalues: top,
    nodes,
    weights,
    grid: slq.grid,
    density: slq.density,
    broadening: slq.broadening,
    slqTrace: slq.trace,
    hutchinson: { estimate: hutch.estimate, standardError: hutch.standardError },
    outlierCount: model.dim * mass,
    bulkQuantile: bulk,
    separation: lambda1 / bulk,
    largestNode: Math.max(...nodes),
    hvps: slq.hvps + hutch.hvps,
    dense,
  };
}

/** Runs GD with top-k tracking, then replays it in segments for the trace and the SLQ checkpoints. */
export function computeSpectrum(s: SpectrumSettings, progress: (message: string) => void = () => {}): SpectrumResult {
  const model = create({ layers: s.layers, activation: 'tanh', loss: 'mse', data: s.data });
  const theta0 = init(model, { seed: s.initSeed });
  const eta = s.learningRate;
  const limit = 2 / eta;
  progress(`model: p = ${model.dim}; GD at η = ${eta} (2/η = ${limit}) for ${s.steps} steps with top-${s.topK} tracking every ${s.topKEvery}`);
  const run = gd(model, theta0, {
    learningRate: eta,
    maxSteps: s.steps,
    record: { every: 1, topK: { k: s.topK, every: s.topKEvery } },
    onProgress: (p) => progress(`step ${p.step}/${p.maxSteps}, loss ${p.loss.toExponential(3)}`),
    progressEvery: 2000,
  });
  const tk = run.trace.topK!;
  const k = tk.k;
  let onsetIndex = -1;
  for (let j = 0; j < tk.step.length; j++) {
    if (tk.values[j * k] >= limit) {
      onsetIndex = j;
      break;
    }
  }
  const onsetStep = onsetIndex < 0 ? null : tk.step[onsetIndex];
  const topAt = (j: number) => Array.from(tk.values.subarray(j * k, (j + 1) * k));
  const lastIndex = tk.step.length - 1;
  progress(`${run.message}; onset of EoS (λ₁ ≥ 2/η) at step ${onsetStep ?? '–'}; top-k HVPs ${run.stats.hvps}`);

  // Replay in segments (plain GD is memoryless, so θ_k is bit-identical to the tracked run's): the trace every
  // traceEvery steps and θ at the checkpoints.
  const ends = new Set<number>();
  for (let k2 = 0; k2 <= run.steps; k2 += s.traceEvery) ends.add(k2);
  ends.add(run.steps);
  if (onsetStep !== null) ends.add(onsetStep);
  const sortedEnds = [...ends].sort((a, b) => a - b);
  const trace = { step: [] as number[], estimate: [] as number[], standardError: [] as number[] };
  const thetaAt = new Map<number, Float64Array>();
  let theta: Float64Array = Float64Array.from(theta0);
  let at = 0;
  for (const end of sortedEnds) {
    if (end > at) {
      theta = gd(model, theta, { learningRate: eta, maxSteps: end - at, record: { every: 0 } }).theta;
      at = end;
    }
    if (end % s.traceEvery === 0 || end === run.steps) {
      const h = hessianTrace(model, theta, { probes: s.traceProbes, seed: 3 });
      trace.step.push(end);
      trace.estimate.push(h.estimate);
      trace.standardError.push(h.standardError);
    }
    if (end === 0 || end === onsetStep || end === run.steps) thetaAt.set(end, Float64Array.from(theta));
  }
  progress(`trace along training: ${trace.step.length} Hutchinson estimates of ${s.traceProbes} probes`);

  // SLQ at the checkpoints on a common eigenvalue axis, so the densities are comparable: the axis spans the smallest
  // and largest eigenvalues over the checkpoints (Lanczos, 'smallest' and 'largest'), padded by 5% of the spread.
  const points: [Checkpoint['label'], number, number][] = [['initialization', 0, 0]];
  if (onsetStep !== null) points.push(['onset of EoS', onsetStep, onsetIndex]);
  points.push(['end', run.steps, lastIndex]);
  let lo = Infinity;
  let hi = -Infinity;
  for (const [, step] of points) {
    const op = hessianOperator(model, thetaAt.get(step)!);
    lo = Math.min(lo, lanczos(op, { which: 'smallest', tol: 1e-6 }).values[0]);
    hi = Math.max(hi, lanczos(op, { which: 'largest', tol: 1e-6 }).values[0]);
  }
  const pad = 0.05 * (hi - lo);
  const checkpoints = points.map(([label, step, j]) => {
    const c = checkpoint(model, thetaAt.get(step)!, label, step, topAt(j), s, [lo - pad, hi + pad]);
    progress(`${label} (step ${step}): λ₁ = ${c.topEigenvalues[0].toFixed(3)}, ${c.outlierCount.toFixed(1)} outliers above λ₁/4, bulk q90 |λ| = ${c.bulkQuantile.toExponential(2)}`);
    return c;
  });

  // Alignment of each recorded step with the top eigenvector: ‖Δθ_k‖ = η‖∇L(θ_k)‖ (plain GD), the gradient norm
  // from the per-step trace.
  const cosine = Float64Array.from(tk.step, (st, j) => Math.abs(tk.updateProjection[j]) / (eta * run.trace.gradNorm[st]));
  const claims = evaluateClaims(checkpoints, limit, tk.values[0]);
  claims.splice(2, 0, alignmentClaim(tk.step, cosine, onsetStep));
  return {
    summary: {
      model: `tanh MLP ${s.layers.join('-')}, MSE L = (1/(2n)) Σᵢ (f(xᵢ) − T_${s.data.degree}(xᵢ))², n = ${s.data.points}`,
      settings: s,
      thresholds: THRESHOLDS,
      spec: model.spec,
      dim: model.dim,
      stabilityLimit: limit,
      onsetStep,
      status: run.status,
      finalLoss: run.loss,
      topKHvps: { total: run.stats.hvps, records: tk.step.length },
      checkpoints: checkpoints.map(({ grid: _g, density: _d, nodes: _n, weights: _w, ...rest }) => rest),
      claims,
    },
    loss: { step: run.trace.step, loss: run.trace.loss },
    topK: { k, step: tk.step, values: tk.values, updateProjection: tk.updateProjection },
    alignment: { step: tk.step, cosine },
    trace,
    checkpoints,
  };
}

function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : String(v);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The alignment claim: median |cos ∠(Δθ, v₁)| after the onset ≥ alignmentGrowth × before it. */
export function alignmentClaim(step: Int32Array, cosine: Float64Array, onsetStep: number | null): { claim: string; holds: boolean; numbers: string } {
  const before: number[] = [];
  const after: number[] = [];
  step.forEach((st, j) => {
    if (!Number.isFinite(cosine[j])) return;
    (onsetStep !== null && st >= onsetStep ? after : before).push(cosine[j]);
  });
  const mb = median(before);
  const ma = median(after);
  return {
    claim: `GD's steps turn toward the top eigenvector at the edge of stability (median |cos ∠(Δθ, v₁)| after the onset ≥ ${THRESHOLDS.alignmentGrowth}× before)`,
    holds: onsetStep !== null && ma >= THRESHOLDS.alignmentGrowth * mb,
    numbers: `median |cos| ${fmt(mb)} over ${before.length} records before the onset, ${fmt(ma)} over ${after.length} after (×${fmt(ma / mb)})`,
  };
}

/** The claims, each with its numbers, against {@link THRESHOLDS}. */
export function evaluateClaims(cps: Checkpoint[], limit: number, initialLambda: number): { claim: string; holds: boolean; numbers: string }[] {
  const T = THRESHOLDS;
  const claims: { claim: string; holds: boolean; numbers: string }[] = [];
  const init0 = cps[0];
  const onset = cps.find((c) => c.label === 'onset of EoS');
  const end = cps[cps.length - 1];
  claims.push({
    claim: 'GD starts stable (λ₁(θ₀) < 0.9·2/η) and reaches the edge of stability (λ₁ ≥ 2/η at some record)',
    holds: initialLambda < 0.9 * limit && onset !== undefined,
    numbers: `λ₁(θ₀) = ${fmt(initialLambda)}, 2/η = ${fmt(limit)}, onset at step ${onset?.step ?? '–'}`,
  });
  claims.push({
    claim: `at the end λ₁ is within ±${100 * T.edgeBand}% of 2/η`,
    holds: Math.abs(end.topEigenvalues[0] / limit - 1) <= T.edgeBand,
    numbers: `λ₁ = ${fmt(end.topEigenvalues[0])}, λ₁/(2/η) = ${fmt(end.topEigenvalues[0] / limit)}`,
  });
  for (const c of [onset, end]) {
    if (c === undefined) continue;
    claims.push({
      claim: `${c.label}: a few outliers (≤ ${T.fewOutliers} eigenvalues above ${T.outlierFraction}·λ₁) separate from a bulk (q${100 * T.bulkQuantile} of |λ| < λ₁/${T.bulkSeparation})`,
      holds: c.outlierCount <= T.fewOutliers && c.separation > T.bulkSeparation,
      numbers: `p·mass above ${T.outlierFraction}·λ₁ = ${fmt(c.outlierCount)}, λ₁ = ${fmt(c.topEigenvalues[0])}, q${100 * T.bulkQuantile} = ${fmt(c.bulkQuantile)}, λ₁/q = ${fmt(c.separation)}`,
    });
  }
  claims.push({
    claim: `the separation λ₁/q${100 * T.bulkQuantile} grows by ≥ ${T.separationGrowth}× from initialization to the end`,
    holds: end.separation >= T.separationGrowth * init0.separation,
    numbers: `λ₁/q: ${fmt(init0.separation)} at initialization, ${onset ? `${fmt(onset.separation)} at the onset, ` : ''}${fmt(end.separation)} at the end (×${fmt(end.separation / init0.separation)})`,
  });
  if (onset !== undefined) {
    const se = Math.hypot(init0.hutchinson.standardError, onset.hutchinson.standardError);
    const rise = onset.hutchinson.estimate - init0.hutchinson.estimate;
    claims.push({
      claim: `the Hessian trace rises during progressive sharpening (onset − initialization > ${T.traceSigmas} standard errors)`,
      holds: rise > T.traceSigmas * se,
      numbers: `tr H = ${fmt(init0.hutchinson.estimate)} ± ${fmt(init0.hutchinson.standardError)} → ${fmt(onset.hutchinson.estimate)} ± ${fmt(onset.hutchinson.standardError)} (rise ${fmt(rise / se)} SE); end ${fmt(end.hutchinson.estimate)} ± ${fmt(end.hutchinson.standardError)}`,
    });
  }
  for (const c of cps) {
    const se = Math.hypot(c.slqTrace.standardError, c.hutchinson.standardError);
    const nodeOk = Math.abs(c.largestNode / c.topEigenvalues[0] - 1) <= T.topNode;
    const traceOk = Math.abs(c.slqTrace.estimate - c.hutchinson.estimate) <= T.traceSigmas * se;
    let holds = nodeOk && traceOk;
    let numbers = `largest SLQ node ${fmt(c.largestNode, 6)} vs tracked λ₁ ${fmt(c.topEigenvalues[0], 6)}; SLQ trace ${fmt(c.slqTrace.estimate)} ± ${fmt(c.slqTrace.standardError)} vs Hutchinson ${fmt(c.hutchinson.estimate)} ± ${fmt(c.hutchinson.standardError)}`;
    if (c.dense !== null) {
      const d = c.dense;
      const hutchOk = Math.abs(c.hutchinson.estimate - d.trace) <= T.traceSigmas * c.hutchinson.standardError;
      const w1Ok = d.w1 <= T.denseW1 * d.spread;
      holds = holds && hutchOk && w1Ok;
      numbers += `; dense: tr H = ${fmt(d.trace)}, λ_max = ${fmt(d.lambdaMax, 6)}, W1(SLQ, eigenvalues) = ${fmt(d.w1)} = ${fmt((100 * d.w1) / d.spread)}% of the spread`;
    }
    claims.push({ claim: `${c.label}: SLQ, Hutchinson and top-k agree${c.dense ? ' with each other and with the dense Hessian' : ''}`, holds, numbers });
  }
  return claims;
}
