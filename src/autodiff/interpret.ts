/**
 * Executes a compiled program: one pass over its instructions, each a plain indexed loop over preallocated
 * buffers (or one of the blocked matrix products of `linalg/gemm.ts`). Nothing is allocated and no code is
 * generated at run time; the order of every sum is fixed, so equal inputs give bit-identical outputs.
 *
 * @module
 * @internal
 */
import { matmul, matmulTransA, matmulTransB } from '../linalg/gemm.js';
import { Code, type Instr, type Program } from './program.js';

/** Binds input slot buffers (θ, v, u) and runs the program. @internal */
export function run(p: Program, inputIds: readonly number[], inputs: readonly Float64Array[]): void {
  const bufs = p.bufs;
  const offs = p.offs;
  for (let s = 0; s < inputIds.length; s++) {
    const id = inputIds[s];
    // Inputs recorded after this program was compiled (e.g. u, for the HVP program) are not bound.
    if (id !== undefined && id < bufs.length && s < inputs.length) {
      bufs[id] = inputs[s];
      offs[id] = 0;
    }
  }
  const instrs = p.instrs;
  for (let i = 0; i < instrs.length; i++) step(instrs[i], bufs, offs);
}

function step(ins: Instr, bufs: Float64Array[], offs: Int32Array): void {
  const out = ins.out;
  switch (ins.code) {
    case Code.Input:
    case Code.Const:
      return;
    case Code.Slice:
      bufs[out] = bufs[ins.a];
      offs[out] = offs[ins.a] + ins.num;
      return;
    case Code.Reshape:
      bufs[out] = bufs[ins.a];
      offs[out] = offs[ins.a];
      return;
    case Code.Add:
    case Code.Sub:
    case Code.Mul:
    case Code.Div:
      binary(ins, bufs[out], offs[out], bufs[ins.a], offs[ins.a], bufs[ins.b], offs[ins.b]);
      return;
    case Code.Matmul: {
      const { m, n, k } = ins;
      const o = bufs[out];
      const oo = offs[out];
      const a = bufs[ins.a];
      const b = bufs[ins.b];
      if (ins.transA) matmulTransA(m, n, k, a, offs[ins.a], m, b, offs[ins.b], n, 0, o, oo, n);
      else if (ins.transB) matmulTransB(m, n, k, a, offs[ins.a], k, b, offs[ins.b], k, 0, o, oo, n);
      else matmul(m, n, k, a, offs[ins.a], k, b, offs[ins.b], n, 0, o, oo, n);
      return;
    }
    case Code.Reduce:
    case Code.ReduceMax:
      reduce(ins, bufs[out], offs[out], bufs[ins.a], offs[ins.a]);
      return;
    case Code.LogSumExp:
      logSumExpRows(ins.rows, ins.cols, bufs[out], offs[out], bufs[ins.a], offs[ins.a]);
      return;
    case Code.LogSoftmax:
      logSoftmaxRows(ins.rows, ins.cols, bufs[out], offs[out], bufs[ins.a], offs[ins.a]);
      return;
    case Code.SumOthers:
      sumOthersRows(ins.rows, ins.cols, bufs[out], offs[out], bufs[ins.a], offs[ins.a]);
      return;
    case Code.Broadcast: {
      const o = bufs[out];
      const oo = offs[out];
      const x = bufs[ins.a];
      const xo = offs[ins.a];
      const { rows, cols, as0, as1 } = ins;
      for (let r = 0; r < rows; r++) {
        const orow = oo + r * cols;
        const xrow = xo + r * as0;
        for (let c = 0; c < cols; c++) o[orow + c] = x[xrow + c * as1];
      }
      return;
    }
    case Code.Transpose: {
      const o = bufs[out];
      const oo = offs[out];
      const x = bufs[ins.a];
      const xo = offs[ins.a];
      const { rows, cols } = ins;
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) o[oo + c * rows + r] = x[xo + r * cols + c];
      return;
    }
    case Code.Assemble: {
      const o = bufs[out];
      const oo = offs[out];
      const size = ins.size;
      if (ins.hasBase) {
        const x = bufs[ins.a];
        const xo = offs[ins.a];
        for (let i = 0; i < size; i++) o[oo + i] = x[xo + i];
      } else o.fill(0, oo, oo + size);
      const pieces = ins.pieces;
      for (let p = 0; p < pieces.length; p++) {
        const x = bufs[pieces[p]];
        const xo = offs[pieces[p]];
        const at = oo + ins.pieceOffsets[p];
        const len = ins.pieceSizes[p];
        for (let i = 0; i < len; i++) o[at + i] += x[xo + i];
      }
      return;
    }
    default:
      unary(ins, bufs[out], offs[out], bufs[ins.a], offs[ins.a]);
  }
}

function binary(ins: Instr, o: Float64Array, oo: number, a: Float64Array, ao: number, b: Float64Array, bo: number): void {
  const code = ins.code;
  if (ins.flat) {
    const n = ins.size;
    if (code === Code.Add) for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i];
    else if (code === Code.Sub) for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i];
    else if (code === Code.Mul) for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
    else for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
    return;
  }
  const { rows, cols, as0, as1, bs0, bs1 } = ins;
  for (let r = 0; r < rows; r++) {
    const orow = oo + r * cols;
    const arow = ao + r * as0;
    const brow = bo + r * bs0;
    if (code === Code.Add) for (let c = 0; c < cols; c++) o[orow + c] = a[arow + c * as1] + b[brow + c * bs1];
    else if (code === Code.Sub) for (let c = 0; c < cols; c++) o[orow + c] = a[arow + c * as1] - b[brow + c * bs1];
    else if (code === Code.Mul) for (let c = 0; c < cols; c++) o[orow + c] = a[arow + c * as1] * b[brow + c * bs1];
    else for (let c = 0; c < cols; c++) o[orow + c] = a[arow + c * as1] / b[brow + c * bs1];
  }
}

/** o_r ← log Σ_c e^{x_rc} = m + log1p(Σ_{c≠top} e^{x_rc − m}), m the row maximum: no overflow, no rounding of 1 + … */
function logSumExpRows(rows: number, cols: number, o: Float64Array, oo: number, x: Float64Array, xo: number): void {
  for (let r = 0; r < rows; r++) {
    const row = xo + r * cols;
    let top = 0;
    for (let c = 1; c < cols; c++) if (x[row + c] > x[row + top]) top = c;
    const m = x[row + top];
    let others = 0;
    for (let c = 0; c < cols; c++) if (c !== top) others += Math.exp(x[row + c] - m);
    o[oo + r] = m + Math.log1p(others);
  }
}

/**
 * o ← log softmax of each row: f_c − m − log1p(Σ_{j≠top} e^{f_j − m}) with m = f_top the row maximum (the first
 * one on ties). Written this way the top class's value is −log1p(…), accurate to a few ulps however close
 * s_top is to 1, where log(Σ_j e^{f_j − m}) would round to 0.
 */
function logSoftmaxRows(rows: number, cols: number, o: Float64Array, oo: number, x: Float64Array, xo: number): void {
  for (let r = 0; r < rows; r++) {
    const row = xo + r * cols;
    let top = 0;
    for (let c = 1; c < cols; c++) if (x[row + c] > x[row + top]) top = c;
    const m = x[row + top];
    let others = 0;
    for (let c = 0; c < cols; c++) if (c !== top) others += Math.exp(x[row + c] - m);
    const logSum = Math.log1p(others);
    const orow = oo + r * cols;
    for (let c = 0; c < cols; c++) o[orow + c] = c === top ? -logSum : x[row + c] - m - logSum;
  }
}

/** o_c ← Σ_{j≠c} x_j per row, as a prefix sum plus a suffix sum (no subtraction, so no cancellation). */
function sumOthersRows(rows: number, cols: number, o: Float64Array, oo: number, x: Float64Array, xo: number): void {
  for (let r = 0; r < rows; r++) {
    const row = xo + r * cols;
    const orow = oo + r * cols;
    let prefix = 0;
    for (let c = 0; c < cols; c++) {
      o[orow + c] = prefix;
      prefix += x[row + c];
    }
    let suffix = 0;
    for (let c = cols - 1; c >= 0; c--) {
      o[orow + c] += suffix;
      suffix += x[row + c];
    }
  }
}

function reduce(ins: Instr, o: Float64Array, oo: number, x: Float64Array, xo: number): void {
  const { rows, cols, as0, as1, size } = ins;
  const max = ins.code === Code.ReduceMax;
  o.fill(max ? -Infinity : 0, oo, oo + size);
  if (size === 1 && !max) {
    // Full sum, left to right.
    let s = 0;
    const n = rows * cols;
    for (let i = 0; i < n; i++) s += x[xo + i];
    o[oo] = s;
    return;
  }
  for (let r = 0; r < rows; r++) {
    const xrow = xo + r * cols;
    const orow = oo + r * as0;
    if (max) {
      for (let c = 0; c < cols; c++) {
        const v = x[xrow + c];
        const j = orow + c * as1;
        if (v > o[j]) o[j] = v;
      }
    } else for (let c = 0; c < cols; c++) o[orow + c * as1] += x[xrow + c];
  }
}

function unary(ins: Instr, o: Float64Array, oo: number, x: Float64Array, xo: number): void {
  const n = ins.size;
  switch (ins.code) {
    case Code.Neg:
      for (let i = 0; i < n; i++) o[oo + i] = -x[xo + i];
      return;
    case Code.Scale: {
      const c = ins.num;
      for (let i = 0; i < n; i++) o[oo + i] = c * x[xo + i];
      return;
    }
    case Code.Powi: {
      // x^k by repeated multiplication, left to right: ((x·x)·x)… (keeps signs; no Math.pow).
      const k = ins.num;
      for (let i = 0; i < n; i++) {
        const v = x[xo + i];
        let r = v;
        for (let j = 1; j < k; j++) r *= v;
        o[oo + i] = r;
      }
      return;
    }
    case Code.Powr: {
      const p = ins.num;
      for (let i = 0; i < n; i++) o[oo + i] = Math.pow(x[xo + i], p);
      return;
    }
    case Code.Exp:
      for (let i = 0; i < n; i++) o[oo + i] = Math.exp(x[xo + i]);
      return;
    case Code.Log:
      for (let i = 0; i < n; i++) o[oo + i] = Math.log(x[xo + i]);
      return;
    case Code.Sqrt:
      for (let i = 0; i < n; i++) o[oo + i] = Math.sqrt(x[xo + i]);
      return;
    case Code.Tanh:
      for (let i = 0; i < n; i++) o[oo + i] = Math.tanh(x[xo + i]);
      return;
    case Code.Sigmoid:
      for (let i = 0; i < n; i++) o[oo + i] = 1 / (1 + Math.exp(-x[xo + i]));
      return;
    case Code.Softplus:
      // log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}): no overflow, no loss for large |x|.
      for (let i = 0; i < n; i++) {
        const v = x[xo + i];
        o[oo + i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
      }
      return;
    case Code.Relu:
      for (let i = 0; i < n; i++) {
        const v = x[xo + i];
        o[oo + i] = v > 0 ? v : 0;
      }
      return;
    case Code.Abs:
      for (let i = 0; i < n; i++) o[oo + i] = Math.abs(x[xo + i]);
      return;
    case Code.Sign:
      for (let i = 0; i < n; i++) {
        const v = x[xo + i];
        o[oo + i] = v > 0 ? 1 : v < 0 ? -1 : 0;
      }
      return;
    case Code.Step:
      for (let i = 0; i < n; i++) o[oo + i] = x[xo + i] > 0 ? 1 : 0;
      return;
    default:
      throw new Error(`autodiff interpreter: unknown opcode ${ins.code}`);
  }
}
