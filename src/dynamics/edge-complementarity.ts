/**
 * The k × k semidefinite complementarity problem of the central flow at the edge of stability [Central flows, Sec. 3]:
 * given the gradient g = ∇L(w) and the third-order vectors Tᵢⱼ = ∇³L(w)[uᵢ, uⱼ] of the top-k Hessian eigenvectors,
 * find X ⪰ 0 (Σ = Σᵢⱼ Xᵢⱼuᵢuⱼᵀ) with
 *
 *   X ⪰ 0,  A + ½B(X) ⪰ 0,  ⟨X, A + ½B(X)⟩ = 0,   Aᵢⱼ = ⟨g, Tᵢⱼ⟩,  B(X)ᵢⱼ = Σₖₗ⟨Tᵢⱼ, Tₖₗ⟩Xₖₗ,
 *
 * i.e. the projected time derivative −(A + ½B(X)) of the top block uᵢᵀ∇²L uⱼ of the Hessian is ⪯ 0 and vanishes on
 * the range of X. These are the KKT conditions of the convex problem min_{X⪰0} ‖g + ½Σᵢⱼ Xᵢⱼ Tᵢⱼ‖²: the central
 * flow's velocity is the shortest one that keeps the top eigenvalues from rising above 2/η.
 *
 * @module
 * @internal
 */
import { jacobiEigen, pseudoSolve } from '../linalg/small-symmetric.js';

/** Largest k accepted by {@link solveEdgeComplementarity}. @internal */
export const MAX_EDGE_DIM = 5;

/** Largest number of free coordinates k(k + 1)/2 of a symmetric k × k X. */
const PMAX = (MAX_EDGE_DIM * (MAX_EDGE_DIM + 1)) / 2;

/** Scratch of {@link solveEdgeComplementarity} for k ≤ {@link MAX_EDGE_DIM}. @internal */
export interface EdgeComplementarityWorkspace {
  readonly kk: Float64Array; // reduced Gram (r²)²
  readonly aa: Float64Array; // reduced A (r²)
  readonly rhs: Float64Array;
  readonly y: Float64Array;
  readonly x: Float64Array;
  readonly xPrev: Float64Array;
  readonly z: Float64Array;
  readonly grad: Float64Array;
  readonly mat: Float64Array;
  readonly vals: Float64Array;
  readonly vecs: Float64Array;
  readonly basis: Float64Array;
  readonly pinv: Float64Array;
  // Primal–dual interior point (k × k matrices, P × P systems with P = k(k + 1)/2 ≤ 15).
  readonly ipX: Float64Array;
  readonly ipS: Float64Array;
  readonly ipR: Float64Array;
  readonly ipSinv: Float64Array;
  readonly ipDX: Float64Array;
  readonly ipDS: Float64Array;
  readonly ipT: Float64Array;
  readonly ipL: Float64Array;
  readonly ipM: Float64Array;
  readonly ipMcopy: Float64Array;
  readonly ipB: Float64Array;
  readonly ipB2: Float64Array;
  readonly cand: Float64Array;
  /**
   * Set by each solve: λ_min of the unconstrained solution −2B⁺(A) (for k = 1 the unclamped σ² = −2a/K). It is ≥ 0
   * exactly while every direction is held with a positive multiplier, and crosses 0 when one leaves the edge.
   */
  unconstrainedMin: number;
}

/** @internal */
export function createEdgeComplementarityWorkspace(): EdgeComplementarityWorkspace {
  const n2 = MAX_EDGE_DIM * MAX_EDGE_DIM;
  return {
    kk: new Float64Array(n2 * n2),
    aa: new Float64Array(n2),
    rhs: new Float64Array(n2),
    y: new Float64Array(n2),
    x: new Float64Array(n2),
    xPrev: new Float64Array(n2),
    z: new Float64Array(n2),
    grad: new Float64Array(n2),
    mat: new Float64Array(n2),
    vals: new Float64Array(MAX_EDGE_DIM),
    vecs: new Float64Array(n2),
    basis: new Float64Array(n2 * n2),
    pinv: new Float64Array(2 * n2 * n2 + n2),
    ipX: new Float64Array(n2),
    ipS: new Float64Array(n2),
    ipR: new Float64Array(n2),
    ipSinv: new Float64Array(n2),
    ipDX: new Float64Array(n2),
    ipDS: new Float64Array(n2),
    ipT: new Float64Array(n2),
    ipL: new Float64Array(n2),
    ipM: new Float64Array(PMAX * PMAX),
    ipMcopy: new Float64Array(PMAX * PMAX),
    ipB: new Float64Array(n2),
    ipB2: new Float64Array(n2),
    cand: new Float64Array(n2),
    unconstrainedMin: NaN,
  };
}

/** f(X) − ‖g‖² = ⟨A, X⟩ + ¼⟨X, B(X)⟩ over full k² coordinates. */
function objective(K: Float64Array, a: Float64Array, x: Float64Array, n: number): number {
  let lin = 0;
  let quad = 0;
  for (let p = 0; p < n; p++) {
    lin += a[p] * x[p];
    let s = 0;
    for (let q = 0; q < n; q++) s += K[p * n + q] * x[q];
    quad += x[p] * s;
  }
  return lin + 0.25 * quad;
}

/** Projects the symmetric k × k matrix x (row-major) onto the PSD cone in place; returns its rank (eigenvalues > 0). */
function projectPsd(x: Float64Array, k: number, ws: EdgeComplementarityWorkspace): number {
  const { mat, vals, vecs } = ws;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) mat[i * k + j] = 0.5 * (x[i * k + j] + x[j * k + i]);
  jacobiEigen(mat, k, vals, vecs);
  let rank = 0;
  x.fill(0, 0, k * k);
  for (let c = 0; c < k; c++) {
    const l = vals[c];
    if (!(l > 0)) continue;
    rank++;
    for (let i = 0; i < k; i++) {
      for (let j = i; j < k; j++) {
        const v = l * (vecs[i * k + c] * vecs[j * k + c]); // computed once for (i, j) and (j, i): exactly symmetric
        x[i * k + j] += v;
        if (j !== i) x[j * k + i] += v;
      }
    }
  }
  return rank;
}

/**
 * Solves the complementarity problem for k ≤ 5 (inputs trusted). `K` is the k²×k² Gram matrix ⟨Tᵢⱼ, Tₖₗ⟩ over ordered
 * pairs (row (i·k + j), column (k'·k + l)) and `a` the k² vector ⟨g, Tᵢⱼ⟩; X (k², row-major, symmetric) is written to
 * `out`. Method: (1) the unconstrained minimizer X = −2B⁺(A) (minimum norm), accepted when it is PSD — the usual case
 * when every direction of the edge is pushed back; (2) otherwise an infeasible primal–dual interior-point method on
 * the monotone complementarity problem (HKM directions, Mehrotra-type centring, data normalized to size 1; at most
 * 5 starts × 100 iterations, ~15 in practice), then (3) a polish on the face it found: with V spanning the range of X,
 * the exact minimizer X = VYVᵀ of the reduced quadratic, kept when PSD and not worse. Returns the rank of X. Cost is
 * bounded whatever the data: O(k⁶) per iteration. When B is singular (third-order vectors linearly dependent, e.g.
 * dim < k(k + 1)/2) the optimal X may be non-unique; the velocity g + ½ΣXᵢⱼTᵢⱼ is unique (a projection).
 * @internal
 */
export function solveEdgeComplementarity(
  K: Float64Array,
  a: Float64Array,
  k: number,
  out: Float64Array,
  ws: EdgeComplementarityWorkspace,
): number {
  const n = k * k;
  const { rhs, x, mat, vals, vecs, pinv } = ws;
  if (k === 1) {
    // Closed form σ² = max(0, −2⟨g, ∇S⟩/‖∇S‖²) (0 when ∇S = 0).
    ws.unconstrainedMin = K[0] > 0 ? (-2 * a[0]) / K[0] : 0;
    out[0] = Math.max(0, ws.unconstrainedMin);
    return out[0] > 0 ? 1 : 0;
  }
  // (1) Unconstrained minimum-norm solution of B(X) = −2A.
  for (let p = 0; p < n; p++) rhs[p] = -2 * a[p];
  pseudoSolve(K, rhs, n, 1e-13, x, pinv);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) mat[i * k + j] = 0.5 * (x[i * k + j] + x[j * k + i]);
  jacobiEigen(mat, k, vals, vecs);
  const scaleX = Math.max(Math.abs(vals[0]), Math.abs(vals[k - 1]));
  ws.unconstrainedMin = vals[k - 1];
  if (vals[k - 1] >= -1e-12 * scaleX) {
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = 0.5 * (x[i * k + j] + x[j * k + i]);
    return projectPsd(out, k, ws);
  }
  // (2) A primal log-barrier interior-point method in the k(k+1)/2 coordinates xₚ of X = Σₚ xₚEₚ
  //     (E_ii = eᵢeᵢᵀ, E_ij = eᵢeⱼᵀ + eⱼeᵢᵀ): minimize f(x) + μ·(tr X − log det X) for μ → 0 by damped Newton
  //     steps (the μ·tr X term keeps the barrier problem bounded along directions where f is flat, B singular).
  //     Started at X₀ = ξI; infeasible interior-point methods converge when the start dominates a solution
  //     (X₀ ⪰ X*), which is not known beforehand: ξ starts at the size of the unconstrained solution and grows
  //     100-fold per restart when a run stalls (at most IPM_STARTS runs); the best run by objective is kept.
  let xi = 0;
  for (let p = 0; p < n; p++) xi += x[p] * x[p];
  xi = Math.sqrt(xi);
  let best = Infinity;
  for (let start = 0; start < IPM_STARTS; start++, xi *= 100) {
    const converged = interiorPoint(K, a, k, xi, ws.cand, ws);
    const f = objective(K, a, ws.cand, n);
    if (f < best || (converged && !(f > best))) {
      best = f;
      out.set(ws.cand.subarray(0, n));
    }
    if (converged) break;
  }
  // (3) Exact solution on the face the interior point identified.
  polish(K, a, k, out, ws);
  return projectPsd(out, k, ws);
}

/** Pair index p ↔ (i, j), i ≤ j, and its weight w (1 on the diagonal, 2 off it). */
function pairs(k: number): { i: Int32Array; j: Int32Array; w: Float64Array } {
  const P = (k * (k + 1)) / 2;
  const I = new Int32Array(P);
  const J = new Int32Array(P);
  const W = new Float64Array(P);
  let p = 0;
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) {
    I[p] = i;
    J[p] = j;
    W[p] = i === j ? 1 : 2;
    p++;
  }
  return { i: I, j: J, w: W };
}
const PAIRS = [pairs(1), pairs(2), pairs(3), pairs(4), pairs(5)];

/** Cholesky factor (lower, row-major) of the symmetric k × k matrix m into `l`; false when m is not positive definite. */
function cholesky(m: Float64Array, k: number, l: Float64Array): boolean {
  l.fill(0, 0, k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i * k + j];
      for (let e = 0; e < j; e++) s -= l[i * k + e] * l[j * k + e];
      if (i === j) {
        if (!(s > 0)) return false;
        l[i * k + i] = Math.sqrt(s);
      } else {
        l[i * k + j] = s / l[j * k + j];
      }
    }
  }
  return true;
}

/**
 * The largest α ≤ `cap` with M + αD ⪰ 0 for M ≻ 0 (Cholesky factor `l` of M given): 1/max(0, −λ_min(L⁻¹DL⁻ᵀ)).
 * Uses `t` and `ws.mat`, `ws.vals`, `ws.vecs` as scratch.
 */
function maxStep(l: Float64Array, d: Float64Array, k: number, cap: number, t: Float64Array, ws: EdgeComplementarityWorkspace): number {
  const { mat, vals, vecs } = ws;
  // t = L⁻¹D (forward substitution per column), then mat = L⁻¹ tᵀ = L⁻¹DL⁻ᵀ (D symmetric).
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < k; i++) {
      let s = d[i * k + c];
      for (let e = 0; e < i; e++) s -= l[i * k + e] * t[e * k + c];
      t[i * k + c] = s / l[i * k + i];
    }
  }
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < k; i++) {
      let s = t[c * k + i];
      for (let e = 0; e < i; e++) s -= l[i * k + e] * mat[e * k + c];
      mat[i * k + c] = s / l[i * k + i];
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) {
    const v = 0.5 * (mat[i * k + j] + mat[j * k + i]);
    mat[i * k + j] = v;
    mat[j * k + i] = v;
  }
  jacobiEigen(mat, k, vals, vecs);
  const lo = vals[k - 1];
  return lo >= 0 ? cap : Math.min(cap, -1 / lo);
}

/** Solves the dense P × P system M z = b in place by Gaussian elimination with partial pivoting; false if singular. */
function luSolve(M: Float64Array, b: Float64Array, P: number): boolean {
  for (let c = 0; c < P; c++) {
    let piv = c;
    for (let r = c + 1; r < P; r++) if (Math.abs(M[r * P + c]) > Math.abs(M[piv * P + c])) piv = r;
    if (!(Math.abs(M[piv * P + c]) > 0)) return false;
    if (piv !== c) {
      for (let e = 0; e < P; e++) {
        const t = M[c * P + e];
        M[c * P + e] = M[piv * P + e];
        M[piv * P + e] = t;
      }
      const t = b[c];
      b[c] = b[piv];
      b[piv] = t;
    }
    const d = M[c * P + c];
    for (let r = c + 1; r < P; r++) {
      const f = M[r * P + c] / d;
      if (f === 0) continue;
      for (let e = c; e < P; e++) M[r * P + e] -= f * M[c * P + e];
      b[r] -= f * b[c];
    }
  }
  for (let r = P - 1; r >= 0; r--) {
    let s = b[r];
    for (let e = r + 1; e < P; e++) s -= M[r * P + e] * b[e];
    b[r] = s / M[r * P + r];
  }
  return true;
}

/** Largest number of primal–dual iterations (each a P × P solve, P ≤ 15); convergence takes ~10–40. */
const MAX_IPM_ITERATIONS = 100;
/** Interior-point runs with starts ξ, 100ξ, …: a solution up to 1e8 × the unconstrained one's size is dominated. */
const IPM_STARTS = 5;

/**
 * (2) An infeasible primal–dual interior-point method for the monotone semidefinite complementarity problem
 * X ⪰ 0, S = A + ½B(X) ⪰ 0, XS = 0 (B is positive semidefinite, so the problem is monotone): Kojima–Shindoh–Hara
 * (HKM) directions with a Mehrotra-type centring parameter, the same step for X and S (so the residual
 * R = S − A − ½B(X) shrinks by the factor 1 − α), stopped when ⟨X, S⟩ and R are at rounding level of the data or
 * after {@link MAX_IPM_ITERATIONS}. Unlike a primal barrier method, its iteration count does not grow with the size
 * of the solution relative to the data (the duality gap, not a fixed barrier weight, sets the path). Writes X (full
 * k × k) to `out`.
 */
function interiorPoint(K: Float64Array, a: Float64Array, k: number, xiStart: number, out: Float64Array, ws: EdgeComplementarityWorkspace): boolean {
  const n = k * k;
  const { i: I, j: J } = PAIRS[k - 1];
  const P = I.length;
  const { ipX: X, ipS: S, ipR: R, ipSinv: Sinv, ipDX: dX, ipDS: dS, ipT: tmp, ipL: L, ipM: M, ipMcopy: Mc, ipB: rhs, ipB2: rhs2, y: half } = ws;
  let sa = 0;
  let sK = 0;
  for (let p = 0; p < n; p++) sa = Math.max(sa, Math.abs(a[p]));
  for (let p = 0; p < n * n; p++) sK = Math.max(sK, Math.abs(K[p]));
  if (!(sa > 1e-290) || !(sK > 1e-290)) {
    out.fill(0, 0, n); // A = 0 (X = 0 solves it); B = 0 forces A = 0 (a lies in the range of K)
    return true;
  }
  // Solved for the normalized data A' = A/max|A|, B' = B/max|K| (X = (max|A|/max|K|)·X', S = max|A|·S'), so
  // that data near under- or overflow does not reach it. Start X' = ξI with ξ ≥ 1 (B'(X') at least of the size of
  // A'), S' = I.
  const unit = sa / sK;
  const ia = 1 / sa;
  const iK = 0.5 / sK;
  const xi = Math.max(xiStart / unit, 1);
  let converged = false;
  X.fill(0, 0, n);
  S.fill(0, 0, n);
  for (let i = 0; i < k; i++) {
    X[i * k + i] = xi;
    S[i * k + i] = 1;
  }
  /** half ← ½B'(D) for a full symmetric D. */
  const halfB = (D: Float64Array): void => {
    for (let p = 0; p < n; p++) {
      let s = 0;
      for (let q = 0; q < n; q++) s += K[p * n + q] * D[q];
      half[p] = iK * s;
    }
  };
  for (let it = 0; it < MAX_IPM_ITERATIONS; it++) {
    halfB(X);
    let gap = 0;
    let res = 0;
    let xNorm = 0;
    for (let p = 0; p < n; p++) {
      R[p] = S[p] - ia * a[p] - half[p];
      gap += X[p] * S[p];
      res = Math.max(res, Math.abs(R[p]));
      xNorm = Math.max(xNorm, Math.abs(X[p]));
    }
    // Rounding level of S' = A' + ½B'(X') (max|A'| = max|K'| = 1): ε·(1 + n·max|X'|); stop a few hundred ε above it.
    const level = 1e-13 * (1 + n * xNorm);
    if (gap <= level * k * Math.max(xNorm, xi) && res <= level) {
      converged = true;
      break;
    }
    const mu = gap / k;
    // S⁻¹ through S's eigen-decomposition.
    for (let p = 0; p < n; p++) ws.mat[p] = S[p];
    jacobiEigen(ws.mat, k, ws.vals, ws.vecs);
    if (!(ws.vals[k - 1] > 0)) break;
    for (let r = 0; r < k; r++) for (let c = r; c < k; c++) {
      let t = 0;
      for (let e = 0; e < k; e++) t += ws.vecs[r * k + e] * (ws.vecs[c * k + e] / ws.vals[e]);
      Sinv[r * k + c] = t;
      Sinv[c * k + r] = t;
    }
    // The HKM system in the coordinates z of ΔX = Σ_q z_q E_q: ΔX + sym(X·½B(ΔX)·S⁻¹) = rhs, read on (i ≤ j).
    for (let q = 0; q < P; q++) {
      tmp.fill(0, 0, n);
      tmp[I[q] * k + J[q]] = 1;
      tmp[J[q] * k + I[q]] = 1;
      halfB(tmp);
      // dX ← X·half·S⁻¹ (full), then the symmetric part plus E_q.
      for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) {
        let s = 0;
        for (let e = 0; e < k; e++) {
          let xh = 0;
          for (let f = 0; f < k; f++) xh += X[r * k + f] * half[f * k + e];
          s += xh * Sinv[e * k + c];
        }
        dX[r * k + c] = s;
      }
      for (let p = 0; p < P; p++) {
        const ip = I[p];
        const jp = J[p];
        M[p * P + q] = tmp[ip * k + jp] + 0.5 * (dX[ip * k + jp] + dX[jp * k + ip]);
      }
    }
    // rhs(σ) = sym(σμS⁻¹ − X + X·R·S⁻¹): the σ-free part in rhs, S⁻¹ in rhs2.
    for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) {
      let s = 0;
      for (let e = 0; e < k; e++) {
        let xr = 0;
        for (let f = 0; f < k; f++) xr += X[r * k + f] * R[f * k + e];
        s += xr * Sinv[e * k + c];
      }
      tmp[r * k + c] = s;
    }
    let alpha = 1;
    let sigma = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < P; p++) {
        const ip = I[p];
        const jp = J[p];
        rhs[p] = sigma * mu * Sinv[ip * k + jp] - X[ip * k + jp] + 0.5 * (tmp[ip * k + jp] + tmp[jp * k + ip]);
      }
      Mc.set(M.subarray(0, P * P));
      if (!luSolve(Mc, rhs, P)) {
        alpha = 0;
        break;
      }
      for (let p = 0; p < P; p++) {
        dX[I[p] * k + J[p]] = rhs[p];
        dX[J[p] * k + I[p]] = rhs[p];
      }
      halfB(dX);
      for (let p = 0; p < n; p++) dS[p] = half[p] - R[p];
      // Largest steps keeping X and S positive definite.
      cholesky(X, k, L);
      let am = maxStep(L, dX, k, Infinity, rhs2, ws);
      cholesky(S, k, L);
      am = maxStep(L, dS, k, am, rhs2, ws);
      if (pass === 0) {
        // Predictor: σ = (μ_aff/μ)³ from the gap after the pure Newton (σ = 0) step.
        const aa = Math.min(1, am);
        let gapAff = 0;
        for (let p = 0; p < n; p++) gapAff += (X[p] + aa * dX[p]) * (S[p] + aa * dS[p]);
        sigma = Math.min(1, Math.max(0, gapAff / gap) ** 3);
      } else {
        alpha = Math.min(1, 0.95 * am);
      }
    }
    if (!(alpha > 1e-10)) break; // stalled against the boundary: the start did not dominate a solution
    for (let p = 0; p < n; p++) {
      X[p] += alpha * dX[p];
      S[p] += alpha * dS[p];
    }
  }
  for (let p = 0; p < n; p++) out[p] = unit * X[p];
  return converged;
}

/**
 * (3) The exact minimizer on the face of the cone of `out` (V = eigenvectors of X with eigenvalues > 1e-8·max):
 * X = VYVᵀ with Y the minimum-norm stationary point of the reduced quadratic. Replaces `out` when Y ⪰ 0 and the
 * objective does not increase; returns true when the result satisfies the KKT conditions to 1e-10 (relative).
 */
function polish(K: Float64Array, a: Float64Array, k: number, out: Float64Array, ws: EdgeComplementarityWorkspace): boolean {
  const n = k * k;
  const { mat, vals, vecs, basis, kk, aa, y, pinv, grad, z, xPrev } = ws;
  for (let i = 0; i < n; i++) mat[i] = out[i];
  jacobiEigen(mat, k, vals, vecs);
  let r = 0;
  for (let c = 0; c < k; c++) if (vals[c] > 1e-8 * vals[0]) r++;
  if (r > 0) {
    // basis[(i·k + j), (α·r + β)] = V_iα V_jβ; reduced kk = basisᵀ K basis, aa = −2 basisᵀ a.
    const m = r * r;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let al = 0; al < r; al++) for (let be = 0; be < r; be++) {
      basis[(i * k + j) * m + al * r + be] = vecs[i * k + al] * vecs[j * k + be];
    }
    for (let s = 0; s < m; s++) {
      let t = 0;
      for (let p = 0; p < n; p++) t += basis[p * m + s] * a[p];
      aa[s] = -2 * t;
      for (let u = 0; u < m; u++) {
        let acc = 0;
        for (let p = 0; p < n; p++) {
          const bp = basis[p * m + s];
          if (bp === 0) continue;
          let inner = 0;
          for (let q = 0; q < n; q++) inner += K[p * n + q] * basis[q * m + u];
          acc += bp * inner;
        }
        kk[s * m + u] = acc;
      }
    }
    pseudoSolve(kk, aa, m, 1e-13, y, pinv);
    for (let al = 0; al < r; al++) for (let be = 0; be < r; be++) mat[al * r + be] = 0.5 * (y[al * r + be] + y[be * r + al]);
    const yVals = grad.subarray(0, r);
    const yVecs = grad.subarray(r, r + r * r);
    const yMat = z.subarray(0, r * r);
    yMat.set(mat.subarray(0, r * r));
    jacobiEigen(yMat, r, yVals, yVecs);
    if (yVals[r - 1] >= -1e-12 * Math.abs(yVals[0])) {
      const cand = xPrev;
      cand.fill(0, 0, n);
      for (let i = 0; i < k; i++) for (let j = i; j < k; j++) {
        let s = 0;
        for (let al = 0; al < r; al++) for (let be = 0; be < r; be++) s += vecs[i * k + al] * (mat[al * r + be] * vecs[j * k + be]);
        cand[i * k + j] = s;
        cand[j * k + i] = s;
      }
      const before = objective(K, a, out, n);
      if (objective(K, a, cand, n) <= before + 1e-15 * Math.abs(before)) out.set(cand.subarray(0, n));
    }
  }
  // KKT check: G = A + ½B(X) ⪰ 0 and ⟨X, G⟩ = 0, relative to the size of the data.
  let xg = 0;
  let scale = 0;
  for (let p = 0; p < n; p++) {
    let b = 0;
    for (let q = 0; q < n; q++) b += K[p * n + q] * out[q];
    const g = a[p] + 0.5 * b;
    grad[p] = g;
    xg += out[p] * g;
    scale = Math.max(scale, Math.abs(a[p]), Math.abs(0.5 * b));
  }
  for (let i = 0; i < n; i++) mat[i] = 0.5 * (grad[i] + grad[(i % k) * k + Math.floor(i / k)]);
  jacobiEigen(mat, k, vals, vecs);
  let xn = 0;
  for (let p = 0; p < n; p++) xn += out[p] * out[p];
  return vals[k - 1] >= -1e-10 * scale && Math.abs(xg) <= 1e-10 * scale * Math.max(1, Math.sqrt(xn));
}
