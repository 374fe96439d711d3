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
 * when every direction of the edge is pushed back; (2) otherwise a primal log-barrier interior-point method
 * (damped Newton on f(X) + μ(tr X − log det X), μ divided by 5 per round down to 1e-17 of the data's scale), then (3) a
 * polish on the face it found: with V spanning the range of X, the exact minimizer X = VYVᵀ of the reduced
 * quadratic, kept when PSD and not worse. Returns the rank of X.
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
    out[0] = K[0] > 0 ? Math.max(0, (-2 * a[0]) / K[0]) : 0;
    return out[0] > 0 ? 1 : 0;
  }
  // (1) Unconstrained minimum-norm solution of B(X) = −2A.
  for (let p = 0; p < n; p++) rhs[p] = -2 * a[p];
  pseudoSolve(K, rhs, n, 1e-13, x, pinv);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) mat[i * k + j] = 0.5 * (x[i * k + j] + x[j * k + i]);
  jacobiEigen(mat, k, vals, vecs);
  const scaleX = Math.max(Math.abs(vals[0]), Math.abs(vals[k - 1]));
  if (vals[k - 1] >= -1e-12 * scaleX) {
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = 0.5 * (x[i * k + j] + x[j * k + i]);
    return projectPsd(out, k, ws);
  }
  // (2) A primal log-barrier interior-point method in the k(k+1)/2 coordinates xₚ of X = Σₚ xₚEₚ
  //     (E_ii = eᵢeᵢᵀ, E_ij = eᵢeⱼᵀ + eⱼeᵢᵀ): minimize f(x) + μ·(tr X − log det X) for μ → 0 by damped Newton
  //     steps (the μ·tr X term keeps the barrier problem bounded along directions where f is flat, B singular).
  interiorPoint(K, a, k, out, ws);
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

function interiorPoint(K: Float64Array, a: Float64Array, k: number, out: Float64Array, ws: EdgeComplementarityWorkspace): void {
  const n = k * k;
  const { i: I, j: J, w: W } = PAIRS[k - 1];
  const P = I.length;
  const { kk: Q, aa: c, y: x, z: dx, grad, mat, vals, vecs, pinv, xPrev: inv, basis: hess, rhs } = ws;
  // f(x) = cᵀx + ¼xᵀQx with c_p = w_p·A_ij, Q_pq = w_p·w_q·K_(ij),(kl).
  let scale = 0;
  for (let p = 0; p < P; p++) {
    c[p] = W[p] * a[I[p] * k + J[p]];
    for (let q = 0; q < P; q++) {
      Q[p * P + q] = W[p] * W[q] * K[(I[p] * k + J[p]) * n + I[q] * k + J[q]];
      scale = Math.max(scale, Math.abs(Q[p * P + q]));
    }
    scale = Math.max(scale, Math.abs(c[p]));
  }
  if (!(scale > 1e-290)) {
    out.fill(0, 0, n); // no data (or only subnormal): X = 0 is optimal to the precision available
    return;
  }
  const toMatrix = (v: Float64Array, m: Float64Array): void => {
    for (let p = 0; p < P; p++) {
      m[I[p] * k + J[p]] = v[p];
      m[J[p] * k + I[p]] = v[p];
    }
  };
  /** λ_min(X(v)); also leaves X⁻¹ in `inv` when X ≻ 0. */
  const inverse = (v: Float64Array): number => {
    toMatrix(v, mat);
    jacobiEigen(mat, k, vals, vecs);
    const lo = vals[k - 1];
    if (!(lo > 0)) return lo;
    for (let r = 0; r < k; r++) for (let s2 = r; s2 < k; s2++) {
      let t = 0;
      for (let e = 0; e < k; e++) t += vecs[r * k + e] * (vecs[s2 * k + e] / vals[e]);
      inv[r * k + s2] = t;
      inv[s2 * k + r] = t;
    }
    return lo;
  };
  const barrierObjective = (v: Float64Array, mu: number): number => {
    toMatrix(v, mat);
    jacobiEigen(mat, k, vals, vecs);
    let logdet = 0;
    for (let e = 0; e < k; e++) {
      if (!(vals[e] > 0)) return Infinity;
      logdet += Math.log(vals[e]);
    }
    let f = 0;
    for (let p = 0; p < P; p++) {
      let qx = 0;
      for (let q = 0; q < P; q++) qx += Q[p * P + q] * v[q];
      f += c[p] * v[p] + 0.25 * v[p] * qx;
    }
    let tr = 0;
    for (let p = 0; p < P; p++) if (I[p] === J[p]) tr += v[p];
    return f + mu * (tr - logdet);
  };
  // Start at X = I (scaled to the data), μ₀ = scale.
  x.fill(0, 0, P);
  for (let p = 0; p < P; p++) if (I[p] === J[p]) x[p] = 1;
  let mu = scale;
  const trial = rhs;
  for (let outer = 0; outer < 60 && mu > 1e-17 * scale; outer++) {
    for (let newton = 0; newton < 30; newton++) {
      inverse(x);
      // gradient: c + ½Qx − μ·w_p·(X⁻¹)_ij; Hessian: ½Q + μ·⟨X⁻¹E_pX⁻¹, E_q⟩.
      for (let p = 0; p < P; p++) {
        let qx = 0;
        for (let q = 0; q < P; q++) qx += Q[p * P + q] * x[q];
        grad[p] = c[p] + 0.5 * qx + mu * ((I[p] === J[p] ? 1 : 0) - W[p] * inv[I[p] * k + J[p]]);
      }
      for (let p = 0; p < P; p++) for (let q = 0; q < P; q++) {
        const ip = I[p];
        const jp = J[p];
        const iq = I[q];
        const jq = J[q];
        // ⟨X⁻¹E_pX⁻¹, E_q⟩ for symmetric basis elements (sum over the ≤ 2 × 2 unit entries).
        let h = inv[iq * k + ip] * inv[jp * k + jq] + (ip !== jp ? inv[iq * k + jp] * inv[ip * k + jq] : 0);
        if (iq !== jq) h += inv[jq * k + ip] * inv[jp * k + iq] + (ip !== jp ? inv[jq * k + jp] * inv[ip * k + iq] : 0);
        hess[p * P + q] = 0.5 * Q[p * P + q] + mu * h;
      }
      for (let p = 0; p < P; p++) grad[p] = -grad[p];
      pseudoSolve(hess, grad, P, 1e-15, dx, pinv);
      let decrement = 0; // ∇ᵀH⁻¹∇ ≥ 0 (grad holds −∇)
      for (let p = 0; p < P; p++) decrement += grad[p] * dx[p];
      if (!(decrement > 1e-13 * mu)) break;
      // Backtracking: stay positive definite and decrease the barrier objective.
      const f0 = barrierObjective(x, mu);
      let step = 1;
      for (let ls = 0; ls < 60; ls++) {
        for (let p = 0; p < P; p++) trial[p] = x[p] + step * dx[p];
        if (barrierObjective(trial, mu) <= f0 - 0.25 * step * decrement) break;
        step *= 0.5;
      }
      for (let p = 0; p < P; p++) x[p] += step * dx[p];
      if (step < 1e-12) break;
    }
    mu *= 0.2;
  }
  toMatrix(x, out);
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
