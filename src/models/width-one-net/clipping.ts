/**
 * The α-clipping of [Minimalist EoS] (Sec. 3 and App. F) as a gradient transform for `gd`: GD on the width-one net with the
 * update of the first-layer weight α clipped, so that α cannot collapse toward (or through) zero when the oscillating
 * coordinate β₁ is large. The paper's formula and constant were lost with its inline math; what is clipped, the constant
 * and the sidedness are reconstructions (docs/math.md §3), hence options.
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';
import { oneOf, optionKeys, optionsObject, positiveFinite } from '../../core/validate.js';
import type { GradientTransform } from '../../dynamics/transforms.js';

/**
 * Options of {@link clipAlpha}.
 *
 * @since 0.1.0
 */
export interface ClipAlphaOptions {
  /**
   * The clip constant C > 0, in units of α: the floor on |α| for `target: 'value'`, the largest α-step for
   * `target: 'step'`. Required (no scale-free default; the `width-one-net-eos` example uses
   * C = 0.9·√(2/(ηλ₁)), 90% of the α at which λ₁α² = 2/η).
   */
  constant: number;
  /**
   * What is clipped. `'value'`: the step may not move α toward zero past |α| = C — α_{k+1} ≥ C when α_k ≥ C, and no
   * move toward zero at all when 0 < |α_k| < C (α is never pushed away). `'step'`: the α-step δ = η·∂_αL itself is
   * clipped: toward zero by at most C (`sides: 'one'`) or |δ| ≤ C (`sides: 'two'`).
   * @defaultValue 'value'
   */
  target?: 'value' | 'step';
  /**
   * For `target: 'step'`: `'one'` limits only moves of α toward zero (the collapse of [Minimalist EoS, App. F]), `'two'` limits
   * moves in both directions. `target: 'value'` is one-sided by nature, and `'two'` with it is an error.
   * @defaultValue 'one'
   */
  sides?: 'one' | 'two';
}

/**
 * The state of a {@link clipAlpha} transform: how many steps it has clipped so far (read it after your own loop; `gd`
 * keeps the state internal).
 *
 * @since 0.1.0
 */
export interface ClipAlphaState {
  clippedSteps: number;
}

/**
 * A gradient transform that clips the α-update of GD on the width-one net θ = (α, β₁, β₂) ([Minimalist EoS, Sec. 3, App. F];
 * reconstructed, docs/math.md §3). With δ_k = η·∂_αL(θ_k) the unclipped α-step (α_{k+1} = α_k − δ_k) and s = sign(α_k)
 * (+1 at α_k = 0), the transform replaces δ_k by
 *
 * - `target: 'value'` (default): min(s·δ_k, max(0, |α_k| − C))·s — the step toward zero stops at |α| = C;
 * - `target: 'step'`, `sides: 'one'`: min(s·δ_k, C)·s — at most C toward zero per step;
 * - `target: 'step'`, `sides: 'two'`: min(max(δ_k, −C), C) — at most C either way.
 *
 * β₁ and β₂ are updated by plain GD. Use it as `gd(model, θ₀, { learningRate, transform: clipAlpha({ constant }) })`.
 *
 * @remarks
 * **What the paper says, and what is reconstructed.** [Minimalist EoS] trains with "gradient descent with learning rate η and
 * gradient clipping on α", which "prevents anomalous behavior", and App. F shows why: without it, when β₁ is large
 * the step α_{k+1} = α_k − η(λ₁α_kβ₁² + λ₂β₂(α_kβ₂ − 1)) makes α "decrease rapidly and may even change its sign", after
 * which the dynamics recover extremely slowly. Its proofs use "a lower bound for α" obtained from the clipping constant.
 * The formula, the constant and its sidedness were lost. The default `'value'` form provides exactly such a lower bound
 * (|α| ≥ C once reached); with C just below the edge-of-stability value √(2/(ηλ₁)) it gives the repeated cycles of
 * progressive sharpening and self-stabilization of the paper's Fig. 1 (see the guide "The width-one net"). The `'step'`
 * form is the literal coordinate clipping of the gradient (like `clipCoordinates` on index 0, but sign-aware); in our
 * searches it also prevents the collapse but lets β₁ grow to large values before α has come down, so its loss spikes are
 * far larger.
 *
 * **Convention.** Acts on the gradient g before the step −η·u (optax convention, as every transform): it writes
 * u₀ = δ/η for the clipped δ, so the realized step η·u₀ equals the clipped δ up to one rounding (α_{k+1} may miss the
 * floor C by an ulp). u₁ = g₁, u₂ = g₂ unchanged. NaN gradients pass through (the driver then reports divergence).
 * State: `{ clippedSteps }`, incremented whenever the clip changes δ. Cost O(1) per step, no allocation. `init` checks
 * that the model has dim 3.
 *
 * @param options - the constant C, what is clipped and the sidedness.
 * @returns the transform.
 * @throws EosLabError `E_BAD_OPTION` for missing options, a constant that is not > 0, an unknown `target` or
 *   `sides`, or `sides: 'two'` with `target: 'value'`; `E_DIM_MISMATCH` from `init` when dim ≠ 3.
 * @example
 * ```ts
 * import { gd, widthOneNet } from 'eos-lab';
 * const model = widthOneNet.create(); // λ₁ = 1, λ₂ = 0.001
 * const eta = 8;
 * const transform = widthOneNet.clipAlpha({ constant: 0.9 * Math.sqrt(2 / (eta * 1)) }); // |α| stays ≥ 0.45
 * const run = gd(model, new Float64Array([0.45, 0.01, 0]), { learningRate: eta, maxSteps: 3000, transform });
 * console.log(run.status, run.loss); // max-steps, small: GD at the edge of stability
 * ```
 * @since 0.1.0
 */
export function clipAlpha(options: ClipAlphaOptions): GradientTransform<ClipAlphaState> {
  const fn = 'widthOneNet.clipAlpha';
  if (options === undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options', value: options, expected: 'an options object with a constant' });
  }
  const o = optionsObject(fn, options, optionKeys<ClipAlphaOptions>({ constant: true, target: true, sides: true }));
  const C = positiveFinite(fn, 'options.constant', o.constant);
  const target = o.target === undefined ? 'value' : oneOf(fn, 'options.target', o.target, ['value', 'step'] as const);
  const sides = o.sides === undefined ? 'one' : oneOf(fn, 'options.sides', o.sides, ['one', 'two'] as const);
  if (target === 'value' && sides === 'two') {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'options.sides',
      value: sides,
      expected: "'one' with target 'value' (a floor on |α| is one-sided; use target 'step' for a two-sided clip)",
    });
  }
  const mode = target === 'value' ? 0 : sides === 'one' ? 1 : 2;
  return {
    init(dim: number): ClipAlphaState {
      if (dim !== 3) {
        throw new EosLabError('E_DIM_MISMATCH', fn, { argument: 'dim', value: dim, expected: '3 (θ = (α, β₁, β₂) of the width-one net)' });
      }
      return { clippedSteps: 0 };
    },
    update(grad, state, context, out) {
      if (out !== grad) {
        out[1] = grad[1];
        out[2] = grad[2];
      }
      const eta = context.learningRate;
      const alpha = context.theta[0];
      const g = grad[0];
      const delta = eta * g; // the unclipped α-step: α_{k+1} = α_k − δ
      let clipped = 0;
      let isClipped = false; // comparisons with NaN are false: a NaN step passes through unclipped
      if (mode === 2) {
        if (delta > C || delta < -C) {
          clipped = delta > C ? C : -C;
          isClipped = true;
        }
      } else {
        const s = alpha < 0 ? -1 : 1;
        const limit = mode === 1 ? C : Math.max(0, Math.abs(alpha) - C);
        if (s * delta > limit) {
          // s·δ > 0 is a move toward zero
          clipped = s * limit;
          isClipped = true;
        }
      }
      if (isClipped) {
        out[0] = clipped / eta;
        state.clippedSteps++;
      } else {
        out[0] = g;
      }
      return out;
    },
  };
}
