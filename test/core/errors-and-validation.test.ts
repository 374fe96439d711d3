import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import { finiteVector, integerInRange, oneOf, optionsObject, positiveFinite } from '../../src/core/validate.js';

describe('EosLabError', () => {
  it('has a stable code, details and the documented message form', () => {
    const e = new EosLabError('E_BAD_OPTION', 'gd', { argument: 'options.learningRate', value: -1, expected: 'a finite number > 0' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('EosLabError');
    expect(e.code).toBe('E_BAD_OPTION');
    expect(e.details).toEqual({ argument: 'options.learningRate', value: -1, expected: 'a finite number > 0' });
    expect(e.message).toBe('gd: options.learningRate must be a finite number > 0. Value: -1.');
  });

  it('summarizes arrays in messages instead of dumping them', () => {
    const e = new EosLabError('E_DIM_MISMATCH', 'f', { argument: 'theta', value: new Float64Array(100), expected: 'x' });
    expect(e.message).toContain('Float64Array(100) [0, 0, 0, 0, …]');
  });
});

describe('validators', () => {
  it('positiveFinite', () => {
    expect(positiveFinite('f', 'a', 2)).toBe(2);
    for (const bad of [0, -1, '1', undefined]) {
      expect(() => positiveFinite('f', 'a', bad)).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    }
    // NaN and ±Infinity are E_NONFINITE whatever the range (one code for non-finite input).
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(() => positiveFinite('f', 'a', bad)).toThrow(expect.objectContaining({ code: 'E_NONFINITE' }));
    }
  });

  it('finiteVector: type, length, emptiness, finiteness with the index named', () => {
    expect(() => finiteVector('f', 'theta', [1, 2], 2)).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    expect(() => finiteVector('f', 'theta', new Float64Array(3), 2)).toThrow(
      expect.objectContaining({ code: 'E_DIM_MISMATCH', details: expect.objectContaining({ argument: 'theta.length', value: 3 }) }),
    );
    expect(() => finiteVector('f', 'theta', new Float64Array(0))).toThrow(expect.objectContaining({ code: 'E_EMPTY' }));
    expect(() => finiteVector('f', 'theta', new Float64Array([0, Infinity]))).toThrow(
      expect.objectContaining({ code: 'E_NONFINITE', details: expect.objectContaining({ argument: 'theta[1]' }) }),
    );
  });

  it('integerInRange, oneOf, optionsObject', () => {
    expect(() => integerInRange('f', 'k', 1.5, 1)).toThrow(/must be an integer >= 1. Value: 1.5/);
    expect(() => integerInRange('f', 'k', 11, 1, 10)).toThrow(/in \[1, 10\]/);
    expect(() => oneOf('f', 'which', 'min', ['max', 'abs'] as const)).toThrow(/one of 'max', 'abs'/);
    expect(() => optionsObject('f', 3 as never)).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    expect(optionsObject('f', undefined)).toEqual({});
  });
});
