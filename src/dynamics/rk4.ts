/**
 * Explicit Runge–Kutta steps for gradient flow θ'(t) = −∇L(θ(t)), driven by a Butcher tableau, and the
 * classical fourth-order method (RK4) used by {@link gradientFlow} ([Conflicting biases, App. G]: "a fourth-order
 * Runge–Kutta integrator").
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import type { LossModel } from '../core/loss-model.js';
import { integerInRange } from '../core/validate.js';

/**
 * The Butcher tableau (a, b, c) of an explicit Runge–Kutta method with s stages: `a[i]` holds the row
 * a_{i,0..i−1} (strictly lower triangular, so `a[0]` is empty), `b` the weights and `c` the nodes
 * (c_i = Σ_j a_{ij}). One step of size h for y' = f(y) is
 *
 *   k_i = f(y + h Σ_{j<i} a_{ij} k_j),  y' = y + h Σ_i b_i k_i.
 *
 * @since 0.1.0
 */
export interface ButcherTableau {
  readonly a: readonly (readonly number[])[];
  readonly b: readonly number[];
  readonly c: readonly number[];
}

function deepFreeze<T extends object>(o: T): Readonly<T> {
  for (const v of Object.values(o)) if (v !== null && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(o);
}

/**
 * The classical RK4 tableau (Kutta 1901; Hairer, Nørsett & Wanner, *Solving ODEs I*, Table II.1.2):
 *
 * ```
 *  0  |
 * 1/2 | 1/2
 * 1/2 | 0    1/2
 *  1  | 0    0    1
 * ----+--------------------
 *     | 1/6  1/3  1/3  1/6
 * ```
 *
 * @remarks Deeply frozen. The entries are the doubles nearest the rationals shown (1/6 and 1/3 are not exact
 * in binary); the tests check the eight order conditions up to order 4 in exact rational arithmetic on the
 * rationals those doubles round from. Global error O(h⁴).
 * @example
 * ```ts
 * import { RK4_TABLEAU } from 'eos-lab';
 * RK4_TABLEAU.b; // [1/6, 1/3, 1/3, 1/6]
 * ```
 * @since 0.1.0
 */
export const RK4_TABLEAU: ButcherTableau = deepFreeze({
  a: [[], [1 / 2], [0, 1 / 2], [0, 0, 1]],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
  c: [0, 1 / 2, 1 / 2, 1],
});

/**
 * Scratch buffers of {@link rk4Step}: the stage gradients and the stage point. Create once with
 * {@link createRk4Scratch} and reuse for every step (the step allocates nothing).
 *
 * @since 0.1.0
 */
export interface Rk4Scratch {
  /** The parameter dimension the buffers were made for. */
  readonly dim: number;
  /** `stages[i]` receives ∇L at the i-th stage point (after a step, `stages[0]` = ∇L(θ)). */
  readonly stages: readonly Float64Array[];
  /** The current stage point θ − h Σ_j a_{ij} ∇L_j (also the accumulator of the final combination). */
  readonly point: Float64Array;
  /** @internal The tableau compiled for the step. */
  readonly plan: RungeKuttaPlan;
}

/**
 * Allocates the scratch buffers for {@link rk4Step} (4 stage gradients and one stage point of length `dim`).
 *
 * @param dim - the model's dimension p.
 * @returns fresh buffers, 5p doubles in all.
 * @throws EosLabError `E_BAD_OPTION` if `dim` is not an integer ≥ 1 (argument `dim`).
 * @example
 * ```ts
 * import { createRk4Scratch } from 'eos-lab';
 * const scratch = createRk4Scratch(2);
 * ```
 * @since 0.1.0
 */
export function createRk4Scratch(dim: number): Rk4Scratch {
  integerInRange('createRk4Scratch', 'dim', dim, 1);
  return createRungeKuttaScratch(RK4_TABLEAU, dim);
}

/** @internal A tableau compiled for the step: the nonzero a_ij and b_i of each row with their indices. */
export interface RungeKuttaPlan {
  readonly tableau: ButcherTableau;
  readonly rowIndex: readonly Int32Array[];
  readonly rowCoef: readonly Float64Array[];
  readonly bIndex: Int32Array;
  readonly bCoef: Float64Array;
}

function compile(tableau: ButcherTableau): RungeKuttaPlan {
  const rowIndex: Int32Array[] = [];
  const rowCoef: Float64Array[] = [];
  const nonzero = (row: readonly number[]): [Int32Array, Float64Array] => {
    const idx: number[] = [];
    for (let j = 0; j < row.length; j++) if (row[j] !== 0) idx.push(j);
    return [Int32Array.from(idx), Float64Array.from(idx, (j) => row[j])];
  };
  for (const row of tableau.a) {
    const [i, c] = nonzero(row);
    rowIndex.push(i);
    rowCoef.push(c);
  }
  const [bIndex, bCoef] = nonzero(tableau.b);
  return { tableau, rowIndex, rowCoef, bIndex, bCoef };
}

/** @internal Scratch for any explicit tableau with `b.length` stages. */
export function createRungeKuttaScratch(tableau: ButcherTableau, dim: number): Rk4Scratch {
  const stages: Float64Array[] = [];
  for (let i = 0; i < tableau.b.length; i++) stages.push(new Float64Array(dim));
  return { dim, stages: Object.freeze(stages), point: new Float64Array(dim), plan: compile(tableau) };
}

/**
 * @internal The remaining stages and the update of one explicit Runge–Kutta step for θ' = −∇L(θ), given
 * `scratch.stages[0]` = ∇L(θ) already (so a driver that needs L(θ_k) and ∇L(θ_k) before deciding to step
 * does not evaluate them twice). The tableau is the one `scratch` was created for. With g_i = ∇L(y_i)
 * (so k_i = −g_i):
 *
 *   y_i[m] = θ[m] − h·(Σ_{j<i, a_ij≠0} a_ij g_j[m])   (sum left to right),
 *   out[m] = θ[m] − h·(Σ_{b_i≠0} b_i g_i[m])           (sum left to right).
 *
 * `out` may alias `theta`. No validation, no allocation. Returns the number of gradient evaluations made
 * (s − 1).
 */
export function rungeKuttaStepFromFirstStage(
  model: LossModel,
  theta: Float64Array,
  h: number,
  scratch: Rk4Scratch,
  out: Float64Array,
): number {
  const p = theta.length;
  const plan = scratch.plan;
  const stages = scratch.stages;
  const s = stages.length;
  const y = scratch.point;
  for (let i = 1; i < s; i++) {
    combine(plan.rowIndex[i], plan.rowCoef[i], stages, y, p);
    for (let m = 0; m < p; m++) y[m] = theta[m] - h * y[m];
    model.lossAndGrad(y, stages[i]);
  }
  combine(plan.bIndex, plan.bCoef, stages, y, p);
  for (let m = 0; m < p; m++) out[m] = theta[m] - h * y[m];
  return s - 1;
}

/** acc[m] = Σ_k coef[k]·stages[index[k]][m], summed left to right (0 for an empty list). */
function combine(index: Int32Array, coef: Float64Array, stages: readonly Float64Array[], acc: Float64Array, p: number): void {
  const n = index.length;
  if (n === 0) {
    acc.fill(0, 0, p);
    return;
  }
  const g0 = stages[index[0]];
  const c0 = coef[0];
  for (let m = 0; m < p; m++) acc[m] = c0 * g0[m];
  for (let k = 1; k < n; k++) {
    const g = stages[index[k]];
    const c = coef[k];
    for (let m = 0; m < p; m++) acc[m] += c * g[m];
  }
}

/**
 * One classical RK4 step of size h for gradient flow θ'(t) = −∇L(θ(t)) (docs/math.md §0; [Conflicting biases, App. G]):
 *
 *   g₁ = ∇L(θ), g₂ = ∇L(θ − (h/2) g₁), g₃ = ∇L(θ − (h/2) g₂), g₄ = ∇L(θ − h g₃),
 *   θ' = θ − h (g₁/6 + g₂/3 + g₃/3 + g₄/6).
 *
 * @remarks Operation order (for bit-for-bit reproduction elsewhere): stage points y[m] = θ[m] − h·(a·g[m]) with
 * the tableau's doubles (e.g. `0.5`), and θ'[m] = θ[m] − h·((((b₁g₁[m] + b₂g₂[m]) + b₃g₃[m]) + b₄g₄[m])) with
 * b = (1/6, 1/3, 1/3, 1/6) as doubles; no fused multiply-add. Cost: 4 `lossAndGrad` calls, no HVP, no
 * allocation. Checks only types and lengths (O(1)); finiteness of `theta` is not checked (a kernel for
 * your own loops — {@link gradientFlow} validates once). Inputs are not modified except `out` and `scratch`.
 * @param model - the loss.
 * @param theta - θ, length `model.dim`.
 * @param dt - the step size h > 0.
 * @param scratch - buffers from {@link createRk4Scratch}(model.dim); on return `scratch.stages[0]` = ∇L(θ).
 * @param out - receives θ'; may be `theta` itself (in-place step), must not be a scratch buffer.
 * @returns L(θ), the loss at the start of the step (from the first stage's `lossAndGrad`).
 * @throws EosLabError `E_BAD_OPTION` for `dt` not > 0, non-`Float64Array` buffers or `out` aliasing a
 *   scratch buffer; `E_DIM_MISMATCH` for lengths other than `model.dim`.
 * @example
 * ```ts
 * import { createRk4Scratch, rk4Step, scalarFactorization } from 'eos-lab';
 * const model = scalarFactorization.create();
 * const theta = new Float64Array([1.5, 0.5]);
 * const scratch = createRk4Scratch(model.dim);
 * for (let k = 0; k < 100; k++) rk4Step(model, theta, 0.01, scratch, theta); // flow to t = 1, in place
 * ```
 * @since 0.1.0
 */
export function rk4Step(model: LossModel, theta: Float64Array, dt: number, scratch: Rk4Scratch, out: Float64Array): number {
  const fn = 'rk4Step';
  checkStepArgs(fn, model, theta, out, 'dt', dt);
  if (scratch === null || typeof scratch !== 'object' || scratch.dim !== model.dim || !Array.isArray(scratch.stages)
    || scratch.stages.length !== RK4_TABLEAU.b.length || !(scratch.point instanceof Float64Array)
    || scratch.plan === undefined || scratch.plan.tableau !== RK4_TABLEAU) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: 'scratch', value: scratch, expected: `buffers from createRk4Scratch(${model.dim})` });
  }
  if (out === scratch.point || scratch.stages.includes(out)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'out', value: out, expected: 'a buffer distinct from the scratch buffers' });
  }
  if (theta === scratch.point || scratch.stages.includes(theta)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'theta', value: theta, expected: 'a buffer distinct from the scratch buffers' });
  }
  const loss = model.lossAndGrad(theta, scratch.stages[0]);
  rungeKuttaStepFromFirstStage(model, theta, dt, scratch, out);
  return loss;
}

/** @internal O(1) checks shared by the one-step primitives. */
export function checkStepArgs(fn: string, model: LossModel, theta: Float64Array, out: Float64Array, sizeName: string, size: number): void {
  if (model === null || typeof model !== 'object' || typeof model.lossAndGrad !== 'function') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'model', value: model, expected: 'a LossModel' });
  }
  if (typeof size !== 'number' || !Number.isFinite(size) || size <= 0) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: sizeName, value: size, expected: 'a finite number > 0' });
  }
  checkBuffer(fn, 'theta', theta, model.dim);
  checkBuffer(fn, 'out', out, model.dim);
}

function checkBuffer(fn: string, name: string, v: unknown, dim: number): void {
  if (!(v instanceof Float64Array)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: name, value: v, expected: 'a Float64Array' });
  }
  if (v.length !== dim) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${name}.length`, value: v.length, expected: `${dim} (the model's dim)` });
  }
}
