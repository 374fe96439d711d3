/**
 * `fromFunction` and the `autodiff` operations: closed-form derivatives of small functions, input validation with
 * coded errors, the default spec, determinism to the bit, and the dense Hessian against the HVP.
 */
import { describe, expect, it } from 'vitest';
import { autodiff, createModel, fromFunction, EosLabError } from '../../src/index.js';
import { checkHessian } from '../../src/testing/index.js';
import { thrown } from '../helpers/errors.js';

const { add, sub, mul, div, pow, sum, mean, logSumExp, matvec, matmul, outer, slice, concat, reshape, relu, abs, constant, dot, transpose, tanh, exp } = autodiff;

function grad(model: ReturnType<typeof fromFunction>, theta: number[]): { loss: number; g: number[] } {
  const g = new Float64Array(model.dim);
  const loss = model.lossAndGrad(Float64Array.from(theta), g);
  return { loss, g: Array.from(g) };
}

describe('closed-form derivatives', () => {
  it('broadcasting: Σ (w + M) over a [2, 2] matrix has gradient 2 per entry of w', () => {
    const m = fromFunction(2, (w) => sum(add(w, [[1, 2], [3, 4]])));
    expect(grad(m, [0.5, -1])).toEqual({ loss: 10 + 2 * (0.5 - 1), g: [2, 2] });
  });

  it('logSumExp: value without overflow at logits 1000, gradient softmax', () => {
    const m = fromFunction(3, (w) => logSumExp(w));
    const x2 = 1000 + Math.log(2); // rounded: the reference uses the stored value, e = exp(x2 − 1000) (exact difference)
    const { loss, g } = grad(m, [1000, 1000, x2]);
    const e = Math.exp(x2 - 1000);
    expect(loss).toBeCloseTo(1000 + Math.log(2 + e), 12);
    expect(Math.abs(g[0] - 1 / (2 + e))).toBeLessThanOrEqual(4 * Number.EPSILON);
    expect(Math.abs(g[2] - e / (2 + e))).toBeLessThanOrEqual(4 * Number.EPSILON);
  });

  it('sigmoid and softplus keep their small derivatives at large inputs (no 1 − σ cancellation)', () => {
    // Closed forms at x = 40: σ'(x) = softplus''(x) = e^{−x}/(1 + e^{−x})², about 4.25e-18; 1 − σ(40) rounds to 0.
    const x = 40;
    const exact = Math.exp(-x) / (1 + Math.exp(-x)) ** 2;
    const s = fromFunction(1, (w) => sum(autodiff.sigmoid(w)));
    expect(Math.abs(grad(s, [x]).g[0] - exact)).toBeLessThanOrEqual(4 * Number.EPSILON * exact);
    const sp = fromFunction(1, (w) => sum(autodiff.softplus(w)));
    const hv = new Float64Array(1);
    sp.hvp(Float64Array.of(x), Float64Array.of(1), hv);
    expect(Math.abs(hv[0] - exact)).toBeLessThanOrEqual(4 * Number.EPSILON * exact);
  });

  it('row sums (axis 1) and column means (axis 0) of a reshaped θ', () => {
    // L = Σᵢ cᵢ (Σⱼ Wᵢⱼ)² with c = (1, 2): ∂L/∂Wᵢⱼ = 2cᵢ Σⱼ Wᵢⱼ
    const rows = fromFunction(4, (w) => dot(pow(sum(reshape(w, [2, 2]), 1), 2), [1, 2]));
    expect(grad(rows, [1, 2, 3, 4]).g).toEqual([6, 6, 28, 28]);
    // L = Σⱼ (mean over rows of Wᵢⱼ) · dⱼ, d = (5, 7): ∂L/∂Wᵢⱼ = dⱼ / 2
    const cols = fromFunction(4, (w) => dot(mean(reshape(w, [2, 2]), 0), [5, 7]));
    expect(grad(cols, [1, 2, 3, 4]).g).toEqual([2.5, 3.5, 2.5, 3.5]);
  });

  it('slices, concat and outer: L = Σ (a bᵀ) with a = w[0:2], b = (w[2], 1) has ∂L/∂a = Σb, ∂L/∂b₀ = Σa', () => {
    const m = fromFunction(3, (w) => sum(outer(slice(w, 0, 2), concat([slice(w, 2, 3), 1]))));
    expect(grad(m, [2, 3, 4])).toEqual({ loss: (2 + 3) * (4 + 1), g: [5, 5, 5] });
  });

  it('matmul with a folded transpose: L = Σ (W Wᵀ) = ‖Σ_rows W‖², gradient 2·(column sums) per row', () => {
    const m = fromFunction(4, (w) => sum(matmul(reshape(w, [2, 2]), transpose(reshape(w, [2, 2])))));
    // W = [[1, 2], [3, 4]]: column sums (4, 6), L = 4² + 6² = 52
    expect(grad(m, [1, 2, 3, 4])).toEqual({ loss: 52, g: [8, 12, 8, 12] });
  });

  it('kinks: relu′(0) = 0 and abs′(0) = 0, as other AD systems', () => {
    const m = fromFunction(2, (w) => add(sum(relu(w)), sum(abs(w))));
    expect(grad(m, [0, 0]).g).toEqual([0, 0]);
    expect(grad(m, [-1, 2]).g).toEqual([-1, 2]);
  });

  it('division and real powers: L = w₀/w₁ + w₀^{1.5}', () => {
    const m = fromFunction(2, (w) => add(div(slice(w, 0, 1), slice(w, 1, 2)), pow(slice(w, 0, 1), 1.5)));
    const { g } = grad(m, [4, 2]);
    expect(g[0]).toBeCloseTo(1 / 2 + 1.5 * 2, 14);
    expect(g[1]).toBeCloseTo(-4 / 4, 14);
  });

  it('HVP and third order of L = Σ exp(wᵢ): diag(eʷ)v and eʷ ⊙ u ⊙ v', () => {
    const m = fromFunction(2, (w) => sum(exp(w)));
    const theta = new Float64Array([0.5, -1]);
    const out = new Float64Array(2);
    m.hvp(theta, new Float64Array([2, 3]), out);
    expect(Array.from(out)).toEqual([Math.exp(0.5) * 2, Math.exp(-1) * 3]);
    m.thirdOrder(theta, new Float64Array([2, 3]), new Float64Array([5, 7]), out);
    expect(Array.from(out)).toEqual([Math.exp(0.5) * 2 * 5, Math.exp(-1) * 3 * 7]);
  });

  it('the dense Hessian of a tanh network agrees with its HVP and with finite differences', () => {
    const X = [[0.5, -1], [1, 2], [-0.3, 0.7]];
    const m = fromFunction(4, (w) => mean(pow(tanh(matvec(X, reshape(slice(w, 0, 2), [2]))), 2)) as never);
    const res = checkHessian(m, new Float64Array([0.3, -0.2, 0.1, 0.4]));
    expect(res.pass).toBe(true);
    expect(res.hvpError).toBe(0);
  });
});

describe('degenerate functions', () => {
  it('L = w (the input itself), a constant loss, and a linear loss: exact zeros where derivatives vanish', () => {
    const id = fromFunction(1, (w) => w);
    const out = new Float64Array(1);
    expect(grad(id, [3])).toEqual({ loss: 3, g: [1] });
    id.hvp(new Float64Array([3]), new Float64Array([1]), out);
    expect(out[0]).toBe(0);
    const c = fromFunction(2, () => constant(5));
    expect(grad(c, [1, 2])).toEqual({ loss: 5, g: [0, 0] });
    const lin = fromFunction(2, (w) => dot(w, [1, 2]));
    expect(Array.from(lin.hessian(new Float64Array([1, 2])).data)).toEqual([0, 0, 0, 0]);
  });
});

describe('validation and errors', () => {
  it('operations outside fromFunction: E_NOT_SUPPORTED', () => {
    expect(thrown(() => add(1, 2)).code).toBe('E_NOT_SUPPORTED');
  });

  it('shape errors name the operation: E_DIM_MISMATCH', () => {
    const e = thrown(() => fromFunction(3, (w) => sum(add(w, [1, 2]))));
    expect(e.code).toBe('E_DIM_MISMATCH');
    expect(e.message).toContain('autodiff.add');
    expect(thrown(() => fromFunction(3, (w) => sum(matvec([[1, 2]], w)))).code).toBe('E_DIM_MISMATCH');
    expect(thrown(() => fromFunction(3, (w) => sum(reshape(w, [2, 2])))).code).toBe('E_DIM_MISMATCH');
    expect(thrown(() => fromFunction(2, (w) => sum(constant([[1, 2], [3]]) as never) as never)).code).toBe('E_DIM_MISMATCH');
  });

  it('the function must return a one-entry tensor', () => {
    expect(thrown(() => fromFunction(3, (w) => w)).code).toBe('E_DIM_MISMATCH');
    expect(thrown(() => fromFunction(3, () => 1 as never)).code).toBe('E_BAD_OPTION');
  });

  it('bad arguments and options: E_BAD_OPTION / E_NONFINITE', () => {
    expect(thrown(() => fromFunction(0, (w) => sum(w))).code).toBe('E_BAD_OPTION');
    expect(thrown(() => fromFunction(2, 'f' as never)).code).toBe('E_BAD_OPTION');
    const unknown = thrown(() => fromFunction(2, (w) => sum(w), { spce: {} } as never));
    expect(unknown.code).toBe('E_BAD_OPTION');
    expect(unknown.message).toContain('spec');
    expect(thrown(() => fromFunction(2, (w) => sum(w), { spec: { kind: '' } })).code).toBe('E_BAD_OPTION');
    expect(thrown(() => fromFunction(2, (w) => sum(slice(w, 1, 3)))).code).toBe('E_BAD_OPTION');
    expect(thrown(() => fromFunction(2, (w) => sum(pow(w, NaN)))).code).toBe('E_NONFINITE');
    expect(thrown(() => fromFunction(2, (w) => sum(mul(w, [1, Infinity])))).code).toBe('E_NONFINITE');
    expect(thrown(() => fromFunction(2, (w) => sum(w, 2))).code).toBe('E_BAD_OPTION');
  });

  it('a tensor kept from another recording: E_NOT_SUPPORTED', () => {
    let leaked: ReturnType<typeof sum> | undefined;
    fromFunction(2, (w) => (leaked = sum(w)));
    expect(thrown(() => fromFunction(2, (w) => add(sum(w), leaked!))).code).toBe('E_NOT_SUPPORTED');
  });

  it('dense Hessian beyond 4096 parameters: E_NOT_SUPPORTED', () => {
    const m = fromFunction(5000, (w) => sum(w));
    expect(thrown(() => m.hessian(new Float64Array(5000))).code).toBe('E_NOT_SUPPORTED');
  });
});

describe('spec, determinism, read-only inputs', () => {
  it('default spec { kind: "from-function", dim } is not registered: rebuilding fails loudly', () => {
    const m = fromFunction(2, (w) => sum(w));
    expect(m.spec).toEqual({ kind: 'from-function', dim: 2 });
    const e = thrown(() => createModel(m.spec));
    expect(e).toBeInstanceOf(EosLabError);
    expect(e.code).toBe('E_UNKNOWN_MODEL');
    const spec = { kind: 'mine', a: 1 };
    expect(fromFunction(2, (w) => sum(w), { spec }).spec).toBe(spec);
  });

  it('equal inputs give bit-identical outputs, across calls and across separately built models', () => {
    const X = [[0.3, -1.2, 2], [1, 0.5, -0.25], [0.1, 0.2, 0.3], [2, -2, 1]];
    const f = (w: Parameters<Parameters<typeof fromFunction>[1]>[0]) => mean(pow(sub(tanh(matvec(X, w)), [1, -1, 0.5, 0]), 2));
    const a = fromFunction(3, f);
    const b = fromFunction(3, f);
    const theta = new Float64Array([0.7, -0.3, 1.1]);
    const u = new Float64Array([1, 2, -1]);
    const v = new Float64Array([-0.5, 0.25, 3]);
    const snapshot = Float64Array.from(theta);
    const results = [a, b, a].map((m) => {
      const g = new Float64Array(3);
      const h = new Float64Array(3);
      const t = new Float64Array(3);
      const l = m.lossAndGrad(theta, g);
      m.hvp(theta, v, h);
      m.thirdOrder(theta, u, v, t);
      return [l, ...g, ...h, ...t];
    });
    expect(results[1]).toEqual(results[0]); // toEqual on numbers is Object.is: bit-for-bit (up to NaN payloads)
    expect(results[2]).toEqual(results[0]);
    expect(theta).toEqual(snapshot);
  });
});
