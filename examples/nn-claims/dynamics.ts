/**
 * The runs of the `nn-claims` example that the η/η_c grid of `probe.ts` cannot supply:
 *
 * - cross-entropy (and MSE for comparison) at learning rates in units of 1/s₀, where [Conflicting biases, App. H.4]
 *   says CE often fails to reach the loss goal even below 1/s₀, with the sharpness recorded along each run for the
 *   CE claim that, after rising to 2/η and oscillating there, the sharpness drops again;
 * - the ×10 initialization at learning rates in units of its own 2/s₀ ([Conflicting biases, App. H.6]: at ×10 the
 *   final ℓ1 norm is very large and decreases as η grows). On the ×1 net's η grid every ×10 run diverges, so this
 *   claim needs its own grid.
 */
import type { LossModel } from '../../src/core/loss-model.js';
import { gd } from '../../src/dynamics/gd.js';
import { networkMeasures } from '../../src/measures/network-measures.js';
import { sharpness } from '../../src/sharpness/sharpness.js';

export interface TraceRunSettings {
  /** η = multiple / s₀ (CE) or multiple · 2/s₀ (large init), one run per multiple. */
  multiples: readonly number[];
  lossGoal: number;
  maxSteps: number;
  /** Record the sharpness every this many GD steps (0: only at the end). */
  sharpnessEvery: number;
  lanczosTol: number;
}

/** One GD run at η = multiple × unit, with the sharpness along it (as S·η/2) and at its end. */
export interface TraceRun {
  multiple: number;
  learningRate: number;
  status: string;
  steps: number;
  /** L(θ₀) and L at the end: a run that ends above ½·L(θ₀) has not trained ("stalled"). */
  initialLoss: number;
  finalLoss: number;
  /** max over the recorded steps of S_k·η/2 (NaN without a trace). */
  peakOverLimit: number;
  /** S·η/2 at the run's last iterate. */
  finalOverLimit: number;
  /** The recorded S_k·η/2 (k = 0, sharpnessEvery, …). */
  trace: number[];
  norm1: number;
  norm2: number;
}

/**
 * GD from θ₀ at η = multiple·unit for each multiple of the settings; `unit` is 1/s₀ for the CE claims and 2/s₀
 * for the large-initialization claim.
 */
export function traceRuns(model: LossModel, theta0: Float64Array, unit: number, s: TraceRunSettings): TraceRun[] {
  const sOpts = { method: 'lanczos' as const, tol: s.lanczosTol, which: 'abs' as const };
  const initialLoss = model.loss(theta0);
  return s.multiples.map((multiple) => {
    const eta = multiple * unit;
    const r = gd(model, theta0, {
      learningRate: eta,
      lossGoal: s.lossGoal,
      maxSteps: s.maxSteps,
      record: s.sharpnessEvery > 0 ? { every: 0, sharpnessEvery: s.sharpnessEvery, sharpness: sOpts } : { every: 0 },
    });
    const trace = Array.from(r.trace.sharpness, (x) => (x * eta) / 2);
    const end = r.status === 'diverged' ? NaN : (sharpness(model, r.theta, sOpts) * eta) / 2;
    const m = networkMeasures(model, r.theta, { nuclear: false });
    return {
      multiple,
      learningRate: eta,
      status: r.status,
      steps: r.steps,
      initialLoss,
      finalLoss: r.loss,
      peakOverLimit: trace.length ? Math.max(...trace.filter(Number.isFinite), end) : NaN,
      finalOverLimit: end,
      trace,
      norm1: m.l1,
      norm2: m.l2,
    };
  });
}
