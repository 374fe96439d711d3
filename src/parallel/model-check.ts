/**
 * Checks made before a model is run on worker threads, which rebuild it from `model.spec` with `createModel`: that
 * the rebuilt model is the same model (bit for bit at the start), and that the workers know its kind — both before
 * any work, so that a run never fails (or silently changes) half-way.
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import type { LossModel, ModelSpec } from '../core/loss-model.js';
import { createModel } from '../core/registry.js';
import { importModule } from '#platform/modules';
import type { TaskPool } from './pool.js';
import { registerTaskHandler, type Task } from './task-registry.js';

/** Model kinds every worker knows: eos-lab's own, registered when the package entry loads. */
const BUILT_IN_KINDS: ReadonlySet<string> = new Set(['scalar-factorization', 'diagonal-net', 'width-one-net', 'width-one-net-empirical', 'mlp']);

/** The probe task: rebuilds the model in a worker and evaluates it at θ₀. @internal */
export const MODEL_PROBE = 'parallel/model-probe';

/** What a model gives at θ₀: its dim, loss and gradient. @internal */
export interface ModelFingerprint {
  readonly dim: number;
  readonly loss: number;
  readonly grad: Float64Array;
}

/** The dim, loss and gradient of `model` at θ (one `lossAndGrad`). @internal */
export function fingerprint(model: LossModel, theta: Float64Array): ModelFingerprint {
  const grad = new Float64Array(model.dim);
  const loss = model.lossAndGrad(theta, grad);
  return { dim: model.dim, loss, grad };
}

registerTaskHandler(MODEL_PROBE, (task: Task) => fingerprint(createModel(task.spec as ModelSpec), task.theta as Float64Array));

/** The advice of every "workers do not know this model" error. */
function preloadAdvice(kind: string): string {
  return (
    `a model kind registered in the worker threads: each worker loads only eos-lab and the options.preload modules, ` +
    `so put registerModel('${kind}', …) in a module and pass its absolute path (or file: URL) as options.preload, ` +
    `or run in this thread with workers: 0`
  );
}

/** `E_UNKNOWN_MODEL` naming the kind and saying to use `preload`. */
function unknownInWorkers(fn: string, kind: string, cause: unknown, argument = 'model.spec.kind'): EosLabError {
  return new EosLabError('E_UNKNOWN_MODEL', fn, { argument, value: kind, expected: preloadAdvice(kind) }, { cause });
}

/** The first difference between two fingerprints, or undefined. Bits are compared (`Object.is`: −0 ≠ 0, NaN = NaN). */
function firstDifference(a: ModelFingerprint, b: ModelFingerprint): { argument: string; value: unknown; was: unknown } | undefined {
  if (a.dim !== b.dim) return { argument: 'dim', value: b.dim, was: a.dim };
  if (!Object.is(a.loss, b.loss)) return { argument: 'loss(theta0)', value: b.loss, was: a.loss };
  for (let i = 0; i < a.dim; i++) {
    if (!Object.is(a.grad[i], b.grad[i])) return { argument: `gradient(theta0)[${i}]`, value: b.grad[i], was: a.grad[i] };
  }
  return undefined;
}

/**
 * Before a run on worker threads: checks in this thread that `createModel(model.spec)` reproduces `model` — the
 * same dim, and the same loss and gradient at `theta0`, bit for bit — since the workers will run the rebuilt
 * model. Imports the `preload` modules here first if this thread does not know the kind. Returns the fingerprint
 * (for {@link probeWorkers}).
 *
 * @throws EosLabError `E_MODEL_MISMATCH` naming the first difference; `E_UNKNOWN_MODEL` (with the advice to use
 *   `preload`) if the kind is registered nowhere.
 * @internal
 */
/**
 * `createModel(spec)` in this thread, importing the `preload` modules here first if the kind is not registered yet;
 * an unknown kind is `E_UNKNOWN_MODEL` with the advice to register it in a module passed as `preload`. @internal
 */
export async function createModelOrPreload(
  fn: string,
  spec: ModelSpec,
  preload: readonly string[] | undefined,
  argument = 'model.spec.kind',
): Promise<LossModel> {
  try {
    return createModel(spec);
  } catch (e) {
    if (!(e instanceof EosLabError) || e.code !== 'E_UNKNOWN_MODEL') throw e;
    if (preload === undefined || preload.length === 0) throw unknownInWorkers(fn, spec.kind, e, argument);
    await Promise.all(preload.map(importModule));
    try {
      return createModel(spec);
    } catch (again) {
      throw unknownInWorkers(fn, spec.kind, again, argument);
    }
  }
}

export async function checkSpecReproduces(
  fn: string,
  model: LossModel,
  theta0: Float64Array,
  preload: readonly string[] | undefined,
): Promise<ModelFingerprint> {
  const rebuilt = await createModelOrPreload(fn, model.spec, preload);
  const given = fingerprint(model, theta0);
  const difference = firstDifference(given, fingerprint(rebuilt, theta0));
  if (difference !== undefined) {
    throw new EosLabError('E_MODEL_MISMATCH', fn, {
      argument: `createModel(model.spec).${difference.argument}`,
      value: difference.value,
      expected:
        `${String(difference.was)}, the given model's value: worker threads rebuild the model from its spec, so the spec must ` +
        `describe it completely (put every parameter and data set in spec, or run in this thread with workers: 0)`,
    });
  }
  return given;
}

/**
 * Before a run on worker threads: for a kind that is not built in, runs one probe task on `pool` that rebuilds the
 * model in a worker and compares it with `expected` (from {@link checkSpecReproduces}), so that a kind the workers
 * do not know (no `preload`) fails now, with the advice to use `preload`, instead of after other work.
 *
 * @throws EosLabError `E_UNKNOWN_MODEL` (with the advice to use `preload`); `E_MODEL_MISMATCH` if the workers'
 *   model differs from this thread's.
 * @internal
 */
export async function probeWorkers(
  fn: string,
  pool: TaskPool,
  spec: ModelSpec,
  theta0: Float64Array,
  expected: ModelFingerprint,
  signal?: AbortSignal,
): Promise<void> {
  if (BUILT_IN_KINDS.has(spec.kind) || pool.workers <= 1) return;
  let got: ModelFingerprint;
  try {
    [got] = await pool.run<ModelFingerprint>([{ kind: MODEL_PROBE, spec, theta: Float64Array.from(theta0) }], { signal });
  } catch (e) {
    if (e instanceof EosLabError && e.code === 'E_UNKNOWN_MODEL') throw unknownInWorkers(fn, spec.kind, e);
    throw e;
  }
  const difference = firstDifference(expected, got);
  if (difference !== undefined) {
    throw new EosLabError('E_MODEL_MISMATCH', fn, {
      argument: `createModel(model.spec).${difference.argument} in a worker thread`,
      value: difference.value,
      expected: `${String(difference.was)}, this thread's value (the preload modules register a different model under '${spec.kind}')`,
    });
  }
}
