/**
 * Reverse-mode differentiation of a recorded graph, symbolically: the vector–Jacobian product of an output node
 * with a cotangent node is built as new nodes of the same graph ([Griewank & Walther 2008, ch. 3]). Because
 * every rule below is written in the primitive operations, the result can be differentiated again: the
 * Hessian-vector product is the VJP of the gradient with cotangent v (reverse over reverse, which has the cost of
 * forward-over-reverse: one more forward and one more backward sweep over the gradient's graph), and the third
 * order term ∇³L[u, v] is the VJP of that with cotangent u.
 *
 * Cotangent contributions of a node's uses are collected, then summed in a fixed order (the order of the uses,
 * from the output back), so the result is deterministic; contributions that arrive through slices of a node
 * (e.g. the layers of θ) are assembled into one array in one pass instead of being padded and added.
 *
 * @module
 * @internal
 */
import * as b from './build.js';
import type { Graph, Node } from './graph.js';

interface Adjoint {
  full: number[];
  pieces: { offset: number; id: number }[];
}

/**
 * The nodes of the VJP of `output` with cotangent `seed` (same shape as the output) with respect to the node
 * `wrt`; returns the id of the cotangent of `wrt` (an explicit zero array if the output does not depend on it).
 */
export function vjp(g: Graph, output: number, wrt: number, seed: number): number {
  // Which nodes depend on `wrt`: only those carry cotangents.
  const depends = new Uint8Array(output + 1);
  depends[wrt] = 1;
  for (let id = wrt + 1; id <= output; id++) {
    const n = g.node(id);
    if (isConstantOp(n)) continue;
    for (const i of n.inputs) {
      if (depends[i]) {
        depends[id] = 1;
        break;
      }
    }
  }
  const adjoints = new Map<number, Adjoint>();
  const contribute = (id: number, value: number): void => {
    if (!depends[id]) return;
    let a = adjoints.get(id);
    if (!a) adjoints.set(id, (a = { full: [], pieces: [] }));
    a.full.push(value);
  };
  const contributePiece = (id: number, offset: number, value: number): void => {
    if (!depends[id]) return;
    let a = adjoints.get(id);
    if (!a) adjoints.set(id, (a = { full: [], pieces: [] }));
    a.pieces.push({ offset, id: value });
  };
  if (!depends[output]) return zeros(g, wrt);
  contribute(output, seed);
  for (let id = output; id >= wrt; id--) {
    const a = adjoints.get(id);
    if (a === undefined) continue;
    adjoints.delete(id);
    const gy = total(g, id, a);
    if (id === wrt) return gy;
    rule(g, g.node(id), gy, contribute, contributePiece);
  }
  return zeros(g, wrt);
}

function zeros(g: Graph, id: number): number {
  return b.broadcast(g, b.scalar(g, 0), g.node(id).shape);
}

/** Operations whose derivative is zero (or that have no inputs). */
function isConstantOp(n: Node): boolean {
  return n.op === 'const' || n.op === 'input' || n.op === 'sign' || n.op === 'step' || n.op === 'reduceMax';
}

/** The sum of a node's cotangent contributions, in the order they arrived. */
function total(g: Graph, id: number, a: Adjoint): number {
  let sum: number | undefined;
  for (const c of a.full) sum = sum === undefined ? c : b.binary(g, 'add', sum, c);
  if (a.pieces.length === 0) return sum as number;
  return b.assemble(g, g.node(id).shape, sum, a.pieces);
}

/** Pushes the cotangents of n's inputs given the cotangent gy of n. */
function rule(
  g: Graph,
  n: Node,
  gy: number,
  add: (id: number, value: number) => void,
  addPiece: (id: number, offset: number, value: number) => void,
): void {
  const [x, y] = n.inputs;
  const shapeOf = (id: number) => g.node(id).shape;
  /** Cotangent of a broadcast operand: sum over its stretched dimensions. */
  const toShape = (value: number, id: number) => b.reduce(g, value, shapeOf(id));
  const mul = (p: number, q: number) => b.binary(g, 'mul', p, q);
  const div = (p: number, q: number) => b.binary(g, 'div', p, q);
  const one = () => b.scalar(g, 1);
  switch (n.op) {
    case 'add':
      add(x, toShape(gy, x));
      add(y, toShape(gy, y));
      return;
    case 'sub':
      add(x, toShape(gy, x));
      add(y, toShape(b.unary(g, 'neg', gy), y));
      return;
    case 'mul':
      add(x, toShape(mul(gy, y), x));
      add(y, toShape(mul(gy, x), y));
      return;
    case 'div':
      // y = x / d: ∂/∂x = 1/d, ∂/∂d = −x/d² = −(x/d)/d.
      add(x, toShape(div(gy, y), x));
      add(y, toShape(b.unary(g, 'neg', div(mul(gy, n.id), y)), y));
      return;
    case 'neg':
      add(x, b.unary(g, 'neg', gy));
      return;
    case 'scale':
      add(x, b.scale(g, gy, n.num as number));
      return;
    case 'powi': {
      const k = n.num as number;
      add(x, mul(gy, b.scale(g, b.power(g, x, k - 1), k)));
      return;
    }
    case 'powr': {
      const p = n.num as number;
      add(x, mul(gy, b.scale(g, b.power(g, x, p - 1), p)));
      return;
    }
    case 'exp':
      add(x, mul(gy, n.id));
      return;
    case 'log':
      add(x, div(gy, x));
      return;
    case 'sqrt':
      // d√x = dx / (2√x)
      add(x, b.scale(g, div(gy, n.id), 0.5));
      return;
    case 'tanh':
      // tanh' = 1 − tanh²
      add(x, mul(gy, b.binary(g, 'sub', one(), mul(n.id, n.id))));
      return;
    case 'sigmoid':
      // σ' = σ(x)·σ(−x), not σ(1 − σ): 1 − σ(x) cancels to 0 for x ≳ 37, where σ' ≈ e^{−x} is still representable.
      add(x, mul(gy, mul(n.id, b.unary(g, 'sigmoid', b.unary(g, 'neg', x)))));
      return;
    case 'softplus':
      // softplus' = σ
      add(x, mul(gy, b.unary(g, 'sigmoid', x)));
      return;
    case 'relu':
      add(x, mul(gy, b.unary(g, 'step', x)));
      return;
    case 'abs':
      add(x, mul(gy, b.unary(g, 'sign', x)));
      return;
    case 'logSumExp':
      // ∂/∂x = softmax(x) = exp(log softmax x), so higher derivatives go through the stable rule below
      // (not e^{x−m}/Σ, whose derivative s ⊙ (r − sᵀr) cancels at s_top → 1).
      add(x, mul(gy, b.unary(g, 'exp', b.logSoftmax(g, x))));
      return;
    case 'logSoftmax': {
      // ∂/∂x_c = g_c − s_c Σ_j g_j (s = softmax = exp(log softmax)), written as g_c (1 − s_c) − s_c Σ_{j≠c} g_j
      // with 1 − s_c = Σ_{j≠c} s_j summed, not subtracted: no cancellation when s_c → 1. Its own derivative
      // goes through exp, sumOthers and this rule again, so every order keeps this form.
      const s = b.unary(g, 'exp', n.id);
      add(x, b.binary(g, 'sub', mul(gy, b.sumOthers(g, s)), mul(s, b.sumOthers(g, gy))));
      return;
    }
    case 'sumOthers':
      // A symmetric linear map (all-ones minus the identity, per row): its own adjoint.
      add(x, b.sumOthers(g, gy));
      return;
    case 'reduce':
      add(x, b.broadcast(g, gy, shapeOf(x)));
      return;
    case 'broadcast':
      add(x, b.reduce(g, gy, shapeOf(x)));
      return;
    case 'transpose':
      add(x, b.unary(g, 'transpose', gy));
      return;
    case 'reshape':
      add(x, b.reshape(g, gy, shapeOf(x)));
      return;
    case 'slice':
      addPiece(x, n.offset as number, gy);
      return;
    case 'assemble': {
      let first = 0;
      if (n.hasBase) {
        add(x, gy);
        first = 1;
      }
      const offsets = n.offsets as readonly number[];
      for (let i = 0; i < offsets.length; i++) {
        const piece = n.inputs[first + i];
        add(piece, b.slice(g, gy, offsets[i], shapeOf(piece)));
      }
      return;
    }
    case 'matmul':
      matmulRule(g, n, gy, add);
      return;
    default:
      // const, input, sign, step, reduceMax: no inputs that carry derivatives.
      return;
  }
}

/**
 * C = op(A)·op(B) (m × n, inner k). With G the cotangent of C: the cotangent of op(A) is G·op(B)ᵀ and that of
 * op(B) is op(A)ᵀ·G; undoing op gives the products below, none of which transposes both of its factors.
 */
function matmulRule(g: Graph, n: Node, gy: number, add: (id: number, value: number) => void): void {
  const [A, B] = n.inputs;
  const { m, n: cols, k, transA, transB } = n.mm!;
  const sa = g.node(A).shape;
  const sb = g.node(B).shape;
  // Cotangent of A (stored m × k, or k × m when transA).
  if (!transA) {
    // G (m × n) · op(B)ᵀ: op(B)ᵀ = Bᵀ (B stored k × n) or B (stored n × k).
    add(A, b.matmul(g, gy, B, { m, n: k, k: cols, transA: false, transB: !transB }, sa));
  } else {
    // (G·Bᵀ)ᵀ = B·Gᵀ, B stored k × n (transB is false here).
    add(A, b.matmul(g, B, gy, { m: k, n: m, k: cols, transA: false, transB: true }, sa));
  }
  // Cotangent of B (stored k × n, or n × k when transB).
  if (!transB) {
    // op(A)ᵀ·G: A stored m × k → Aᵀ G; A stored k × m → A G.
    add(B, b.matmul(g, A, gy, { m: k, n: cols, k: m, transA: !transA, transB: false }, sb));
  } else {
    // (op(A)ᵀ·G)ᵀ = Gᵀ·A, A stored m × k (transA is false here).
    add(B, b.matmul(g, gy, A, { m: cols, n: k, k: m, transA: true, transB: false }, sb));
  }
}
