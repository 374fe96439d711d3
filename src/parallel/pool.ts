/**
 * Task pools that run {@link Task}s by their registered handlers: worker threads in Node (`node:worker_threads`,
 * src/parallel/thread-pool.ts, reached through `#platform/threads`), and the in-process pool with the same code
 * path, so results are bit-identical for any number of workers. In the browser build every pool is in-process.
 *
 * @module
 */
import { createThreadPool, isPoolClosed, poolThreadIds, processorCount, WORKER_THREADS } from '#platform/threads';
import { importModule } from '#platform/modules';
import { abortError, yieldToEventLoop } from '../core/abort.js';
import { EosLabError } from '../core/errors.js';
import { integerInRange, optionKeys, optionsObject } from '../core/validate.js';
import { checkTasks, closedError, describeTask, taskError, validateRunOptions, withPartialResults } from './run-support.js';
import { handlerFor, type Task } from './task-registry.js';

export { poolThreadIds, isPoolClosed };

/**
 * The most worker threads a pool (and `gridStudy`, `lrSweep`, `runTasks`) accepts: 256. More is rejected with
 * `E_BAD_OPTION` — a guard against typos such as `workers: 1000`, which would start that many threads (each
 * loads the package: about 5 MB and 0.1 s) without speeding anything up on any current machine.
 *
 * @example
 * ```ts
 * import { MAX_WORKERS } from 'eos-lab';
 * console.log(MAX_WORKERS); // 256
 * ```
 * @since 0.2.0
 */
export const MAX_WORKERS = 256;

/**
 * Progress of a pool run: called after each task finishes.
 *
 * @since 0.2.0
 */
export interface TaskProgress {
  /** Tasks finished so far. */
  readonly completed: number;
  /** Tasks of the run. */
  readonly total: number;
  /** The index of the task that just finished. */
  readonly index: number;
}

/**
 * Options of `TaskPool.run`.
 *
 * @since 0.2.0
 */
export interface TaskRunOptions {
  /**
   * Stops the run: it rejects with `E_ABORTED`, queued tasks are dropped and the threads running its tasks are
   * terminated (in-process, the run stops before its next task).
   * @defaultValue none
   */
  signal?: AbortSignal;
  /**
   * Called after each task finishes, with `{ completed, total, index }`.
   * @defaultValue none
   */
  onProgress?: (progress: TaskProgress) => void;
}

/**
 * Options of {@link createTaskPool}.
 *
 * @since 0.1.0
 */
export interface TaskPoolOptions {
  /**
   * Number of worker threads. `0` or `1`: no threads — tasks run one after another in the calling thread, by the
   * same handlers (the results are identical; use it for debugging, tiny jobs and environments without workers).
   * In a browser, pools run in-process whatever this says (see {@link createTaskPool}).
   * @defaultValue `os.availableParallelism()` (all cores); 1 in a browser
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
export interface RunTasksOptions extends TaskPoolOptions, TaskRunOptions {
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
   * the first failing task's error as soon as it fails (an `EosLabError` keeps its class, code and details across
   * the thread boundary; any other failure is `E_WORKER` naming the task), stopping the run's other tasks; with
   * `E_ABORTED` when `options.signal` fires or the pool is closed during the run.
   */
  run<R = unknown>(tasks: readonly Task[], options?: TaskRunOptions): Promise<R[]>;
  /** Stops the worker threads; later `run` calls reject. Idempotent. */
  close(): Promise<void>;
}

/**
 * The default number of worker threads: `os.availableParallelism()` (the cores this process may use) in Node, 1 in a
 * browser (where pools run in-process; see {@link createTaskPool}).
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
  return Math.max(1, processorCount());
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

/**
 * Creates a pool of worker threads that run {@link Task}s by their registered handlers (see
 * {@link registerTaskHandler}); with `workers` ≤ 1, a pool that runs them in the calling thread instead.
 *
 * Each worker loads the `eos-lab` entry point (so all built-in models and task handlers are registered there)
 * and the `preload` modules, then runs the tasks it is given; a task and its result cross the thread boundary by
 * structured clone (typed arrays included). Typed arrays on a `SharedArrayBuffer` are shared, not copied: a handler
 * may write large results into them in place and return little (the grid study does; an in-process pool passes the
 * task itself, so the same writes land in the same arrays). The same handler code runs in-process and in workers,
 * so a deterministic handler gives bit-identical results for any number of workers.
 *
 * @remarks
 * **Loading.** A worker loads the package and the `preload` modules through one module loader: the loader of the
 * build this pool runs from — `import()` from the ES-module build (and from the TypeScript sources under tsx or
 * vitest, whose loader hooks the worker inherits), `require` from the CommonJS build (`import()` for `.mjs`
 * preloads there) — so a model registered by a preload module is registered in the very registry the worker's
 * tasks read, under `node` (ESM or CJS), `tsx` and vitest alike.
 *
 * **Threads** start lazily, one per task waiting, up to `workers` (about 0.1 s each from the built package, about
 * 0.5 s from the TypeScript sources). Tasks are handed out first come, first served, so give a pool several tasks
 * per worker to balance uneven work. Close the pool with `close()`.
 *
 * **Faults.** The first failing task rejects its run at once; the run's other tasks are dropped from the queue and
 * the threads still running them are terminated (the pool starts fresh ones for later runs). An `EosLabError`
 * from a handler keeps its class, code and details; any other failure becomes `E_WORKER` naming the task — a
 * handler's error of another class (kept as `cause` with its name, message and stack), a result that cannot be
 * copied back (structured clone), a worker thread that died. `close()` during a run rejects that run with
 * `E_ABORTED`. No failure leaves an unhandled rejection behind.
 *
 * **In a browser** (the package's `browser` build) there are no worker threads: every pool runs its tasks
 * in-process, one after another, by the same handlers, and its `workers` is 0 — the results are the same, bit for
 * bit, as from any number of threads in Node. `workers` is still validated; `preload` modules are `import()`ed as
 * given (URLs). To keep a page responsive, run the whole computation in a Web Worker of your own.
 *
 * @param options - `workers` and `preload`.
 * @returns the pool.
 * @throws EosLabError `E_BAD_OPTION` for `workers` not an integer in [0, {@link MAX_WORKERS}] or a bad `preload`
 *   list.
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
  const workers = o.workers === undefined ? defaultWorkerCount() : validateWorkers(fn, 'options.workers', o.workers);
  const preload = validatePreload(fn, 'options.preload', o.preload);
  return workers <= 1 || !WORKER_THREADS ? inProcessPool(preload) : createThreadPool(workers, preload);
}

/**
 * Throws `E_BAD_OPTION` unless `value` is an integer in [0, {@link MAX_WORKERS}]. Returns it. @internal
 */
export function validateWorkers(fn: string, argument: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > MAX_WORKERS) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument,
      value,
      expected: `an integer in [0, ${MAX_WORKERS}] (MAX_WORKERS: more threads than that cost memory and start-up time without speeding anything up; this machine has ${defaultWorkerCount()} cores)`,
    });
  }
  return integerInRange(fn, argument, value, 0, MAX_WORKERS);
}

function inProcessPool(preload: readonly string[]): TaskPool {
  let closed = false;
  let ready: Promise<unknown> | undefined;
  return {
    workers: 0,
    async run<R>(tasks: readonly Task[], options?: TaskRunOptions): Promise<R[]> {
      checkTasks('TaskPool.run', tasks);
      const { signal, onProgress } = validateRunOptions('TaskPool.run', options);
      if (closed) throw closedError(undefined, 0);
      ready ??= Promise.all(preload.map(importModule));
      await ready;
      const results: R[] = [];
      for (let i = 0; i < tasks.length; i++) {
        // With a signal, let the event loop run between tasks so that an abort (a timer, a user action) can land.
        if (signal !== undefined) await yieldToEventLoop();
        if (signal?.aborted === true) throw withPartialResults(abortError('TaskPool.run', signal, `before ${describeTask(tasks[i], i)}`), results, tasks.length);
        if (closed) throw withPartialResults(closedError(tasks[i], i), results, tasks.length);
        let value: R;
        try {
          value = (await handlerFor('TaskPool.run', `tasks[${i}]`, tasks[i])(tasks[i])) as R;
        } catch (e) {
          throw withPartialResults(taskError(e, tasks[i], i), results, tasks.length);
        }
        results.push(value);
        onProgress?.({ completed: i + 1, total: tasks.length, index: i });
      }
      return results;
    },
    async close() {
      closed = true;
    },
  };
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
 * @param options - `workers`, `preload`, or an existing `pool`; `signal` and `onProgress` (see `TaskPool.run`).
 * @returns a promise of the results, `results[i]` for `tasks[i]`.
 * @throws EosLabError (as a rejected promise) `E_BAD_OPTION` for a non-array `tasks`, a task without a string
 *   `kind`, bad `workers` (above {@link MAX_WORKERS})/`preload`/`signal`/`onProgress`, or `workers`/`preload`
 *   together with `pool`; `E_NOT_SUPPORTED` for a kind with no registered handler; a handler's `EosLabError`
 *   (the first failing task's) unchanged; `E_WORKER` naming the task for any other failure of a task (another
 *   error class as `cause`, a result that cannot be copied back, a dying worker); `E_ABORTED` when `signal` fires.
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
  const o = optionsObject(fn, options, [...optionKeys<RunTasksOptions>({ pool: true, workers: true, preload: true }), 'signal', 'onProgress']);
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
    return o.pool.run<R>(tasks, { signal: o.signal, onProgress: o.onProgress });
  }
  const run = validateRunOptions(fn, { signal: o.signal, onProgress: o.onProgress });
  if (tasks.length === 0) return [];
  const workers = o.workers === undefined ? defaultWorkerCount() : validateWorkers(fn, 'options.workers', o.workers);
  const pool = createTaskPool({ workers: Math.min(workers, tasks.length), preload: validatePreload(fn, 'options.preload', o.preload) });
  try {
    return await pool.run<R>(tasks, run);
  } finally {
    await pool.close();
  }
}
