/**
 * The traced array handle and the tracing context: while `fromFunction` calls the user's function, operations on
 * {@link Tensor}s record nodes into that model's graph instead of computing values.
 *
 * @module
 * @internal
 */
import type { NdArray } from 'ndarray';
import { EosLabError } from '../core/errors.js';
import * as b from './build.js';
import type { Graph } from './graph.js';
import type { Shape } from './shape.js';

/**
 * A symbolic array (scalar, vector or matrix of float64) inside the function given to `fromFunction`: the
 * argument `w` and every result of an `autodiff` operation. It holds no numbers: `fromFunction` records the
 * operations once and evaluates them (and their derivatives) on every call of the model.
 *
 * @remarks
 * Because the function is recorded once, it must not branch on the values of tensors (there are none to read);
 * piecewise functions are written with the operations that are piecewise themselves (`relu`, `abs`).
 *
 * @example
 * ```ts
 * import { fromFunction, autodiff } from 'eos-lab';
 * const model = fromFunction(3, (w) => {
 *   console.log(w.shape); // [3]
 *   return autodiff.sum(w);
 * });
 * ```
 * @since 0.2.0
 */
export class Tensor {
  /** @internal */
  readonly graph: Graph;
  /** @internal */
  readonly id: number;
  /** The shape: `[]` (scalar), `[n]` (vector) or `[m, n]` (matrix, row-major). */
  readonly shape: Shape;

  /** @internal Tensors are made by the operations, never by users. */
  constructor(graph: Graph, id: number) {
    this.graph = graph;
    this.id = id;
    this.shape = graph.node(id).shape;
  }

  /** Number of entries. */
  get size(): number {
    return this.graph.node(this.id).size;
  }
}

/**
 * What an `autodiff` operation accepts as an operand: a {@link Tensor}, or data that becomes a constant — a number
 * (scalar), an array of numbers or a `Float64Array` (vector), an array of equal-length rows (matrix), or a 1-d or
 * 2-d `ndarray` (copied).
 *
 * @since 0.2.0
 */
export type Operand = Tensor | number | ArrayLike<number> | readonly (readonly number[])[] | NdArray;

let active: Graph | undefined;

/** Runs `f` with `graph` as the recording target (restoring the previous one after, also on throw). @internal */
export function tracing<T>(graph: Graph, f: () => T): T {
  const previous = active;
  active = graph;
  try {
    return f();
  } finally {
    active = previous;
  }
}

/** The graph being recorded, or a coded error naming the operation called outside `fromFunction`. @internal */
export function currentGraph(fn: string): Graph {
  if (active === undefined) {
    throw new EosLabError('E_NOT_SUPPORTED', fn, {
      argument: 'call site',
      value: 'outside fromFunction',
      expected: 'inside the function passed to fromFunction (operations are recorded while it runs, then evaluated by the model)',
    });
  }
  return active;
}

/** The node of an operand in the current graph (data become constants, copied). @internal */
export function lift(fn: string, argument: string, x: Operand): number {
  const g = currentGraph(fn);
  if (x instanceof Tensor) {
    if (x.graph !== g) {
      throw new EosLabError('E_NOT_SUPPORTED', fn, {
        argument,
        value: 'a Tensor of another fromFunction call',
        expected: 'a Tensor of the function being recorded (tensors cannot be kept between calls of fromFunction)',
      });
    }
    return x.id;
  }
  const { data, shape } = readData(fn, argument, x);
  return b.constant(g, data, shape);
}

/** A Tensor handle for a node of the current graph. @internal */
export function wrap(fn: string, id: number): Tensor {
  return new Tensor(currentGraph(fn), id);
}

function finite(fn: string, argument: string, v: unknown): number {
  if (typeof v !== 'number') throw new EosLabError('E_BAD_OPTION', fn, { argument, value: v, expected: 'a finite number' });
  if (!Number.isFinite(v)) throw new EosLabError('E_NONFINITE', fn, { argument, value: v, expected: 'a finite number' });
  return v;
}

function isNdArray(x: unknown): x is NdArray {
  return x !== null && typeof x === 'object' && Array.isArray((x as NdArray).shape) && typeof (x as NdArray).get === 'function';
}

/** Copies operand data into a new Float64Array with its shape, checking rectangularity and finiteness. @internal */
export function readData(fn: string, argument: string, x: unknown): { data: Float64Array; shape: Shape } {
  if (typeof x === 'number') return { data: new Float64Array([finite(fn, argument, x)]), shape: [] };
  if (isNdArray(x)) {
    if (x.shape.length === 1) {
      const n = x.shape[0];
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) data[i] = finite(fn, `${argument}.get(${i})`, x.get(i));
      return { data, shape: [n] };
    }
    if (x.shape.length === 2) {
      const [m, n] = x.shape;
      const data = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) data[i * n + j] = finite(fn, `${argument}.get(${i}, ${j})`, x.get(i, j));
      return { data, shape: [m, n] };
    }
    throw new EosLabError('E_NOT_SUPPORTED', fn, { argument: `${argument}.shape`, value: x.shape, expected: 'a 1-d or 2-d array (autodiff arrays have rank ≤ 2)' });
  }
  if (x !== null && typeof x === 'object' && typeof (x as ArrayLike<unknown>).length === 'number') {
    const a = x as ArrayLike<unknown>;
    if (a.length === 0) throw new EosLabError('E_EMPTY', fn, { argument: `${argument}.length`, value: 0, expected: 'at least 1' });
    const first = a[0];
    if (first !== null && typeof first === 'object') {
      const cols = (first as ArrayLike<unknown>).length;
      if (typeof cols !== 'number' || cols === 0) {
        throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}[0]`, value: first, expected: 'a non-empty row of numbers' });
      }
      const data = new Float64Array(a.length * cols);
      for (let i = 0; i < a.length; i++) {
        const row = a[i] as ArrayLike<unknown> | null;
        if (row === null || typeof row !== 'object' || row.length !== cols) {
          throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}[${i}]`, value: row, expected: `a row of ${cols} numbers (the length of ${argument}[0])` });
        }
        for (let j = 0; j < cols; j++) data[i * cols + j] = finite(fn, `${argument}[${i}][${j}]`, row[j]);
      }
      return { data, shape: [a.length, cols] };
    }
    const data = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) data[i] = finite(fn, `${argument}[${i}]`, a[i]);
    return { data, shape: [a.length] };
  }
  throw new EosLabError('E_BAD_OPTION', fn, {
    argument,
    value: x,
    expected: 'a Tensor, a number, an array or Float64Array of numbers, an array of rows, or a 1-d/2-d ndarray',
  });
}
