/**
 * The "stable set" of the width-one net and projected gradient descent on it, the constrained trajectory of Damian et
 * al. (2022) as [Minimalist EoS, Sec. 5.2] adapts it (Lemma 5.4, Thm 5.5). The copy of the paper this project worked from lost the formulas; the forms here
 * are reconstructed (docs/math.md §3) from its text: "PGD on S can be regarded as GD with β₁ restricted to zero and α
 * clipped".
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';
import type { LossModel } from '../../core/loss-model.js';
import { nonNegativeFinite, optionKeys, optionsObject, positiveFinite } from '../../core/validate.js';
import { checkStepArgs } from '../../dynamics/rk4.js';
import { resolveVariances } from './model.js';
import { validateTheta } from './theory.js';

/**
 * Options of {@link inStableSet}.
 *
 * @since 0.1.0
 */
export interface InStableSetOptions {
  /**
   * λ₁ > 0, the variance of the irrelevant feature.
   * @defaultValue 1
   */
  varianceIrrelevant?: number;
  /**
   * The largest |β₁| that counts as β₁ = 0 (a finite number ≥ 0).
   * @defaultValue 0 (exactly zero)
   */
  betaTolerance?: number;
}

/**
 * Whether θ lies in the stable set of [Minimalist EoS, Sec. 5.2] (reconstructed form, docs/math.md §3):
 *
 *   S = {θ : λ₁α² ≤ 2/η, β₁ = 0, αβ₂ ≤ 1}.
 *
 * The first condition keeps the sharpness λ₁α² (Lemma 4.2 (i)) at most the stability threshold 2/η, the second sets
 * the oscillatory term ½λ₁α²β₁² to zero, the third keeps θ on the near side of the minimizer curve αβ₂ = 1.
 *
 * @remarks
 * The sharpness condition is evaluated as |α| ≤ √(2/(ηλ₁)) with the same expression as the cap of
 * {@link projectedGdStep}, so capped iterates pass it despite rounding. Cost O(1). `theta` is not modified.
 *
 * @param theta - θ = (α, β₁, β₂).
 * @param learningRate - η > 0.
 * @param options - λ₁ and the tolerance on β₁.
 * @returns true when all three conditions hold.
 * @throws EosLabError `E_DIM_MISMATCH` if θ does not have length 3; `E_NONFINITE` for a non-finite entry;
 *   `E_BAD_OPTION` for a non-`Float64Array` θ, η not > 0, λ₁ not > 0 or a negative tolerance.
 * @example
 * ```ts
 * import { widthOneNet } from 'eos-lab';
 * widthOneNet.inStableSet(new Float64Array([0.4, 0, 2]), 8); // λ₁α² = 0.16 ≤ 0.25, β₁ = 0, αβ₂ = 0.8: true
 * widthOneNet.inStableSet(new Float64Array([0.6, 0, 1]), 8); // λ₁α² = 0.36 > 2/η = 0.25: false
 * ```
 * @since 0.1.0
 */
export function inStableSet(theta: Float64Array, learningRate: number, options?: InStableSetOptions): boolean {
  const fn = 'widthOneNet.inStableSet';
  const t = validateTheta(fn, 'theta', theta);
  const eta = positiveFinite(fn, 'learningRate', learningRate);
  const o = optionsObject(fn, options, optionKeys<InStableSetOptions>({ varianceIrrelevant: true, betaTolerance: true }));
  const { lambda1 } = resolveVariances(fn, o);
  const tol = o.betaTolerance === undefined ? 0 : nonNegativeFinite(fn, 'options.betaTolerance', o.betaTolerance);
  const cap = Math.sqrt(2 / (eta * lambda1));
  return Math.abs(t[0]) <= cap && Math.abs(t[1]) <= tol && t[0] * t[2] <= 1;
}

/**
 * One step of projected gradient descent on the stable set ([Minimalist EoS, Sec. 5.2, Lemma 5.4]; reconstructed form, docs/math.md
 * §3): a GD step followed by the projection P that sets β₁ to 0 and caps |α| at √(2/(ηλ₁)),
 *
 *   θ' = P(θ − η∇L(θ)),  P(α, β₁, β₂) = (sign(α)·min(|α|, √(2/(ηλ₁))), 0, β₂).
 *
 * On S (β₁ = 0) this is α' = min(α − ηλ₂β₂(αβ₂ − 1), √(2/(ηλ₁))), β₂' = β₂ − ηλ₂α(αβ₂ − 1) for α > 0: GD on the
 * convergence term with α capped where the sharpness λ₁α² reaches 2/η. Once α sits at the cap, αβ₂ − 1 shrinks by the
 * factor 1 − ηλ₂α² = 1 − 2λ₂/λ₁ per step, whatever η (Thm 5.5): the constrained-trajectory rate that GD's
 * convergence-term loss follows at the edge of stability.
 *
 * @remarks
 * **Reconstructed.** The paper's formulas for S, the projection and the update were lost; this is the form its text
 * describes. The projection keeps the sign of α (the paper's analysis has α > 0) and does not enforce αβ₂ ≤ 1 (Lemma 5.4
 * shows the update keeps it under its conditions; {@link inStableSet} checks it).
 *
 * **Operation order.** `model.lossAndGrad(θ, scratch)`, then `out[i] = θ[i] - η * scratch[i]` (as `gdStep`), then
 * `out[1] = 0` and the cap `Math.sqrt(2 / (η * λ₁))`. Cost: one `lossAndGrad`, no allocation. Checks only types and
 * lengths (O(1)), like `gdStep`; `out` may be `theta` (in place); `scratch` must be distinct from both.
 *
 * @param model - a population width-one-net model (`widthOneNet.create`); λ₁ is read from its spec.
 * @param theta - θ (not modified unless `out === theta`).
 * @param learningRate - η > 0.
 * @param scratch - gradient buffer of length 3; on return it holds ∇L(θ).
 * @param out - receives θ'.
 * @returns L(θ), the loss before the step.
 * @throws EosLabError `E_BAD_OPTION` if `model` is not a population width-one-net model (spec kind
 *   `'width-one-net'`), η is not > 0, a buffer is not a `Float64Array` or `scratch` aliases `theta` or `out`;
 *   `E_DIM_MISMATCH` for buffer lengths other than 3.
 * @example
 * ```ts
 * import { widthOneNet } from 'eos-lab';
 * const model = widthOneNet.create(); // λ₁ = 1, λ₂ = 0.001
 * const theta = new Float64Array([0.45, 0, 0]);
 * const grad = new Float64Array(3);
 * for (let k = 0; k < 2000; k++) widthOneNet.projectedGdStep(model, theta, 8, grad, theta);
 * // α is capped at √(2/8) = 0.5, β₁ = 0, and αβ₂ → 1
 * ```
 * @since 0.1.0
 */
export function projectedGdStep(
  model: LossModel,
  theta: Float64Array,
  learningRate: number,
  scratch: Float64Array,
  out: Float64Array,
): number {
  const fn = 'widthOneNet.projectedGdStep';
  if (model === null || typeof model !== 'object' || model.spec?.kind !== 'width-one-net') {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'model',
      value: (model as LossModel | null)?.spec?.kind ?? model,
      expected: "a population width-one-net model (spec.kind 'width-one-net', from widthOneNet.create)",
    });
  }
  checkStepArgs(fn, model, theta, out, 'learningRate', learningRate);
  if (!(scratch instanceof Float64Array)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'scratch', value: scratch, expected: 'a Float64Array' });
  }
  if (scratch.length !== 3) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: 'scratch.length', value: scratch.length, expected: '3' });
  }
  if (scratch === theta || scratch === out) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'scratch', value: scratch, expected: 'a buffer distinct from theta and out' });
  }
  const eta = learningRate;
  const lambda1 = model.spec.varianceIrrelevant as number;
  const loss = model.lossAndGrad(theta, scratch);
  for (let i = 0; i < 3; i++) out[i] = theta[i] - eta * scratch[i]; // GD step (gdStep's order)
  const cap = Math.sqrt(2 / (eta * lambda1)); // λ₁α² ≤ 2/η
  const a = out[0];
  if (a > cap) out[0] = cap;
  else if (a < -cap) out[0] = -cap;
  out[1] = 0;
  return loss;
}
