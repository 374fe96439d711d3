/**
 * The MLP's derivatives do not depend on the matrix-product backend: the WebAssembly SIMD kernel and the JavaScript
 * kernels sum in the same order, so the loss, gradient and Hessian-vector product are bit-identical under 'js',
 * 'auto' (wasm for the large products) and 'wasm' (every product).
 */
import ndarray from 'ndarray';
import { afterEach, describe, expect, it } from 'vitest';
import { setMatmulBackend, useWasm } from '../../../src/linalg/gemm.js';
import { rng } from '../../../src/core/rng.js';
import { create } from '../../../src/models/mlp/model.js';
import { init } from '../../../src/models/mlp/init.js';

afterEach(() => setMatmulBackend('auto'));

describe('MLP derivatives do not depend on the backend', () => {
  it('49-32-32-10 tanh MLP on 200 examples: loss, gradient and HVP bit-identical under js and wasm', () => {
    const r = rng(5);
    const layers = [49, 32, 32, 10];
    const inputs = ndarray(r.fillNormal(new Float64Array(200 * 49)), [200, 49]);
    const targets = ndarray(r.fillNormal(new Float64Array(200 * 10)), [200, 10]);
    const model = create({ layers, inputs, targets });
    const theta = init({ layers }, { seed: 3 });
    const v = r.fillNormal(new Float64Array(model.dim));
    expect(useWasm(200, 32, 49)).toBe(true); // the first layer's product runs on wasm under 'auto'
    const run = () => {
      const grad = new Float64Array(model.dim);
      const hv = new Float64Array(model.dim);
      const loss = model.lossAndGrad(theta, grad);
      model.hvp(theta, v, hv);
      return { loss, grad, hv };
    };
    setMatmulBackend('js');
    const js = run();
    setMatmulBackend('auto');
    expect(run()).toEqual(js);
    setMatmulBackend('wasm');
    expect(run()).toEqual(js);
  });
});
