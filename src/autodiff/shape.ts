/**
 * Shapes of the autodiff arrays: rank 0 (scalar, `[]`), rank 1 (vector, `[n]`) or rank 2 (matrix, `[m, n]`),
 * stored row-major and contiguous. Broadcasting follows numpy's rule restricted to rank ≤ 2: shapes are aligned
 * on the right, and a dimension of size 1 (or a missing one) stretches to the other's size.
 *
 * @module
 * @internal
 */
import { EosLabError } from '../core/errors.js';

/** A shape: `[]` (scalar), `[n]` (vector) or `[m, n]` (matrix). @since 0.2.0 */
export type Shape = readonly number[];

/** Number of entries of a shape (1 for a scalar). @internal */
export function sizeOf(shape: Shape): number {
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}

/** The shape as [rows, cols] after aligning on the right: [] → [1, 1], [n] → [1, n]. @internal */
export function asMatrix(shape: Shape): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [1, shape[0]];
  return [shape[0], shape[1]];
}

/** Same dimensions. @internal */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Readable rendering `[2, 3]` for error messages. @internal */
export function showShape(s: Shape): string {
  return `[${s.join(', ')}]`;
}

/** The broadcast shape of a and b (numpy's rule, rank ≤ 2), or an `E_DIM_MISMATCH` naming the operation. @internal */
export function broadcastShapes(fn: string, a: Shape, b: Shape): Shape {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new EosLabError('E_DIM_MISMATCH', fn, {
        argument: 'operands',
        value: `shapes ${showShape(a)} and ${showShape(b)}`,
        expected: 'shapes that broadcast (aligned on the right, each dimension equal or 1)',
      });
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * Strides (row, col) that read an operand of shape `s` inside an output of shape `out` (s broadcasts to out):
 * a stretched dimension has stride 0. @internal
 */
export function broadcastStrides(s: Shape, out: Shape): [number, number] {
  const [r, c] = asMatrix(s);
  const [R, C] = asMatrix(out);
  return [r === 1 && R !== 1 ? 0 : c, c === 1 && C !== 1 ? 0 : 1];
}
