import type { LossModel } from '../core/loss-model.js';
import { EosLabError } from '../core/errors.js';
import { finiteVector, nonNegativeFinite, optionKeys, optionsObject, positiveFinite } from '../core/validate.js';
import { maxAbs } from '../linalg/vector.js';
import { richardsonDerivative } from './finite-differences.js';

/** Options of {@link checkGradient}, {@link checkHvp} and {@link checkHessian}. */
export interface DerivativeCheckOptions {
  /**
   * Base finite-difference step: the step along a coordinate or along the direction u = v/‖v‖∞ is `step·max(1, |θ|)` (|θᵢ| for gradients, ‖θ‖∞ for HVPs).
   * @defaultValue 1e-3
   */
  step?: number;
  /**
   * Relative tolerance on the scale max(1, ‖analytic‖∞, ‖numeric‖∞).
   * @defaultValue 1e-6
   */
  rel?: number;
  /**
   * Absolute tolerance added to the others.
   * @defaultValue 0
   */
  abs?: number;
}

/** Outcome of a derivative check: the observed error, the tolerance it was held to, and both values. */
export interface DerivativeCheck {
  /** maxError ≤ tolerance. */
  pass: boolean;
  /** max over entries of |analytic − numeric|. */
  maxError: number;
  /** abs + rel·max(1, ‖analytic‖∞, ‖numeric‖∞) + roundoff, where roundoff = 16·ε·F/h (F the largest |f| evaluated, h the step). */
  tolerance: number;
  /** Index (flat, row-major for Hessians) of the largest error. */
  worstIndex: number;
  /** The model's exact derivative. */
  analytic: Float64Array;
  /** The Richardson-extrapolated central difference. */
  numeric: Float64Array;
}

/** Result of {@link checkHessian}: the finite-difference check plus two exact-arithmetic consistency checks. */
export interface HessianCheck extends DerivativeCheck {
  /** max |Hᵢⱼ − Hⱼᵢ| of the model's dense Hessian. */
  symmetryError: number;
  /** max |H e_j − hvp(θ, e_j)| over all columns: the dense Hessian against the model's own HVP. */
  hvpError: number;
}

const EPS = Number.EPSILON;

/** @internal */
export interface Resolved {
  step: number;
  rel: number;
  abs: number;
}

/** @internal Validates and defaults {@link DerivativeCheckOptions}. */
export function resolve(fn: string, options: DerivativeCheckOptions | undefined): Resolved {
  const o = optionsObject(fn, options, optionKeys<DerivativeCheckOptions>({ step: true, rel: true, abs: true }));
  return {
    step: o.step === undefined ? 1e-3 : positiveFinite(fn, 'options.step', o.step),
    rel: o.rel === undefined ? 1e-6 : nonNegativeFinite(fn, 'options.rel', o.rel),
    abs: o.abs === undefined ? 0 : nonNegativeFinite(fn, 'options.abs', o.abs),
  };
}

/** @internal Compares an exact derivative with its finite-difference estimate (tolerance as documented). */
export function compare(analytic: Float64Array, numeric: Float64Array, r: Resolved, fScale: number, h: number): DerivativeCheck {
  let maxError = 0;
  let worstIndex = 0;
  for (let i = 0; i < analytic.length; i++) {
    const e = Math.abs(analytic[i] - numeric[i]);
    if (!(e <= maxError)) {
      maxError = e;
      worstIndex = i;
    }
  }
  const scale = Math.max(1, maxAbs(analytic), maxAbs(numeric));
  const tolerance = r.abs + r.rel * scale + (16 * EPS * fScale) / h;
  return { pass: maxError <= tolerance, maxError, tolerance, worstIndex, analytic, numeric };
}

/**
 * Checks `model.lossAndGrad` against finite differences of `model.loss`:
 * ∂ᵢL(θ) ≈ Richardson-extrapolated central difference (error O(h⁴)) with hᵢ = step·max(1, |θᵢ|).
 *
 * @remarks
 * Cost: 1 gradient and 4p loss evaluations; allocates (a test utility, not a kernel). The tolerance is
 * abs + rel·max(1, ‖∇L‖∞, ‖numeric‖∞) + 16·ε·max|L|/h: the last term bounds the rounding error of the difference
 * quotients (ε·|L|/h each, ×5/3 from the extrapolation, with headroom), so a correct gradient passes even where
 * L is large and ∇L small.
 *
 * @param model - the model under test.
 * @param theta - the point (not modified).
 * @param options - step and tolerances.
 * @returns the observed error, tolerance and pass flag.
 * @throws EosLabError `E_DIM_MISMATCH` / `E_NONFINITE` for a bad `theta`; `E_BAD_OPTION` for bad options.
 * @example
 * ```ts
 * import { scalarFactorization } from 'eos-lab';
 * import { checkGradient } from 'eos-lab/testing';
 * const res = checkGradient(scalarFactorization.create(), new Float64Array([0.3, 2]));
 * console.log(res.pass, res.maxError, res.tolerance);
 * ```
 * @since 0.1.0
 */
export function checkGradient(model: LossModel, theta: Float64Array, options?: DerivativeCheckOptions): DerivativeCheck {
  const fn = 'checkGradient';
  finiteVector(fn, 'theta', theta, model.dim);
  const r = resolve(fn, options);
  const p = model.dim;
  const analytic = new Float64Array(p);
  const loss0 = model.lossAndGrad(theta, analytic);
  const numeric = new Float64Array(p);
  const x = new Float64Array(p);
  const one = new Float64Array(1);
  let fScale = Math.abs(loss0);
  let hMin = Infinity;
  for (let i = 0; i < p; i++) {
    const h = r.step * Math.max(1, Math.abs(theta[i]));
    hMin = Math.min(hMin, h);
    richardsonDerivative(
      (t, out) => {
        x.set(theta);
        x[i] = theta[i] + t;
        out[0] = model.loss(x);
        fScale = Math.max(fScale, Math.abs(out[0]));
      },
      h,
      one,
    );
    numeric[i] = one[0];
  }
  return compare(analytic, numeric, r, fScale, hMin);
}

/**
 * Checks `model.hvp(θ, v)` against finite differences of the gradient along v:
 * ∇²L(θ)v ≈ ‖v‖∞ · Richardson-extrapolated (∇L(θ + tu) − ∇L(θ − tu))/(2t) with u = v/‖v‖∞, error O(t⁴).
 *
 * @remarks
 * Cost: 1 HVP and 4 gradients. Tolerance as {@link checkGradient} with F = the largest |∂ᵢL| evaluated.
 *
 * @param model - the model under test.
 * @param theta - the point (not modified).
 * @param v - the direction (not modified; any nonzero finite vector).
 * @param options - step and tolerances.
 * @throws EosLabError `E_DIM_MISMATCH` / `E_NONFINITE` for bad vectors; `E_BAD_OPTION` for `v = 0` or bad options.
 * @example
 * ```ts
 * import { scalarFactorization } from 'eos-lab';
 * import { checkHvp } from 'eos-lab/testing';
 * const res = checkHvp(scalarFactorization.create(), new Float64Array([0.3, 2]), new Float64Array([1, -1]));
 * console.log(res.pass);
 * ```
 * @since 0.1.0
 */
export function checkHvp(
  model: LossModel,
  theta: Float64Array,
  v: Float64Array,
  options?: DerivativeCheckOptions,
): DerivativeCheck {
  const fn = 'checkHvp';
  finiteVector(fn, 'theta', theta, model.dim);
  finiteVector(fn, 'v', v, model.dim);
  const vScale = maxAbs(v);
  if (vScale === 0) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'v', value: v, expected: 'a nonzero vector' });
  const r = resolve(fn, options);
  const analytic = new Float64Array(model.dim);
  model.hvp(theta, v, analytic);
  const { numeric, fScale, h } = fdHvp(model, theta, v, r.step);
  // The step along v is h (in t); the rounding error of each difference is ε·F/h.
  return compare(analytic, numeric, r, fScale, h);
}

function fdHvp(model: LossModel, theta: Float64Array, v: Float64Array, step: number) {
  // Differentiate along u = v/‖v‖∞ and scale back, so tiny (even subnormal) directions keep a sane step.
  const p = model.dim;
  const s = maxAbs(v);
  const h = step * Math.max(1, maxAbs(theta));
  const x = new Float64Array(p);
  const numeric = new Float64Array(p);
  let fScale = 0;
  richardsonDerivative(
    (t, out) => {
      for (let i = 0; i < p; i++) x[i] = theta[i] + t * (v[i] / s);
      model.lossAndGrad(x, out);
      fScale = Math.max(fScale, maxAbs(out));
    },
    h,
    numeric,
  );
  for (let i = 0; i < p; i++) numeric[i] *= s;
  // Rounding error of the scaled estimate is s·ε·F/h: report F·s as the function scale.
  return { numeric, fScale: fScale * s, h };
}

/**
 * Checks `model.hessian(θ)` three ways: against finite differences of the gradient (column j ≈ d/dt ∇L(θ + t e_j)),
 * against the model's own HVP on every basis vector (exact arithmetic should agree to rounding), and for symmetry.
 * `pass` requires the finite-difference check to pass and both consistency errors to be ≤ 64·ε·max(1, ‖H‖max)·p.
 *
 * @remarks Cost: p HVPs and 4p gradients; allocates. `analytic`/`numeric` are the dense matrices, row-major, flattened.
 *
 * @throws EosLabError `E_NOT_SUPPORTED` if the model has no `hessian`; `E_DIM_MISMATCH` / `E_NONFINITE` for a bad `theta`.
 * @example
 * ```ts
 * import { scalarFactorization } from 'eos-lab';
 * import { checkHessian } from 'eos-lab/testing';
 * const res = checkHessian(scalarFactorization.create({ depth: 3 }), new Float64Array([0.5, 1, 2]));
 * console.log(res.pass, res.symmetryError, res.hvpError);
 * ```
 * @since 0.1.0
 */
export function checkHessian(model: LossModel, theta: Float64Array, options?: DerivativeCheckOptions): HessianCheck {
  const fn = 'checkHessian';
  finiteVector(fn, 'theta', theta, model.dim);
  if (typeof model.hessian !== 'function') {
    throw new EosLabError('E_NOT_SUPPORTED', fn, { argument: 'model.hessian', value: undefined, expected: 'a function (this model has no dense Hessian)' });
  }
  const r = resolve(fn, options);
  const p = model.dim;
  const H = model.hessian(theta);
  const analytic = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) analytic[i * p + j] = H.get(i, j);
  const numeric = new Float64Array(p * p);
  const e = new Float64Array(p);
  const col = new Float64Array(p);
  let fScale = 0;
  let hMin = Infinity;
  let hvpError = 0;
  let symmetryError = 0;
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    const fd = fdHvp(model, theta, e, r.step);
    fScale = Math.max(fScale, fd.fScale);
    hMin = Math.min(hMin, fd.h);
    model.hvp(theta, e, col);
    for (let i = 0; i < p; i++) {
      numeric[i * p + j] = fd.numeric[i];
      hvpError = Math.max(hvpError, Math.abs(col[i] - analytic[i * p + j]));
      symmetryError = Math.max(symmetryError, Math.abs(analytic[i * p + j] - analytic[j * p + i]));
    }
  }
  const base = compare(analytic, numeric, r, fScale, hMin);
  const exactTol = 64 * EPS * Math.max(1, maxAbs(analytic)) * p;
  return {
    ...base,
    pass: base.pass && hvpError <= exactTol && symmetryError <= exactTol,
    symmetryError,
    hvpError,
  };
}
