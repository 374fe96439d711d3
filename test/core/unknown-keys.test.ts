import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import { optionsObject } from '../../src/core/validate.js';

describe('optionsObject with allowed keys', () => {
  const allowed = ['learningRate', 'maxSteps', 'lossGoal'] as const;

  it('accepts known keys and undefined', () => {
    expect(optionsObject('f', { learningRate: 1 }, allowed)).toEqual({ learningRate: 1 });
    expect(optionsObject('f', undefined, allowed)).toEqual({});
  });

  it('rejects a misspelled key with E_BAD_OPTION and a did-you-mean', () => {
    let err: unknown;
    try {
      optionsObject('f', { lossgoal: 1e-3 }, allowed);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EosLabError);
    const e = err as EosLabError;
    expect(e.code).toBe('E_BAD_OPTION');
    expect(e.details.argument).toBe('options.lossgoal');
    expect(e.message).toContain('did you mean "lossGoal"');
  });

  it('names the nested argument path and gives no suggestion for a far key', () => {
    let err: unknown;
    try {
      optionsObject('f', { zzzzzzzz: 1 }, allowed, 'options.record');
    } catch (e) {
      err = e;
    }
    const e = err as EosLabError;
    expect(e.details.argument).toBe('options.record.zzzzzzzz');
    expect(e.message).not.toContain('did you mean');
  });
});
