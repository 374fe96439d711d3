/** Type-level tests of the result encoding (checked by `npm run typecheck`). */
import { describe, expectTypeOf, it } from 'vitest';
import {
  type GdResult,
  type GridStudyResult,
  type LrSweepResult,
  type SerializedResult,
  parseResult,
  resultFromJSON,
  resultToJSON,
} from '../../src/index.js';

describe('result encoding types', () => {
  it('the kind gives the decoded type', () => {
    expectTypeOf(resultFromJSON<'gd'>).returns.toEqualTypeOf<GdResult>();
    expectTypeOf(parseResult<'lrSweep'>).returns.toEqualTypeOf<LrSweepResult>();
    expectTypeOf(resultToJSON<'gridStudy'>).returns.toEqualTypeOf<SerializedResult<'gridStudy'>>();
    expectTypeOf(resultFromJSON).toBeCallableWith({} as SerializedResult<'gridStudy'>);
    // Without a kind, the type comes from the envelope's static type (not called: only the types are checked).
    const read = (json: SerializedResult<'gridStudy'>) => resultFromJSON(json);
    expectTypeOf(read).returns.toEqualTypeOf<GridStudyResult>();
  });
});
