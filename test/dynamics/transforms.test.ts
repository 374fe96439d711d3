import { describe, expect, it } from 'vitest';
import { chain, clipByGlobalNorm, clipCoordinates, type GradientTransform, type TransformContext } from '../../src/dynamics/transforms.js';
import { thrown } from '../helpers/errors.js';

const ctx: TransformContext = { theta: new Float64Array(4), learningRate: 0.1, step: 0 };

function apply<S>(t: GradientTransform<S>, g: number[], out?: Float64Array): Float64Array {
  const grad = Float64Array.from(g);
  const state = t.init(grad.length);
  const o = out ?? new Float64Array(grad.length);
  const ret = t.update(grad, state, ctx, o);
  expect(ret).toBe(o); // returns its out argument
  return o;
}


describe('clipCoordinates', () => {
  it('clips every coordinate to [−max, max] by default', () => {
    expect(Array.from(apply(clipCoordinates({ max: 1 }), [3, -0.5, -7, 1]))).toEqual([1, -0.5, -1, 1]);
  });

  it('clips only the chosen indices and copies the rest', () => {
    expect(Array.from(apply(clipCoordinates({ max: 2, indices: [0, 2] }), [3, -5, -7, 1.5]))).toEqual([2, -5, -2, 1.5]);
  });

  it('works in place (out === grad) and leaves grad alone otherwise', () => {
    const g = Float64Array.of(3, -5, -7, 1.5);
    const t = clipCoordinates({ max: 2, indices: [1] });
    const out = new Float64Array(4);
    t.update(g, t.init(4), ctx, out);
    expect(Array.from(g)).toEqual([3, -5, -7, 1.5]);
    t.update(g, t.init(4), ctx, g);
    expect(Array.from(g)).toEqual([3, -2, -7, 1.5]);
  });

  it('lets NaN through (the driver reports divergence)', () => {
    expect(Number.isNaN(apply(clipCoordinates({ max: 1 }), [NaN])[0])).toBe(true);
  });

  it('validates max and indices', () => {
    expect(thrown(() => clipCoordinates({ max: 0 })).details.argument).toBe('options.max');
    expect(thrown(() => clipCoordinates({} as never)).details.argument).toBe('options.max');
    expect(thrown(() => clipCoordinates(undefined as never)).details.argument).toBe('options');
    expect(thrown(() => clipCoordinates({ max: 1, indices: [0, 1.5] })).details.argument).toBe('options.indices[1]');
    expect(thrown(() => clipCoordinates({ max: 1, indices: [2, 2] })).details.argument).toBe('options.indices[1]');
    expect(thrown(() => clipCoordinates({ max: 1, indices: [] })).details.argument).toBe('options.indices');
    expect(thrown(() => clipCoordinates({ max: 1, indices: [4] }).init(4)).code).toBe('E_DIM_MISMATCH');
  });
});

describe('clipByGlobalNorm', () => {
  it('rescales to norm maxNorm when above: [3, 4] with M = 1 → [0.6, 0.8]', () => {
    const u = apply(clipByGlobalNorm({ maxNorm: 1 }), [3, 4]);
    expect(u[0]).toBe(3 * (1 / 5));
    expect(u[1]).toBe(4 * (1 / 5));
  });

  it('leaves a gradient with ‖g‖ ≤ M unchanged bit for bit (including ‖g‖ = M and g = 0)', () => {
    expect(Array.from(apply(clipByGlobalNorm({ maxNorm: 5 }), [3, 4]))).toEqual([3, 4]);
    expect(Array.from(apply(clipByGlobalNorm({ maxNorm: 5 }), [0.1, -0.2]))).toEqual([0.1, -0.2]);
    expect(Array.from(apply(clipByGlobalNorm({ maxNorm: 5 }), [0, 0]))).toEqual([0, 0]);
  });

  it('does not overflow for huge finite entries', () => {
    const u = apply(clipByGlobalNorm({ maxNorm: 2 }), [3e300, 4e300]);
    expect(u[0]).toBeCloseTo(1.2, 14);
    expect(u[1]).toBeCloseTo(1.6, 14);
  });

  it('validates maxNorm', () => {
    expect(thrown(() => clipByGlobalNorm({ maxNorm: -1 })).details.argument).toBe('options.maxNorm');
    expect(thrown(() => clipByGlobalNorm({ maxNorm: Infinity })).code).toBe('E_NONFINITE');
  });
});

describe('chain', () => {
  it('applies members left to right (order matters)', () => {
    // A scaling member makes the order visible: double∘clip ≠ clip∘double.
    const double: GradientTransform<null> = {
      init: () => null,
      update: (g, _s, _c, out) => {
        for (let i = 0; i < g.length; i++) out[i] = 2 * g[i];
        return out;
      },
    };
    const clip = clipCoordinates({ max: 1 });
    expect(Array.from(apply(chain(clip, double), [3, -0.25]))).toEqual([2, -0.5]); // double(clip(g))
    expect(Array.from(apply(chain(double, clip), [3, -0.25]))).toEqual([1, -0.5]); // clip(double(g))
  });

  it('keeps each member’s state and passes it back', () => {
    const counter: GradientTransform<{ n: number }> = {
      init: () => ({ n: 0 }),
      update: (g, s, _c, out) => {
        s.n++;
        for (let i = 0; i < g.length; i++) out[i] = g[i] + s.n;
        return out;
      },
    };
    const t = chain(counter, counter);
    const state = t.init(1);
    const g = Float64Array.of(0);
    t.update(g, state, ctx, g); // (0 + 1) + 1
    expect(g[0]).toBe(2);
    t.update(g, state, ctx, g); // (2 + 2) + 2
    expect(g[0]).toBe(6);
    expect(state).toEqual([{ n: 2 }, { n: 2 }]);
  });

  it('with no member is the identity (copying into out)', () => {
    expect(Array.from(apply(chain(), [1, -2]))).toEqual([1, -2]);
  });

  it('rejects members that are not transforms', () => {
    expect(thrown(() => chain(clipCoordinates({ max: 1 }), {} as never)).details.argument).toBe('transforms[1].init');
    expect(thrown(() => chain(null as never)).details.argument).toBe('transforms[0]');
  });
});
