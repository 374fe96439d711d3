/**
 * Eigenvalues of a symmetric tridiagonal matrix by the implicit QL algorithm with Wilkinson-type shifts
 * (EISPACK `tql2`, as in JAMA / ml-matrix), accumulating only selected rows of the eigenvector matrix.
 * Internal kernel of {@link lanczos}: with one row (the last) it yields the last components s_{m,i} of all
 * eigenvectors of T_m in O(m²), which is all the residual estimates β_m |s_{m,i}| need.
 *
 * @module
 * @internal
 */

const EPS = 2 ** -52;
/** Off-diagonals below TINY·max|T| are treated as zero (also keeps the shift computation from overflowing). */
const TINY = 2 ** -511;

/** √(a² + b²) without destructive overflow or underflow. */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/**
 * In-place implicit QL on the symmetric tridiagonal T with diagonal `d[0..n)` and off-diagonal `e[0..n-1)`
 * (`e[i]` couples rows i and i+1; `e[n-1]` is scratch). On return `d` holds the eigenvalues (unsorted) and
 * `e` is overwritten. `z` holds `zRows` rows of length n (row-major, `z[r*n + c]`): on entry rows of any
 * matrix W, on return the rows of W·S where S's column c is the unit eigenvector of `d[c]`. Start with the
 * rows of the identity you need (e.g. only the last row, `e_{n-1}ᵀ`, for the last components of all
 * eigenvectors; the full identity for all eigenvectors). Allocates nothing.
 *
 * @returns false if some eigenvalue needed more than 60 QL sweeps (never observed; the values are then
 *   the current iterates) or T has a non-finite entry, true otherwise.
 * @internal
 */
export function tridiagonalQl(n: number, d: Float64Array, e: Float64Array, z: Float64Array, zRows: number): boolean {
  let ok = true;
  e[n - 1] = 0;
  // Scale T by a power of 2 (exact) so that max|T| is about 1: products of two entries then neither overflow
  // nor underflow (as LAPACK's dsteqr does).
  let big = 0;
  for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(d[i]), Math.abs(e[i]));
  if (big === 0 || !Number.isFinite(big)) return Number.isFinite(big);
  const scale = 2 ** -Math.max(-1000, Math.min(1000, Math.floor(Math.log2(big))));
  if (scale !== 1) {
    for (let i = 0; i < n; i++) {
      d[i] *= scale;
      e[i] *= scale;
    }
  }
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1) {
      if (Math.abs(e[m]) <= EPS * tst1 || Math.abs(e[m]) < TINY) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        if (iter > 60) {
          ok = false;
          break;
        }
        // Implicit shift from the leading 2×2 block.
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        // Implicit QL transformation.
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          // Accumulate the rotation into the selected rows.
          for (let k = 0; k < zRows; k++) {
            const row = k * n;
            const zi1 = z[row + i + 1];
            const zi = z[row + i];
            z[row + i + 1] = s * zi + c * zi1;
            z[row + i] = c * zi - s * zi1;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1 && Math.abs(e[l]) >= TINY);
    }
    d[l] += f;
    e[l] = 0;
  }
  if (scale !== 1) for (let i = 0; i < n; i++) d[i] /= scale;
  return ok;
}

/**
 * A unit eigenvector s of the symmetric tridiagonal T (diagonal `d[0..n)`, off-diagonal `e[0..n-1)`, not modified)
 * for the eigenvalue approximation `theta`, by inverse iteration (two solves with T − θI factored by Gaussian
 * elimination with partial pivoting, as LAPACK's dlagtf/dstein; a zero pivot is replaced by ε·‖T‖). O(n) flops.
 * Used to form a Ritz vector Q_m s without the O(m³) full QL. `scratch` needs 5n entries. Writes s into `out`.
 * @internal
 */
export function tridiagonalEigenvector(n: number, d: Float64Array, e: Float64Array, theta: number, out: Float64Array, scratch: Float64Array): void {
  const u0 = scratch.subarray(0, n);
  const u1 = scratch.subarray(n, 2 * n);
  const u2 = scratch.subarray(2 * n, 3 * n);
  const mult = scratch.subarray(3 * n, 4 * n);
  const swapped = scratch.subarray(4 * n, 5 * n);
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + (i < n - 1 ? Math.abs(e[i]) : 0) + (i > 0 ? Math.abs(e[i - 1]) : 0));
  const tiny = Math.max(norm, Number.MIN_VALUE) * EPS;
  let cd = d[0] - theta;
  let ce = n > 1 ? e[0] : 0;
  let cf = 0;
  for (let i = 0; i < n - 1; i++) {
    const c = e[i];
    const nd = d[i + 1] - theta;
    const ne = i + 1 < n - 1 ? e[i + 1] : 0;
    if (Math.abs(cd) >= Math.abs(c)) {
      const l = cd === 0 ? 0 : c / cd;
      u0[i] = cd;
      u1[i] = ce;
      u2[i] = cf;
      mult[i] = l;
      swapped[i] = 0;
      cd = nd - l * ce;
      ce = ne - l * cf;
    } else {
      const l = cd / c;
      u0[i] = c;
      u1[i] = nd;
      u2[i] = ne;
      mult[i] = l;
      swapped[i] = 1;
      cd = ce - l * nd;
      ce = cf - l * ne;
    }
    cf = 0;
  }
  u0[n - 1] = cd;
  u1[n - 1] = 0;
  u2[n - 1] = 0;
  for (let i = 0; i < n; i++) if (Math.abs(u0[i]) < tiny) u0[i] = u0[i] < 0 ? -tiny : tiny;
  // Start from a vector with no special structure (a deterministic, non-constant one).
  for (let i = 0; i < n; i++) out[i] = 1 + 0.5 * Math.sin(i + 1);
  for (let it = 0; it < 2; it++) {
    for (let i = 0; i < n - 1; i++) {
      if (swapped[i]) {
        const t = out[i];
        out[i] = out[i + 1];
        out[i + 1] = t;
      }
      out[i + 1] -= mult[i] * out[i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = out[i];
      if (i + 1 < n) s -= u1[i] * out[i + 1];
      if (i + 2 < n) s -= u2[i] * out[i + 2];
      out[i] = s / u0[i];
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += out[i] * out[i];
    s = Math.sqrt(s);
    if (!(s > 0) || !Number.isFinite(s)) return;
    for (let i = 0; i < n; i++) out[i] /= s;
  }
}
