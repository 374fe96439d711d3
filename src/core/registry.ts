import { EosLabError } from './errors.js';
import { rejectUnknownKeys } from './validate.js';
import type { LossModel, ModelSpec } from './loss-model.js';

/** A factory that builds a model from its spec. */
export type ModelFactory = (spec: ModelSpec) => LossModel;

/** The registry's state; one per process, shared by every copy of eos-lab loaded in it (see below). */
interface RegistryState {
  readonly factories: Map<string, ModelFactory>;
  /** Kinds whose current factory is one of eos-lab's own models (exact derivatives tested in its suite). */
  readonly builtIn: Set<string>;
}

/**
 * The registry lives on `globalThis` under a `Symbol.for` key, so the ESM and CommonJS builds (and any two copies
 * of the package loaded in one process — the dual-package hazard) share one set of models: a model registered
 * through `import` is found by `createModel` loaded through `require`, and vice versa.
 */
const REGISTRY_KEY = Symbol.for('eos-lab.registry');
const registryState: RegistryState = ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] ??= {
  factories: new Map<string, ModelFactory>(),
  builtIn: new Set<string>(),
}) as RegistryState;
const factories = registryState.factories;

/**
 * Registers a model factory under `kind`, so `createModel({ kind, ... })` can rebuild it (in worker threads,
 * from files). Built-in models register themselves when `eos-lab` is imported. Registering a `kind` again
 * replaces the factory. The registry is shared by the ESM and CommonJS builds (it is kept on `globalThis` under
 * `Symbol.for('eos-lab.registry')`), so registering through `import` is seen by `require` users and vice versa.
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
  registryState.builtIn.delete(kind);
}

/**
 * Registers one of eos-lab's own models (its derivatives are tested, so e.g. the sharpness symmetry probe skips it).
 * @internal
 */
export function registerBuiltInModel(kind: string, factory: ModelFactory): void {
  registerModel(kind, factory);
  registryState.builtIn.add(kind);
}

/**
 * Whether `model` claims a built-in kind whose registered factory is still eos-lab's own.
 * @internal
 */
export function isBuiltInModel(model: LossModel): boolean {
  const kind = (model as { spec?: { kind?: unknown } }).spec?.kind;
  return typeof kind === 'string' && registryState.builtIn.has(kind);
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
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec) || typeof spec.kind !== 'string') {
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

/**
 * Throws `E_BAD_OPTION` (as `createModel`, argument `spec.<key>`, with a "did you mean") for a key of `spec` other
 * than `kind` and `allowed`; returns true. Built-in factories call it so a misspelled spec field is never ignored.
 * @internal
 */
export function specKeys(spec: ModelSpec, allowed: readonly string[]): true {
  rejectUnknownKeys('createModel', 'spec', spec, ['kind', ...allowed]);
  return true;
}

/** The registered model kinds, in registration order. */
export function registeredModelKinds(): string[] {
  return [...factories.keys()];
}
