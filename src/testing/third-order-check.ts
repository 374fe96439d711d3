/**
 * `checkThirdOrder`: a model's third-order contraction ∇³L(θ)[u, v] against finite differences of its HVPs.
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import type { LossModel } from '../core/loss-model.js';
import { finiteVector } from '../core/validate.js';
import { maxAbs } from '../linalg/vector.js';
import { compare, type DerivativeCheck, type DerivativeCheckOptions, resolve } from './derivative-checks.js';
import { richardsonDerivative } from './finite-differences.js';

const EPS = Number.EPSILON;

/**
 * Result of {@link checkThirdOrder}: the finite-difference check plus the symmetry of the model's contraction.
 *
 * @since 0.2.0
 */
export interface ThirdOrderCheck extends DerivativeCheck {
  /** max |∇³L[u, v] − ∇³L[v, u]| of the model's own `thirdOrder` (0 in exact arithmetic: ∇³L is symmetric). */
  symmetryError: number;
}

/**
 * Checks `model.thirdOrder(θ, u, v)` against finite differences of the model's HVPs. Because the third derivative is
 * a symmetric tensor, ∇³L(θ)[u, v] = ∇_θ(uᵀ∇²L(θ)v) equals the directional derivative of the HVP
 * d/dt ∇²L(θ + t·u)v at t = 0, so one Richardson-extrapolated central difference along u (error O(t⁴)) gives the
 * whole vector: ≈ ‖u‖∞ · (4·D(h/2) − D(h))/3 with D(t) = (∇²L(θ + t·û)v − ∇²L(θ − t·û)v)/(2t), û = u/‖u‖∞ and
 * h = step·max(1, ‖θ‖∞).
 *
 * @remarks
 * `pass` requires |analytic − numeric| ≤ abs + rel·max(1, ‖analytic‖∞, ‖numeric‖∞) + 16·ε·F/h entrywise (F = ‖u‖∞ times
 * the largest |HVP entry| evaluated: the rounding of the difference quotients, as in `checkHvp`), and the symmetry
 * error |∇³L[u, v] − ∇³L[v, u]| ≤ 64·ε·max(1, ‖∇³L[u, v]‖∞)·dim (the two orders round differently, nothing more).
 * The defaults (step 1e-3, rel 1e-6) suit losses whose fourth to sixth derivatives are moderate; for polynomial
 * models state your own bound on the truncation error h⁴·|f⁽⁵⁾|/480 when you pick `rel`.
 *
 * Cost: 2 `thirdOrder` calls and 4 HVPs; allocates (a test utility, not a kernel).
 *
 * @param model - the model under test; must have `thirdOrder`.
 * @param theta - the point θ (not modified).
 * @param u - first direction (not modified; nonzero, finite).
 * @param v - second direction (not modified; finite).
 * @param options - step and tolerances (as {@link checkHvp}).
 * @returns the observed error, tolerance, pass flag, both vectors and the symmetry error.
 * @throws EosLabError `E_NOT_SUPPORTED` if the model has no `thirdOrder`; `E_DIM_MISMATCH` / `E_NONFINITE` for bad
 *   vectors; `E_BAD_OPTION` for `u = 0` or bad options.
 * @example
 * ```ts
 * import { scalarFactorization } from 'eos-lab';
 * import { checkThirdOrder } from 'eos-lab/testing';
 * const model = scalarFactorization.create({ depth: 3 });
 * const res = checkThirdOrder(model, new Float64Array([0.5, 1, 2]), new Float64Array([1, 0, -1]), new Float64Array([0.3, 1, 1]));
 * console.log(res.pass, res.maxError, res.tolerance, res.symmetryError);
 * ```
 * @since 0.2.0
 */
export function checkThirdOrder(
  model: LossModel,
  theta: Float64Array,
  u: Float64Array,
  v: Float64Array,
  options?: DerivativeCheckOptions,
): ThirdOrderCheck {
  const fn = 'checkThirdOrder';
  if (typeof model.thirdOrder !== 'function') {
    throw new EosLabError('E_NOT_SUPPORTED', fn, {
      argument: 'model.thirdOrder',
      value: undefined,
      expected: 'a function (this model has no third-order contraction)',
    });
  }
  finiteVector(fn, 'theta', theta, model.dim);
  finiteVector(fn, 'u', u, model.dim);
  finiteVector(fn, 'v', v, model.dim);
  const uScale = maxAbs(u);
  if (uScale === 0) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'u', value: u, expected: 'a nonzero vector' });
  const r = resolve(fn, options);
  const p = model.dim;
  const analytic = new Float64Array(p);
  model.thirdOrder(theta, u, v, analytic);
  const swapped = new Float64Array(p);
  model.thirdOrder(theta, v, u, swapped);
  let symmetryError = 0;
  for (let i = 0; i < p; i++) symmetryError = Math.max(symmetryError, Math.abs(analytic[i] - swapped[i]));

  // Differentiate the HVP along û = u/‖u‖∞ and scale back (a tiny u keeps a sane step).
  const h = r.step * Math.max(1, maxAbs(theta));
  const x = new Float64Array(p);
  const numeric = new Float64Array(p);
  let fScale = 0;
  richardsonDerivative(
    (t, out) => {
      for (let i = 0; i < p; i++) x[i] = theta[i] + t * (u[i] / uScale);
      model.hvp(x, v, out);
      fScale = Math.max(fScale, maxAbs(out));
    },
    h,
    numeric,
  );
  for (let i = 0; i < p; i++) numeric[i] *= uScale;
  const base = compare(analytic, numeric, r, fScale * uScale, h);
  const exactTol = 64 * EPS * Math.max(1, maxAbs(analytic)) * p;
  return { ...base, pass: base.pass && symmetryError <= exactTol, symmetryError };
}
