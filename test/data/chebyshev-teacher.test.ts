import { describe, expect, it } from 'vitest';
import { chebyshev } from '../../src/data/chebyshev.js';
import { loadDataset } from '../../src/data/load.js';
import { teacher } from '../../src/data/teacher.js';
import { expectRelClose } from '../../src/testing/index.js';
import { errorCode } from '../helpers/errors.js';
import { referenceForward } from '../models/mlp/reference.js';

describe('datasets.chebyshev (Cohen et al.: T_k on n evenly spaced points of [−1, 1])', () => {
  it('defaults to Cohen et al.’s chebyshev-4-20: 20 points from −1 to 1 with step 2/19', () => {
    const d = chebyshev();
    expect(d.descriptor).toEqual({ dataset: 'chebyshev', points: 20, degree: 4 });
    expect(d.inputs.shape).toEqual([20, 1]);
    expect(d.targets.shape).toEqual([20, 1]);
    expect(d.inputs.data[0]).toBe(-1);
    expect(d.inputs.data[19]).toBe(1);
    for (let i = 1; i < 20; i++) expectRelClose(d.inputs.data[i] - d.inputs.data[i - 1], 2 / 19, { rel: 1e-14 });
  });

  it('targets satisfy T_k(cos φ) = cos(kφ) for k = 0 … 7 (recurrence against the trigonometric closed form)', () => {
    for (let k = 0; k <= 7; k++) {
      const d = chebyshev({ points: 33, degree: k });
      for (let i = 0; i < 33; i++) {
        const x = d.inputs.data[i];
        // the recurrence's error grows ~k²ε near |x| = 1; acos loses accuracy there too: abs 1e-13
        expectRelClose(d.targets.data[i], Math.cos(k * Math.acos(x)), { rel: 0, abs: 1e-13, label: `T_${k}(${x})` });
      }
    }
    // T₄(x) = 8x⁴ − 8x² + 1 at x = 0 and ±1: 1, 1
    const t4 = chebyshev({ points: 3, degree: 4 });
    expect(Array.from(t4.targets.data)).toEqual([1, 1, 1]);
  });

  it('validates its options and round-trips through loadDataset', () => {
    expect(errorCode(() => chebyshev({ points: 1 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => chebyshev({ degree: -1 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => chebyshev({ degree: 2.5 }))).toBe('E_BAD_OPTION');
    const d = chebyshev({ points: 7, degree: 5 });
    const e = loadDataset(JSON.parse(JSON.stringify(d.descriptor)));
    expect(e.targets.data).toEqual(d.targets.data);
    expect(errorCode(() => loadDataset({ dataset: 'cifar' } as never))).toBe('E_BAD_OPTION');
  });
});

describe('datasets.teacher (seeded teacher network)', () => {
  it('targets are the teacher’s outputs, recomputed here by an independent per-example forward pass', () => {
    const d = teacher({ layers: [3, 7, 2], activation: 'tanh', points: 25, seed: 4 });
    expect(d.inputs.shape).toEqual([25, 3]);
    expect(d.targets.shape).toEqual([25, 2]);
    const rows = Array.from({ length: 25 }, (_, i) => Array.from(d.inputs.data.subarray(3 * i, 3 * i + 3)));
    const ref = referenceForward([3, 7, 2], 'tanh', d.teacherTheta, rows).outputs.flat();
    expectRelClose(d.targets.data, ref, { rel: 1e-13, abs: 1e-15 });
    expect(d.descriptor).toEqual({ dataset: 'teacher', layers: [3, 7, 2], activation: 'tanh', points: 25, seed: 4, noise: 0 });
  });

  it('is deterministic per seed (also through loadDataset) and differs across seeds', () => {
    const a = teacher({ seed: 1 });
    const b = loadDataset(JSON.parse(JSON.stringify(a.descriptor)));
    expect(b.inputs.data).toEqual(a.inputs.data);
    expect(b.targets.data).toEqual(a.targets.data);
    expect(teacher({ seed: 2 }).inputs.data).not.toEqual(a.inputs.data);
  });

  it('inputs are standard normal and noise has the requested standard deviation (statistical, 5σ bounds)', () => {
    const n = 4000;
    const clean = teacher({ layers: [2, 4, 1], points: n, seed: 5 });
    const noisy = teacher({ layers: [2, 4, 1], points: n, seed: 5, noise: 0.3 });
    expect(noisy.inputs.data).toEqual(clean.inputs.data); // the noise is drawn after the inputs
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const e = noisy.targets.data[i] - clean.targets.data[i];
      s += e;
      s2 += e * e;
    }
    expect(Math.abs(s / n)).toBeLessThan(5 * 0.3 / Math.sqrt(n));
    expect(Math.abs(Math.sqrt(s2 / n) - 0.3)).toBeLessThan(5 * 0.3 / Math.sqrt(2 * n));
    let m = 0;
    let v = 0;
    for (const x of clean.inputs.data) {
      m += x;
      v += x * x;
    }
    expect(Math.abs(m / (2 * n))).toBeLessThan(5 / Math.sqrt(2 * n));
    expect(Math.abs(v / (2 * n) - 1)).toBeLessThan(5 * Math.sqrt(2 / (2 * n)));
  });

  it('validates its options', () => {
    expect(errorCode(() => teacher({ layers: [2] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => teacher({ points: 0 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => teacher({ noise: -1 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => teacher({ activation: 'gelu' as 'tanh' }))).toBe('E_BAD_OPTION');
  });
});
