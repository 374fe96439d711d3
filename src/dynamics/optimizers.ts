/**
 * Optimizers as plain data plus one step primitive with explicit state: `optimizer.gd()`, `optimizer.heavyBall`,
 * `optimizer.nesterov`, `optimizer.rmsprop`, `optimizer.adam` describe the update (frozen, JSON-serializable);
 * {@link createOptimizerState} makes its state and {@link optimizerStep} advances θ by one step — the kernel the
 * {@link train} driver runs, exported so a researcher can write their own loop with the same arithmetic. The
 * stability thresholds on a quadratic are exported as functions.
 *
 * Update conventions (PyTorch's, which Cohen et al. 2021/2022 used), g_k = ∇L(θ_k), η_k the learning rate of step k:
 * - gd: θ_{k+1} = θ_k − η_k g_k.
 * - heavy ball: v_{k+1} = β v_k + g_k, θ_{k+1} = θ_k − η_k v_{k+1} (v_0 = 0); with constant η this is
 *   θ_{k+1} = θ_k − η g_k + β(θ_k − θ_{k−1}).
 * - Nesterov: v_{k+1} = β v_k + g_k, θ_{k+1} = θ_k − η_k (g_k + β v_{k+1}).
 * - RMSProp: ν_{k+1} = β₂ ν_k + (1 − β₂) g_k², θ_{k+1} = θ_k − η_k g_k / (√ν̂_{k+1} + ε).
 * - Adam: m_{k+1} = β₁ m_k + (1 − β₁) g_k, ν_{k+1} = β₂ ν_k + (1 − β₂) g_k²,
 *   θ_{k+1} = θ_k − η_k m̂_{k+1} / (√ν̂_{k+1} + ε),
 * with bias correction m̂_t = m_t/(1 − β₁^t), ν̂_t = ν_t/(1 − β₂^t) (t = k + 1 steps taken) when enabled, else
 * m̂ = m, ν̂ = ν. The preconditioner of the adaptive methods is P_k = diag(√ν̂_{k+1} + ε) [Cohen et al. 2022].
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import { nonNegativeFinite, optionsObject, positiveFinite } from '../core/validate.js';

/** Plain gradient descent θ' = θ − η g. @since 0.2.0 */
export interface GdOptimizer {
  readonly kind: 'gd';
}

/** Heavy-ball (Polyak) momentum, PyTorch form v' = βv + g, θ' = θ − ηv'. @since 0.2.0 */
export interface HeavyBallOptimizer {
  readonly kind: 'heavy-ball';
  /** β ∈ [0, 1). */
  readonly momentum: number;
}

/** Nesterov momentum, PyTorch form v' = βv + g, θ' = θ − η(g + βv'). @since 0.2.0 */
export interface NesterovOptimizer {
  readonly kind: 'nesterov';
  /** β ∈ [0, 1). */
  readonly momentum: number;
}

/** RMSProp: ν' = β₂ν + (1 − β₂)g², θ' = θ − η g/(√ν̂' + ε). @since 0.2.0 */
export interface RmspropOptimizer {
  readonly kind: 'rmsprop';
  /** β₂ ∈ [0, 1]. */
  readonly beta2: number;
  /** ε ≥ 0, added to √ν̂. */
  readonly epsilon: number;
  /** Divide ν by 1 − β₂^t. */
  readonly biasCorrection: boolean;
}

/** Adam: first and second moments with β₁, β₂, ε and bias correction. @since 0.2.0 */
export interface AdamOptimizer {
  readonly kind: 'adam';
  /** β₁ ∈ [0, 1). */
  readonly beta1: number;
  /** β₂ ∈ [0, 1]. */
  readonly beta2: number;
  /** ε ≥ 0, added to √ν̂. */
  readonly epsilon: number;
  /** Divide m by 1 − β₁^t and ν by 1 − β₂^t. */
  readonly biasCorrection: boolean;
}

/**
 * An optimizer description (plain data; see the module summary for the updates).
 *
 * @since 0.2.0
 */
export type Optimizer = GdOptimizer | HeavyBallOptimizer | NesterovOptimizer | RmspropOptimizer | AdamOptimizer;

/**
 * Options of `optimizer.heavyBall` and `optimizer.nesterov`.
 *
 * @since 0.2.0
 */
export interface MomentumOptions {
  /**
   * The momentum β ∈ [0, 1).
   * @defaultValue 0.9
   */
  momentum?: number;
}

/**
 * Options of `optimizer.rmsprop`.
 *
 * @since 0.2.0
 */
export interface RmspropOptions {
  /**
   * The second-moment decay β₂ ∈ [0, 1] (PyTorch's `alpha`). β₂ = 1 freezes ν at its initial value (useful to study
   * a fixed preconditioner; needs `biasCorrection: false`).
   * @defaultValue 0.99
   */
  beta2?: number;
  /**
   * ε ≥ 0 in θ' = θ − η g/(√ν̂ + ε).
   * @defaultValue 1e-8
   */
  epsilon?: number;
  /**
   * Bias-correct ν (ν̂ = ν/(1 − β₂^t)). PyTorch's RMSprop does not.
   * @defaultValue false
   */
  biasCorrection?: boolean;
}

/**
 * Options of `optimizer.adam`.
 *
 * @since 0.2.0
 */
export interface AdamOptions {
  /**
   * The first-moment decay β₁ ∈ [0, 1).
   * @defaultValue 0.9
   */
  beta1?: number;
  /**
   * The second-moment decay β₂ ∈ [0, 1] (β₂ = 1 freezes ν; needs `biasCorrection: false`).
   * @defaultValue 0.999
   */
  beta2?: number;
  /**
   * ε ≥ 0 in θ' = θ − η m̂/(√ν̂ + ε).
   * @defaultValue 1e-8
   */
  epsilon?: number;
  /**
   * Bias-correct both moments (m̂ = m/(1 − β₁^t), ν̂ = ν/(1 − β₂^t)), as Kingma & Ba and PyTorch do.
   * @defaultValue true
   */
  biasCorrection?: boolean;
}

function momentumIn(fn: string, argument: string, value: unknown): number {
  const b = nonNegativeFinite(fn, argument, value);
  if (!(b < 1)) throw new EosLabError('E_BAD_OPTION', fn, { argument, value, expected: 'a number in [0, 1)' });
  return b;
}

function decayIn(fn: string, argument: string, value: unknown): number {
  const b = nonNegativeFinite(fn, argument, value);
  if (!(b <= 1)) throw new EosLabError('E_BAD_OPTION', fn, { argument, value, expected: 'a number in [0, 1]' });
  return b;
}

function flag(fn: string, argument: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new EosLabError('E_BAD_OPTION', fn, { argument, value, expected: 'true or false' });
  return value;
}

function adaptive(fn: string, path: string, beta2: number, biasCorrection: boolean): void {
  if (beta2 === 1 && biasCorrection) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: `${path}biasCorrection`,
      value: true,
      expected: 'false when beta2 = 1 (the correction 1/(1 − β₂^t) is infinite)',
    });
  }
}

/**
 * Constructors of optimizer descriptions for {@link train} and {@link optimizerStep}.
 *
 * @since 0.2.0
 */
export const optimizer = Object.freeze({
  /**
   * Plain gradient descent θ_{k+1} = θ_k − η_k ∇L(θ_k); stable on a quadratic iff η λ_max < 2.
   *
   * @returns `{ kind: 'gd' }` (frozen).
   * @example
   * ```ts
   * import { optimizer, scalarFactorization, train } from 'eos-lab';
   * train(scalarFactorization.create(), new Float64Array([1.5, 0.5]), { learningRate: 0.1, optimizer: optimizer.gd() });
   * ```
   * @since 0.2.0
   */
  gd(): GdOptimizer {
    return Object.freeze({ kind: 'gd' as const });
  },

  /**
   * Heavy-ball momentum in PyTorch's form v_{k+1} = β v_k + g_k, θ_{k+1} = θ_k − η_k v_{k+1} (v_0 = 0). On a
   * quadratic it is stable iff η λ_max < 2 + 2β ({@link heavyBallThreshold}; Cohen et al. 2021, App. on momentum).
   *
   * @remarks Same iterates as θ_{k+1} = θ_k − η g_k + β(θ_k − θ_{k−1}) for constant η (PyTorch's v is the
   * "gradient-scale" velocity; Sutskever's form uses ηv). State: one velocity vector.
   * @param options - β.
   * @returns `{ kind: 'heavy-ball', momentum }` (frozen).
   * @throws EosLabError `E_BAD_OPTION` for an unknown key or β outside [0, 1).
   * @example
   * ```ts
   * import { optimizer, scalarFactorization, train } from 'eos-lab';
   * const run = train(scalarFactorization.create(), new Float64Array([1.5, 0.5]), {
   *   learningRate: 0.05, optimizer: optimizer.heavyBall({ momentum: 0.9 }), lossGoal: 1e-12,
   * });
   * console.log(run.status); // 'converged'
   * ```
   * @since 0.2.0
   */
  heavyBall(options?: MomentumOptions): HeavyBallOptimizer {
    const fn = 'optimizer.heavyBall';
    const o = optionsObject(fn, options, ['momentum']);
    const momentum = o.momentum === undefined ? 0.9 : momentumIn(fn, 'options.momentum', o.momentum);
    return Object.freeze({ kind: 'heavy-ball' as const, momentum });
  },

  /**
   * Nesterov momentum in PyTorch's form v_{k+1} = β v_k + g_k, θ_{k+1} = θ_k − η_k (g_k + β v_{k+1}). On a
   * quadratic it is stable iff η λ_max < (2 + 2β)/(1 + 2β) ({@link nesterovThreshold}).
   *
   * @remarks Equivalent for constant η to Sutskever's look-ahead form y_k = θ_k + β(θ_k − θ_{k−1}),
   * θ_{k+1} = y_k − η∇L(y_k) up to a change of variables; both have the same characteristic polynomial on a
   * quadratic. State: one velocity vector.
   * @param options - β.
   * @returns `{ kind: 'nesterov', momentum }` (frozen).
   * @throws EosLabError `E_BAD_OPTION` for an unknown key or β outside [0, 1).
   * @example
   * ```ts
   * import { optimizer, scalarFactorization, train } from 'eos-lab';
   * train(scalarFactorization.create(), new Float64Array([1.5, 0.5]), { learningRate: 0.05, optimizer: optimizer.nesterov() });
   * ```
   * @since 0.2.0
   */
  nesterov(options?: MomentumOptions): NesterovOptimizer {
    const fn = 'optimizer.nesterov';
    const o = optionsObject(fn, options, ['momentum']);
    const momentum = o.momentum === undefined ? 0.9 : momentumIn(fn, 'options.momentum', o.momentum);
    return Object.freeze({ kind: 'nesterov' as const, momentum });
  },

  /**
   * RMSProp: ν_{k+1} = β₂ ν_k + (1 − β₂) g_k², θ_{k+1} = θ_k − η_k g_k/(√ν̂_{k+1} + ε). With the preconditioner
   * P = diag(√ν̂ + ε) frozen it is GD on P⁻¹-scaled coordinates: stable iff η λ_max(P⁻¹H) < 2 [Cohen et al. 2022].
   *
   * @param options - β₂, ε, bias correction.
   * @returns `{ kind: 'rmsprop', beta2, epsilon, biasCorrection }` (frozen).
   * @throws EosLabError `E_BAD_OPTION` for an unknown key, β₂ outside [0, 1], ε not finite ≥ 0, a non-boolean
   *   `biasCorrection`, or bias correction with β₂ = 1.
   * @example
   * ```ts
   * import { optimizer, scalarFactorization, train } from 'eos-lab';
   * train(scalarFactorization.create(), new Float64Array([1.5, 0.5]), { learningRate: 0.01, optimizer: optimizer.rmsprop() });
   * ```
   * @since 0.2.0
   */
  rmsprop(options?: RmspropOptions): RmspropOptimizer {
    const fn = 'optimizer.rmsprop';
    const o = optionsObject(fn, options, ['beta2', 'epsilon', 'biasCorrection']);
    const beta2 = o.beta2 === undefined ? 0.99 : decayIn(fn, 'options.beta2', o.beta2);
    const epsilon = o.epsilon === undefined ? 1e-8 : nonNegativeFinite(fn, 'options.epsilon', o.epsilon);
    const biasCorrection = o.biasCorrection === undefined ? false : flag(fn, 'options.biasCorrection', o.biasCorrection);
    adaptive(fn, 'options.', beta2, biasCorrection);
    return Object.freeze({ kind: 'rmsprop' as const, beta2, epsilon, biasCorrection });
  },

  /**
   * Adam (Kingma & Ba): m_{k+1} = β₁ m_k + (1 − β₁) g_k, ν_{k+1} = β₂ ν_k + (1 − β₂) g_k²,
   * θ_{k+1} = θ_k − η_k m̂_{k+1}/(√ν̂_{k+1} + ε). With P = diag(√ν̂ + ε) frozen, it is EMA heavy-ball on the
   * preconditioned quadratic, stable iff η λ_max(P⁻¹H) < (2 + 2β₁)/(1 − β₁) — 38 at β₁ = 0.9
   * ({@link adamThreshold}; [Cohen et al. 2022, Sec. 3]).
   *
   * @param options - β₁, β₂, ε, bias correction.
   * @returns `{ kind: 'adam', beta1, beta2, epsilon, biasCorrection }` (frozen).
   * @throws EosLabError `E_BAD_OPTION` for an unknown key, β₁ outside [0, 1), β₂ outside [0, 1], ε not finite
   *   ≥ 0, a non-boolean `biasCorrection`, or bias correction with β₂ = 1.
   * @example
   * ```ts
   * import { optimizer, scalarFactorization, train } from 'eos-lab';
   * train(scalarFactorization.create(), new Float64Array([1.5, 0.5]), { learningRate: 0.01, optimizer: optimizer.adam({ beta1: 0.9 }) });
   * ```
   * @since 0.2.0
   */
  adam(options?: AdamOptions): AdamOptimizer {
    const fn = 'optimizer.adam';
    const o = optionsObject(fn, options, ['beta1', 'beta2', 'epsilon', 'biasCorrection']);
    const beta1 = o.beta1 === undefined ? 0.9 : momentumIn(fn, 'options.beta1', o.beta1);
    const beta2 = o.beta2 === undefined ? 0.999 : decayIn(fn, 'options.beta2', o.beta2);
    const epsilon = o.epsilon === undefined ? 1e-8 : nonNegativeFinite(fn, 'options.epsilon', o.epsilon);
    const biasCorrection = o.biasCorrection === undefined ? true : flag(fn, 'options.biasCorrection', o.biasCorrection);
    adaptive(fn, 'options.', beta2, biasCorrection);
    return Object.freeze({ kind: 'adam' as const, beta1, beta2, epsilon, biasCorrection });
  },
});

/** @internal Validates an optimizer description (it may have been written by hand). */
export function validateOptimizer(fn: string, argument: string, value: unknown): Optimizer {
  const o = value as Partial<Record<string, unknown>> | null;
  if (o === null || typeof o !== 'object') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value, expected: 'an optimizer from optimizer.gd/heavyBall/nesterov/rmsprop/adam' });
  }
  switch (o.kind) {
    case 'gd':
      return value as Optimizer;
    case 'heavy-ball':
    case 'nesterov':
      momentumIn(fn, `${argument}.momentum`, o.momentum);
      return value as Optimizer;
    case 'rmsprop':
    case 'adam':
      if (o.kind === 'adam') momentumIn(fn, `${argument}.beta1`, o.beta1);
      decayIn(fn, `${argument}.beta2`, o.beta2);
      nonNegativeFinite(fn, `${argument}.epsilon`, o.epsilon);
      flag(fn, `${argument}.biasCorrection`, o.biasCorrection);
      adaptive(fn, `${argument}.`, o.beta2 as number, o.biasCorrection as boolean);
      return value as Optimizer;
    default:
      throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}.kind`, value: o.kind, expected: "'gd', 'heavy-ball', 'nesterov', 'rmsprop' or 'adam'" });
  }
}

/** Is this an adaptive (preconditioned) method? @internal */
export function isAdaptive(o: Optimizer): o is RmspropOptimizer | AdamOptimizer {
  return o.kind === 'rmsprop' || o.kind === 'adam';
}

/**
 * The explicit state of an optimizer: the number of steps taken and its moment buffers. Created by
 * {@link createOptimizerState}, advanced in place by {@link optimizerStep}; you may set it by hand (e.g. a frozen
 * preconditioner: `secondMoment` filled and β₂ = 1).
 *
 * @since 0.2.0
 */
export interface OptimizerState {
  /** t, the number of steps taken (used by bias correction). */
  step: number;
  /** The velocity v (momentum methods) or the first moment m (Adam); length p, or 0 when unused. */
  readonly firstMoment: Float64Array;
  /** The second moment ν (RMSProp, Adam); length p, or 0 when unused. */
  readonly secondMoment: Float64Array;
}

/**
 * A fresh state for `opt` in dimension p: t = 0 and zero moment buffers (v_0 = m_0 = ν_0 = 0, PyTorch's start).
 *
 * @param opt - the optimizer.
 * @param dim - p ≥ 1.
 * @returns the state (allocates the buffers the method needs).
 * @throws EosLabError `E_BAD_OPTION` for a malformed optimizer or `dim` not an integer ≥ 1.
 * @example
 * ```ts
 * import { createOptimizerState, optimizer } from 'eos-lab';
 * const state = createOptimizerState(optimizer.adam(), 3); // { step: 0, firstMoment: [0,0,0], secondMoment: [0,0,0] }
 * ```
 * @since 0.2.0
 */
export function createOptimizerState(opt: Optimizer, dim: number): OptimizerState {
  const fn = 'createOptimizerState';
  const o = validateOptimizer(fn, 'opt', opt);
  if (!Number.isInteger(dim) || dim < 1) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'dim', value: dim, expected: 'an integer >= 1' });
  const first = o.kind === 'gd' || o.kind === 'rmsprop' ? 0 : dim;
  const second = isAdaptive(o) ? dim : 0;
  return { step: 0, firstMoment: new Float64Array(first), secondMoment: new Float64Array(second) };
}

/**
 * One optimizer step: reads θ_k and g_k = ∇L(θ_k), updates `state` in place (moments, t ← t + 1) and writes
 * θ_{k+1} into `out`, with the updates listed in the module summary (PyTorch conventions).
 *
 * @remarks Operation order (for bit-for-bit reproduction elsewhere): per coordinate i, in this order —
 * heavy ball `v = β*v + g; out = θ − η*v`; Nesterov `v = β*v + g; out = θ − η*(g + β*v)`; RMSProp
 * `ν = β₂*ν + (1 − β₂)*(g*g); out = θ − η*g/(√(ν/c₂) + ε)`; Adam additionally `m = β₁*m + (1 − β₁)*g` and
 * `out = θ − η*(m/c₁)/(√(ν/c₂) + ε)`, with c₁ = 1 − β₁^t, c₂ = 1 − β₂^t after t ← t + 1 (c = 1 without bias
 * correction); gd is `out = θ − η*g` ({@link gdStep}'s order). Cost O(p), no allocation, no validation beyond
 * O(1) checks (a kernel; {@link train} validates once). `out` may be `theta` (in place); `grad` is not modified.
 * @param opt - the optimizer.
 * @param theta - θ_k (not modified unless `out === theta`).
 * @param grad - g_k.
 * @param state - the optimizer's state (updated in place).
 * @param learningRate - η_k ≥ 0.
 * @param out - receives θ_{k+1}.
 * @returns `out`.
 * @throws EosLabError `E_DIM_MISMATCH` when the lengths of `theta`, `grad`, `out` or the state's buffers disagree.
 * @example
 * ```ts
 * import { createOptimizerState, optimizer, optimizerStep, scalarFactorization } from 'eos-lab';
 * const model = scalarFactorization.create();
 * const opt = optimizer.heavyBall({ momentum: 0.5 });
 * const theta = new Float64Array([1.5, 0.5]);
 * const g = new Float64Array(2);
 * const state = createOptimizerState(opt, 2);
 * for (let k = 0; k < 200; k++) {
 *   model.lossAndGrad(theta, g);
 *   optimizerStep(opt, theta, g, state, 0.1, theta);
 * }
 * console.log(model.loss(theta)); // ≈ 0
 * ```
 * @since 0.2.0
 */
export function optimizerStep(opt: Optimizer, theta: Float64Array, grad: Float64Array, state: OptimizerState, learningRate: number, out: Float64Array): Float64Array {
  const p = theta.length;
  if (grad.length !== p || out.length !== p) {
    throw new EosLabError('E_DIM_MISMATCH', 'optimizerStep', { argument: grad.length !== p ? 'grad.length' : 'out.length', value: grad.length !== p ? grad.length : out.length, expected: `${p} (theta.length)` });
  }
  const needFirst = opt.kind === 'heavy-ball' || opt.kind === 'nesterov' || opt.kind === 'adam';
  if ((needFirst && state.firstMoment.length !== p) || (isAdaptive(opt) && state.secondMoment.length !== p)) {
    throw new EosLabError('E_DIM_MISMATCH', 'optimizerStep', { argument: 'state', value: state, expected: `buffers of length ${p} for ${opt.kind} (use createOptimizerState)` });
  }
  optimizerStepUnchecked(opt, theta, grad, state, learningRate, out);
  return out;
}

/** @internal {@link optimizerStep} without checks (the driver's hot loop). */
export function optimizerStepUnchecked(opt: Optimizer, theta: Float64Array, grad: Float64Array, state: OptimizerState, eta: number, out: Float64Array): void {
  const p = theta.length;
  state.step++;
  switch (opt.kind) {
    case 'gd':
      for (let i = 0; i < p; i++) out[i] = theta[i] - eta * grad[i];
      return;
    case 'heavy-ball': {
      const b = opt.momentum;
      const v = state.firstMoment;
      for (let i = 0; i < p; i++) {
        const vi = b * v[i] + grad[i];
        v[i] = vi;
        out[i] = theta[i] - eta * vi;
      }
      return;
    }
    case 'nesterov': {
      const b = opt.momentum;
      const v = state.firstMoment;
      for (let i = 0; i < p; i++) {
        const gi = grad[i];
        const vi = b * v[i] + gi;
        v[i] = vi;
        out[i] = theta[i] - eta * (gi + b * vi);
      }
      return;
    }
    case 'rmsprop': {
      const b2 = opt.beta2;
      const eps = opt.epsilon;
      const c2 = opt.biasCorrection ? 1 - Math.pow(b2, state.step) : 1;
      const nu = state.secondMoment;
      for (let i = 0; i < p; i++) {
        const gi = grad[i];
        const ni = b2 * nu[i] + (1 - b2) * (gi * gi);
        nu[i] = ni;
        out[i] = theta[i] - (eta * gi) / (Math.sqrt(ni / c2) + eps);
      }
      return;
    }
    case 'adam': {
      const b1 = opt.beta1;
      const b2 = opt.beta2;
      const eps = opt.epsilon;
      const c1 = opt.biasCorrection ? 1 - Math.pow(b1, state.step) : 1;
      const c2 = opt.biasCorrection ? 1 - Math.pow(b2, state.step) : 1;
      const m = state.firstMoment;
      const nu = state.secondMoment;
      for (let i = 0; i < p; i++) {
        const gi = grad[i];
        const mi = b1 * m[i] + (1 - b1) * gi;
        const ni = b2 * nu[i] + (1 - b2) * (gi * gi);
        m[i] = mi;
        nu[i] = ni;
        out[i] = theta[i] - (eta * (mi / c1)) / (Math.sqrt(ni / c2) + eps);
      }
      return;
    }
  }
}

/**
 * The diagonal of the adaptive preconditioner P = diag(√ν̂ + ε) of the last step taken (the one that produced
 * θ_{k+1} from θ_k), written into `out`: the P of the preconditioned sharpness λ_max(P⁻¹H) [Cohen et al. 2022,
 * Sec. 3].
 *
 * @remarks ν̂ = ν/(1 − β₂^t) with bias correction, t = `state.step` (t = 0, before any step, gives the
 * uncorrected ν). Cost O(p), no allocation.
 * @param opt - an RMSProp or Adam optimizer.
 * @param state - its state.
 * @param out - receives P's diagonal (length p).
 * @returns `out`.
 * @throws EosLabError `E_BAD_OPTION` for a non-adaptive optimizer; `E_DIM_MISMATCH` when `out` and the state disagree.
 * @example
 * ```ts
 * import { createOptimizerState, optimizer, optimizerStep, preconditionerDiagonal } from 'eos-lab';
 * const opt = optimizer.adam({ epsilon: 0 });
 * const state = createOptimizerState(opt, 2);
 * optimizerStep(opt, new Float64Array(2), new Float64Array([3, -4]), state, 0.1, new Float64Array(2));
 * console.log(preconditionerDiagonal(opt, state, new Float64Array(2))); // [3, 4] = |g| after one bias-corrected step
 * ```
 * @since 0.2.0
 */
export function preconditionerDiagonal(opt: Optimizer, state: OptimizerState, out: Float64Array): Float64Array {
  const fn = 'preconditionerDiagonal';
  if (!isAdaptive(opt)) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'opt.kind', value: opt.kind, expected: "'rmsprop' or 'adam' (the methods with a preconditioner)" });
  if (out.length !== state.secondMoment.length) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: 'out.length', value: out.length, expected: `${state.secondMoment.length} (the state's dimension)` });
  }
  preconditionerUnchecked(opt, state, out);
  return out;
}

/** @internal */
export function preconditionerUnchecked(opt: RmspropOptimizer | AdamOptimizer, state: OptimizerState, out: Float64Array): void {
  const c2 = opt.biasCorrection && state.step > 0 ? 1 - Math.pow(opt.beta2, state.step) : 1;
  const nu = state.secondMoment;
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(nu[i] / c2) + opt.epsilon;
}

function thresholdArgs(fn: string, learningRate: number, beta: number | undefined, name: string): number {
  positiveFinite(fn, 'learningRate', learningRate);
  return beta === undefined ? 0 : momentumIn(fn, name, beta);
}

/**
 * Heavy-ball's stability threshold on a quadratic, (2 + 2β)/η: the iteration θ_{k+1} = θ_k − ηHθ_k + β(θ_k − θ_{k−1})
 * converges iff every eigenvalue λ of H satisfies 0 < ηλ < 2 + 2β (Cohen et al. 2021, App. on momentum; the
 * characteristic polynomial x² − (1 + β − ηλ)x + β has a root at −1 exactly when ηλ = 2 + 2β).
 *
 * @remarks Compared with λ_max(∇²L) (the largest eigenvalue). β = 0 gives GD's 2/η.
 * @param learningRate - η > 0.
 * @param momentum - β ∈ [0, 1).
 * @returns (2 + 2β)/η.
 * @throws EosLabError `E_BAD_OPTION` for η not finite > 0 or β outside [0, 1).
 * @example
 * ```ts
 * import { heavyBallThreshold } from 'eos-lab';
 * console.log(heavyBallThreshold(0.01, 0.9)); // 380
 * ```
 * @since 0.2.0
 */
export function heavyBallThreshold(learningRate: number, momentum: number): number {
  const b = thresholdArgs('heavyBallThreshold', learningRate, momentum, 'momentum');
  return (2 + 2 * b) / learningRate;
}

/**
 * Nesterov momentum's stability threshold on a quadratic, (2 + 2β)/((1 + 2β)η) (Cohen et al. 2021, App. on
 * momentum): for v' = βv + Hθ, θ' = θ − η(Hθ + βv') the 2×2 iteration matrix per eigenvalue has trace
 * 1 + β − ηλ(1 + β) and determinant β(1 − ηλ), and the Jury condition 1 + trace + det > 0 reads
 * ηλ < (2 + 2β)/(1 + 2β).
 *
 * @remarks Compared with λ_max(∇²L). β = 0 gives 2/η; β = 0.9 gives 3.8/(2.8η) ≈ 1.357/η.
 * @param learningRate - η > 0.
 * @param momentum - β ∈ [0, 1).
 * @returns (2 + 2β)/((1 + 2β)η).
 * @throws EosLabError `E_BAD_OPTION` for η not finite > 0 or β outside [0, 1).
 * @example
 * ```ts
 * import { nesterovThreshold } from 'eos-lab';
 * console.log(nesterovThreshold(1, 0.5)); // 1.5
 * ```
 * @since 0.2.0
 */
export function nesterovThreshold(learningRate: number, momentum: number): number {
  const b = thresholdArgs('nesterovThreshold', learningRate, momentum, 'momentum');
  return (2 + 2 * b) / ((1 + 2 * b) * learningRate);
}

/**
 * Adam's stability threshold for the preconditioned sharpness, (2 + 2β₁)/((1 − β₁)η) — 38/η at β₁ = 0.9, from
 * [Cohen et al. 2022, Sec. 3] — because with the preconditioner P frozen, Adam on a quadratic is EMA heavy ball
 * m' = β₁m + (1 − β₁)Hθ, θ' = θ − ηP⁻¹m', i.e. heavy ball with step η(1 − β₁) on P^{-1/2}HP^{-1/2}, stable iff
 * η(1 − β₁)λ < 2 + 2β₁ for every eigenvalue λ of P⁻¹H.
 *
 * @remarks Compared with λ_max(P⁻¹H) (see {@link preconditionedSharpness}), not with λ_max(H). β₁ = 0 gives
 * RMSProp's 2/η. Bias correction only rescales early steps (its factor tends to 1).
 * @param learningRate - η > 0.
 * @param beta1 - β₁ ∈ [0, 1).
 * @returns (2 + 2β₁)/((1 − β₁)η).
 * @throws EosLabError `E_BAD_OPTION` for η not finite > 0 or β₁ outside [0, 1).
 * @example
 * ```ts
 * import { adamThreshold } from 'eos-lab';
 * console.log(adamThreshold(0.001, 0.9)); // 38000 (up to rounding)
 * ```
 * @since 0.2.0
 */
export function adamThreshold(learningRate: number, beta1: number): number {
  const b = thresholdArgs('adamThreshold', learningRate, beta1, 'beta1');
  return (2 + 2 * b) / ((1 - b) * learningRate);
}

/**
 * The stability threshold of `opt` at learning rate η: 2/η (gd), {@link heavyBallThreshold},
 * {@link nesterovThreshold}, 2/η for RMSProp and {@link adamThreshold} for Adam — the last two for the
 * preconditioned sharpness λ_max(P⁻¹H), the others for λ_max(H). η = 0 gives +∞ (a step that does not move).
 *
 * @param opt - the optimizer.
 * @param learningRate - η ≥ 0.
 * @returns the threshold.
 * @throws EosLabError `E_BAD_OPTION` for a malformed optimizer or η not finite ≥ 0.
 * @example
 * ```ts
 * import { optimizer, stabilityThreshold } from 'eos-lab';
 * console.log(stabilityThreshold(optimizer.heavyBall({ momentum: 0.9 }), 0.1)); // 38
 * ```
 * @since 0.2.0
 */
export function stabilityThreshold(opt: Optimizer, learningRate: number): number {
  const fn = 'stabilityThreshold';
  const o = validateOptimizer(fn, 'opt', opt);
  nonNegativeFinite(fn, 'learningRate', learningRate);
  return thresholdUnchecked(o, learningRate);
}

/** @internal */
export function thresholdUnchecked(o: Optimizer, eta: number): number {
  switch (o.kind) {
    case 'gd':
    case 'rmsprop':
      return 2 / eta;
    case 'heavy-ball':
      return (2 + 2 * o.momentum) / eta;
    case 'nesterov':
      return (2 + 2 * o.momentum) / ((1 + 2 * o.momentum) * eta);
    case 'adam':
      return (2 + 2 * o.beta1) / ((1 - o.beta1) * eta);
  }
}
