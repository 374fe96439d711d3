/**
 * The differentiable operations of `autodiff`: elementwise arithmetic and functions with numpy-style
 * broadcasting, reductions, products, and slicing. They are called inside the function given to
 * `fromFunction`, where they record the computation; the model then evaluates it and its exact derivatives.
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import * as build from './build.js';
import { type Shape, broadcastShapes, sameShape, showShape, sizeOf } from './shape.js';
import { type Operand, Tensor, currentGraph, lift, wrap } from './tensor.js';

function binaryOp(op: build.BinaryOp, a: Operand, b: Operand): Tensor {
  const fn = `autodiff.${op}`;
  const g = currentGraph(fn);
  const x = lift(fn, 'a', a);
  const y = lift(fn, 'b', b);
  broadcastShapes(fn, g.node(x).shape, g.node(y).shape);
  return wrap(fn, build.binary(g, op, x, y));
}

function unaryOp(op: build.UnaryOp, x: Operand): Tensor {
  const fn = `autodiff.${op}`;
  const g = currentGraph(fn);
  return wrap(fn, build.unary(g, op, lift(fn, 'x', x)));
}

/**
 * Elementwise sum a + b, broadcasting (numpy's rule for rank ≤ 2: shapes aligned on the right, a dimension 1
 * stretches; a number is a scalar).
 *
 * @remarks Derivative: ∂/∂a = ∂/∂b = 1 (summed over stretched dimensions). Cost O(size).
 * @param a - first operand.
 * @param b - second operand.
 * @returns a tensor of the broadcast shape.
 * @throws EosLabError `E_DIM_MISMATCH` if the shapes do not broadcast; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const { add, sum } = autodiff;
 * const model = fromFunction(2, (w) => sum(add(w, [[1, 2], [3, 4]]))); // [2] + [2, 2] → [2, 2]
 * model.loss(new Float64Array([0, 0])); // 10
 * ```
 * @since 0.2.0
 */
export function add(a: Operand, b: Operand): Tensor {
  return binaryOp('add', a, b);
}

/**
 * Elementwise difference a − b, broadcasting as {@link add}.
 *
 * @remarks Derivative: ∂/∂a = 1, ∂/∂b = −1. Cost O(size).
 * @param a - minuend.
 * @param b - subtrahend.
 * @returns a tensor of the broadcast shape.
 * @throws EosLabError `E_DIM_MISMATCH` if the shapes do not broadcast; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const model = fromFunction(1, (w) => autodiff.sub(w, 3));
 * model.loss(new Float64Array([5])); // 2
 * ```
 * @since 0.2.0
 */
export function sub(a: Operand, b: Operand): Tensor {
  return binaryOp('sub', a, b);
}

/**
 * Elementwise (Hadamard) product a ⊙ b, broadcasting as {@link add}; a number scales.
 *
 * @remarks Derivative: ∂/∂a = b, ∂/∂b = a. Cost O(size).
 * @param a - first factor.
 * @param b - second factor.
 * @returns a tensor of the broadcast shape.
 * @throws EosLabError `E_DIM_MISMATCH` if the shapes do not broadcast; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const { mul, sum } = autodiff;
 * const model = fromFunction(2, (w) => mul(0.5, sum(mul(w, w)))); // ½‖w‖²
 * model.loss(new Float64Array([3, 4])); // 12.5
 * ```
 * @since 0.2.0
 */
export function mul(a: Operand, b: Operand): Tensor {
  return binaryOp('mul', a, b);
}

/**
 * Elementwise quotient a / b, broadcasting as {@link add}.
 *
 * @remarks Derivative: ∂/∂a = 1/b, ∂/∂b = −a/b². Division by zero gives ±Infinity or NaN, as in JavaScript. Cost O(size).
 * @param a - dividend.
 * @param b - divisor.
 * @returns a tensor of the broadcast shape.
 * @throws EosLabError `E_DIM_MISMATCH` if the shapes do not broadcast; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const model = fromFunction(1, (w) => autodiff.div(1, w));
 * const g = new Float64Array(1);
 * model.lossAndGrad(new Float64Array([2]), g); // 0.5, g = [−0.25]
 * ```
 * @since 0.2.0
 */
export function div(a: Operand, b: Operand): Tensor {
  return binaryOp('div', a, b);
}

/**
 * Elementwise negation −x.
 *
 * @remarks Cost O(size).
 * @param x - operand.
 * @returns −x, same shape.
 * @throws EosLabError `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * fromFunction(1, (w) => autodiff.neg(w)).loss(new Float64Array([2])); // −2
 * ```
 * @since 0.2.0
 */
export function neg(x: Operand): Tensor {
  return unaryOp('neg', x);
}

/**
 * Elementwise power x^p for a constant exponent p.
 *
 * @remarks
 * An integer p in [0, 64] is computed by repeated multiplication, left to right (x·x·…·x, exact signs for
 * negative x, no `Math.pow`); any other p by `Math.pow` (so a negative x with a non-integer p gives NaN).
 * Derivative: p·x^{p−1}. Cost O(size·p) for integer p, O(size) otherwise.
 * @param x - base.
 * @param p - exponent: a finite number.
 * @returns x^p, same shape.
 * @throws EosLabError `E_BAD_OPTION`/`E_NONFINITE` if p is not a finite number; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const model = fromFunction(1, (w) => autodiff.pow(w, 3));
 * const g = new Float64Array(1);
 * model.lossAndGrad(new Float64Array([-2]), g); // −8, g = [12]
 * ```
 * @since 0.2.0
 */
export function pow(x: Operand, p: number): Tensor {
  const fn = 'autodiff.pow';
  const g = currentGraph(fn);
  if (typeof p !== 'number') throw new EosLabError('E_BAD_OPTION', fn, { argument: 'p', value: p, expected: 'a finite number (the exponent is a constant)' });
  if (!Number.isFinite(p)) throw new EosLabError('E_NONFINITE', fn, { argument: 'p', value: p, expected: 'a finite number' });
  return wrap(fn, build.power(g, lift(fn, 'x', x), p));
}

/**
 * Elementwise exponential eˣ.
 *
 * @remarks Derivative: eˣ. Cost O(size).
 * @param x - operand.
 * @returns eˣ, same shape.
 * @throws EosLabError `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * fromFunction(2, (w) => autodiff.sum(autodiff.exp(w))).loss(new Float64Array([0, 0])); // 2
 * ```
 * @since 0.2.0
 */
export function exp(x: Operand): Tensor {
  return unaryOp('exp', x);
}

/**
 * Elementwise natural logarithm log x.
 *
 * @remarks Derivative: 1/x. log 0 = −Infinity and log of a negative number is NaN, as in JavaScript. Cost O(size).
 * @param x - operand.
 * @returns log x, same shape.
 * @throws EosLabError `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * fromFunction(1, (w) => autodiff.log(w)).loss(new Float64Array([Math.E])); // 1
 * ```
 * @since 0.2.0
 */
export function log(x: Operand): Tensor {
  return unaryOp('log', x);
}

/**
 * Elementwise square root √x.
 *
 * @remarks Derivative: 1/(2√x) (infinite at 0). Cost O(size).
 * @param x - operand.
 * @returns √x, same shape.
 * @throws EosLabError `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * fromFunction(1, (w) => autodiff.sqrt(w)).loss(new Float64Array([9])); // 3
 * ```
 * @since 0.2.0
 */
export function sqrt(x: Operand): Tensor {
  return unaryOp('sqrt', x);
}

/**
 * Elementwise hyperbolic tangent.
 *
 * @remarks Derivative: 1 − tanh²x. Cost O(size).
 * @param x - operand.
 * @returns tanh x, same shape.
 * @throws EosLabError `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * fromFunction(1, (w) => autodiff.tanh(w)).loss(new Float64Array([0])); // 0
 * ```
 * @since 0.2.0
 */
export function tanh(x: Operand): Tensor {
  return unaryOp('tanh', x);
}

/**
 * Elementwise logistic sigmoid σ(x) = 1/(1 + e^{−x}).
 *
 * @remarks Derivative: σ(1 − σ). Cost O(size).
 * @param x - operand.
 * @returns σ(x), same shape.
 * @throws EosLabError `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * fromFunction(1, (w) => autodiff.sigmoid(w)).loss(new Float64Array([0])); // 0.5
 * ```
 * @since 0.2.0
 */
export function sigmoid(x: Operand): Tensor {
  return unaryOp('sigmoid', x);
}

/**
 * Elementwise rectifier max(x, 0).
 *
 * @remarks
 * Derivative: [x > 0], taken as 0 at x = 0 (as other automatic differentiation systems do), and its own
 * derivative is 0: the Hessian of a ReLU function is the one of the linear piece containing θ, exact wherever no
 * argument is exactly 0. Cost O(size).
 * @param x - operand.
 * @returns max(x, 0), same shape.
 * @throws EosLabError `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * fromFunction(2, (w) => autodiff.sum(autodiff.relu(w))).loss(new Float64Array([-1, 2])); // 2
 * ```
 * @since 0.2.0
 */
export function relu(x: Operand): Tensor {
  return unaryOp('relu', x);
}

/**
 * Elementwise softplus log(1 + eˣ), computed stably as max(x, 0) + log1p(e^{−|x|}).
 *
 * @remarks Derivative: σ(x) (the sigmoid). Cost O(size).
 * @param x - operand.
 * @returns softplus(x), same shape.
 * @throws EosLabError `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * fromFunction(1, (w) => autodiff.softplus(w)).loss(new Float64Array([0])); // log 2
 * ```
 * @since 0.2.0
 */
export function softplus(x: Operand): Tensor {
  return unaryOp('softplus', x);
}

/**
 * Elementwise absolute value |x|.
 *
 * @remarks Derivative: sign(x), taken as 0 at x = 0. Cost O(size).
 * @param x - operand.
 * @returns |x|, same shape.
 * @throws EosLabError `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * fromFunction(2, (w) => autodiff.sum(autodiff.abs(w))).loss(new Float64Array([-1, 2])); // 3 = ‖w‖₁
 * ```
 * @since 0.2.0
 */
export function abs(x: Operand): Tensor {
  return unaryOp('abs', x);
}

/** The reduced shape (keeping a 1 in the summed axis) and the result shape of a reduction. */
function reduction(fn: string, shape: Shape, axis: number | undefined): { kept: Shape; result: Shape; count: number } {
  if (axis === undefined) return { kept: [], result: [], count: sizeOf(shape) };
  if (!Number.isInteger(axis) || axis < 0 || axis >= Math.max(shape.length, 1)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'axis', value: axis, expected: `undefined (all entries) or an axis of the shape ${showShape(shape)}: an integer in [0, ${Math.max(shape.length, 1) - 1}]` });
  }
  if (shape.length < 2) return { kept: [], result: [], count: sizeOf(shape) };
  return axis === 0
    ? { kept: [1, shape[1]], result: [shape[1]], count: shape[0] }
    : { kept: [shape[0], 1], result: [shape[0]], count: shape[1] };
}

/**
 * Sum of all entries (a scalar), or along one axis of a matrix (axis 0 sums the rows together, giving a vector of
 * column sums; axis 1 gives the row sums).
 *
 * @remarks Summation is left to right in storage order (row by row). Cost O(size).
 * @param x - operand.
 * @param axis - undefined for all entries, or 0 or 1.
 * @returns a scalar, or a vector.
 * @throws EosLabError `E_BAD_OPTION` for an axis the shape does not have; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const { sum, mul } = autodiff;
 * const model = fromFunction(2, (w) => sum(sum(mul(w, [[1, 1], [2, 2]]), 1))); // row sums, then their sum
 * model.loss(new Float64Array([1, 1])); // 6
 * ```
 * @since 0.2.0
 */
export function sum(x: Operand, axis?: number): Tensor {
  const fn = 'autodiff.sum';
  const g = currentGraph(fn);
  const id = lift(fn, 'x', x);
  const { kept, result } = reduction(fn, g.node(id).shape, axis);
  return wrap(fn, build.reshape(g, build.reduce(g, id, kept), result));
}

/**
 * Mean of all entries, or along one axis of a matrix (as {@link sum}, divided by the number of summed entries).
 *
 * @remarks Computed as the sum divided by the count (a division, not a multiplication by its reciprocal). Cost O(size).
 * @param x - operand.
 * @param axis - undefined for all entries, or 0 or 1.
 * @returns a scalar, or a vector.
 * @throws EosLabError `E_BAD_OPTION` for an axis the shape does not have; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * fromFunction(4, (w) => autodiff.mean(w)).loss(new Float64Array([1, 2, 3, 6])); // 3
 * ```
 * @since 0.2.0
 */
export function mean(x: Operand, axis?: number): Tensor {
  const fn = 'autodiff.mean';
  const g = currentGraph(fn);
  const id = lift(fn, 'x', x);
  const { kept, result, count } = reduction(fn, g.node(id).shape, axis);
  const s = build.reshape(g, build.reduce(g, id, kept), result);
  return wrap(fn, build.binary(g, 'div', s, build.scalar(g, count)));
}

/**
 * log Σ exp(x) over all entries, or along one axis of a matrix (axis 1: per row, the softmax normalizer of a batch
 * of logits), computed stably as m + log1p(Σ_{j≠top} exp(x_j − m)) with m the maximum (entry top).
 *
 * @remarks
 * Derivative: softmax(x), formed as exp(log softmax(x)) with the log-softmax primitive of
 * {@link softmaxCrossEntropy}, so the second derivative diag(s) − ssᵀ and the third keep their digits when one entry
 * dominates (s_top → 1): the curvature s_top (1 − s_top) along that entry is computed from 1 − s_top summed over
 * the other entries (at x = (40, 0, 0) it is 8.5e-18 to full precision; the direct form e^{x−m}/Σ e^{x_j−m}
 * differentiated again gives 0).
 * For a cross-entropy use {@link softmaxCrossEntropy}: lse(f) − f_c as a difference of two operations cancels.
 * Cost O(size) (one exp per entry).
 * @param x - operand.
 * @param axis - undefined for all entries, or 0 or 1.
 * @returns a scalar, or a vector.
 * @throws EosLabError `E_BAD_OPTION` for an axis the shape does not have; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * fromFunction(2, (w) => autodiff.logSumExp(w)).loss(new Float64Array([1000, 1000])); // 1000 + log 2
 * ```
 * @since 0.2.0
 */
export function logSumExp(x: Operand, axis?: number): Tensor {
  const fn = 'autodiff.logSumExp';
  const g = currentGraph(fn);
  const { id, shape } = shapeOfOperand(fn, 'x', x);
  const { result } = reduction(fn, shape, axis);
  return wrap(fn, build.reshape(g, build.logSumExpRows(g, asRows(g, id, shape, axis)), result));
}

/** The distributions of a reduction along `axis` as the rows of a matrix: x itself (axis 1), xᵀ (axis 0), or one row. */
function asRows(g: ReturnType<typeof currentGraph>, id: number, shape: Shape, axis: number | undefined): number {
  if (shape.length === 2 && axis === 1) return id;
  if (shape.length === 2 && axis === 0) return build.unary(g, 'transpose', id);
  return build.reshape(g, id, [1, sizeOf(shape)]);
}

/**
 * Softmax cross-entropy ℓ = Σ_c y_c (lse(f) − f_c) = −Σ_c y_c log softmax(f)_c of logits f against targets y
 * (one-hot or probability vectors), over all entries (one distribution, a scalar) or along one axis of a matrix
 * (axis 1: one example per row, the usual batch layout, giving one loss per row), fused into one operation
 * whose value and derivatives of every order stay accurate when the softmax saturates.
 *
 * @remarks
 * Natural logarithm; a sum over classes, not a mean (take {@link mean} or divide the {@link sum} over the rows
 * for the batch mean). Derivative: ∂ℓ/∂f_c = μ s_c − y_c with s = softmax(f) and μ = Σ_c y_c, the curvature
 * μ (diag(s) − s sᵀ) ([Griewank & Walther 2008] for the reverse mode that differentiates it again).
 *
 * Why fused: written as `sum(mul(y, sub(logSumExp(f), f)))`, lse(f) − f_top, μ s_top − 1 and every higher
 * derivative subtract numbers of size 1 to get a result of size 1 − s_top, losing log₁₀(1/(1 − s_top)) digits
 * once the prediction is confident (a gap of 20 between the top logit and the rest loses 9 digits; a gap of 40
 * loses all of them). Here log softmax is a primitive computed as f_c − m − log1p(Σ_{j≠top} e^{f_j − m}) (m the
 * largest logit), and its derivative rule is g_c (1 − s_c) − s_c Σ_{j≠c} g_j with 1 − s_c = Σ_{j≠c} s_j summed
 * over the other classes (a prefix plus a suffix sum), never subtracted. Since that rule is written with the same
 * primitives, the Hessian-vector product and the third-order term keep the form: on rows with the top logit
 * ahead by up to 40 (s_top up to 1 − 4e-18), loss, gradient and HVP agree with 80-digit references to 3.2e-15
 * relative and the third-order term to 4.4e-15 (measured in the tests). Targets may depend on θ too (the
 * derivative with respect to y is −log softmax(f)). Cost O(size) per pass (one exp per entry); each derivative
 * pass adds O(size).
 * @param logits - the logits f: a vector [k] or a matrix [n, k].
 * @param targets - the targets y, same shape as `logits` (rows of one-hot or probability vectors; any real
 *   weights are accepted, as ℓ is linear in y).
 * @param axis - undefined for all entries as one distribution, or 0 (per column) or 1 (per row).
 * @returns a scalar, or a vector of per-row (axis 1) or per-column (axis 0) losses.
 * @throws EosLabError `E_DIM_MISMATCH` if `targets` has another shape than `logits`; `E_BAD_OPTION` for an axis
 *   the shape does not have; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const { softmaxCrossEntropy, reshape, mean } = autodiff;
 * // two examples with 3 classes each, logits θ as a [2, 3] matrix, mean over the batch
 * const targets = [[1, 0, 0], [0, 0, 1]];
 * const model = fromFunction(6, (w) => mean(softmaxCrossEntropy(reshape(w, [2, 3]), targets, 1)));
 * model.loss(new Float64Array([0, 0, 0, 0, 0, 0])); // log 3
 * const g = new Float64Array(6);
 * model.lossAndGrad(new Float64Array([40, 0, 0, 0, 0, 40]), g); // log1p(2e^{−40}) ≈ 8.4967e-18, to full precision
 * // g[0] = −(1 − s_top)/2 ≈ −4.2484e-18 (where (s_top − 1)/2 would give 0), g[1] = s_1/2 ≈ 2.1242e-18
 * ```
 * @since 0.2.0
 */
export function softmaxCrossEntropy(logits: Operand, targets: Operand, axis?: number): Tensor {
  const fn = 'autodiff.softmaxCrossEntropy';
  const g = currentGraph(fn);
  const f = shapeOfOperand(fn, 'logits', logits);
  const y = shapeOfOperand(fn, 'targets', targets);
  if (!sameShape(f.shape, y.shape)) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: 'targets.shape', value: showShape(y.shape), expected: `the shape of logits ${showShape(f.shape)}` });
  }
  const { result } = reduction(fn, f.shape, axis);
  // The primitive works on the rows of a matrix: bring the distributions into rows.
  const fr = asRows(g, f.id, f.shape, axis);
  const yr = asRows(g, y.id, y.shape, axis);
  const rows = g.node(fr).shape[0];
  const perRow = build.reduce(g, build.binary(g, 'mul', yr, build.logSoftmax(g, fr)), [rows, 1]);
  return wrap(fn, build.reshape(g, build.unary(g, 'neg', perRow), result));
}

function shapeOfOperand(fn: string, argument: string, x: Operand): { id: number; shape: Shape } {
  const g = currentGraph(fn);
  const id = lift(fn, argument, x);
  return { id, shape: g.node(id).shape };
}

function requireRank(fn: string, argument: string, shape: Shape, rank: number): void {
  if (shape.length !== rank) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.shape`, value: showShape(shape), expected: rank === 1 ? 'a vector [n]' : 'a matrix [m, n]' });
  }
}

function innerMismatch(fn: string, a: Shape, c: Shape): never {
  throw new EosLabError('E_DIM_MISMATCH', fn, { argument: 'b.shape', value: showShape(c), expected: `an inner dimension matching a.shape ${showShape(a)}` });
}

/**
 * Inner product ⟨a, b⟩ = Σᵢ aᵢbᵢ of two vectors of equal length.
 *
 * @remarks Uses the blocked product kernel (`matmulTransB` with one row). Cost O(n).
 * @param a - vector [n].
 * @param b - vector [n].
 * @returns a scalar.
 * @throws EosLabError `E_DIM_MISMATCH` unless both are vectors of one length; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * fromFunction(2, (w) => autodiff.dot(w, [3, 4])).loss(new Float64Array([1, 2])); // 11
 * ```
 * @since 0.2.0
 */
export function dot(a: Operand, b: Operand): Tensor {
  const fn = 'autodiff.dot';
  const g = currentGraph(fn);
  const x = shapeOfOperand(fn, 'a', a);
  const y = shapeOfOperand(fn, 'b', b);
  requireRank(fn, 'a', x.shape, 1);
  requireRank(fn, 'b', y.shape, 1);
  if (x.shape[0] !== y.shape[0]) innerMismatch(fn, x.shape, y.shape);
  return wrap(fn, build.matmul(g, x.id, y.id, { m: 1, n: 1, k: x.shape[0], transA: false, transB: true }, []));
}

/**
 * Matrix–vector product A x (A of shape [m, k], x of length k).
 *
 * @remarks Blocked product kernels of `linalg/gemm.ts`; the derivative uses Aᵀ and outer products. Cost 2mk flops.
 * @param a - matrix [m, k].
 * @param x - vector [k].
 * @returns a vector [m].
 * @throws EosLabError `E_DIM_MISMATCH` for other shapes; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const { matvec, sum } = autodiff;
 * fromFunction(2, (w) => sum(matvec([[1, 0], [0, 2], [1, 1]], w))).loss(new Float64Array([1, 1])); // 1 + 2 + 2
 * ```
 * @since 0.2.0
 */
export function matvec(a: Operand, x: Operand): Tensor {
  const fn = 'autodiff.matvec';
  const g = currentGraph(fn);
  const A = shapeOfOperand(fn, 'a', a);
  const v = shapeOfOperand(fn, 'x', x);
  requireRank(fn, 'a', A.shape, 2);
  requireRank(fn, 'x', v.shape, 1);
  if (A.shape[1] !== v.shape[0]) innerMismatch(fn, A.shape, v.shape);
  return wrap(fn, build.matmul(g, A.id, v.id, { m: A.shape[0], n: 1, k: A.shape[1], transA: false, transB: false }, [A.shape[0]]));
}

/**
 * Matrix product A B (A of shape [m, k], B of shape [k, n]). A `transpose` of either operand is folded into the
 * product (no copy).
 *
 * @remarks Blocked, register-tiled kernels of `linalg/gemm.ts` (`matmul`, `matmulTransA`, `matmulTransB`), for the
 * product and for its derivatives. Cost 2mnk flops.
 * @param a - matrix [m, k].
 * @param b - matrix [k, n].
 * @returns a matrix [m, n].
 * @throws EosLabError `E_DIM_MISMATCH` for other shapes; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const { matmul, reshape, sum } = autodiff;
 * const model = fromFunction(4, (w) => sum(matmul(reshape(w, [2, 2]), [[1, 0], [0, 1]])));
 * model.loss(new Float64Array([1, 2, 3, 4])); // 10
 * ```
 * @since 0.2.0
 */
export function matmul(a: Operand, b: Operand): Tensor {
  const fn = 'autodiff.matmul';
  const g = currentGraph(fn);
  const A = shapeOfOperand(fn, 'a', a);
  const B = shapeOfOperand(fn, 'b', b);
  requireRank(fn, 'a', A.shape, 2);
  requireRank(fn, 'b', B.shape, 2);
  if (A.shape[1] !== B.shape[0]) innerMismatch(fn, A.shape, B.shape);
  const [m, k] = A.shape;
  const n = B.shape[1];
  return wrap(fn, build.matmul(g, A.id, B.id, { m, n, k, transA: false, transB: false }, [m, n]));
}

/**
 * Outer product a bᵀ of two vectors: the matrix [m, n] with entries aᵢbⱼ.
 *
 * @remarks Cost mn.
 * @param a - vector [m].
 * @param b - vector [n].
 * @returns a matrix [m, n].
 * @throws EosLabError `E_DIM_MISMATCH` unless both are vectors; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const { outer, sum } = autodiff;
 * fromFunction(2, (w) => sum(outer(w, w))).loss(new Float64Array([1, 2])); // (1 + 2)² = 9
 * ```
 * @since 0.2.0
 */
export function outer(a: Operand, b: Operand): Tensor {
  const fn = 'autodiff.outer';
  const g = currentGraph(fn);
  const x = shapeOfOperand(fn, 'a', a);
  const y = shapeOfOperand(fn, 'b', b);
  requireRank(fn, 'a', x.shape, 1);
  requireRank(fn, 'b', y.shape, 1);
  return wrap(fn, build.matmul(g, x.id, y.id, { m: x.shape[0], n: y.shape[0], k: 1, transA: false, transB: false }, [x.shape[0], y.shape[0]]));
}

/**
 * Transpose of a matrix (a vector or scalar is returned unchanged).
 *
 * @remarks Copies (O(mn)) unless it feeds {@link matmul}, which folds it into the product.
 * @param x - operand.
 * @returns xᵀ.
 * @throws EosLabError `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const { transpose, reshape, matmul, sum } = autodiff;
 * // Σᵢⱼ (W Wᵀ)ᵢⱼ for the 2 × 2 matrix W = reshape(w)
 * fromFunction(4, (w) => sum(matmul(reshape(w, [2, 2]), transpose(reshape(w, [2, 2]))))).loss(new Float64Array([1, 0, 0, 1])); // 2
 * ```
 * @since 0.2.0
 */
export function transpose(x: Operand): Tensor {
  return unaryOp('transpose', x);
}

/**
 * The entries [start, end) of a vector, or the rows [start, end) of a matrix: no copy (a view of the same storage).
 *
 * @remarks Slicing θ into layers this way is free; the gradient of the pieces is assembled back in one pass.
 * @param x - vector or matrix.
 * @param start - first index (integer ≥ 0).
 * @param end - one past the last index (start < end ≤ first dimension).
 * @returns a tensor with first dimension end − start.
 * @throws EosLabError `E_BAD_OPTION` for indices out of range or a scalar x; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const { slice, mul, sub, pow } = autodiff;
 * // L(x, y) = ½(1 − xy)², the scalar factorization
 * const model = fromFunction(2, (w) => mul(0.5, pow(sub(1, mul(slice(w, 0, 1), slice(w, 1, 2))), 2)));
 * model.loss(new Float64Array([2, 1])); // 0.5 (a [1]-shaped result counts as a scalar)
 * ```
 * @since 0.2.0
 */
export function slice(x: Operand, start: number, end: number): Tensor {
  const fn = 'autodiff.slice';
  const g = currentGraph(fn);
  const { id, shape } = shapeOfOperand(fn, 'x', x);
  if (shape.length === 0) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'x', value: 'a scalar', expected: 'a vector or matrix' });
  const first = shape[0];
  if (!Number.isInteger(start) || start < 0 || start >= first) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'start', value: start, expected: `an integer in [0, ${first - 1}] (x.shape = ${showShape(shape)})` });
  }
  if (!Number.isInteger(end) || end <= start || end > first) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'end', value: end, expected: `an integer in [${start + 1}, ${first}] (x.shape = ${showShape(shape)})` });
  }
  const rowSize = shape.length === 2 ? shape[1] : 1;
  const out: Shape = shape.length === 2 ? [end - start, shape[1]] : [end - start];
  return wrap(fn, build.slice(g, id, start * rowSize, out));
}

/**
 * Concatenation along the first axis: vectors (and scalars, as length-1 vectors) end to end, or matrices with the
 * same number of columns stacked by rows.
 *
 * @remarks Copies (one pass). Its derivative hands each part its slice of the cotangent.
 * @param parts - at least one operand; all vectors/scalars, or all matrices with equal column counts.
 * @returns the concatenation.
 * @throws EosLabError `E_EMPTY` for no parts, `E_DIM_MISMATCH` for mixed ranks or column counts; `E_NOT_SUPPORTED`
 *   outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const { concat, dot } = autodiff;
 * fromFunction(2, (w) => dot(concat([w, 1]), [1, 1, 1])).loss(new Float64Array([2, 3])); // 6
 * ```
 * @since 0.2.0
 */
export function concat(parts: readonly Operand[]): Tensor {
  const fn = 'autodiff.concat';
  const g = currentGraph(fn);
  if (!Array.isArray(parts) || parts.length === 0) {
    throw new EosLabError('E_EMPTY', fn, { argument: 'parts', value: parts, expected: 'a non-empty array of operands' });
  }
  const items = parts.map((p, i) => shapeOfOperand(fn, `parts[${i}]`, p));
  const matrix = items[0].shape.length === 2;
  const cols = matrix ? items[0].shape[1] : 1;
  let offset = 0;
  const pieces: { offset: number; id: number }[] = [];
  items.forEach((it, i) => {
    const ok = matrix ? it.shape.length === 2 && it.shape[1] === cols : it.shape.length < 2;
    if (!ok) {
      throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `parts[${i}].shape`, value: showShape(it.shape), expected: matrix ? `a matrix with ${cols} columns (as parts[0])` : 'a vector or scalar (as parts[0])' });
    }
    pieces.push({ offset, id: it.id });
    offset += g.node(it.id).size;
  });
  const shape: Shape = matrix ? [offset / cols, cols] : [offset];
  return wrap(fn, build.assemble(g, shape, undefined, pieces));
}

/**
 * The same entries (row-major order) with another shape of the same size: no copy.
 *
 * @param x - operand.
 * @param shape - `[]`, `[n]` or `[m, n]` with the same number of entries.
 * @returns the reshaped tensor.
 * @throws EosLabError `E_DIM_MISMATCH` if the sizes differ, `E_BAD_OPTION` for a malformed shape; `E_NOT_SUPPORTED`
 *   outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const { reshape, matvec, sum } = autodiff;
 * fromFunction(4, (w) => sum(matvec(reshape(w, [2, 2]), [1, 1]))).loss(new Float64Array([1, 2, 3, 4])); // 10
 * ```
 * @since 0.2.0
 */
export function reshape(x: Operand, shape: Shape): Tensor {
  const fn = 'autodiff.reshape';
  const g = currentGraph(fn);
  const id = lift(fn, 'x', x);
  if (!Array.isArray(shape) || shape.length > 2 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'shape', value: shape, expected: '[], [n] or [m, n] with positive integer dimensions' });
  }
  if (sizeOf(shape) !== g.node(id).size) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: 'shape', value: showShape(shape), expected: `a shape with ${g.node(id).size} entries (x.shape = ${showShape(g.node(id).shape)})` });
  }
  return wrap(fn, build.reshape(g, id, shape.slice()));
}

/**
 * A constant (data) tensor: numbers, arrays, rows or an ndarray are copied into the recorded computation, with an
 * optional shape for flat data.
 *
 * @remarks Plain data can also be passed directly to any operation; `constant` names it once (and reshapes it).
 * @param data - a number, an array or `Float64Array` of numbers, an array of rows, or a 1-d/2-d ndarray.
 * @param shape - optional shape of the same size (e.g. `[n, d]` for flat row-major data).
 * @returns the constant.
 * @throws EosLabError `E_NONFINITE` for NaN/±Infinity, `E_DIM_MISMATCH` for ragged rows or a shape of another
 *   size; `E_NOT_SUPPORTED` outside `fromFunction`.
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const { constant, matvec, sum } = autodiff;
 * const flat = new Float64Array([1, 0, 0, 2, 1, 1]); // 3 × 2, row-major
 * fromFunction(2, (w) => sum(matvec(constant(flat, [3, 2]), w))).loss(new Float64Array([1, 1])); // 5
 * ```
 * @since 0.2.0
 */
export function constant(data: Operand, shape?: Shape): Tensor {
  const fn = 'autodiff.constant';
  const g = currentGraph(fn);
  if (data instanceof Tensor) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'data', value: 'a Tensor', expected: 'data (numbers, arrays, rows or an ndarray)' });
  const id = lift(fn, 'data', data);
  return shape === undefined ? wrap(fn, id) : reshape(wrap(fn, id), shape);
}
