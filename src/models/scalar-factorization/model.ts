/**
 * The depth-D scalar factorization L(w) = ½(c − ∏ᵢ wᵢ)² ([Scalar factorization]; docs/math.md §1): its `LossModel` with exact,
 * allocation-free derivatives.
 *
 * @module
 */
import type { NdArray } from 'ndarray';
import { EosLabError } from '../../core/errors.js';
import type { LossModel, ModelSpec } from '../../core/loss-model.js';
import { registerBuiltInModel, specKeys } from '../../core/registry.js';
import { finiteNumber, integerInRange, optionKeys, optionsObject } from '../../core/validate.js';
import { zerosMatrix } from '../../linalg/matrix.js';

/** @internal Largest depth {@link create} accepts. */
export const MAX_DEPTH = 64;

/**
 * Options of {@link create}.
 *
 * @since 0.1.0
 */
export interface ScalarFactorizationOptions {
  /**
   * The target c of L(w) = ½(c − ∏ᵢ wᵢ)²: a finite nonzero number.
   * @defaultValue 1
   */
  target?: number;
  /**
   * The depth D = number of factors = `dim`: an integer in [2, 64].
   * @defaultValue 2
   */
  depth?: number;
}

/**
 * The JSON-serializable recipe of a scalar factorization model: `createModel(spec)` rebuilds it.
 *
 * @since 0.1.0
 */
export interface ScalarFactorizationSpec extends ModelSpec {
  readonly kind: 'scalar-factorization';
  readonly target: number;
  readonly depth: number;
}

/**
 * A scalar factorization model: a {@link LossModel} whose `spec` records its target and depth, and which always
 * has a dense `hessian`.
 *
 * @since 0.1.0
 */
export interface ScalarFactorizationModel extends LossModel {
  readonly spec: ScalarFactorizationSpec;
  hessian(theta: Float64Array): NdArray<Float64Array>;
  /** Writes ∇³L(θ)[u, v] into `out` (formula at {@link create}); O(D), allocation-free. @since 0.2.0 */
  thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void;
}

/** @internal Validates the target option (finite, nonzero). */
export function validateTarget(fn: string, argument: string, value: unknown): number {
  const c = finiteNumber(fn, argument, value);
  if (c === 0) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument,
      value: c,
      expected: 'a finite nonzero number (at c = 0 the zero set of L is a union of hyperplanes, not a manifold)',
    });
  }
  return c;
}

/**
 * Creates the depth-D scalar factorization loss
 * L(w) = ½(c − ∏ᵢ₌₁ᴰ wᵢ)², w ∈ ℝᴰ ([Scalar factorization]: D = 2, c = 1 gives L(x, y) = ½(1 − xy)²; docs/math.md §1),
 * with exact gradient, Hessian-vector product, dense Hessian and third-order contraction.
 *
 * Writing π = ∏ₖ wₖ, πᵢ = ∏_{k≠i} wₖ, πᵢⱼ = ∏_{k≠i,j} wₖ and p = π − c:
 * ∂ᵢL = p·πᵢ, ∇²L = ∇π∇πᵀ + p·[πᵢⱼ]ᵢ≠ⱼ, i.e. Hᵢᵢ = πᵢ² and Hᵢⱼ = πᵢπⱼ + p·πᵢⱼ (i ≠ j).
 * At depth 2: ∇L = (y(xy − c), x(xy − c)) and ∇²L = [[y², 2xy − c], [2xy − c, x²]] [Scalar factorization, "details"].
 * Third order (`thirdOrder`, since 0.2.0): ∂ᵢⱼₖL = πᵢₖπⱼ + πᵢπⱼₖ + πₖπᵢⱼ + p·πᵢⱼₖ (π with a repeated index is 0), so
 * ∇³L[u, v]ₖ = (∇πₖ·u)(∇π·v) + (∇π·u)(∇πₖ·v) + πₖ·uᵀ∇²πv + p·uᵀ∇²πₖv; at depth 2 (∇³π = 0)
 * ∇³L[u, v] = (u_y(∇π·v) + (∇π·u)v_y + y·m, u_x(∇π·v) + (∇π·u)v_x + x·m) with ∇π = (y, x), m = u_x v_y + u_y v_x.
 *
 * @remarks
 * **Operation order (bit-for-bit reproducibility, docs/math.md §1).** No fused multiply-add is ever used (JavaScript
 * has none), and every product is evaluated in a fixed order, so the iterates of GD
 * θ ← θ − η·g (computed as `theta[i] - eta * g[i]`) are identical to numpy's and to C compiled with
 * `-ffp-contract=off` that use the same order:
 * - depth 2: `p = x * y - c; gx = y * p; gy = x * p`; loss `0.5 * (p * p)`.
 * - depth D: the full product π is the left-to-right product `((w₀·w₁)·w₂)…`; prefix products
 *   Pᵢ = `((w₀·w₁)…)·wᵢ₋₁` (P₀ = 1) left to right, suffix products Sᵢ = `wᵢ·(wᵢ₊₁·(…·w_{D−1}))` (S_D = 1) right to
 *   left; `p = P_D - c`; `g[i] = (P[i] * S[i+1]) * p`; loss `0.5 * (p * p)`. At D = 2 this is exactly the
 *   depth-2 order (multiplying by the empty product 1 is exact).
 *
 * No division is used anywhere, so zero coordinates are handled exactly. Costs: `loss`, `lossAndGrad`, `hvp` and
 * `thirdOrder` are O(D) (the HVP and the third-order term are forward-mode differentiation, once and twice, of the
 * prefix/suffix products, never forming H); `hessian` is O(D²). They allocate nothing: general-depth kernels use
 * eight scratch buffers of length D + 1 allocated once here
 * (so one model object must not be used re-entrantly, which single-threaded JavaScript never does);
 * `hessian` allocates only the returned matrix. Kernels do not validate their inputs (`LossModel` contract).
 *
 * The factory is registered under `'scalar-factorization'`, so `createModel(model.spec)` rebuilds the model.
 *
 * @param options - target c and depth D.
 * @returns the model, with `dim = depth` and `spec = { kind: 'scalar-factorization', target, depth }`.
 * @throws EosLabError `E_BAD_OPTION` if `options` is not an object, `depth` is not an integer in [2, 64], or
 *   `target` is not a number or is 0; `E_NONFINITE` if `target` is NaN or ±Infinity.
 * @example
 * ```ts
 * import { scalarFactorization } from 'eos-lab';
 * const model = scalarFactorization.create(); // L(x, y) = ½(1 − xy)²
 * const g = new Float64Array(2);
 * const loss = model.lossAndGrad(new Float64Array([2, 1]), g); // 0.5, g = [1, 2]
 * ```
 * @since 0.1.0
 */
export function create(options?: ScalarFactorizationOptions): ScalarFactorizationModel {
  const fn = 'scalarFactorization.create';
  const o = optionsObject(fn, options, optionKeys<ScalarFactorizationOptions>({ target: true, depth: true }));
  const target = validateTarget(fn, 'options.target', o.target ?? 1);
  const depth = integerInRange(fn, 'options.depth', o.depth ?? 2, 2, MAX_DEPTH);
  const spec: ScalarFactorizationSpec = Object.freeze({ kind: 'scalar-factorization', target, depth });
  return depth === 2 ? createDepth2(spec) : createGeneral(spec);
}

function createDepth2(spec: ScalarFactorizationSpec): ScalarFactorizationModel {
  const c = spec.target;
  return {
    spec,
    dim: 2,
    loss(theta: Float64Array): number {
      const p = theta[0] * theta[1] - c;
      return 0.5 * (p * p);
    },
    lossAndGrad(theta: Float64Array, gradOut: Float64Array): number {
      const x = theta[0];
      const y = theta[1];
      // docs/math.md §1 order: p = x*y − c; gx = y*p; gy = x*p.
      const p = x * y - c;
      gradOut[0] = y * p;
      gradOut[1] = x * p;
      return 0.5 * (p * p);
    },
    hvp(theta: Float64Array, v: Float64Array, out: Float64Array): void {
      const x = theta[0];
      const y = theta[1];
      const p = x * y - c;
      // H v = ∇π (∇π·v) + p·[[0,1],[1,0]] v with ∇π = (y, x).
      const dpi = y * v[0] + x * v[1];
      const v0 = v[0];
      out[0] = dpi * y + p * v[1];
      out[1] = dpi * x + p * v0;
    },
    thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void {
      const x = theta[0];
      const y = theta[1];
      // π = xy: ∇π = (y, x), ∇²π = [[0, 1], [1, 0]], ∇³π = 0, so
      // ∇³L[u, v] = (∇²π u)(∇π·v) + (∇π·u)(∇²π v) + ∇π·(uᵀ∇²π v).
      const a = y * u[0] + x * u[1]; // ∇π·u
      const b = y * v[0] + x * v[1]; // ∇π·v
      const m = u[0] * v[1] + u[1] * v[0]; // uᵀ∇²π v
      const u0 = u[0];
      const v0 = v[0];
      out[0] = u[1] * b + a * v[1] + y * m;
      out[1] = u0 * b + a * v0 + x * m;
    },
    hessian(theta: Float64Array): NdArray<Float64Array> {
      const x = theta[0];
      const y = theta[1];
      const p = x * y - c;
      const h = zerosMatrix(2, 2);
      const off = y * x + p; // 2xy − c
      h.data[0] = y * y;
      h.data[1] = off;
      h.data[2] = off;
      h.data[3] = x * x;
      return h;
    },
  };
}

function createGeneral(spec: ScalarFactorizationSpec): ScalarFactorizationModel {
  const c = spec.target;
  const D = spec.depth;
  // Scratch, allocated once per model: prefix P[i] = w₀⋯wᵢ₋₁, suffix S[i] = wᵢ⋯w_{D−1}, and their
  // directional derivatives dP, dS along v (for the HVP).
  const P = new Float64Array(D + 1);
  const S = new Float64Array(D + 1);
  const dP = new Float64Array(D + 1);
  const dS = new Float64Array(D + 1);
  // Third order: a second direction's first derivatives and the mixed second derivatives along (u, v).
  const eP = new Float64Array(D + 1);
  const eS = new Float64Array(D + 1);
  const ddP = new Float64Array(D + 1);
  const ddS = new Float64Array(D + 1);

  function prefixSuffix(w: Float64Array): void {
    P[0] = 1;
    for (let i = 0; i < D; i++) P[i + 1] = P[i] * w[i];
    S[D] = 1;
    for (let i = D - 1; i >= 0; i--) S[i] = w[i] * S[i + 1];
  }

  return {
    spec,
    dim: D,
    loss(theta: Float64Array): number {
      let prod = 1;
      for (let i = 0; i < D; i++) prod *= theta[i];
      const p = prod - c;
      return 0.5 * (p * p);
    },
    lossAndGrad(theta: Float64Array, gradOut: Float64Array): number {
      prefixSuffix(theta);
      const p = P[D] - c;
      for (let i = 0; i < D; i++) gradOut[i] = P[i] * S[i + 1] * p;
      return 0.5 * (p * p);
    },
    hvp(theta: Float64Array, v: Float64Array, out: Float64Array): void {
      prefixSuffix(theta);
      // Forward-mode: dP[i+1] = dP[i]·wᵢ + P[i]·vᵢ, dS[i] = vᵢ·S[i+1] + wᵢ·dS[i+1].
      dP[0] = 0;
      for (let i = 0; i < D; i++) dP[i + 1] = dP[i] * theta[i] + P[i] * v[i];
      dS[D] = 0;
      for (let i = D - 1; i >= 0; i--) dS[i] = v[i] * S[i + 1] + theta[i] * dS[i + 1];
      const p = P[D] - c;
      const dpi = dP[D]; // Σⱼ πⱼ vⱼ
      for (let i = 0; i < D; i++) {
        const pii = P[i] * S[i + 1]; // πᵢ
        const dpii = dP[i] * S[i + 1] + P[i] * dS[i + 1]; // Σ_{j≠i} πᵢⱼ vⱼ
        out[i] = dpi * pii + p * dpii;
      }
    },
    thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void {
      prefixSuffix(theta);
      // Forward mode twice: first derivatives of the prefix/suffix products along u (dP, dS) and v (eP, eS), and
      // the mixed second derivatives ddP[i+1] = ddP[i]·wᵢ + dP[i]·vᵢ + eP[i]·uᵢ (likewise for the suffixes).
      dP[0] = 0;
      eP[0] = 0;
      ddP[0] = 0;
      for (let i = 0; i < D; i++) {
        const w = theta[i];
        ddP[i + 1] = ddP[i] * w + dP[i] * v[i] + eP[i] * u[i];
        dP[i + 1] = dP[i] * w + P[i] * u[i];
        eP[i + 1] = eP[i] * w + P[i] * v[i];
      }
      dS[D] = 0;
      eS[D] = 0;
      ddS[D] = 0;
      for (let i = D - 1; i >= 0; i--) {
        const w = theta[i];
        ddS[i] = w * ddS[i + 1] + u[i] * eS[i + 1] + v[i] * dS[i + 1];
        dS[i] = u[i] * S[i + 1] + w * dS[i + 1];
        eS[i] = v[i] * S[i + 1] + w * eS[i + 1];
      }
      const p = P[D] - c;
      const a = dP[D]; // ∇π·u
      const b = eP[D]; // ∇π·v
      const m = ddP[D]; // uᵀ∇²π v
      for (let i = 0; i < D; i++) {
        const Si = S[i + 1];
        const pii = P[i] * Si; // πᵢ
        const du = dP[i] * Si + P[i] * dS[i + 1]; // ∇πᵢ·u
        const dv = eP[i] * Si + P[i] * eS[i + 1]; // ∇πᵢ·v
        const duv = ddP[i] * Si + dP[i] * eS[i + 1] + eP[i] * dS[i + 1] + P[i] * ddS[i + 1]; // uᵀ∇²πᵢ v
        out[i] = du * b + a * dv + pii * m + p * duv;
      }
    },
    hessian(theta: Float64Array): NdArray<Float64Array> {
      prefixSuffix(theta);
      const p = P[D] - c;
      const h = zerosMatrix(D, D);
      const a = h.data;
      for (let i = 0; i < D; i++) {
        const pii = P[i] * S[i + 1];
        a[i * D + i] = pii * pii;
        let mid = 1; // w_{i+1} ⋯ w_{j−1}
        for (let j = i + 1; j < D; j++) {
          const pij = P[i] * mid * S[j + 1]; // πᵢⱼ without division
          const pjj = P[j] * S[j + 1];
          const hij = pii * pjj + p * pij;
          a[i * D + j] = hij;
          a[j * D + i] = hij;
          mid *= theta[j];
        }
      }
      return h;
    },
  };
}

registerBuiltInModel('scalar-factorization', (spec: ModelSpec) =>
  specKeys(spec, ['target', 'depth']) && create({ target: spec.target as number, depth: spec.depth as number }),
);
