import { EosLabError } from './errors.js';
import type { LossModel, ModelSpec } from './loss-model.js';

/** A factory that builds a model from its spec. */
export type ModelFactory = (spec: ModelSpec) => LossModel;

const factories = new Map<string, ModelFactory>();

/**
 * Registers a model factory under `kind`, so `createModel({ kind, ... })` can rebuild it (in worker threads,
 * from files). Built-in models register themselves when `eos-lab` is imported. Registering a `kind` again
 * replaces the factory.
 *
 * @param kind - the `spec.kind` string, e.g. `'scalar-factorization'`.
 * @param factory - builds the model from a spec of that kind.
 * @throws EosLabError `E_BAD_OPTION` if `kind` is not a non-empty string or `factory` is not a function.
 * @example
 * ```ts
 * import { registerModel, createModel, type LossModel, type ModelSpec } from 'eos-lab';
 * // L(θ) = ½ a θ², a one-parameter quadratic with curvature a.
 * function myQuadratic(spec: ModelSpec): LossModel {
 *   const a = spec.a as number;
 *   return {
 *     spec, dim: 1,
 *     loss: (t) => 0.5 * a * t[0] * t[0],
 *     lossAndGrad: (t, g) => { g[0] = a * t[0]; return 0.5 * a * t[0] * t[0]; },
 *     hvp: (_t, v, out) => { out[0] = a * v[0]; },
 *   };
 * }
 * registerModel('my-quadratic', myQuadratic);
 * const model = createModel({ kind: 'my-quadratic', a: 2 });
 * model.loss(new Float64Array([3])); // 9
 * ```
 * @since 0.1.0
 */
export function registerModel(kind: string, factory: ModelFactory): void {
  if (typeof kind !== 'string' || kind.length === 0) {
    throw new EosLabError('E_BAD_OPTION', 'registerModel', { argument: 'kind', value: kind, expected: 'a non-empty string' });
  }
  if (typeof factory !== 'function') {
    throw new EosLabError('E_BAD_OPTION', 'registerModel', { argument: 'factory', value: factory, expected: 'a function' });
  }
  factories.set(kind, factory);
}

/**
 * Rebuilds a model from its JSON-serializable spec: `createModel(model.spec)` behaves exactly like `model`.
 *
 * @throws EosLabError `E_UNKNOWN_MODEL` if no factory is registered for `spec.kind`, `E_BAD_OPTION` if
 *   `spec` is not an object with a string `kind`.
 * @example
 * ```ts
 * import { createModel, scalarFactorization } from 'eos-lab';
 * const a = scalarFactorization.create({ depth: 3 });
 * const b = createModel(JSON.parse(JSON.stringify(a.spec))); // same model, e.g. in a worker
 * ```
 * @since 0.1.0
 */
export function createModel(spec: ModelSpec): LossModel {
  if (spec === null || typeof spec !== 'object' || typeof spec.kind !== 'string') {
    throw new EosLabError('E_BAD_OPTION', 'createModel', { argument: 'spec', value: spec, expected: "an object with a string 'kind'" });
  }
  const factory = factories.get(spec.kind);
  if (!factory) {
    throw new EosLabError('E_UNKNOWN_MODEL', 'createModel', {
      argument: 'spec.kind',
      value: spec.kind,
      expected: `a registered kind (${[...factories.keys()].map((k) => `'${k}'`).join(', ') || 'none registered'})`,
    });
  }
  return factory(spec);
}

/** The registered model kinds, in registration order. */
export function registeredModelKinds(): string[] {
  return [...factories.keys()];
}
