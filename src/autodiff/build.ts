/**
 * Node constructors with the few algebraic simplifications that keep derivative graphs lean: multiplying by the
 * constant 1 or adding the constant 0 is dropped, a scalar constant factor becomes a `scale`, a broadcast feeding
 * an elementwise operation that broadcasts anyway is skipped, a transpose feeding a matrix product becomes a flag
 * of the product, double negations and transposes cancel. Each simplification is exact (it never changes a
 * result's bits except by removing a multiplication by 1 or an addition of 0).
 *
 * Shapes are assumed valid here: the public operations (`ops.ts`) check them and throw coded errors.
 *
 * @module
 * @internal
 */
import type { Graph, MatmulAttrs, Op } from './graph.js';
import { type Shape, broadcastShapes, sameShape, sizeOf } from './shape.js';

/** A scalar constant node. */
export function scalar(g: Graph, value: number): number {
  return g.add({ op: 'const', inputs: [], shape: [], num: value, data: new Float64Array([value]) });
}

/** A constant array node (the data are used as given: callers copy). */
export function constant(g: Graph, data: Float64Array, shape: Shape): number {
  if (data.length === 1) return g.add({ op: 'const', inputs: [], shape, num: data[0], data });
  return g.add({ op: 'const', inputs: [], shape, data });
}

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';
export type UnaryOp = 'neg' | 'exp' | 'log' | 'sqrt' | 'tanh' | 'sigmoid' | 'softplus' | 'relu' | 'abs' | 'sign' | 'step' | 'transpose';

/** Elementwise a ∘ b with broadcasting (shapes already checked). */
export function binary(g: Graph, op: BinaryOp, a: number, b: number): number {
  const sa = g.node(a).shape;
  const sb = g.node(b).shape;
  const out = broadcastShapes(op, sa, sb);
  // A materialized broadcast is unnecessary when the operation broadcasts its source to the same result.
  a = unBroadcast(g, a, sb, out);
  b = unBroadcast(g, b, sa, out);
  const ca = g.constantValue(a);
  const cb = g.constantValue(b);
  const aFull = sameShape(g.node(a).shape, out);
  const bFull = sameShape(g.node(b).shape, out);
  switch (op) {
    case 'add':
      if (ca === 0 && bFull) return b;
      if (cb === 0 && aFull) return a;
      break;
    case 'sub':
      if (cb === 0 && aFull) return a;
      if (ca === 0 && bFull) return unary(g, 'neg', b);
      break;
    case 'mul':
      if (ca !== undefined && bFull) return scale(g, b, ca);
      if (cb !== undefined && aFull) return scale(g, a, cb);
      break;
    case 'div':
      if (cb === 1 && aFull) return a;
      break;
  }
  return g.add({ op, inputs: [a, b], shape: out });
}

function unBroadcast(g: Graph, x: number, other: Shape, out: Shape): number {
  const n = g.node(x);
  if (n.op !== 'broadcast') return x;
  const src = n.inputs[0];
  const s = broadcastShapes('broadcast', g.node(src).shape, other);
  return sameShape(s, out) ? src : x;
}

/** Elementwise unary operation (or `transpose`). */
export function unary(g: Graph, op: UnaryOp, x: number): number {
  const n = g.node(x);
  if (op === 'neg') {
    if (n.op === 'neg') return n.inputs[0];
    if (n.op === 'scale') return scale(g, n.inputs[0], -(n.num as number));
  }
  if (op === 'transpose') {
    if (n.op === 'transpose') return n.inputs[0];
    if (n.shape.length < 2) return x;
    return g.add({ op, inputs: [x], shape: [n.shape[1], n.shape[0]] });
  }
  return g.add({ op, inputs: [x], shape: n.shape });
}

/** c·x. */
export function scale(g: Graph, x: number, c: number): number {
  if (c === 1) return x;
  if (c === -1) return unary(g, 'neg', x);
  return g.add({ op: 'scale', inputs: [x], shape: g.node(x).shape, num: c });
}

/** x^k for an integer k ≥ 0 (x⁰ = 1, x¹ = x), or x^p for a real p. */
export function power(g: Graph, x: number, p: number): number {
  if (Number.isInteger(p) && p >= 0 && p <= 64) {
    if (p === 0) return broadcast(g, scalar(g, 1), g.node(x).shape);
    if (p === 1) return x;
    return g.add({ op: 'powi', inputs: [x], shape: g.node(x).shape, num: p });
  }
  return g.add({ op: 'powr', inputs: [x], shape: g.node(x).shape, num: p });
}

/** Sum of x down to `shape` (which broadcasts to x's shape). */
export function reduce(g: Graph, x: number, shape: Shape): number {
  if (sameShape(g.node(x).shape, shape)) return x;
  return g.add({ op: 'reduce', inputs: [x], shape });
}

/** Max of x down to `shape` (a constant for differentiation). */
export function reduceMax(g: Graph, x: number, shape: Shape): number {
  if (sameShape(g.node(x).shape, shape)) return x;
  return g.add({ op: 'reduceMax', inputs: [x], shape });
}

/** log Σ exp of each row of the [r, k] matrix x, as an [r, 1] column (max-shifted, log1p of the other terms). */
export function logSumExpRows(g: Graph, x: number): number {
  return g.add({ op: 'logSumExp', inputs: [x], shape: [g.node(x).shape[0], 1] });
}

/**
 * log softmax of each row of the [r, k] matrix x: the rows' log-probabilities, computed without cancellation
 * (the largest entry's is −log1p(Σ_{j≠top} e^{x_j − x_top}), not (x_top − m) − log(1 + …)).
 */
export function logSoftmax(g: Graph, x: number): number {
  return g.add({ op: 'logSoftmax', inputs: [x], shape: g.node(x).shape });
}

/** For each row of the [r, k] matrix x, each entry replaced by the sum of the row's other entries (linear). */
export function sumOthers(g: Graph, x: number): number {
  return g.add({ op: 'sumOthers', inputs: [x], shape: g.node(x).shape });
}

/** x stretched to `shape`. */
export function broadcast(g: Graph, x: number, shape: Shape): number {
  if (sameShape(g.node(x).shape, shape)) return x;
  return g.add({ op: 'broadcast', inputs: [x], shape });
}

/** Same storage, another shape of the same size. */
export function reshape(g: Graph, x: number, shape: Shape): number {
  const n = g.node(x);
  if (sameShape(n.shape, shape)) return x;
  if (n.op === 'reshape') return reshape(g, n.inputs[0], shape);
  return g.add({ op: 'reshape', inputs: [x], shape });
}

/** The contiguous range [offset, offset + size(shape)) of x's flat storage, with `shape`. */
export function slice(g: Graph, x: number, offset: number, shape: Shape): number {
  const n = g.node(x);
  if (offset === 0 && sizeOf(shape) === n.size) return reshape(g, x, shape);
  if (n.op === 'slice' || n.op === 'reshape') {
    const inner = n.op === 'slice' ? (n.offset as number) : 0;
    return slice(g, n.inputs[0], inner + offset, shape);
  }
  return g.add({ op: 'slice', inputs: [x], shape, offset });
}

/** base (or zeros) with each piece added at its flat offset. */
export function assemble(g: Graph, shape: Shape, base: number | undefined, pieces: readonly { offset: number; id: number }[]): number {
  if (pieces.length === 0 && base !== undefined) return base;
  const inputs = base === undefined ? [] : [base];
  for (const p of pieces) inputs.push(p.id);
  return g.add({ op: 'assemble', inputs, shape, hasBase: base !== undefined, offsets: pieces.map((p) => p.offset) });
}

/**
 * C = op(A)·op(B) with the given dimensions; a `transpose` node feeding A or B is folded into the flags (unless
 * that would transpose both operands).
 */
export function matmul(g: Graph, a: number, b: number, mm: MatmulAttrs, shape: Shape): number {
  let { transA, transB } = mm;
  const na = g.node(a);
  const nb = g.node(b);
  if (na.op === 'transpose' && !transB) {
    a = na.inputs[0];
    transA = !transA;
  }
  if (nb.op === 'transpose' && !transA) {
    b = nb.inputs[0];
    transB = !transB;
  }
  return g.add({ op: 'matmul', inputs: [a, b], shape, mm: { m: mm.m, n: mm.n, k: mm.k, transA, transB } });
}

/** The opcodes, for exhaustiveness checks. */
export const OPS: readonly Op[] = [
  'input', 'const', 'add', 'sub', 'mul', 'div', 'neg', 'scale', 'powi', 'powr', 'exp', 'log', 'sqrt', 'tanh',
  'sigmoid', 'softplus', 'relu', 'abs', 'sign', 'step', 'reduce', 'reduceMax', 'logSumExp', 'logSoftmax', 'sumOthers', 'broadcast', 'matmul', 'transpose',
  'slice', 'reshape', 'assemble',
];
