/**
 * Test helper: distances between discrete spectral measures, computed from their atoms (no binning).
 * The reference measure of a symmetric matrix with eigenvalues λ₁ … λ_p puts mass 1/p on each λᵢ.
 */

/** A discrete measure: atoms x with masses w (summing to 1). */
export interface Measure {
  x: Float64Array;
  w: Float64Array;
}

/** The eigenvalue measure (1/p) Σ δ_{λᵢ}. */
export function eigenvalueMeasure(values: ArrayLike<number>): Measure {
  const p = values.length;
  return { x: Float64Array.from(values), w: new Float64Array(p).fill(1 / p) };
}

/** The SLQ measure (1/N) Σ_l Σ_j τ_{l,j} δ_{θ_{l,j}}. */
export function quadratureMeasure(nodes: Float64Array[], weights: Float64Array[]): Measure {
  const n = nodes.length;
  const x: number[] = [];
  const w: number[] = [];
  nodes.forEach((th, l) => th.forEach((t, j) => (x.push(t), w.push(weights[l][j] / n))));
  return { x: Float64Array.from(x), w: Float64Array.from(w) };
}

/** Both CDFs evaluated on the merged sorted support: returns the breakpoints and F − G just after each. */
function cdfDifference(a: Measure, b: Measure): { t: number[]; diff: number[] } {
  const atoms = [...Array.from(a.x, (x, i) => ({ x, m: a.w[i] })), ...Array.from(b.x, (x, i) => ({ x, m: -b.w[i] }))].sort((u, v) => u.x - v.x);
  const t: number[] = [];
  const diff: number[] = [];
  let d = 0;
  for (let i = 0; i < atoms.length; i++) {
    d += atoms[i].m;
    if (i + 1 < atoms.length && atoms[i + 1].x === atoms[i].x) continue;
    t.push(atoms[i].x);
    diff.push(d);
  }
  return { t, diff };
}

/** Kolmogorov–Smirnov distance sup_t |F(t) − G(t)|. */
export function ksDistance(a: Measure, b: Measure): number {
  return Math.max(...cdfDifference(a, b).diff.map(Math.abs));
}

/** Wasserstein-1 distance ∫ |F(t) − G(t)| dt (in eigenvalue units). */
export function w1Distance(a: Measure, b: Measure): number {
  const { t, diff } = cdfDifference(a, b);
  let s = 0;
  for (let i = 0; i + 1 < t.length; i++) s += Math.abs(diff[i]) * (t[i + 1] - t[i]);
  return s;
}
