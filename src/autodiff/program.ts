/**
 * Compiles part of a graph into a program: the nodes needed for the requested outputs (dead ones dropped), in
 * id order (a topological order), each with an opcode, its operands and its preallocated output buffer. Buffers
 * are reused once their value is dead (liveness over the program), which keeps the working set close to that of
 * a hand-written kernel; slices and reshapes alias their input's storage at an offset and copy nothing.
 *
 * @module
 * @internal
 */
import type { Graph, Node, Op } from './graph.js';
import { asMatrix, broadcastStrides } from './shape.js';

/** Numeric opcodes of the interpreter's switch. @internal */
export enum Code {
  Input, Const, Add, Sub, Mul, Div, Neg, Scale, Powi, Powr, Exp, Log, Sqrt, Tanh, Sigmoid, Softplus, Relu, Abs,
  Sign, Step, Reduce, ReduceMax, LogSumExp, LogSoftmax, SumOthers, Broadcast, Matmul, Transpose, Slice, Reshape, Assemble,
}

const CODES: Record<Op, Code> = {
  input: Code.Input, const: Code.Const, add: Code.Add, sub: Code.Sub, mul: Code.Mul, div: Code.Div, neg: Code.Neg,
  scale: Code.Scale, powi: Code.Powi, powr: Code.Powr, exp: Code.Exp, log: Code.Log, sqrt: Code.Sqrt,
  tanh: Code.Tanh, sigmoid: Code.Sigmoid, softplus: Code.Softplus, relu: Code.Relu, abs: Code.Abs,
  sign: Code.Sign, step: Code.Step, reduce: Code.Reduce, reduceMax: Code.ReduceMax, logSumExp: Code.LogSumExp, logSoftmax: Code.LogSoftmax, sumOthers: Code.SumOthers,
  broadcast: Code.Broadcast,
  matmul: Code.Matmul, transpose: Code.Transpose, slice: Code.Slice, reshape: Code.Reshape, assemble: Code.Assemble,
};

/** One step of a program: out ← op(a, b) with the attributes the kernel needs. @internal */
export interface Instr {
  readonly code: Code;
  readonly out: number;
  readonly a: number;
  readonly b: number;
  /** Entries of the output. */
  readonly size: number;
  /** Binary/broadcast/reduce: the iteration space [rows, cols] and the strides (row, col) of a and b. */
  readonly rows: number;
  readonly cols: number;
  readonly as0: number;
  readonly as1: number;
  readonly bs0: number;
  readonly bs1: number;
  /** Both operands (binary) are full arrays of the output's shape: one flat loop. */
  readonly flat: boolean;
  /** scale factor, exponent, or slice offset. */
  readonly num: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
  /** assemble: the inputs (base first if any), their offsets and sizes. */
  readonly hasBase: boolean;
  readonly pieces: readonly number[];
  readonly pieceOffsets: readonly number[];
  readonly pieceSizes: readonly number[];
}

/** A compiled program with its storage: `bufs[id]`/`offs[id]` locate node id's value. @internal */
export interface Program {
  readonly instrs: readonly Instr[];
  readonly bufs: Float64Array[];
  readonly offs: Int32Array;
  readonly outputs: readonly number[];
  /** Doubles allocated for intermediate values (after reuse). */
  readonly scratchDoubles: number;
}

const EMPTY: readonly number[] = [];

function instruction(g: Graph, n: Node): Instr {
  const base = {
    code: CODES[n.op], out: n.id, a: n.inputs[0] ?? -1, b: n.inputs[1] ?? -1, size: n.size,
    rows: 0, cols: 0, as0: 0, as1: 0, bs0: 0, bs1: 0, flat: false, num: n.num ?? n.offset ?? 0,
    m: 0, n: 0, k: 0, transA: false, transB: false, hasBase: false, pieces: EMPTY, pieceOffsets: EMPTY, pieceSizes: EMPTY,
  };
  const shapeOf = (id: number) => g.node(id).shape;
  switch (n.op) {
    case 'add': case 'sub': case 'mul': case 'div': {
      const [rows, cols] = asMatrix(n.shape);
      const [as0, as1] = broadcastStrides(shapeOf(base.a), n.shape);
      const [bs0, bs1] = broadcastStrides(shapeOf(base.b), n.shape);
      const flat = g.node(base.a).size === n.size && g.node(base.b).size === n.size;
      return { ...base, rows, cols, as0, as1, bs0, bs1, flat };
    }
    case 'reduce': case 'reduceMax': {
      // Iterate over the input; `a`-strides locate the output entry each input entry folds into.
      const [rows, cols] = asMatrix(shapeOf(base.a));
      const [as0, as1] = broadcastStrides(n.shape, shapeOf(base.a));
      return { ...base, rows, cols, as0, as1 };
    }
    case 'logSumExp': {
      const [rows, cols] = asMatrix(shapeOf(base.a));
      return { ...base, rows, cols };
    }
    case 'logSoftmax': case 'sumOthers': {
      const [rows, cols] = asMatrix(n.shape);
      return { ...base, rows, cols };
    }
    case 'broadcast': {
      const [rows, cols] = asMatrix(n.shape);
      const [as0, as1] = broadcastStrides(shapeOf(base.a), n.shape);
      return { ...base, rows, cols, as0, as1 };
    }
    case 'transpose': {
      const [rows, cols] = asMatrix(shapeOf(base.a));
      return { ...base, rows, cols };
    }
    case 'matmul': {
      const mm = n.mm!;
      return { ...base, m: mm.m, n: mm.n, k: mm.k, transA: mm.transA, transB: mm.transB };
    }
    case 'assemble': {
      const hasBase = n.hasBase === true;
      const pieces = n.inputs.slice(hasBase ? 1 : 0);
      return { ...base, hasBase, pieces, pieceOffsets: n.offsets ?? EMPTY, pieceSizes: pieces.map((p) => g.node(p).size) };
    }
    default:
      return base;
  }
}

/** Compiles the nodes needed for `outputs` into a program with preallocated, reused buffers. @internal */
export function compile(g: Graph, outputs: readonly number[]): Program {
  const count = g.nodes.length;
  const needed = new Uint8Array(count);
  for (const o of outputs) needed[o] = 1;
  for (let id = count - 1; id >= 0; id--) if (needed[id]) for (const i of g.node(id).inputs) needed[i] = 1;
  const order: number[] = [];
  for (let id = 0; id < count; id++) if (needed[id]) order.push(id);

  // Storage roots: slices and reshapes live in their input's storage.
  const root = new Int32Array(count).fill(-1);
  for (const id of order) {
    const n = g.node(id);
    root[id] = n.op === 'slice' || n.op === 'reshape' ? root[n.inputs[0]] : id;
  }
  // Last position at which each root's storage is read.
  const lastUse = new Int32Array(count).fill(-1);
  order.forEach((id, pos) => {
    for (const i of g.node(id).inputs) lastUse[root[i]] = pos;
  });
  for (const o of outputs) lastUse[root[o]] = order.length; // outputs outlive the program

  const bufs: Float64Array[] = new Array<Float64Array>(count);
  const offs = new Int32Array(count);
  const pool = new Map<number, Float64Array[]>();
  const released = new Uint8Array(count);
  let scratchDoubles = 0;
  const instrs: Instr[] = [];
  order.forEach((id, pos) => {
    const n = g.node(id);
    if (n.op === 'const') bufs[id] = n.data as Float64Array;
    else if (n.op !== 'input' && n.op !== 'slice' && n.op !== 'reshape') {
      const free = pool.get(n.size);
      let buf = free?.pop();
      if (buf === undefined) {
        buf = new Float64Array(n.size);
        scratchDoubles += n.size;
      }
      bufs[id] = buf;
    }
    if (n.op !== 'const') instrs.push(instruction(g, n));
    // Release storage whose last reader is this node (after allocating this node's own buffer, so an
    // output never shares storage with its inputs).
    for (const i of n.inputs) {
      const r = root[i];
      if (lastUse[r] !== pos || released[r]) continue;
      released[r] = 1;
      const rn = g.node(r);
      if (rn.op === 'const' || rn.op === 'input') continue;
      let free = pool.get(rn.size);
      if (!free) pool.set(rn.size, (free = []));
      free.push(bufs[r]);
    }
  });
  return { instrs, bufs, offs, outputs, scratchDoubles };
}
