import { describe, expect, it } from 'vitest';
import { createModel, registerModel, registeredModelKinds } from '../../src/core/registry.js';
import type { LossModel } from '../../src/core/loss-model.js';

describe('model registry', () => {
  it('rebuilds a registered model from a JSON round-trip of its spec', () => {
    registerModel('test-scaled-square', (spec) => {
      const a = spec.a as number;
      const m: LossModel = {
        spec,
        dim: 1,
        loss: (t) => 0.5 * a * t[0] * t[0],
        lossAndGrad: (t, g) => {
          g[0] = a * t[0];
          return 0.5 * a * t[0] * t[0];
        },
        hvp: (_t, v, out) => {
          out[0] = a * v[0];
        },
      };
      return m;
    });
    const m = createModel(JSON.parse(JSON.stringify({ kind: 'test-scaled-square', a: 3 })));
    expect(m.loss(new Float64Array([2]))).toBe(6);
    expect(registeredModelKinds()).toContain('test-scaled-square');
  });

  it('names the unknown kind and the registered ones', () => {
    expect(() => createModel({ kind: 'nope' })).toThrow(expect.objectContaining({ code: 'E_UNKNOWN_MODEL' }));
    expect(() => createModel({ kind: 'nope' })).toThrow(/'test-scaled-square'/);
    expect(() => createModel(null as never)).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    expect(() => registerModel('', () => null as never)).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
  });
});
