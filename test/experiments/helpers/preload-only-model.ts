/**
 * Test helper imported only as a `preload` module (never statically by a test): registers L(θ) = ½·a·‖θ‖₂² under
 * `'test-registered-by-preload-only'`.
 */
import type { ModelSpec } from '../../../src/core/loss-model.js';
import { registerModel } from '../../../src/core/registry.js';
import { scaledQuadratic } from './scaled-quadratic.js';

registerModel('test-registered-by-preload-only', (spec: ModelSpec) => ({
  ...scaledQuadratic(spec.a as number, spec.a as number, spec.dim as number),
  spec,
}));
