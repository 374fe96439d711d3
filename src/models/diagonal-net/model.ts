/**
 * Diagonal linear networks ([Conflicting biases, Sec. 3 and App. C]; Woodworth et al. 2020): the regressor β = w^{⊙L}
 * ("shared" weights) or β = u^{⊙L} − v^{⊙L} ("difference"), trained on n data points by the square loss
 * L = 1/(2n) Σᵢ (⟨xᵢ, β⟩ − yᵢ)². The `LossModel` with exact, allocation-free derivatives.
 *
 * @module
 */
import type { NdArray } from 'ndarray';
import { EosLabError } from '../../core/errors.js';
import type { LossModel, ModelSpec } from '../../core/loss-model.js';
import { checkSelection, type BatchView } from '../../core/batch-view.js';
import { registerBuiltInModel, specKeys } from '../../core/registry.js';
import { integerInRange, oneOf, optionKeys, optionsObject } from '../../core/validate.js';
import { zerosMatrix } from '../../linalg/matrix.js';

/** @internal Largest depth {@link create} accepts. */
export const MAX_DEPTH = 64;

/**
 * How the regressor β is built from the parameters θ.
 * - `'shared'`: θ = w ∈ ℝ^d, β = w^{⊙L} ([Conflicting biases, eqs. (3)–(4) and (9)]: a diagonal network whose layers share
 *   their weights; for L = 2, φ_w(z) = wᵀD_w z = ⟨w^{⊙2}, z⟩).
 * - `'difference'`: θ = (u, v) ∈ ℝ^{2d}, β = u^{⊙L} − v^{⊙L} (Woodworth et al. 2020), which can represent any
 *   sign of β even for even L.
 *
 * @since 0.1.0
 */
export type DiagonalNetParametrization = 'shared' | 'difference';

/**
 * Options of {@link create}.
 *
 * @since 0.1.0
 */
export interface DiagonalNetOptions {
  /**
   * The inputs x₁ … x_n as the rows of an n×d matrix: a 2-d `NdArray` [n, d] or nested arrays `number[][]`
   * (finite, n ≥ 1, d ≥ 1; copied). [Conflicting biases]'s single data point is `[[x₁, …, x_d]]`. Required.
   */
  inputs: NdArray | readonly (readonly number[])[];
  /** The targets y₁ … y_n (finite; length n; copied). Required. */
  targets: ArrayLike<number>;
  /**
   * The depth L ≥ 2 (the power in w^{⊙L}): an integer in [2, 64].
   * @defaultValue 2
   */
  depth?: number;
  /**
   * `'shared'` (θ = w, β = w^{⊙L}) or `'difference'` (θ = (u, v), β = u^{⊙L} − v^{⊙L}).
   * @defaultValue 'shared'
   */
  parametrization?: DiagonalNetParametrization;
}

/**
 * The JSON-serializable recipe of a diagonal network: `createModel(spec)` rebuilds it (e.g. in a worker).
 *
 * @since 0.1.0
 */
export interface DiagonalNetSpec extends ModelSpec {
  readonly kind: 'diagonal-net';
  /** The inputs, one row per data point (n rows of length d). */
  readonly inputs: readonly (readonly number[])[];
  /** The n targets. */
  readonly targets: readonly number[];
  readonly depth: number;
  readonly parametrization: DiagonalNetParametrization;
}

/**
 * A diagonal network: a {@link LossModel} whose `spec` records its data, depth and parametrization, with the
 * data dimensions and a dense `hessian`.
 *
 * @since 0.1.0
 */
export interface DiagonalNetModel extends LossModel {
  readonly spec: DiagonalNetSpec;
  /** Number of data points n. */
  readonly samples: number;
  /** Input dimension d (`dim` is d for `'shared'`, 2d for `'difference'`). */
  readonly inputDim: number;
  hessian(theta: Float64Array): NdArray<Float64Array>;
  /** Writes ∇³L(θ)[u, v] into `out` (see {@link create}); allocation-free. @since 0.2.0 */
  thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void;
  /**
   * Writes the regressor β (length d) into `out` and returns it: w^{⊙L} (`'shared'`) or u^{⊙L} − v^{⊙L}
   * (`'difference'`). Allocation-free.
   */
  regressor(theta: Float64Array, out: Float64Array): Float64Array;
  /**
   * A {@link BatchView} over the same data (no copy): L_B = 1/(2|B|) Σ_{i∈B} (⟨xᵢ, β⟩ − yᵢ)², read through an
   * index list, O(|B|·d) per evaluation; its own scratch. See the guide "Optimizers, schedules and thresholds".
   * @since 0.2.0
   */
  createBatchView(): BatchView & DiagonalNetModel;
}

/** @internal Reads and validates an n×d input matrix into row-major data. */
export function readInputs(fn: string, argument: string, inputs: unknown): { data: Float64Array; n: number; d: number } {
  if (Array.isArray(inputs)) {
    if (inputs.length === 0) throw new EosLabError('E_EMPTY', fn, { argument, value: inputs, expected: 'at least one row' });
    const rows = inputs as unknown[];
    const first = rows[0];
    if (!Array.isArray(first) && !ArrayBuffer.isView(first)) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}[0]`, value: first, expected: 'an array of numbers (one row per data point)' });
    }
    const d = (first as ArrayLike<number>).length;
    if (d === 0) throw new EosLabError('E_EMPTY', fn, { argument: `${argument}[0].length`, value: 0, expected: 'at least 1' });
    const n = rows.length;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const row = rows[i] as ArrayLike<number>;
      if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
        throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}[${i}]`, value: row, expected: 'an array of numbers' });
      }
      if (row.length !== d) {
        throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}[${i}].length`, value: row.length, expected: `${d} (the length of ${argument}[0])` });
      }
      for (let j = 0; j < d; j++) data[i * d + j] = checkEntry(fn, `${argument}[${i}][${j}]`, row[j]);
    }
    return { data, n, d };
  }
  const m = inputs as NdArray | null;
  if (m === null || typeof m !== 'object' || !Array.isArray(m.shape) || typeof m.get !== 'function') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: inputs, expected: 'a 2-d NdArray [n, d] or an array of rows (number[][])' });
  }
  if (m.shape.length !== 2) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.shape`, value: m.shape, expected: 'a 2-d shape [n, d]' });
  }
  const [n, d] = m.shape;
  if (n === 0 || d === 0) throw new EosLabError('E_EMPTY', fn, { argument: `${argument}.shape`, value: m.shape, expected: 'n >= 1 and d >= 1' });
  // ndarray never checks its data against its shape: check the extreme offsets before reading.
  const len = (m.data as ArrayLike<number>).length;
  const corners = [m.offset, m.offset + (n - 1) * m.stride[0], m.offset + (d - 1) * m.stride[1], m.offset + (n - 1) * m.stride[0] + (d - 1) * m.stride[1]];
  if (corners.some((c) => c < 0 || c >= len)) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.data.length`, value: len, expected: `a backing store covering the shape [${n}, ${d}]` });
  }
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = checkEntry(fn, `${argument}.get(${i}, ${j})`, m.get(i, j));
  return { data, n, d };
}

function checkEntry(fn: string, argument: string, v: unknown): number {
  if (typeof v !== 'number') throw new EosLabError('E_BAD_OPTION', fn, { argument, value: v, expected: 'a finite number' });
  if (!Number.isFinite(v)) throw new EosLabError('E_NONFINITE', fn, { argument, value: v, expected: 'a finite number' });
  return v;
}

/** @internal Reads and validates a finite numeric vector (array or typed array) of an optional length. */
export function readVector(fn: string, argument: string, v: unknown, length?: number): Float64Array {
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: v, expected: 'an array of finite numbers' });
  }
  const a = v as ArrayLike<number>;
  if (length !== undefined && a.length !== length) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.length`, value: a.length, expected: `${length}` });
  }
  if (a.length === 0) throw new EosLabError('E_EMPTY', fn, { argument: `${argument}.length`, value: 0, expected: 'at least 1' });
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = checkEntry(fn, `${argument}[${i}]`, a[i]);
  return out;
}

/**
 * Creates the diagonal-network loss on n data points (xᵢ, yᵢ) ∈ ℝ^d × ℝ,
 * L(θ) = 1/(2n) Σᵢ₌₁ⁿ (⟨xᵢ, β(θ)⟩ − yᵢ)², with β = w^{⊙L} (`'shared'`; [Conflicting biases, eq. (4)] for L = 2 and eq. (9)
 * for depth L, both with n = 1) or β = u^{⊙L} − v^{⊙L} (`'difference'`), and its exact gradient, Hessian-vector
 * product and dense Hessian.
 *
 * With residuals rᵢ = ⟨xᵢ, β⟩ − yᵢ, c = Xᵀr and, for `'shared'`, J = X·D_{w^{⊙(L−1)}}:
 * ∇L = (L/n) c ⊙ w^{⊙(L−1)} and ∇²L = (L²/n) JᵀJ + (L(L−1)/n) D_{c ⊙ w^{⊙(L−2)}}. For n = 1, L = 2 this is
 * [Conflicting biases]'s ∇L = 2r(x ⊙ w) and ∇²L = D_{2rx} + 4(x⊙w)(x⊙w)ᵀ (App. D; docs/math.md §2). For `'difference'`,
 * ∂_u L = (L/n) c ⊙ u^{⊙(L−1)}, ∂_v L = −(L/n) c ⊙ v^{⊙(L−1)}, and the Hessian has the same two parts with
 * J = [X·D_{u^{⊙(L−1)}}, −X·D_{v^{⊙(L−1)}}] and the diagonal (L(L−1)/n)·(c ⊙ u^{⊙(L−2)}, −c ⊙ v^{⊙(L−2)}).
 *
 * Third order (`thirdOrder`, since 0.2.0). Each parameter θₖ enters one coordinate j(k) of β through
 * φₖ(θₖ) = ±θₖᴸ (the sign is − for the v-block), so with fₖ = φₖ′, G = XᵀX/n and P the map summing the u- and
 * v-blocks into β-space (the identity for `'shared'`):
 * ∇³L[u, v]ₖ = uₖfₖ′·(G P(f⊙v))_{j(k)} + vₖfₖ′·(G P(f⊙u))_{j(k)} + fₖ·(G P(f′⊙u⊙v))_{j(k)} + uₖvₖfₖ″·c_{j(k)}/n,
 * the derivative of ∇²L = DfᵀPᵀ G P Df + D_{f′⊙(Pᵀc)/n} along θ.
 *
 * @remarks
 * Conventions: the loss is the **mean** over the n points **with the ½** (n = 1 is exactly the paper's eq. (4));
 * powers w^{⊙k} are computed by repeated multiplication (no `Math.pow`), so odd depths keep signs. Parameters are
 * laid out as θ = w (`'shared'`, dim d) or θ = (u₁…u_d, v₁…v_d) (`'difference'`, dim 2d).
 *
 * Cost: `loss` and `lossAndGrad` O(nd + dL), `hvp` O(nd + dL) (four passes over X, never forming ∇²L; two at
 * the same θ as the previous call of the full model, whose residuals and Xᵀr it reuses — θ compared by value,
 * so the 10–40 HVPs of one Lanczos estimate compute them once),
 * `thirdOrder` O(nd + dL) (seven passes over X), `hessian`
 * O(d²) after the Gram matrix XᵀX, computed once on the first call (O(nd²)). The kernels allocate nothing: they
 * use scratch buffers allocated here (so one model object must not be used re-entrantly, which single-threaded
 * JavaScript never does); `hessian` allocates only the returned matrix. Kernels do not validate (`LossModel`
 * contract); the zero coordinates are exact (no division anywhere).
 *
 * The factory is registered under `'diagonal-net'`: `createModel(model.spec)` rebuilds the model (the spec holds
 * the data as plain arrays, so it is JSON-serializable).
 *
 * @param options - the data (`inputs`, `targets`), `depth` and `parametrization`.
 * @returns the model; `dim` = d (`'shared'`) or 2d (`'difference'`).
 * @throws EosLabError `E_BAD_OPTION` for a missing or malformed `inputs`/`targets`, a `depth` not an integer in
 *   [2, 64] or an unknown `parametrization`; `E_DIM_MISMATCH` for ragged rows or `targets.length` ≠ n;
 *   `E_EMPTY` for no rows or empty rows; `E_NONFINITE` for NaN/±Infinity in the data.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * // [Conflicting biases, eq. (4)]: one data point x = (1, 2), y = 1, L(w) = ½(⟨x, w^{⊙2}⟩ − y)²
 * const model = diagonalNet.create({ inputs: [[1, 2]], targets: [1] });
 * const g = new Float64Array(2);
 * const loss = model.lossAndGrad(new Float64Array([1, 1]), g); // r = 2: loss 2, g = 2r(x⊙w) = [4, 8]
 * ```
 * @since 0.1.0
 */
export function create(options: DiagonalNetOptions): DiagonalNetModel {
  const fn = 'diagonalNet.create';
  if (options === undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options', value: options, expected: 'an options object with inputs and targets' });
  }
  const o = optionsObject(fn, options, optionKeys<DiagonalNetOptions>({ inputs: true, targets: true, depth: true, parametrization: true }));
  if (o.inputs === undefined) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.inputs', value: undefined, expected: 'an NdArray [n, d] or number[][]' });
  const { data, n, d } = readInputs(fn, 'options.inputs', o.inputs);
  const y = readVector(fn, 'options.targets', o.targets, n);
  const depth = integerInRange(fn, 'options.depth', o.depth ?? 2, 2, MAX_DEPTH);
  const parametrization = oneOf(fn, 'options.parametrization', o.parametrization ?? 'shared', ['shared', 'difference'] as const);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(data.subarray(i * d, (i + 1) * d)));
  const spec: DiagonalNetSpec = Object.freeze({
    kind: 'diagonal-net',
    inputs: Object.freeze(rows.map((r) => Object.freeze(r))),
    targets: Object.freeze(Array.from(y)),
    depth,
    parametrization,
  });
  return build(spec, data, y, n, d);
}

/**
 * The examples a set of kernels averages over: all n in order (`indices` null), or the batch
 * `indices[0 … count)` of a {@link BatchView}. Mutable: the view's `select` changes it.
 */
interface Selection {
  indices: Int32Array | null;
  count: number;
}

function build(spec: DiagonalNetSpec, X: Float64Array, y: Float64Array, n: number, d: number, selection?: Selection): DiagonalNetModel {
  const L = spec.depth;
  const diff = spec.parametrization === 'difference';
  const dim = diff ? 2 * d : d;
  const sel: Selection = selection ?? { indices: null, count: n };
  const isView = selection !== undefined; // the full model never changes its selection: no refresh check
  // 1/|B| and the scales below are refreshed by setScales() when the selection changes (1/n for the full model).
  let invN = 1 / n;
  let gradScale = L * invN; // ∇L = (L/n) c ⊙ w^{⊙(L−1)}
  let gaussScale = L * L * invN; // (L²/n) JᵀJ
  let curvScale = L * (L - 1) * invN; // (L(L−1)/n) D_{c ⊙ w^{⊙(L−2)}}
  let scaledFor = n;
  /** Refreshes 1/|B| and the scales when the selection's size changed (called first by every kernel). */
  function refresh(): void {
    if (sel.count === scaledFor) return;
    scaledFor = sel.count;
    invN = 1 / sel.count;
    gradScale = L * invN;
    gaussScale = L * L * invN;
    curvScale = L * (L - 1) * invN;
  }
  // Scratch, allocated once per model.
  const beta = new Float64Array(d); // β
  const r = new Float64Array(n); // residuals
  const c = new Float64Array(d); // Xᵀr
  const pu1 = new Float64Array(d); // u^{⊙(L−1)} (u = w for 'shared')
  const pu2 = new Float64Array(d); // u^{⊙(L−2)}
  const pv1 = new Float64Array(diff ? d : 0);
  const pv2 = new Float64Array(diff ? d : 0);
  const t = new Float64Array(d);
  const z = new Float64Array(n);
  const q = new Float64Array(d);
  // Third order only: two more directions in β-space and their images under XᵀX.
  const t2 = new Float64Array(d);
  const t3 = new Float64Array(d);
  const q2 = new Float64Array(d);
  const q3 = new Float64Array(d);
  let gram: Float64Array | undefined;

  /** p1 = a^{⊙(L−1)}, p2 = a^{⊙(L−2)} for a = theta[off … off+d), by repeated multiplication. */
  function powers(theta: Float64Array, off: number, p1: Float64Array, p2: Float64Array): void {
    for (let j = 0; j < d; j++) {
      const a = theta[off + j];
      let lo = 1; // a^{L−2}
      for (let k = 2; k < L; k++) lo *= a;
      p2[j] = lo;
      p1[j] = lo * a;
    }
  }

  /** β, r and the summed squared residual (powers must be current). */
  function residuals(theta: Float64Array): number {
    if (diff) {
      for (let j = 0; j < d; j++) beta[j] = pu1[j] * theta[j] - pv1[j] * theta[d + j];
    } else {
      for (let j = 0; j < d; j++) beta[j] = pu1[j] * theta[j];
    }
    let sum = 0;
    const idx = sel.indices;
    if (idx === null) {
      for (let i = 0; i < n; i++) {
        const row = i * d;
        let s = 0;
        for (let j = 0; j < d; j++) s += X[row + j] * beta[j];
        const ri = s - y[i];
        r[i] = ri;
        sum += ri * ri;
      }
      return sum;
    }
    for (let b = 0; b < sel.count; b++) {
      const i = idx[b]; // r is indexed by position b in the batch
      const row = i * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += X[row + j] * beta[j];
      const ri = s - y[i];
      r[b] = ri;
      sum += ri * ri;
    }
    return sum;
  }

  /** c = Xᵀ r. */
  function backProject(src: Float64Array, out: Float64Array): void {
    out.fill(0);
    const idx = sel.indices;
    for (let b = 0; b < sel.count; b++) {
      const row = (idx === null ? b : idx[b]) * d; // per row, not per entry: the branch is off the inner loop
      const si = src[b];
      for (let j = 0; j < d; j++) out[j] += X[row + j] * si;
    }
  }

  /** out = Xᵀ(X src) (z is scratch). */
  function gramApply(src: Float64Array, out: Float64Array): void {
    for (let i = 0; i < n; i++) {
      const row = i * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += X[row + j] * src[j];
      z[i] = s;
    }
    backProject(z, out);
  }

  /**
   * The third-order term of one block of parameters a = theta[off … off+d) entering β with sign `sign`:
   * out[off + j] = sign·(L(L−1)a^{L−2}(uⱼq⁽¹⁾ⱼ + vⱼq⁽²⁾ⱼ) + L·a^{L−1}q⁽³⁾ⱼ + L(L−1)(L−2)a^{L−3}uⱼvⱼcⱼ)/n.
   */
  function thirdOrderBlock(
    theta: Float64Array,
    u: Float64Array,
    v: Float64Array,
    out: Float64Array,
    off: number,
    sign: number,
    p1: Float64Array,
    p2: Float64Array,
  ): void {
    const k1 = sign * L * invN;
    const k2 = sign * L * (L - 1) * invN;
    const k3 = sign * L * (L - 1) * (L - 2) * invN;
    for (let j = 0; j < d; j++) {
      const a = theta[off + j];
      let p3 = 0; // a^{L−3}; its coefficient L(L−1)(L−2) vanishes at L = 2 (no division by a)
      if (L >= 3) {
        p3 = 1;
        for (let k = 3; k < L; k++) p3 *= a;
      }
      const uj = u[off + j];
      const vj = v[off + j];
      out[off + j] = k2 * p2[j] * (uj * q[j] + vj * q2[j]) + k1 * p1[j] * q3[j] + k3 * p3 * (uj * vj) * c[j];
    }
  }

  // HVP cache: the powers, residuals and c = Xᵀr depend on θ only, so consecutive HVPs at the same θ (a Lanczos
  // run: 10–40 of them) compute them once. Valid while no other kernel has overwritten those buffers (allPowers
  // clears it) and θ equals the copy taken when they were computed (compared by value: drivers update θ in
  // place). Views (mini-batches) change their selection from outside, so they never use it.
  const hvpTheta = new Float64Array(isView ? 0 : dim);
  let hvpCacheValid = false;
  function sameAsHvpTheta(theta: Float64Array): boolean {
    for (let i = 0; i < dim; i++) {
      const x = theta[i];
      // (0 and −0 differ here: the sign of a zero coordinate can reach the sign of a zero in the product.)
      if (x !== hvpTheta[i] || (x === 0 && 1 / x !== 1 / hvpTheta[i])) return false;
    }
    return true;
  }

  function allPowers(theta: Float64Array): void {
    hvpCacheValid = false;
    if (isView) refresh();
    powers(theta, 0, pu1, pu2);
    if (diff) powers(theta, d, pv1, pv2);
  }

  return {
    spec,
    dim,
    samples: n,
    inputDim: d,
    loss(theta: Float64Array): number {
      allPowers(theta);
      return 0.5 * invN * residuals(theta);
    },
    lossAndGrad(theta: Float64Array, gradOut: Float64Array): number {
      allPowers(theta);
      const sum = residuals(theta);
      backProject(r, c);
      for (let j = 0; j < d; j++) gradOut[j] = gradScale * c[j] * pu1[j];
      if (diff) for (let j = 0; j < d; j++) gradOut[d + j] = -(gradScale * c[j] * pv1[j]);
      return 0.5 * invN * sum;
    },
    hvp(theta: Float64Array, v: Float64Array, out: Float64Array): void {
      if (!(hvpCacheValid && sameAsHvpTheta(theta))) {
        allPowers(theta);
        residuals(theta);
        backProject(r, c);
        if (!isView) {
          hvpTheta.set(theta);
          hvpCacheValid = true;
        }
      }
      // Gauss–Newton part (L²/n) Jᵀ(J v) with J v = X t, t = a^{⊙(L−1)} ⊙ v (minus the v-block for 'difference').
      if (diff) for (let j = 0; j < d; j++) t[j] = pu1[j] * v[j] - pv1[j] * v[d + j];
      else for (let j = 0; j < d; j++) t[j] = pu1[j] * v[j];
      const idx = sel.indices;
      for (let b = 0; b < sel.count; b++) {
        const row = (idx === null ? b : idx[b]) * d;
        let s = 0;
        for (let j = 0; j < d; j++) s += X[row + j] * t[j];
        z[b] = s;
      }
      backProject(z, q);
      for (let j = 0; j < d; j++) out[j] = gaussScale * pu1[j] * q[j] + curvScale * c[j] * pu2[j] * v[j];
      if (diff) for (let j = 0; j < d; j++) out[d + j] = -(gaussScale * pv1[j] * q[j]) - curvScale * c[j] * pv2[j] * v[d + j];
    },
    thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void {
      allPowers(theta);
      residuals(theta);
      backProject(r, c);
      // β-space directions (P collapses the u- and v-blocks): t = P(f⊙v), t2 = P(f⊙u), t3 = P(f'⊙u⊙v), with
      // f = ±L·a^{L−1} and f' = ±L(L−1)·a^{L−2} (the factor L and the signs are applied in thirdOrderBlock).
      const L1 = L - 1;
      for (let j = 0; j < d; j++) {
        t[j] = pu1[j] * v[j];
        t2[j] = pu1[j] * u[j];
        t3[j] = L1 * pu2[j] * (u[j] * v[j]);
      }
      if (diff) {
        for (let j = 0; j < d; j++) {
          t[j] -= pv1[j] * v[d + j];
          t2[j] -= pv1[j] * u[d + j];
          t3[j] -= L1 * pv2[j] * (u[d + j] * v[d + j]);
        }
      }
      // q = L·XᵀX t pairs with u, q2 = L·XᵀX t2 with v, q3 = L·XᵀX t3 with f (the 1/n is in thirdOrderBlock).
      gramApply(t, q);
      gramApply(t2, q2);
      gramApply(t3, q3);
      for (let j = 0; j < d; j++) {
        q[j] *= L;
        q2[j] *= L;
        q3[j] *= L;
      }
      thirdOrderBlock(theta, u, v, out, 0, 1, pu1, pu2);
      if (diff) thirdOrderBlock(theta, u, v, out, d, -1, pv1, pv2);
    },
    hessian(theta: Float64Array): NdArray<Float64Array> {
      if (gram === undefined || sel.indices !== null) {
        gram ??= new Float64Array(d * d);
        gram.fill(0);
        const idx = sel.indices;
        for (let b = 0; b < sel.count; b++) {
          const row = (idx === null ? b : idx[b]) * d;
          for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) gram[j * d + k] += X[row + j] * X[row + k];
        }
      }
      const G = gram;
      allPowers(theta);
      residuals(theta);
      backProject(r, c);
      const h = zerosMatrix(dim, dim);
      const a = h.data;
      for (let j = 0; j < d; j++) {
        for (let k = 0; k < d; k++) {
          const gjk = gaussScale * G[j * d + k];
          // gjk·(pⱼ·pₖ): the products commute exactly, so the matrix is exactly symmetric.
          a[j * dim + k] = gjk * (pu1[j] * pu1[k]);
          if (diff) {
            a[j * dim + d + k] = -(gjk * (pu1[j] * pv1[k]));
            a[(d + j) * dim + k] = -(gjk * (pu1[k] * pv1[j]));
            a[(d + j) * dim + d + k] = gjk * (pv1[j] * pv1[k]);
          }
        }
        a[j * dim + j] += curvScale * c[j] * pu2[j];
        if (diff) a[(d + j) * dim + d + j] -= curvScale * c[j] * pv2[j];
      }
      return h;
    },
    regressor(theta: Float64Array, out: Float64Array): Float64Array {
      allPowers(theta);
      if (diff) for (let j = 0; j < d; j++) out[j] = pu1[j] * theta[j] - pv1[j] * theta[d + j];
      else for (let j = 0; j < d; j++) out[j] = pu1[j] * theta[j];
      return out;
    },
    createBatchView(): BatchView & DiagonalNetModel {
      // The view's kernels read the same X and y through an index list: no data copied, O(|B|·d) per evaluation.
      const viewSelection: Selection = { indices: new Int32Array(n), count: n };
      for (let i = 0; i < n; i++) (viewSelection.indices as Int32Array)[i] = i;
      const kernels = build(spec, X, y, n, d, viewSelection);
      const view = Object.assign(kernels, {
        examples: n,
        get count(): number {
          return viewSelection.count;
        },
        select(indices: Int32Array, count: number): void {
          checkSelection('diagonalNet batch view select', indices, count, n);
          (viewSelection.indices as Int32Array).set(indices.subarray(0, count));
          viewSelection.count = count;
        },
      });
      return view as BatchView & DiagonalNetModel;
    },
  };
}

registerBuiltInModel('diagonal-net', (spec: ModelSpec) =>
  specKeys(spec, ['inputs', 'targets', 'depth', 'parametrization']) && create({
    inputs: spec.inputs as number[][],
    targets: spec.targets as number[],
    depth: spec.depth as number,
    parametrization: spec.parametrization as DiagonalNetParametrization,
  }),
);

