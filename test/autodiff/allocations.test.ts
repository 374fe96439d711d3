/**
 * "Allocates nothing per call after the first": a `fromFunction` model records its graph and compiles each
 * program (loss, gradient, HVP, third order) once, with every buffer preallocated; later calls only run the
 * programs. Checked deterministically (no heap measurement): while the calls run, the global typed-array
 * constructors (Float64Array, Int32Array, … and ArrayBuffer) are replaced by proxies that count constructions
 * (also `Float64Array.from`/`of`, which construct through them): any buffer created per call — in the model, the
 * interpreter or the matrix kernels — makes the count positive. `subarray` (of every typed array class) counts
 * the views made, separately.
 *
 * Views: none per call for programs without matrix products. The WebAssembly matrix kernel
 * (src/linalg/wasm/gemm-wasm.ts) makes a few `subarray` views per product to memcpy operands into wasm memory
 * (a view is a small object over an existing buffer, not a buffer); those are counted and reported, not
 * asserted to be zero.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fromFunction, type FunctionModel } from '../../src/autodiff/from-function.js';
import { add, constant, exp, logSumExp, matmul, mean, mul, pow, relu, reshape, sigmoid, slice, softplus, sqrt, sub, sum, tanh, transpose } from '../../src/autodiff/ops.js';
import { rng } from '../../src/core/rng.js';
import { mlpLossFunction } from '../../src/models/mlp/autodiff-form.js';

const COUNTED = ['Float64Array', 'Float32Array', 'Int32Array', 'Uint32Array', 'Int16Array', 'Uint16Array', 'Int8Array', 'Uint8Array', 'ArrayBuffer'] as const;
type Counted = (typeof COUNTED)[number];
const originals = Object.fromEntries(COUNTED.map((name) => [name, globalThis[name]])) as Record<Counted, unknown>;
// %TypedArray%.prototype, where subarray lives for every typed array class.
const typedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype) as { subarray: (this: unknown, b?: number, e?: number) => unknown };
const originalSubarray = typedArrayPrototype.subarray;
let count = 0;
let views = 0;

function startCounting(): void {
  count = 0;
  views = 0;
  for (const name of COUNTED) {
    (globalThis as Record<string, unknown>)[name] = new Proxy(originals[name] as new (...args: unknown[]) => object, {
      construct(target, args) {
        count++;
        if (process.env.ALLOC_TRACE) console.log(name, new Error().stack?.split('\n').slice(2, 5).join(' | '));
        return Reflect.construct(target, args) as object;
      },
    });
  }
  typedArrayPrototype.subarray = function (this: unknown, begin?: number, end?: number) {
    views++;
    if (process.env.ALLOC_TRACE) console.log('subarray', new Error().stack?.split('\n').slice(2, 5).join(' | '));
    return originalSubarray.call(this, begin, end);
  };
}

function stopCounting(): number {
  for (const name of COUNTED) (globalThis as Record<string, unknown>)[name] = originals[name];
  typedArrayPrototype.subarray = originalSubarray;
  return count;
}

afterEach(() => void stopCounting());

/** Calls loss, lossAndGrad, hvp and thirdOrder `rounds` times at varying points, counting buffers and views. */
function allocationsPerRounds(model: FunctionModel, rounds: number): { buffers: number; views: number } {
  const p = model.dim;
  const r = rng(7);
  const points = Array.from({ length: 4 }, () => r.fillNormal(new Float64Array(p)));
  const g = new Float64Array(p);
  const out = new Float64Array(p);
  const first = (): void => {
    model.loss(points[0]);
    model.lossAndGrad(points[0], g);
    model.hvp(points[0], points[1], out);
    model.thirdOrder(points[0], points[1], points[2], out);
  };
  first(); // records and compiles the programs: allocation is expected here
  startCounting();
  for (let i = 0; i < rounds; i++) {
    const theta = points[i % 4];
    const u = points[(i + 1) % 4];
    const v = points[(i + 2) % 4];
    model.loss(theta);
    model.lossAndGrad(theta, g);
    model.hvp(theta, v, out);
    model.thirdOrder(theta, u, v, out);
  }
  return { buffers: stopCounting(), views };
}

describe('fromFunction models allocate nothing per call after the first', () => {
  it('the counter sees allocations (sanity: it can fail)', () => {
    startCounting();
    void new Float64Array(3);
    void Float64Array.from([1, 2]);
    void new Float64Array(4).subarray(1);
    // The three constructions (their ArrayBuffers are made internally, not through the global) and the view.
    expect(stopCounting()).toBe(3);
    expect(views).toBe(1);
  });

  it('elementwise, reductions, slices and logSumExp: 100 rounds of loss, gradient, HVP and third order', () => {
    const model = fromFunction(6, (w) => {
      const a = slice(w, 0, 3);
      const b = slice(w, 3, 6);
      const e = add(mul(tanh(a), sigmoid(b)), sqrt(add(pow(a, 2), 1)));
      return add(add(mean(softplus(sub(a, b))), logSumExp(mul(e, exp(mul(0.1, b))))), sum(relu(sub(a, 0.2))));
    });
    expect(allocationsPerRounds(model, 100)).toEqual({ buffers: 0, views: 0 });
  });

  it('an MLP written with matmul (49-8-8-10 on 16 examples, cross-entropy): 20 rounds', () => {
    const layers = [49, 8, 8, 10];
    const n = 16;
    const r = rng(3);
    const X = r.fillNormal(new Float64Array(n * 49));
    const Y = new Float64Array(n * 10);
    for (let i = 0; i < n; i++) Y[i * 10 + r.int(10)] = 1;
    const p = 8 * 50 + 8 * 9 + 10 * 9;
    const { buffers } = allocationsPerRounds(fromFunction(p, mlpLossFunction(layers, 'tanh', 'cross-entropy', X, Y, n)), 20);
    expect(buffers).toBe(0);
  });

  it('matrix products with transposes and reshapes: 100 rounds', () => {
    const model = fromFunction(4, (w) => {
      const M = constant([1, 2, 3, 4, 5, 6], [3, 2]);
      const W = reshape(w, [2, 2]);
      return sum(pow(matmul(matmul(M, transpose(W)), W), 2));
    });
    expect(allocationsPerRounds(model, 100).buffers).toBe(0);
  });
});
