/**
 * Gradient transformations in the style of optax: each is a pair of pure functions `{ init, update }` with
 * explicit state, and {@link chain} composes them. A transform acts on the gradient g = ∇L(θ_k) **before** the
 * step, so {@link gd} with a transform T computes
 *
 *   u_k = T(g_k),  θ_{k+1} = θ_k − η u_k,
 *
 * exactly as optax applies `updates = tx.update(grads)` and then `params − lr · updates`.
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import { integerInRange, isFunction, optionKeys, optionsObject, positiveFinite } from '../core/validate.js';
import { nrm2 } from '../linalg/vector.js';

/**
 * What a {@link GradientTransform} may read at step k besides the gradient: the current iterate θ_k, the
 * learning rate η and the step index k. Transforms must not modify `theta`.
 *
 * @since 0.1.0
 */
export interface TransformContext {
  /** The current iterate θ_k (read only). */
  readonly theta: Float64Array;
  /** The learning rate η of the step θ_{k+1} = θ_k − η u_k. */
  readonly learningRate: number;
  /** The step index k (0 for the first step). */
  readonly step: number;
}

/**
 * A gradient transformation `{ init, update }` (optax style). `init(dim)` creates the state once per run;
 * `update(grad, state, context, out)` writes the transformed gradient u = T(g) into `out` and returns `out`.
 *
 * Contract: `update` allocates nothing, may update `state` in place (it is the transform's own object), never
 * modifies `grad` unless `out === grad` (allowed: `out` may alias `grad`), and never modifies `context.theta`.
 * The driver applies the transform to g = ∇L(θ_k) and then steps θ_{k+1} = θ_k − η u.
 *
 * @typeParam S - the state type returned by `init`.
 * @example
 * ```ts
 * import { gd, scalarFactorization, type GradientTransform } from 'eos-lab';
 * // A user transform: scale the gradient by 1/2.
 * const half: GradientTransform<null> = {
 *   init: () => null,
 *   update: (g, _s, _c, out) => { for (let i = 0; i < g.length; i++) out[i] = 0.5 * g[i]; return out; },
 * };
 * gd(scalarFactorization.create(), new Float64Array([1.5, 0.5]), { learningRate: 0.1, transform: half });
 * ```
 * @since 0.1.0
 */
export interface GradientTransform<S = unknown> {
  /** Creates the state for parameter dimension `dim` (called once per run, may validate against `dim`). */
  init(dim: number): S;
  /** Writes T(grad) into `out` (which may be `grad` itself) and returns `out`. */
  update(grad: Float64Array, state: S, context: TransformContext, out: Float64Array): Float64Array;
}

/**
 * Composes transforms left to right: `chain(t1, t2)(g) = t2(t1(g))` (the first argument acts first, as
 * `optax.chain`). The state is the array of the members' states.
 *
 * @remarks Cost: the members' costs; no allocation in `update` (each member writes into `out` in turn).
 * `chain()` with no member is the identity.
 * @param transforms - the transforms, in the order they act.
 * @returns the composed transform.
 * @throws EosLabError `E_BAD_OPTION` if a member is not an object with `init` and `update` functions
 *   (argument `transforms[i]`).
 * @example
 * ```ts
 * import { chain, clipCoordinates, clipByGlobalNorm, gd, scalarFactorization } from 'eos-lab';
 * const transform = chain(clipCoordinates({ max: 1, indices: [0] }), clipByGlobalNorm({ maxNorm: 5 }));
 * gd(scalarFactorization.create(), new Float64Array([3, 0.1]), { learningRate: 0.1, transform });
 * ```
 * @since 0.1.0
 */
export function chain(...transforms: GradientTransform<any>[]): GradientTransform<unknown[]> {
  for (let i = 0; i < transforms.length; i++) validateTransform('chain', `transforms[${i}]`, transforms[i]);
  const members = transforms.slice();
  const n = members.length;
  return {
    init(dim: number): unknown[] {
      const states = new Array<unknown>(n);
      for (let i = 0; i < n; i++) states[i] = members[i].init(dim);
      return states;
    },
    update(grad, state, context, out) {
      if (n === 0) {
        if (out !== grad) out.set(grad);
        return out;
      }
      members[0].update(grad, state[0], context, out);
      for (let i = 1; i < n; i++) members[i].update(out, state[i], context, out);
      return out;
    },
  };
}

/**
 * Options of {@link clipCoordinates}.
 *
 * @since 0.1.0
 */
export interface ClipCoordinatesOptions {
  /**
   * The clip bound c > 0: each chosen coordinate is clipped to [−c, c]. Required (no scale-free default).
   */
  max: number;
  /**
   * Which coordinates to clip (0-based, distinct); the others pass unchanged.
   * @defaultValue all coordinates
   */
  indices?: readonly number[];
}

/**
 * Clips chosen coordinates of the gradient: uᵢ = min(c, max(−c, gᵢ)) for i in `indices`, uᵢ = gᵢ otherwise
 * (optax's `clip`, restricted to a coordinate subset). With GD the update of θᵢ is then at most η·c in size —
 * the form of clipping that [Minimalist EoS] (Sec. 3, App. F) applies to the first-layer weight α of the width-one net
 * (the clip constant there is reconstructed, see docs/math.md §3, hence an option).
 *
 * @remarks Acts on the gradient before the step −η·u (optax convention), so the bound on the step itself is
 * η·c. NaN entries stay NaN (the driver then reports divergence). State: the resolved index list (checked
 * against `dim` in `init`). Cost O(|indices|) per step, no allocation.
 * @param options - the bound and the coordinates.
 * @returns the transform.
 * @throws EosLabError `E_BAD_OPTION` for missing options, for `max` missing or not > 0 (argument `options.max`), for an index that is not
 *   an integer ≥ 0 or repeats (`options.indices[i]`), for empty `indices`; `E_DIM_MISMATCH` from `init` when an
 *   index is ≥ dim.
 * @example
 * ```ts
 * import { clipCoordinates, gd, scalarFactorization } from 'eos-lab';
 * // Clip only ∂L/∂x to [−0.5, 0.5].
 * const transform = clipCoordinates({ max: 0.5, indices: [0] });
 * gd(scalarFactorization.create(), new Float64Array([3, 0.1]), { learningRate: 0.1, transform });
 * ```
 * @since 0.1.0
 */
export function clipCoordinates(options: ClipCoordinatesOptions): GradientTransform<Int32Array | null> {
  const fn = 'clipCoordinates';
  const o = requiredOptions(fn, options, optionKeys<ClipCoordinatesOptions>({ max: true, indices: true }));
  const c = positiveFinite(fn, 'options.max', o.max);
  let indices: Int32Array | null = null;
  if (o.indices !== undefined) {
    if (!Array.isArray(o.indices)) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.indices', value: o.indices, expected: 'an array of integer indices' });
    }
    if (o.indices.length === 0) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.indices', value: o.indices, expected: 'a non-empty array (omit it to clip every coordinate)' });
    }
    const seen = new Set<number>();
    indices = new Int32Array(o.indices.length);
    for (let i = 0; i < o.indices.length; i++) {
      const idx = integerInRange(fn, `options.indices[${i}]`, o.indices[i], 0, 0x7fffffff);
      if (seen.has(idx)) {
        throw new EosLabError('E_BAD_OPTION', fn, { argument: `options.indices[${i}]`, value: idx, expected: 'an index not listed before' });
      }
      seen.add(idx);
      indices[i] = idx;
    }
  }
  const chosen = indices;
  return {
    init(dim: number): Int32Array | null {
      if (chosen !== null) {
        for (let i = 0; i < chosen.length; i++) {
          if (chosen[i] >= dim) {
            throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `options.indices[${i}]`, value: chosen[i], expected: `an index < ${dim} (the model's dim)` });
          }
        }
      }
      return chosen;
    },
    update(grad, state, _context, out) {
      if (state === null) {
        for (let i = 0; i < grad.length; i++) {
          const g = grad[i];
          out[i] = g > c ? c : g < -c ? -c : g; // NaN passes through unchanged
        }
      } else {
        if (out !== grad) out.set(grad);
        for (let k = 0; k < state.length; k++) {
          const i = state[k];
          const g = grad[i];
          out[i] = g > c ? c : g < -c ? -c : g;
        }
      }
      return out;
    },
  };
}

/**
 * Options of {@link clipByGlobalNorm}.
 *
 * @since 0.1.0
 */
export interface ClipByGlobalNormOptions {
  /**
   * The largest allowed Euclidean norm M > 0 of the transformed gradient. Required (no scale-free default).
   */
  maxNorm: number;
}

/**
 * Rescales the gradient to Euclidean norm at most M: u = g · min(1, M/‖g‖₂) (optax's `clip_by_global_norm`,
 * on the one flat parameter vector). A gradient with ‖g‖₂ ≤ M passes unchanged (bit for bit).
 *
 * @remarks Acts on the gradient before the step −η·u, so the step length is at most η·M. ‖g‖₂ is computed
 * with scaling (no overflow for large finite entries). A non-finite gradient gives a non-finite result and
 * the driver reports divergence. Stateless; cost two passes over g per step, no allocation.
 * @param options - the norm bound.
 * @returns the transform.
 * @throws EosLabError `E_BAD_OPTION` for missing options or if `maxNorm` is missing or not > 0 (argument `options.maxNorm`).
 * @example
 * ```ts
 * import { clipByGlobalNorm, gd, scalarFactorization } from 'eos-lab';
 * gd(scalarFactorization.create(), new Float64Array([3, 0.1]), {
 *   learningRate: 0.1,
 *   transform: clipByGlobalNorm({ maxNorm: 1 }),
 * });
 * ```
 * @since 0.1.0
 */
export function clipByGlobalNorm(options: ClipByGlobalNormOptions): GradientTransform<null> {
  const fn = 'clipByGlobalNorm';
  const o = requiredOptions(fn, options, optionKeys<ClipByGlobalNormOptions>({ maxNorm: true }));
  const m = positiveFinite(fn, 'options.maxNorm', o.maxNorm);
  return {
    init: () => null,
    update(grad, _state, _context, out) {
      const norm = nrm2(grad);
      if (norm <= m) {
        if (out !== grad) out.set(grad);
        return out;
      }
      const s = m / norm; // NaN or 0 for a non-finite norm: propagates to the driver's divergence check
      for (let i = 0; i < grad.length; i++) out[i] = grad[i] * s;
      return out;
    },
  };
}

/** Options object that must be present (its fields are validated by the caller). */
function requiredOptions<T extends object>(fn: string, options: T | undefined, allowed: readonly string[]): T {
  if (options === undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options', value: options, expected: 'an options object' });
  }
  return optionsObject(fn, options, allowed);
}

/** @internal Throws `E_BAD_OPTION` unless `t` looks like a {@link GradientTransform}. */
export function validateTransform(fn: string, argument: string, t: unknown): GradientTransform<unknown> {
  if (t === null || typeof t !== 'object') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: t, expected: 'a gradient transform { init, update }' });
  }
  const tr = t as { init?: unknown; update?: unknown };
  isFunction(fn, `${argument}.init`, tr.init);
  isFunction(fn, `${argument}.update`, tr.update);
  return t as GradientTransform<unknown>;
}
