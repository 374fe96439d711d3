/**
 * Softmax cross-entropy of one example's logits f ∈ ℝᵏ against targets y (one-hot or probability rows), its
 * derivative and its curvature along a direction, shared by the MLP and CNN kernels:
 *
 *   ℓ(f) = Σ_c y_c (lse(f) − f_c),   ∂ℓ/∂f = μ s − y,   ∇²ℓ · r = μ (diag(s) − s sᵀ) r,
 *
 * with s = softmax(f) and μ = Σ_c y_c.
 *
 * Why a module of its own: the direct formulas cancel when the softmax saturates (s_top → 1, a confident correct
 * prediction — the late phase of training, where cross-entropy losses go to 0). (m + log Σ e^{f−m}) − f_top,
 * μ·s_top − 1 and r_c − Σ_j s_j r_j all subtract numbers of size 1 to get a result of size 1 − s_top, losing
 * log₁₀(1/(1 − s_top)) digits: at a loss of 7.7e-22 the loss itself was off by 100%. Here every difference of that
 * kind is rewritten as a sum of terms of its own size:
 * - lse(f) − f_c = (m − f_c) + log1p(Σ_{j≠top} e^{f_j − m}), with m = f_top (so exactly log1p(…) for c = top);
 * - μ s_c − y_c = (μ − y_c)·s_c − y_c·(1 − s_c), with μ − y_c = Σ_{j≠c} y_j and 1 − s_c = Σ_{j≠c} s_j;
 * - r_c − Σ_j s_j r_j = r_c·(1 − s_c) − Σ_{j≠c} s_j r_j (as Σ_j s_j = 1);
 * where each "Σ over all classes but c" is a prefix sum plus a suffix sum (no subtraction). Cost O(k) per example,
 * no allocation (scratch from {@link softmaxScratch}).
 *
 * @module
 * @internal
 */

/** Scratch buffers for one width k. @internal */
export interface SoftmaxScratch {
  readonly k: number;
  /** e^{f_c − m}, then other per-class terms. */
  readonly terms: Float64Array;
  /** Σ_{j≠c} terms[j]. */
  readonly excluded: Float64Array;
  /** Prefix sums, length k + 1. */
  readonly prefix: Float64Array;
}

/** Allocates the scratch for k classes. @internal */
export function softmaxScratch(k: number): SoftmaxScratch {
  return { k, terms: new Float64Array(k), excluded: new Float64Array(k), prefix: new Float64Array(k + 1) };
}

/** scratch.excluded[c] ← Σ_{j≠c} scratch.terms[j], as a prefix plus a suffix sum. */
function sumsExcludingEach(s: SoftmaxScratch): void {
  const { k, terms, excluded, prefix } = s;
  prefix[0] = 0;
  for (let c = 0; c < k; c++) prefix[c + 1] = prefix[c] + terms[c];
  let suffix = 0;
  for (let c = k - 1; c >= 0; c--) {
    excluded[c] = prefix[c] + suffix;
    suffix += terms[c];
  }
}

/**
 * ℓ = Σ_c y_c (lse(f) − f_c) for the logits f[fo … fo + k) and targets y[yo … yo + k). When `soft` is given, also
 * writes s = softmax(f) to soft[so …] and 1 − s (summed, not subtracted) to rest[so …]. @internal
 */
export function crossEntropyRow(
  s: SoftmaxScratch,
  f: Float64Array,
  fo: number,
  y: Float64Array,
  yo: number,
  soft?: Float64Array,
  rest?: Float64Array,
  so = 0,
): number {
  const { k, terms, excluded } = s;
  let top = 0;
  for (let c = 1; c < k; c++) if (f[fo + c] > f[fo + top]) top = c;
  const m = f[fo + top];
  let others = 0;
  for (let c = 0; c < k; c++) {
    const e = c === top ? 1 : Math.exp(f[fo + c] - m);
    terms[c] = e;
    if (c !== top) others += e;
  }
  const logSum = Math.log1p(others);
  let loss = 0;
  for (let c = 0; c < k; c++) loss += y[yo + c] * (m - f[fo + c] + logSum);
  if (soft !== undefined && rest !== undefined) {
    const sum = 1 + others;
    sumsExcludingEach(s);
    for (let c = 0; c < k; c++) {
      soft[so + c] = terms[c] / sum;
      rest[so + c] = excluded[c] / sum;
    }
  }
  return loss;
}

/**
 * d[dOff + c] ← scale·(μ s_c − y_c), from s and 1 − s as written by {@link crossEntropyRow}. @internal
 */
export function crossEntropyDelta(
  s: SoftmaxScratch,
  y: Float64Array,
  yo: number,
  soft: Float64Array,
  rest: Float64Array,
  so: number,
  scale: number,
  d: Float64Array,
  dOff: number,
): void {
  const { k, terms, excluded } = s;
  for (let c = 0; c < k; c++) terms[c] = y[yo + c];
  sumsExcludingEach(s); // Σ_{j≠c} y_j = μ − y_c
  for (let c = 0; c < k; c++) d[dOff + c] = (excluded[c] * soft[so + c] - y[yo + c] * rest[so + c]) * scale;
}

/**
 * out[oOff + c] ← scale·s_c·(r_c − Σ_j s_j r_j) = scale·((diag(s) − s sᵀ) r)_c, the curvature of the softmax
 * cross-entropy along r = r[ro … ro + k) (times μ/n: pass scale = μ/n). @internal
 */
export function crossEntropyCurvature(
  s: SoftmaxScratch,
  soft: Float64Array,
  rest: Float64Array,
  so: number,
  r: Float64Array,
  ro: number,
  scale: number,
  out: Float64Array,
  oOff: number,
): void {
  const { k, terms, excluded } = s;
  for (let c = 0; c < k; c++) terms[c] = soft[so + c] * r[ro + c];
  sumsExcludingEach(s);
  for (let c = 0; c < k; c++) out[oOff + c] = scale * soft[so + c] * (r[ro + c] * rest[so + c] - excluded[c]);
}
