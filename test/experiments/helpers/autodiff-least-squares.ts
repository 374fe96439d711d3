/**
 * Test helper (a module workers can `preload`): a `fromFunction` model registered under
 * `'test-autodiff-least-squares'` (spec `{ x, y }`): the depth-2 diagonal linear network
 * L(w) = 1/(2n) Σᵢ (⟨xᵢ, w ⊙ w⟩ − yᵢ)², the README's "Your own model" example written with `autodiff`.
 * `leastSquares(spec, y)` builds one whose function uses targets `y` rather than the spec's: a model its spec does
 * not describe.
 */
import { fromFunction, type FunctionModel } from '../../../src/autodiff/from-function.js';
import { matvec, mean, mul, pow, sub } from '../../../src/autodiff/ops.js';
import type { ModelSpec } from '../../../src/core/loss-model.js';
import { registerModel } from '../../../src/core/registry.js';

export interface LeastSquaresSpec extends ModelSpec {
  readonly x: number[][];
  readonly y: number[];
}

export function leastSquares(spec: LeastSquaresSpec, y: number[] = spec.y): FunctionModel {
  return fromFunction(spec.x[0].length, (w) => mul(0.5, mean(pow(sub(matvec(spec.x, pow(w, 2)), y), 2))), { spec });
}

registerModel('test-autodiff-least-squares', (spec) => leastSquares(spec as LeastSquaresSpec));
