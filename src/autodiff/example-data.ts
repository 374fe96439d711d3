/**
 * The data of a {@link fromFunction} model over n examples: reading `options.data` (named per-example arrays whose
 * first dimension is n), recording the user's per-example loss for a batch of m examples with the data as graph
 * inputs (bound to buffers at run time, never copied into the graph), and the {@link BatchView} that evaluates any
 * batch.
 *
 * @module
 * @internal
 */
import { checkSelection, type BatchView } from '../core/batch-view.js';
import { EosLabError } from '../core/errors.js';
import type { ModelSpec } from '../core/loss-model.js';
import { denseHessianFromHvps } from '../linalg/hessian-from-hvps.js';
import type { NdArray } from 'ndarray';
import * as b from './build.js';
import { type CompiledLoss, DATA_SLOT, THETA_SLOT, compileLoss } from './compiled-loss.js';
import { Graph } from './graph.js';
import type { Shape } from './shape.js';
import { showShape } from './shape.js';
import { Tensor, readData, tracing } from './tensor.js';

/** One data entry: its values (n rows, row-major, owned by the model) and the width of a row (0 = a vector [n]). @internal */
export interface DataEntry {
  readonly name: string;
  readonly values: Float64Array;
  /** Entries per example: 1 for a vector [n], d for rows [n, d]. */
  readonly width: number;
  /** True for a vector [n] (the batch tensor is [m]), false for rows [n, d] (the batch tensor is [m, d]). */
  readonly vector: boolean;
}

/** The model's data set: the entries (in the key order of `options.data`) and n. @internal */
export interface ExampleData {
  readonly entries: readonly DataEntry[];
  readonly examples: number;
}

/** Reads and copies `options.data` once (O(total size)); every entry must have the same first dimension n ≥ 1. @internal */
export function readExampleData(fn: string, data: unknown): ExampleData {
  if (data === null || typeof data !== 'object' || Array.isArray(data) || ArrayBuffer.isView(data)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.data', value: data, expected: 'an object of named per-example arrays, e.g. { x: rows, y: targets }' });
  }
  const names = Object.keys(data);
  if (names.length === 0) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.data', value: data, expected: 'at least one named per-example array' });
  }
  const entries: DataEntry[] = [];
  let examples = -1;
  let first = '';
  for (const name of names) {
    const argument = `options.data.${name}`;
    const raw = (data as Record<string, unknown>)[name];
    if (raw instanceof Tensor) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument, value: 'a Tensor', expected: 'data values (a vector [n] or rows [n, d]), not a Tensor' });
    }
    if (typeof raw === 'number') {
      throw new EosLabError('E_BAD_OPTION', fn, { argument, value: raw, expected: 'per-example data: a vector [n] (one number per example) or rows [n, d]' });
    }
    const { data: values, shape } = readData(fn, argument, raw);
    const n = shape[0];
    if (examples < 0) {
      examples = n;
      first = argument;
    } else if (n !== examples) {
      throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.length`, value: n, expected: `${examples} examples (the first dimension of ${first})` });
    }
    entries.push({ name, values, width: shape.length === 2 ? shape[1] : 1, vector: shape.length === 1 });
  }
  return { entries, examples };
}

/** The per-example loss function of a data model. @internal */
export type PerExampleLoss = (w: Tensor, data: Readonly<Record<string, Tensor>>) => Tensor;

/**
 * Records `f` on a batch of m examples — θ as input slot 0, data entry j as input slot DATA_SLOT + j of shape [m]
 * or [m, d] — checks that it returns m per-example losses, and compiles their mean (1/m) Σᵢ ℓᵢ with the data bound
 * to `buffers` (entry j's first m rows). @internal
 */
export function recordBatch(fn: string, dim: number, f: PerExampleLoss, data: ExampleData, m: number, buffers: readonly Float64Array[]): CompiledLoss {
  const g = new Graph();
  const thetaId = g.input(THETA_SLOT, [dim]);
  const tensors: Record<string, Tensor> = {};
  data.entries.forEach((e, j) => {
    const shape: Shape = e.vector ? [m] : [m, e.width];
    tensors[e.name] = new Tensor(g, g.input(DATA_SLOT + j, shape));
  });
  const result = tracing(g, () => f(new Tensor(g, thetaId), Object.freeze(tensors)));
  if (!(result instanceof Tensor) || result.graph !== g) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'f(w, data)', value: result, expected: 'a Tensor computed from w and data with the autodiff operations' });
  }
  const s = result.shape;
  if (!((s.length === 1 && s[0] === m) || (s.length === 2 && s[0] === m && s[1] === 1))) {
    throw new EosLabError('E_DIM_MISMATCH', fn, {
      argument: 'f(w, data).shape',
      value: showShape(s),
      expected: `the ${m} per-example losses of the ${m} examples given (shape [${m}] or [${m}, 1]); the model averages them`,
    });
  }
  // L_B = (Σᵢ ℓᵢ)/m, summed in example order then divided (as autodiff.mean).
  const total = b.reshape(g, b.reduce(g, result.id, []), []);
  const lossId = b.binary(g, 'div', total, b.scalar(g, m));
  return compileLoss(g, thetaId, lossId, dim, buffers.map((buf, j) => buf.subarray(0, m * data.entries[j].width)));
}

/**
 * The batch view of a data model: gather buffers of n rows per entry (owned by the view, filled with every example
 * in order until the first `select`), and one compiled loss per distinct batch size, recorded on first use. @internal
 */
export function createFunctionBatchView(fn: string, spec: ModelSpec, dim: number, f: PerExampleLoss, data: ExampleData): BatchView & { hessian(theta: Float64Array): NdArray<Float64Array> } {
  const n = data.examples;
  const buffers = data.entries.map((e) => Float64Array.from(e.values));
  const compiled = new Map<number, CompiledLoss>();
  const forCount = (m: number): CompiledLoss => {
    let c = compiled.get(m);
    if (c === undefined) {
      c = recordBatch(fn, dim, f, data, m, buffers);
      compiled.set(m, c);
    }
    return c;
  };
  let current = forCount(n);
  let count = n;
  const hvp = (theta: Float64Array, v: Float64Array, out: Float64Array): void => current.hvp(theta, v, out);
  return {
    spec,
    dim,
    examples: n,
    get count(): number {
      return count;
    },
    select(indices: Int32Array, m: number): void {
      checkSelection('fromFunction batch view select', indices, m, n);
      // Record first: a batch size f cannot handle throws here and leaves the selection as it was.
      const next = forCount(m);
      for (let j = 0; j < data.entries.length; j++) {
        const w = data.entries[j].width;
        const src = data.entries[j].values;
        const dst = buffers[j];
        for (let r = 0; r < m; r++) {
          const from = indices[r] * w;
          for (let c = 0; c < w; c++) dst[r * w + c] = src[from + c];
        }
      }
      count = m;
      current = next;
    },
    loss: (theta) => current.loss(theta),
    lossAndGrad: (theta, g) => current.lossAndGrad(theta, g),
    hvp,
    hessian: (theta: Float64Array): NdArray<Float64Array> => denseHessianFromHvps('fromFunction batch view hessian', dim, hvp, theta),
  };
}
