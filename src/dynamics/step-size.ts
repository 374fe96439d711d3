/**
 * Step-size policies for {@link gradientFlow}: small frozen plain-data objects (JSON-serializable, so they can
 * travel to worker threads), made by `stepSize.fixed(dt)` and `stepSize.sharpnessAdapted({...})` — the
 * step-size controller of diffrax's design, kept apart from the RK4 solver and the driver.
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import { integerInRange, optionKeys, optionsObject, positiveFinite } from '../core/validate.js';

/**
 * A constant RK4 step h = `dt`.
 *
 * @since 0.1.0
 */
export interface FixedStepSize {
  readonly kind: 'fixed';
  /** The step size h > 0 (time units of the flow θ' = −∇L). */
  readonly dt: number;
}

/**
 * Cohen et al.'s sharpness-adapted RK4 step h = min(maxStep, α/λ_max(θ)), with λ_max refreshed every `every`
 * steps and held in between.
 *
 * @since 0.1.0
 */
export interface SharpnessAdaptedStepSize {
  readonly kind: 'sharpness-adapted';
  /** α > 0 in h = α/λ_max. */
  readonly alpha: number;
  /** The cap on h (used alone where λ_max ≤ 0). */
  readonly maxStep: number;
  /** Refresh λ_max every this many steps. */
  readonly every: number;
}

/**
 * A step-size policy of {@link gradientFlow}.
 *
 * @since 0.1.0
 */
export type StepSizePolicy = FixedStepSize | SharpnessAdaptedStepSize;

/**
 * Options of `stepSize.sharpnessAdapted`.
 *
 * @since 0.1.0
 */
export interface SharpnessAdaptedOptions {
  /**
   * α > 0 in h = min(maxStep, α/λ_max). With α = 0.5 the stiffest mode has h·λ_max = 0.5, well inside RK4's
   * real stability interval (−2.785, 0] even if λ_max grows a little between refreshes, and RK4's amplification
   * factor 1 − z + z²/2 − z³/6 + z⁴/24 at z = 0.5 matches e^{−z} to a relative 4·10⁻⁴ per step (at α = 1, z = 1,
   * it is off by 1.9%). Cohen et al.'s released code defaults to α = 1.
   * @defaultValue 0.5
   */
  alpha?: number;
  /**
   * The largest step h allowed, in time units of the flow. Required: it is the step used where λ_max ≤ 0 (e.g.
   * at a saddle or where L is flat) and has no scale-free default.
   */
  maxStep: number;
  /**
   * Recompute λ_max every `every` RK4 steps (1 = every step); in between, the last h is reused.
   * @defaultValue 1
   */
  every?: number;
}

/**
 * Constructors of step-size policies for {@link gradientFlow}.
 *
 * @since 0.1.0
 */
export const stepSize = Object.freeze({
  /**
   * A fixed RK4 step size h = `dt` (the policy of [Conflicting biases, App. G], and the one whose global error is O(h⁴)).
   *
   * @remarks {@link gradientFlow} shortens the last step so the run lands exactly on `maxTime`. RK4 on a
   * quadratic is stable only for h·λ_max < 2.785; pick h well below 1/λ_max for accuracy.
   * @param dt - the step size h > 0.
   * @returns a frozen `{ kind: 'fixed', dt }`.
   * @throws EosLabError `E_BAD_OPTION` if `dt` is not > 0 (argument `dt`).
   * @example
   * ```ts
   * import { gradientFlow, scalarFactorization, stepSize } from 'eos-lab';
   * gradientFlow(scalarFactorization.create(), new Float64Array([1.5, 0.5]), { step: stepSize.fixed(0.01), maxTime: 5 });
   * ```
   * @since 0.1.0
   */
  fixed(dt: number): FixedStepSize {
    positiveFinite('stepSize.fixed', 'dt', dt);
    return Object.freeze({ kind: 'fixed' as const, dt });
  },

  /**
   * A sharpness-adapted RK4 step h = min(maxStep, α/λ_max(θ)), λ_max refreshed every `every` steps — the rule
   * Cohen et al. (2021, "Gradient descent on neural networks typically occurs at the edge of stability", ICLR)
   * use to follow gradient flow with RK4 (their released code, `src/flow.py`, steps by
   * min(α/λ_max, max_step_size) with α = 1 by default): the step shrinks where the flow is stiff.
   *
   * @remarks λ_max is computed by the sharpness module with the run's `record.sharpness` options (default
   * λ_max, the largest eigenvalue; pass `which: 'abs'` to use max|λ|). Where λ_max ≤ 0 or is not finite,
   * h = maxStep. When the trace also wants the sharpness at that step, {@link gradientFlow} computes it once.
   * Cost: one sharpness estimate per refresh (HVPs counted in `stats.hvps`).
   * @param options - α, the cap and the refresh period.
   * @returns a frozen `{ kind: 'sharpness-adapted', alpha, maxStep, every }`.
   * @throws EosLabError `E_BAD_OPTION` for a missing options object or `maxStep`, `alpha` or `maxStep` not > 0,
   *   `every` not an integer ≥ 1 (arguments `options.alpha`, `options.maxStep`, `options.every`).
   * @example
   * ```ts
   * import { gradientFlow, scalarFactorization, stepSize } from 'eos-lab';
   * const step = stepSize.sharpnessAdapted({ alpha: 0.5, maxStep: 0.1 });
   * gradientFlow(scalarFactorization.create(), new Float64Array([1.5, 0.5]), { step, maxTime: 5 });
   * ```
   * @since 0.1.0
   */
  sharpnessAdapted(options: SharpnessAdaptedOptions): SharpnessAdaptedStepSize {
    const fn = 'stepSize.sharpnessAdapted';
    if (options === undefined) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options', value: options, expected: 'an options object with maxStep' });
    }
    const o = optionsObject(fn, options, optionKeys<SharpnessAdaptedOptions>({ alpha: true, maxStep: true, every: true }));
    const alpha = o.alpha === undefined ? 0.5 : positiveFinite(fn, 'options.alpha', o.alpha);
    const maxStep = positiveFinite(fn, 'options.maxStep', o.maxStep);
    const every = o.every === undefined ? 1 : integerInRange(fn, 'options.every', o.every, 1, 0x7fffffff);
    return Object.freeze({ kind: 'sharpness-adapted' as const, alpha, maxStep, every });
  },
});

/** @internal h = min(maxStep, α/s) for s > 0 finite, else maxStep. */
export function adaptedStep(policy: SharpnessAdaptedStepSize, sharpness: number): number {
  if (sharpness > 0 && sharpness < Infinity) {
    const h = policy.alpha / sharpness;
    return h < policy.maxStep ? h : policy.maxStep;
  }
  return policy.maxStep;
}

/** @internal Validates a policy handed to a driver (it may have been written by hand). */
export function validateStepSizePolicy(fn: string, argument: string, policy: unknown): StepSizePolicy {
  const p = policy as { kind?: unknown; dt?: unknown; alpha?: unknown; maxStep?: unknown; every?: unknown } | null;
  if (p === null || typeof p !== 'object') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: policy, expected: 'a step-size policy from stepSize.fixed or stepSize.sharpnessAdapted' });
  }
  if (p.kind === 'fixed') {
    positiveFinite(fn, `${argument}.dt`, p.dt);
    return p as unknown as FixedStepSize;
  }
  if (p.kind === 'sharpness-adapted') {
    positiveFinite(fn, `${argument}.alpha`, p.alpha);
    positiveFinite(fn, `${argument}.maxStep`, p.maxStep);
    integerInRange(fn, `${argument}.every`, p.every, 1, 0x7fffffff);
    return p as unknown as SharpnessAdaptedStepSize;
  }
  throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}.kind`, value: p.kind, expected: "'fixed' or 'sharpness-adapted'" });
}
