/**
 * The batch view shared by the network models (MLP and CNN): it gathers the chosen input and target rows into
 * buffers it owns and evaluates a network built over the first |B| rows of those buffers.
 *
 * @module
 * @internal
 */
import { checkSelection, type BatchView } from '../core/batch-view.js';
import type { LossModel, ModelSpec } from '../core/loss-model.js';

/** What a network over m rows must provide. @internal */
type RowsNetwork = Pick<LossModel, 'loss' | 'lossAndGrad' | 'hvp'>;

/**
 * A {@link BatchView} over n examples stored as rows: inputs X [n, d] and targets Y [n, k], row-major. `select`
 * copies the |B| chosen rows into the view's own [n, d] and [n, k] buffers (O(|B|(d + k)) per selection: the
 * blocked matrix products want contiguous rows; the buffers start as a copy of all n rows in order, the selection
 * before the first `select`), and `build(x, y, m)` makes the network over the first m rows of those buffers. One
 * network (its scratch) is built per distinct batch size, on first use, then reused.
 *
 * @param name - the model's name for error messages (`'<name> batch view select'`).
 * @param spec - the parent model's spec (`createModel(spec)` rebuilds the full model, not the subset).
 * @param dim - p, the number of parameters.
 * @param X - the n input rows of d entries.
 * @param Y - the n target rows of k entries.
 * @param n - the number of examples.
 * @param build - a network over m rows of the view's buffers.
 * @internal
 */
export function rowsBatchView(
  name: string,
  spec: ModelSpec,
  dim: number,
  X: Float64Array,
  Y: Float64Array,
  n: number,
  build: (x: Float64Array, y: Float64Array, m: number) => RowsNetwork,
): BatchView {
  const d = X.length / n;
  const k = Y.length / n;
  const xb = Float64Array.from(X);
  const yb = Float64Array.from(Y);
  const networks = new Map<number, RowsNetwork>();
  const forCount = (m: number): RowsNetwork => {
    let net = networks.get(m);
    if (net === undefined) {
      net = build(xb.subarray(0, m * d), yb.subarray(0, m * k), m);
      networks.set(m, net);
    }
    return net;
  };
  let current = forCount(n);
  let count = n;
  return {
    spec,
    dim,
    examples: n,
    get count(): number {
      return count;
    },
    select(indices: Int32Array, m: number): void {
      checkSelection(`${name} batch view select`, indices, m, n);
      for (let b = 0; b < m; b++) {
        const i = indices[b];
        for (let c = 0; c < d; c++) xb[b * d + c] = X[i * d + c];
        for (let c = 0; c < k; c++) yb[b * k + c] = Y[i * k + c];
      }
      count = m;
      current = forCount(m);
    },
    loss: (theta) => current.loss(theta),
    lossAndGrad: (theta, g) => current.lossAndGrad(theta, g),
    hvp: (theta, v, out) => current.hvp(theta, v, out),
  };
}
