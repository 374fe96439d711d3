/**
 * Worker pools (piscina over `node:worker_threads`) that run {@link Task}s by their registered handlers, and the
 * in-process fallback with the same code path, so results are bit-identical for any number of workers.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EosLabError, type ErrorCode, type ErrorDetails } from '../core/errors.js';
import { integerInRange, optionKeys, optionsObject } from '../core/validate.js';
import { handlerFor, type Task } from './task-registry.js';
import type { SerializedError, WorkerReply } from './worker-protocol.js';

/** Most worker threads a pool accepts (a guard against typos such as 1e6). */
const MAX_WORKERS = 1024;

/**
 * Options of {@link createTaskPool}.
 *
 * @since 0.1.0
 */
export interface TaskPoolOptions {
  /**
   * Number of worker threads. `0` or `1`: no threads — tasks run one after another in the calling thread, by the
   * same handlers (the results are identical; use it for debugging, tiny jobs and environments without workers).
   * @defaultValue `os.availableParallelism()` (all cores)
   */
  workers?: number;
  /**
   * Modules each worker imports before its first task, e.g. the file that registers your own model
   * (`registerModel`) or task handler (`registerTaskHandler`): absolute paths, `file:` URLs or package names.
   * eos-lab's own models and handlers are always loaded. Relative paths are not allowed (a worker would resolve
   * them against eos-lab's folder, not yours). In-process pools import them too.
   * @defaultValue `[]`
   */
  preload?: readonly string[];
}

/**
 * Options of {@link runTasks}.
 *
 * @since 0.1.0
 */
export interface RunTasksOptions extends TaskPoolOptions {
  /**
   * An existing pool to run on (it stays open afterwards, so several calls share its warm workers). Giving
   * `workers` or `preload` together with `pool` is an error (the pool already fixed them).
   * @defaultValue a pool created for this call and closed when it ends
   */
  pool?: TaskPool;
}

/**
 * A set of worker threads (or the calling thread) that runs tasks by their registered handlers. Create it with
 * {@link createTaskPool}; `close` it when done (an open pool keeps its threads alive).
 *
 * @since 0.1.0
 */
export interface TaskPool {
  /** Worker threads (0 = tasks run in the calling thread). */
  readonly workers: number;
  /**
   * Runs the tasks (in parallel across the workers) and resolves with their results in task order. Rejects with
   * the first failing task's error (an `EosLabError` keeps its class, code and details across the thread
   * boundary).
   */
  run<R = unknown>(tasks: readonly Task[]): Promise<R[]>;
  /** Stops the worker threads; later `run` calls reject. Idempotent. */
  close(): Promise<void>;
}

/**
 * The default number of worker threads: `os.availableParallelism()` (the cores this process may use).
 *
 * @remarks Cost O(1).
 *
 * @returns an integer ≥ 1.
 * @example
 * ```ts
 * import { defaultWorkerCount } from 'eos-lab';
 * console.log(defaultWorkerCount() >= 1); // true
 * ```
 * @since 0.1.0
 */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/** Rebuilds the error a worker reported; an `EosLabError` keeps its class, code, details and message. @internal */
export function deserializeError(s: SerializedError): Error {
  let e: Error;
  if (s.code !== undefined && s.details !== undefined) {
    const colon = s.message.indexOf(': ');
    e = new EosLabError(s.code, colon > 0 ? s.message.slice(0, colon) : 'worker', s.details);
    e.message = s.message;
  } else {
    e = new Error(s.message);
    e.name = s.name;
  }
  if (s.stack !== undefined) e.stack = `${s.stack}\n    (in a worker thread)`;
  return e;
}

/**
 * Where the worker entry is, and the flags a worker needs to load it.
 * - From the sources (this file is `pool.ts`, under vitest or tsx): `worker.ts` beside it, loaded through tsx's
 *   loader (a devDependency; plain Node cannot run TypeScript in a worker).
 * - From the build (`dist/index.js` or `.cjs`, this module bundled into it): `dist/parallel-worker.js`/`.cjs`, the
 *   tsup entry of `worker.ts`, which imports the package entry beside it so the worker shares its registries.
 * - From a tsc-style build (`…/parallel/pool.js`): `worker.js` beside it.
 */
function workerEntry(): { filename: string; execArgv: string[] | undefined } {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  const ext = extname(here);
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    return { filename: join(dir, `worker${ext}`), execArgv: ['--import', pathToFileURL(tsx).href] };
  }
  for (const name of [`parallel-worker${ext}`, `worker${ext}`]) {
    const filename = join(dir, name);
    if (existsSync(filename)) return { filename, execArgv: undefined };
  }
  throw new Error(`eos-lab: the worker entry (parallel-worker${ext}) is missing beside ${here}; reinstall the package`);
}

/** Minimal view of the piscina pool we use (its types load only with the optional dynamic import). */
interface PiscinaLike {
  run(task: unknown): Promise<unknown>;
  destroy(): Promise<void>;
}

function validatePreload(fn: string, path: string, preload: unknown): readonly string[] {
  if (preload === undefined) return [];
  if (!Array.isArray(preload)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: path, value: preload, expected: 'an array of module specifiers' });
  }
  preload.forEach((m, i) => {
    if (typeof m !== 'string' || m.length === 0 || m.startsWith('./') || m.startsWith('../')) {
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: `${path}[${i}]`,
        value: m,
        expected: 'an absolute path, a file: URL or a package name (not a relative path)',
      });
    }
  });
  return [...preload];
}

/** A `file:` URL for absolute paths, the specifier itself otherwise (URLs, package names). @internal */
export function preloadSpecifier(m: string): string {
  return m.startsWith('/') || /^[A-Za-z]:[\\/]/.test(m) ? pathToFileURL(m).href : m;
}

/**
 * Creates a pool of worker threads that run {@link Task}s by their registered handlers (see
 * {@link registerTaskHandler}); with `workers` ≤ 1, a pool that runs them in the calling thread instead.
 *
 * Each worker loads the `eos-lab` entry point (so all built-in models and task handlers are registered there)
 * and the `preload` modules, then runs the tasks it is given; a task and its result cross the thread boundary by
 * structured clone (typed arrays included). Typed arrays on a `SharedArrayBuffer` are shared, not copied: a handler
 * may write large results into them in place and return little (the grid study does; an in-process pool passes the
 * task itself, so the same writes land in the same arrays). The same handler code runs in-process and in workers,
 * so a deterministic handler gives bit-identical results for any worker count.
 *
 * @remarks
 * Threads start lazily at the first `run` (about 0.1 s each from the built package; about 0.5 s from the
 * TypeScript sources, which workers load through tsx). Tasks are handed out first come, first served, so give
 * a pool several tasks per worker to balance uneven work. Works from the sources (vitest, tsx) and from the built
 * package (ESM and CJS): the worker entry is found relative to this module. Close the pool with `close()`.
 *
 * @param options - `workers` and `preload`.
 * @returns the pool.
 * @throws EosLabError `E_BAD_OPTION` for `workers` not an integer in [0, 1024] or a bad `preload` list.
 * @example
 * ```ts
 * import { createTaskPool, registerTaskHandler, type Task } from 'eos-lab';
 * registerTaskHandler('demo/negate', (task: Task) => -(task.value as number));
 * // In-process here; with { workers: 4 } four threads run the tasks (a handler of yours must then be registered
 * // in them too: put it in a module and pass that module as `preload`).
 * const pool = createTaskPool({ workers: 0 });
 * try {
 *   console.log(await pool.run([{ kind: 'demo/negate', value: 1 }, { kind: 'demo/negate', value: 2 }])); // [-1, -2]
 * } finally {
 *   await pool.close();
 * }
 * ```
 * @since 0.1.0
 */
export function createTaskPool(options?: TaskPoolOptions): TaskPool {
  const fn = 'createTaskPool';
  const o = optionsObject(fn, options, optionKeys<TaskPoolOptions>({ workers: true, preload: true }));
  const workers = o.workers === undefined ? defaultWorkerCount() : integerInRange(fn, 'options.workers', o.workers, 0, MAX_WORKERS);
  const preload = validatePreload(fn, 'options.preload', o.preload);
  return workers <= 1 ? inProcessPool(preload) : threadPool(workers, preload);
}

function inProcessPool(preload: readonly string[]): TaskPool {
  let closed = false;
  let ready: Promise<unknown> | undefined;
  return {
    workers: 0,
    async run<R>(tasks: readonly Task[]): Promise<R[]> {
      checkTasks('TaskPool.run', tasks);
      if (closed) throw new Error('TaskPool.run: the pool is closed');
      ready ??= Promise.all(preload.map((m) => import(preloadSpecifier(m))));
      await ready;
      const results: R[] = [];
      for (let i = 0; i < tasks.length; i++) results.push((await handlerFor('TaskPool.run', `tasks[${i}]`, tasks[i])(tasks[i])) as R);
      return results;
    },
    async close() {
      closed = true;
    },
  };
}

function threadPool(workers: number, preload: readonly string[]): TaskPool {
  let piscina: Promise<PiscinaLike> | undefined;
  let closed = false;
  const start = async (): Promise<PiscinaLike> => {
    const { Piscina } = await import('piscina');
    const { filename, execArgv } = workerEntry();
    return new Piscina({
      filename,
      name: 'runTaskMessage',
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 60_000,
      execArgv,
      workerData: { preload: preload.map(preloadSpecifier) },
    }) as unknown as PiscinaLike;
  };
  return {
    workers,
    async run<R>(tasks: readonly Task[]): Promise<R[]> {
      checkTasks('TaskPool.run', tasks);
      if (closed) throw new Error('TaskPool.run: the pool is closed');
      piscina ??= start();
      const p = await piscina;
      const replies = (await Promise.all(tasks.map((t) => p.run(t)))) as WorkerReply[];
      const failed = replies.find((r) => !r.ok);
      if (failed !== undefined && !failed.ok) throw deserializeError(failed.error);
      return replies.map((r) => (r as { value: unknown }).value as R);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (piscina !== undefined) await (await piscina).destroy();
    },
  };
}

function checkTasks(fn: string, tasks: unknown): void {
  if (!Array.isArray(tasks)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'tasks', value: tasks, expected: 'an array of tasks' });
  }
  tasks.forEach((t, i) => {
    if (t === null || typeof t !== 'object' || typeof (t as Task).kind !== 'string') {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: `tasks[${i}]`, value: t, expected: "an object with a string 'kind'" });
    }
  });
}

/**
 * Runs tasks by their registered handlers on worker threads (all cores by default) and resolves with their
 * results in task order; the one-call form of {@link createTaskPool} + `run` + `close`.
 *
 * @remarks
 * A deterministic handler gives bit-identical results for every `workers` value, including 0 (in-process). The
 * pool created for the call is closed before the promise settles; pass `pool` to reuse warm workers across calls.
 * An empty task list resolves to `[]` without starting threads. See {@link createTaskPool} for costs.
 *
 * @param tasks - the tasks, `{ kind, ... }` each, structured-cloneable.
 * @param options - `workers`, `preload`, or an existing `pool`.
 * @returns a promise of the results, `results[i]` for `tasks[i]`.
 * @throws EosLabError (as a rejected promise) `E_BAD_OPTION` for a non-array `tasks`, a task without a string
 *   `kind`, bad `workers`/`preload`, or `workers`/`preload` together with `pool`; `E_NOT_SUPPORTED` for a kind
 *   with no registered handler; a handler's own error (the first failing task's) unchanged.
 * @example
 * ```ts
 * import { registerTaskHandler, runTasks, type Task } from 'eos-lab';
 * registerTaskHandler('demo/cube', (task: Task) => (task.value as number) ** 3);
 * const cubes = await runTasks([{ kind: 'demo/cube', value: 2 }, { kind: 'demo/cube', value: 3 }], { workers: 0 });
 * console.log(cubes); // [8, 27]
 * ```
 * @since 0.1.0
 */
export async function runTasks<R = unknown>(tasks: readonly Task[], options?: RunTasksOptions): Promise<R[]> {
  const fn = 'runTasks';
  const o = optionsObject(fn, options, optionKeys<RunTasksOptions>({ pool: true, workers: true, preload: true }));
  checkTasks(fn, tasks);
  if (o.pool !== undefined) {
    for (const key of ['workers', 'preload'] as const) {
      if (o[key] !== undefined) {
        throw new EosLabError('E_BAD_OPTION', fn, {
          argument: `options.${key}`,
          value: o[key],
          expected: 'undefined when options.pool is given (the pool fixed it)',
        });
      }
    }
    if (typeof o.pool?.run !== 'function') {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.pool', value: o.pool, expected: 'a TaskPool from createTaskPool' });
    }
    return o.pool.run<R>(tasks);
  }
  if (tasks.length === 0) return [];
  const workers = o.workers === undefined ? defaultWorkerCount() : integerInRange(fn, 'options.workers', o.workers, 0, MAX_WORKERS);
  const pool = createTaskPool({ workers: Math.min(workers, tasks.length), preload: validatePreload(fn, 'options.preload', o.preload) });
  try {
    return await pool.run<R>(tasks);
  } finally {
    await pool.close();
  }
}
