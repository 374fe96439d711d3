/**
 * KKT points of [Conflicting biases]'s sharpness-constrained risk minimization (12) on the manifold of a two-layer
 * shared-weight diagonal network (Lemma E.1, eqs. (12)–(20)), for Lemma E.1's Gaussian risk and for any risk
 * of the form (21).
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';
import { finiteNumber, nonNegativeFinite, optionKeys, optionsObject } from '../../core/validate.js';
import { readVector } from './model.js';
import { risk as riskModels, riskOfSquares, validateRisk, type RiskModel } from './risk.js';
import { choleskySolveInPlace, choleskySub } from './spd.js';

/** @internal Largest d for which the supports are enumerated (2^d − 1 of them). */
export const MAX_KKT_DIM = 20;

/**
 * Options of {@link kktPoints} and {@link bestKktPoint}.
 *
 * @since 0.1.0
 */
export interface KktOptions {
  /**
   * The risk R to minimize: Lemma E.1's Gaussian model or any (Σ, μ, σ²) of eq. (21).
   * @defaultValue `risk.gaussian(d)` (Lemma E.1: x ~ N(0, I), y = ⟨1, x⟩ + ε)
   */
  risk?: RiskModel;
  /**
   * Relative slack on the sharpness bound of the λ = 0 branch: a point is kept when S(w) ≤ (2/η)(1 + tol).
   * @defaultValue 1e-10
   */
  tol?: number;
}

/**
 * One KKT point of problem (12) [Conflicting biases, Lemma E.1], with its multipliers and checks.
 *
 * @since 0.1.0
 */
export interface KktPoint {
  /** The point, with nonnegative entries (flipping the sign of any entry gives another KKT point: L, R and S depend on w^{⊙2} only). */
  readonly w: Float64Array;
  /** supp(w), ascending. */
  readonly support: number[];
  /**
   * `'inactive'`: λ = 0 and S(w) ≤ 2/η (the first case of Lemma E.1); `'active'`: S(w) = 2/η with λ ≥ 0 from
   * eq. (13) (Σ = I, μ = 1) or its general-risk analogue.
   */
  readonly branch: 'inactive' | 'active';
  /** The multiplier λ ≥ 0 of the sharpness constraint g(w) = 2η‖x₀ ⊙ w‖² − 1 ≤ 0. */
  readonly lambda: number;
  /** The multiplier ν of the interpolation constraint h(w) = ⟨x₀, w^{⊙2}⟩ − y₀ = 0. */
  readonly nu: number;
  /**
   * False when x₀ is constant on the support and the bound is active: then λ and ν are determined only up to
   * eq. (14), and the values reported are the representative with λ = 0.
   */
  readonly multipliersUnique: boolean;
  /** R(w) (eq. (21), including the constant ½σ²). */
  readonly risk: number;
  /** S(w) = 4‖x₀ ⊙ w‖₂² (eq. (11)). */
  readonly sharpness: number;
  /** h(w) = ⟨x₀, w^{⊙2}⟩ − y₀ (eq. (16): 0 up to rounding). */
  readonly constraintResidual: number;
  /** max |∇f + ν∇h + λ∇g| (eq. (15) for Lemma E.1's risk: 0 up to rounding), f = R − ½σ². */
  readonly stationarityResidual: number;
}

/**
 * The multipliers (λ, ν) of the active branch for Lemma E.1's risk, eq. (13), from the power sums
 * p_k = Σ_{i∈S} x_iᵏ (k = 1…4) of x₀ on the support (the paper's ‖x₀|_S‖_k^k for x₀ ≥ 0):
 * λ = (y₀p₃ + p₂² − p₁p₃ − p₂/(2η)) / (2η(p₂p₄ − p₃²)), ν = (y₀p₄ + p₃p₂ − p₁p₄ − p₃/(2η)) / (p₃² − p₂p₄).
 * @internal
 */
export function lemmaE1Multipliers(p1: number, p2: number, p3: number, p4: number, y0: number, eta: number): { lambda: number; nu: number } {
  const c = 1 / (2 * eta);
  const lambda = (y0 * p3 + p2 * p2 - p1 * p3 - c * p2) / (2 * eta * (p2 * p4 - p3 * p3));
  const nu = (y0 * p4 + p3 * p2 - p1 * p4 - c * p3) / (p3 * p3 - p2 * p4);
  return { lambda, nu };
}

interface Resolved {
  x: Float64Array;
  y0: number;
  eta: number; // 0: no sharpness bound
  r: RiskModel;
  tol: number;
}

function resolve(fn: string, x0: ArrayLike<number>, y0: number, learningRate: number, options: KktOptions | undefined): Resolved {
  const x = readVector(fn, 'x0', x0);
  if (x.length > MAX_KKT_DIM) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'x0.length', value: x.length, expected: `at most ${MAX_KKT_DIM} (the 2^d − 1 supports are enumerated)` });
  }
  const y = finiteNumber(fn, 'y0', y0);
  if (y === 0) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'y0', value: 0, expected: 'a nonzero number (Lemma E.1 needs supp(w) ∩ supp(x₀) ≠ ∅)' });
  const eta = nonNegativeFinite(fn, 'learningRate', learningRate);
  const o = optionsObject(fn, options, optionKeys<KktOptions>({ risk: true, tol: true }));
  const r = o.risk === undefined ? riskModels.gaussian(x.length) : validateRisk(fn, 'options.risk', o.risk, x.length);
  const tol = o.tol === undefined ? 1e-10 : nonNegativeFinite(fn, 'options.tol', o.tol);
  return { x, y0: y, eta, r, tol };
}

function isIsotropic(r: RiskModel): boolean {
  if (r.kind === 'gaussian') return true;
  const d = r.dim;
  for (let i = 0; i < d; i++) {
    if (r.crossMoment[i] !== 1) return false;
    for (let j = 0; j < d; j++) if (r.covariance[i * d + j] !== (i === j ? 1 : 0)) return false;
  }
  return true;
}

/** @internal Enumerates the KKT points of (12) (η = 0: no sharpness bound), sorted by risk then support order. */
export function enumerateKktPoints(p: Resolved): KktPoint[] {
  const { x, y0, eta, r, tol } = p;
  const d = x.length;
  const iso = isIsotropic(r);
  const cap = eta > 0 ? 1 / (2 * eta) : Infinity; // Σ xᵢ²uᵢ ≤ 1/(2η) ⇔ S ≤ 2/η
  const S = r.covariance;
  const mu = r.crossMoment;
  const l = new Float64Array(d * d);
  const A = new Float64Array(d);
  const B = new Float64Array(d);
  const C = new Float64Array(d);
  const out: { point: KktPoint; order: number }[] = [];

  /** Emits the point of support idx for (ν, a = 2λη) if feasible; returns 2η‖x₀⊙w‖² − 1 (g), or NaN if not emitted. */
  const emit = (idx: number[], nu: number, a: number, branch: 'inactive' | 'active', unique: boolean, order: number): number => {
    // u_S = A − νB − aC (a = 2λη); eq. (20) for Σ = I, μ = 1.
    const u = new Float64Array(d);
    for (let k = 0; k < idx.length; k++) {
      const uk = A[k] - nu * B[k] - a * C[k];
      if (!(uk > 0)) return NaN; // positivity on the support (wᵢ² > 0)
      u[idx[k]] = uk;
    }
    let s = 0;
    let h = -y0;
    for (let i = 0; i < d; i++) {
      s += x[i] * x[i] * u[i];
      h += x[i] * u[i];
    }
    if (branch === 'inactive' && eta > 0 && !(s <= cap * (1 + tol))) return NaN; // eq. (17)
    const w = new Float64Array(d);
    for (let i = 0; i < d; i++) w[i] = Math.sqrt(u[i]);
    const lambda = eta > 0 ? a / (2 * eta) : 0;
    // Stationarity (15) for the general risk: 2wᵢ(Σu)ᵢ − 2μᵢwᵢ + 2νxᵢwᵢ + 4ληxᵢ²wᵢ (uses w², not u, so it
    // measures the rounding of the whole computation).
    let res = 0;
    for (let i = 0; i < d; i++) {
      let su = 0;
      for (let j = 0; j < d; j++) su += S[i * d + j] * w[j] * w[j];
      const gi = 2 * w[i] * su - 2 * mu[i] * w[i] + 2 * nu * x[i] * w[i] + 4 * lambda * eta * x[i] * x[i] * w[i];
      res = Math.max(res, Math.abs(gi));
    }
    const multipliersUnique = unique || branch === 'active' || !(eta > 0 && Math.abs(2 * eta * s - 1) <= 1e-9);
    out.push({
      order,
      point: {
        w,
        support: idx.slice(),
        branch,
        lambda,
        nu,
        multipliersUnique,
        risk: riskOfSquares(r, u),
        sharpness: 4 * s,
        constraintResidual: h,
        stationarityResidual: res,
      },
    });
    return eta > 0 ? 2 * eta * s - 1 : -1;
  };

  for (let mask = 1; mask < 1 << d; mask++) {
    const idx: number[] = [];
    for (let i = 0; i < d; i++) if (mask & (1 << i)) idx.push(i);
    const m = idx.length;
    // A = Σ_SS⁻¹ μ_S, B = Σ_SS⁻¹ x_S, C = Σ_SS⁻¹ x_S^{⊙2} (A = 1, B = x, C = x² when Σ = I, μ = 1).
    if (iso) {
      for (let k = 0; k < m; k++) {
        const xi = x[idx[k]];
        A[k] = 1;
        B[k] = xi;
        C[k] = xi * xi;
      }
    } else {
      if (!choleskySub(S, d, idx, l)) continue; // cannot happen for a validated (positive definite) Σ
      for (let k = 0; k < m; k++) {
        const xi = x[idx[k]];
        A[k] = mu[idx[k]];
        B[k] = xi;
        C[k] = xi * xi;
      }
      choleskySolveInPlace(l, m, A.subarray(0, m));
      choleskySolveInPlace(l, m, B.subarray(0, m));
      choleskySolveInPlace(l, m, C.subarray(0, m));
    }
    // The six inner products of the two constraints: h: x·u = y₀, g active: x²·u = 1/(2η).
    let xA = 0;
    let xB = 0;
    let xC = 0;
    let qA = 0;
    let qB = 0;
    let qC = 0;
    for (let k = 0; k < m; k++) {
      const xi = x[idx[k]];
      const qi = xi * xi;
      xA += xi * A[k];
      xB += xi * B[k];
      xC += xi * C[k];
      qA += qi * A[k];
      qB += qi * B[k];
      qC += qi * C[k];
    }
    if (xB === 0) continue; // supp ∩ supp(x₀) = ∅: h cannot vanish (y₀ ≠ 0)
    // λ = 0 branch: ν = (x·A − y₀)/(x·B); for Σ = I, μ = 1 this is (‖x₀|_S‖₁ − y₀)/‖x₀|_S‖₂² (Lemma E.1).
    const det = xB * qC - xC * qB;
    const singular = !(Math.abs(det) > 64 * Number.EPSILON * (Math.abs(xB * qC) + Math.abs(xC * qB)));
    const g = emit(idx, (xA - y0) / xB, 0, 'inactive', !singular, mask * 2);
    if (!(eta > 0) || singular) continue; // singular: x₀ constant on S, eq. (14) — the point is the λ = 0 one
    // The λ = 0 point already on the bound (to rounding) is also the active branch's solution, with λ ≈ 0: report it once.
    if (Math.abs(g) <= 1e-9) continue;
    let nu: number;
    let a: number;
    if (iso) {
      // eq. (13) with the power sums (A = 1, B = x, C = x²): p₁ = x·A, p₂ = x·B, p₃ = x·C, p₄ = x²·C.
      const mult = lemmaE1Multipliers(xA, xB, xC, qC, y0, eta);
      nu = mult.nu;
      a = 2 * eta * mult.lambda;
    } else {
      // Solve ν·x·B + a·x·C = x·A − y₀ and ν·x²·B + a·x²·C = x²·A − 1/(2η).
      nu = ((xA - y0) * qC - xC * (qA - cap)) / det;
      a = (xB * (qA - cap) - qB * (xA - y0)) / det;
    }
    if (!(a > 0)) continue; // λ ≥ 0 (λ = 0 is the inactive branch's point)
    emit(idx, nu, a, 'active', true, mask * 2 + 1);
  }
  out.sort((p1, p2) => p1.point.risk - p2.point.risk || p1.order - p2.order);
  return out.map((e) => e.point);
}

/**
 * All KKT points of [Conflicting biases]'s sharpness-constrained risk minimization (12),
 * min_w R(w) s.t. ⟨x₀, w^{⊙2}⟩ = y₀ and S(w) = 4‖x₀ ⊙ w‖₂² ≤ 2/η, enumerated over supports (Lemma E.1).
 *
 * For each support S ⊂ [d] with S ∩ supp(x₀) ≠ ∅, stationarity (15) gives on S (eq. (20), Σ = I, μ = 1)
 * w|_S^{⊙2} = (1 − 2λη x₀^{⊙2} − ν x₀)|_S, with either λ = 0 and ν = (‖x₀|_S‖₁ − y₀)/‖x₀|_S‖₂² (kept when
 * S(w) ≤ 2/η), or the bound active and (λ, ν) from eq. (13) (kept when λ ≥ 0); both need w_i² > 0 on S. For a
 * general risk (21) the same construction reads w|_S^{⊙2} = Σ_SS⁻¹(μ_S − ν x₀|_S − 2λη x₀|_S^{⊙2}) and (λ, ν)
 * solve the same two linear equations (h = 0 and, when active, g = 0).
 *
 * @remarks
 * **Conventions.** "Norms" of eq. (13) are implemented as power sums p_k = Σ_{i∈S} xᵢᵏ (equal to ‖x₀|_S‖_k^k
 * for x₀ ≥ 0), so x₀ of any sign works. Lemma E.1's positivity condition is printed as
 * "2ηλ(x₀)ᵢ + ν(x₀)ᵢ < 1"; its proof (and eq. (20)) has 2ηλ(x₀)ᵢ² + ν(x₀)ᵢ < 1, i.e. wᵢ² > 0 — **a typo in the
 * seed**: this function uses the squared form. When x₀ is constant on S the active system is singular (eq. (14)):
 * the point is then the λ = 0 one, reported once with `multipliersUnique: false` if the bound is active.
 * `learningRate = 0` drops the sharpness bound (η → 0, 2/η = ∞). The least-risk point is the global minimizer of
 * (12) (the feasible set is closed and R is coercive on it; see {@link bestKktPoint}).
 *
 * Cost: 2^d − 1 supports, O(|S|) each for Lemma E.1's risk and O(|S|³ + d²) for a general Σ; d ≤ 20.
 * @param x0 - the training input x₀ (finite; [Conflicting biases] takes x₀ ≥ 0).
 * @param y0 - the training target y₀ ≠ 0.
 * @param learningRate - η ≥ 0 (the bound is S ≤ 2/η; 0 = no bound).
 * @param options - the risk model (default Lemma E.1's) and the slack `tol`.
 * @returns the feasible KKT points, sorted by risk (ascending; ties by support), each with w ≥ 0, support,
 *   branch, λ, ν, risk, sharpness and the residuals of eqs. (15)–(16). Empty when no point of M has S ≤ 2/η.
 * @throws EosLabError `E_BAD_OPTION` for y₀ = 0, η not ≥ 0, d > 20 or a malformed risk;
 *   `E_DIM_MISMATCH` for a risk of another dimension; `E_NONFINITE`/`E_EMPTY` for bad x₀.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * const points = diagonalNet.kktPoints([1, 4], 2, 0.1); // Lemma E.1's risk, S ≤ 20
 * for (const p of points) console.log(p.support, p.branch, p.w, p.risk, p.sharpness);
 * ```
 * @since 0.1.0
 */
export function kktPoints(x0: ArrayLike<number>, y0: number, learningRate: number, options?: KktOptions): KktPoint[] {
  return enumerateKktPoints(resolve('diagonalNet.kktPoints', x0, y0, learningRate, options));
}

/**
 * The global minimizer of problem (12): the KKT point of least risk ([Conflicting biases, Lemma E.1] and the remark after
 * it: "we can easily evaluate this numerically"), or `null` when no point of M has S ≤ 2/η.
 *
 * @remarks The minimum exists (on M ∩ {S ≤ 2/η}, R is continuous and coercive) and satisfies the KKT conditions:
 * where the constraint gradients ∇h = 2x₀⊙w and ∇g = 4ηx₀^{⊙2}⊙w are dependent (x₀ constant on the support)
 * the λ = 0 branch still contains it. So the least-risk point of {@link kktPoints} is a global minimizer (unique up
 * to the signs of w's entries when Σ is positive definite and the minimizer has one support). Cost as
 * {@link kktPoints}.
 * @param x0 - the training input x₀.
 * @param y0 - the training target y₀ ≠ 0.
 * @param learningRate - η ≥ 0 (0 = no sharpness bound).
 * @param options - the risk model and slack.
 * @returns the least-risk KKT point, or `null`.
 * @throws EosLabError as {@link kktPoints}.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * // The risk minimizer on M, u = 1 − νx₀ with ν = 3/17, has S ≈ 22.1: allowed for η = 0.08 (2/η = 25) …
 * diagonalNet.bestKktPoint([1, 4], 2, 0.08)?.branch; // 'inactive'
 * // … cut off for η = 0.1 (2/η = 20): the best point then lies on S = 20.
 * diagonalNet.bestKktPoint([1, 4], 2, 0.1)?.branch; // 'active'
 * ```
 * @since 0.1.0
 */
export function bestKktPoint(x0: ArrayLike<number>, y0: number, learningRate: number, options?: KktOptions): KktPoint | null {
  const points = enumerateKktPoints(resolve('diagonalNet.bestKktPoint', x0, y0, learningRate, options));
  return points.length > 0 ? points[0] : null;
}

/** @internal Resolves arguments for the algorithms module (shared validation). */
export function resolveKkt(fn: string, x0: ArrayLike<number>, y0: number, learningRate: number, options: KktOptions | undefined): Resolved {
  return resolve(fn, x0, y0, learningRate, options);
}
