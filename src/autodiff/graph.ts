/**
 * The recorded computation: a static graph of array operations (nodes), built once per model by tracing the
 * user's function, then extended with the derivative graphs (gradient, Hessian-vector product, third order),
 * which are graphs of the same operations. Nodes are created after their inputs, so node ids are a
 * topological order. Structurally equal nodes are created once (hash-consing), so the derivative graphs share
 * the forward pass and repeated sub-expressions instead of recomputing them.
 *
 * @module
 * @internal
 */
import type { Shape } from './shape.js';
import { sizeOf } from './shape.js';

/**
 * The primitive operations. Every derivative rule (see `vjp.ts`) is written in these primitives, so the set is
 * closed under differentiation and derivatives of any order are graphs again.
 * @internal
 */
export type Op =
  | 'input' // θ, v or u (bound to the caller's arrays at each call)
  | 'const' // data, copied into the graph
  | 'add'
  | 'sub'
  | 'mul'
  | 'div' // binary, broadcasting
  | 'neg'
  | 'scale' // c·x (c a number attribute)
  | 'powi' // x^k, k an integer ≥ 2, by repeated multiplication
  | 'powr' // x^p, p real, Math.pow
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'tanh'
  | 'sigmoid'
  | 'softplus'
  | 'relu'
  | 'abs'
  | 'sign' // derivative 0 (the derivative of abs)
  | 'step' // [x > 0], derivative 0 (the derivative of relu)
  | 'reduce' // sum down to a shape that broadcasts to the input's (sum over the stretched dimensions)
  | 'reduceMax' // max down to such a shape; treated as a constant (derivative 0), used to stabilize logSumExp
  | 'logSumExp' // per row of a [r, k] matrix → [r, 1]: m + log1p(Σ_{j≠top} e^{f_j − m}), m the row maximum
  | 'logSoftmax' // per row of a [r, k] matrix: f_c − m − log1p(Σ_{j≠top} e^{f_j − m}), m the row maximum
  | 'sumOthers' // per row of a [r, k] matrix: entry c ← Σ_{j≠c} x_j (prefix plus suffix sum, no subtraction)
  | 'broadcast' // stretch to a shape (the adjoint of reduce)
  | 'matmul' // op(A)·op(B) with op = identity or transpose (never both transposed)
  | 'transpose'
  | 'slice' // a contiguous range of the flat storage (aliases its input, no copy)
  | 'reshape' // same storage, another shape (alias)
  | 'assemble'; // zeros (or a base array) plus pieces added at flat offsets: pad, concat and gradient sums

/** Attributes of a `matmul` node: C (m × n) = op(A) (m × k) · op(B) (k × n). @internal */
export interface MatmulAttrs {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** A is stored k × m and used transposed. */
  readonly transA: boolean;
  /** B is stored n × k and used transposed. */
  readonly transB: boolean;
}

/** One recorded operation. @internal */
export interface Node {
  readonly id: number;
  readonly op: Op;
  readonly inputs: readonly number[];
  readonly shape: Shape;
  readonly size: number;
  /** `scale`: the factor; `powi`/`powr`: the exponent; `const` of size 1: its value (for folding). */
  readonly num?: number;
  /** `slice`: flat offset into the input; `input`: the slot (0 = θ, 1 = v, 2 = u). */
  readonly offset?: number;
  /** `assemble`: flat offsets of the pieces (inputs after the base, if any). */
  readonly offsets?: readonly number[];
  /** `assemble`: the first input is a full-size base array. */
  readonly hasBase?: boolean;
  /** `matmul` attributes. */
  readonly mm?: MatmulAttrs;
  /** `const` data (length `size`). */
  readonly data?: Float64Array;
}

/** What a new node needs besides its id and size. @internal */
export type NodeSpec = Omit<Node, 'id' | 'size'>;

/** A growing graph with hash-consing of structurally equal nodes (constants and inputs are never merged). @internal */
export class Graph {
  readonly nodes: Node[] = [];
  private readonly memo = new Map<string, number>();
  /** Ids of the input nodes by slot (θ = 0, v = 1, u = 2). */
  readonly inputIds: number[] = [];

  add(spec: NodeSpec): number {
    let key: string | undefined;
    if (spec.op === 'const' && spec.num !== undefined) {
      // Scalar constants (1, ½, the exponent of a power rule) are shared by value.
      key = `const|${Object.is(spec.num, -0) ? '-0' : String(spec.num)}|${spec.shape.join('x')}`;
      const found = this.memo.get(key);
      if (found !== undefined) return found;
    } else if (spec.op !== 'const' && spec.op !== 'input') {
      key = `${spec.op}|${spec.inputs.join(',')}|${spec.shape.join('x')}|${spec.num ?? ''}|${spec.offset ?? ''}|${spec.offsets?.join(',') ?? ''}|${spec.hasBase ? 1 : 0}|${spec.mm ? `${spec.mm.m},${spec.mm.n},${spec.mm.k},${+spec.mm.transA},${+spec.mm.transB}` : ''}`;
      const found = this.memo.get(key);
      if (found !== undefined) return found;
    }
    const id = this.nodes.length;
    this.nodes.push({ ...spec, id, size: sizeOf(spec.shape) });
    if (key !== undefined) this.memo.set(key, id);
    return id;
  }

  /** The input node of a slot (created on first use). */
  input(slot: number, shape: Shape): number {
    const existing = this.inputIds[slot];
    if (existing !== undefined) return existing;
    const id = this.add({ op: 'input', inputs: [], shape, offset: slot });
    this.inputIds[slot] = id;
    return id;
  }

  node(id: number): Node {
    return this.nodes[id];
  }

  /** The value of a size-1 constant node, else undefined. */
  constantValue(id: number): number | undefined {
    const n = this.nodes[id];
    return n.op === 'const' && n.size === 1 ? n.num : undefined;
  }
}
