import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { resultFromJSON, resultToJSON } from '../../src/index.js';
import { bitwiseDifferences } from './bitwise.js';

/** Every double, including −0, NaN, ±Infinity and subnormals. */
const anyDouble = fc.double();
const typedArray = fc.oneof(
  fc.array(anyDouble, { maxLength: 12 }).map((xs) => Float64Array.from(xs)),
  fc.array(fc.float(), { maxLength: 12 }).map((xs) => Float32Array.from(xs)),
  fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 12 }).map((xs) => Int32Array.from(xs)),
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 }).map((xs) => Uint8Array.from(xs)),
);
/** ndarrays of any rank ≤ 3, sometimes as a transposed (strided) view. */
const ndArray = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }), fc.boolean())
  .chain(([shape, transpose]) =>
    fc.array(anyDouble, { minLength: shape.reduce((p, n) => p * n, 1), maxLength: shape.reduce((p, n) => p * n, 1) }).map((xs) => {
      const a = ndarray(Float64Array.from(xs), shape);
      return transpose && shape.length > 1 ? a.transpose(...shape.map((_, i) => shape.length - 1 - i)) : a;
    }),
  );
const key = fc.string({ maxLength: 6 }).filter((k) => k !== '$eos' && k !== '__proto__');
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyDouble,
    fc.string({ maxLength: 8 }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    typedArray,
    ndArray,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
}));

describe('resultToJSON / resultFromJSON (property)', () => {
  it('any value made of result pieces survives JSON text bit for bit (2000 runs)', () => {
    fc.assert(
      fc.property(value, (v) => {
        const back = resultFromJSON(JSON.parse(JSON.stringify(resultToJSON('value', v))), 'value');
        expect(bitwiseDifferences(back, v)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('encoding is deterministic and the decoded value re-encodes to the same JSON text (500 runs)', () => {
    fc.assert(
      fc.property(value, (v) => {
        const text = JSON.stringify(resultToJSON('value', v));
        expect(JSON.stringify(resultToJSON('value', resultFromJSON(JSON.parse(text), 'value')))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
