/**
 * Worker pools (on `node:worker_threads`) that run {@link Task}s by their registered handlers, and the
 * in-process fallback with the same code path, so results are bit-identical for any number of workers.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { abortError, throwIfAborted, validateSignal, yieldToEventLoop } from '../core/abort.js';
import { EosLabError } from '../core/errors.js';
import { integerInRange, isFunction, optionKeys, optionsObject } from '../core/validate.js';
import { handlerFor, type Task } from './task-registry.js';
import type { SerializedError, WorkerReply } from './worker-protocol.js';

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

/**
 * Rebuilds the error a worker reported; an `EosLabError` keeps its class, code, details and message, another error
 * its name, message and stack (and its cause, rebuilt the same way). @internal
 */
export function deserializeError(s: SerializedError): Error {
  let e: Error;
  const cause = s.cause === undefined ? undefined : { cause: deserializeError(s.cause) };
  if (s.code !== undefined && s.details !== undefined) {
    const colon = s.message.indexOf(': ');
    e = new EosLabError(s.code, colon > 0 ? s.message.slice(0, colon) : 'worker', s.details, cause);
    e.message = s.message;
  } else {
    e = new Error(s.message, cause);
    e.name = s.name;
  }
  if (s.stack !== undefined) e.stack = `${s.stack}\n    (in a worker thread)`;
  return e;
}

/** How a pool starts its worker threads: the file Node runs, its flags and the loader of the package and preloads. */
interface WorkerEntry {
  /** The file `new Worker` runs. */
  readonly filename: string;
  /** Flags of the worker (undefined: this process's, e.g. tsx's loader flags). */
  readonly execArgv: string[] | undefined;
  /** The worker entry the bootstrap requires (sources only). */
  readonly entry: string | undefined;
  /** The loader of the worker: its package entry and its preloads go through it. */
  readonly format: 'esm' | 'cjs';
}

/** A TypeScript module (loaded through tsx's `require` hook in a worker: Node 20 gives workers no ESM hooks). */
function isTypeScript(specifier: string): boolean {
  return /\.[cm]?ts$/.test(specifier);
}

/**
 * Where the worker entry is, and how a worker loads it — one loader for the package and the preloads:
 * - From the sources (this file is `pool.ts`, under vitest or tsx): `worker-bootstrap.cjs` beside it requires
 *   `worker.ts` through tsx's CommonJS hook (a devDependency; Node 20 has no ES-module hooks in worker threads),
 *   and the preloads are required the same way.
 * - From the build (`dist/index.js` or `.cjs`, this module bundled into it): `dist/parallel-worker.js`/`.cjs`, the
 *   tsup entry of `worker.ts`, which imports the package entry beside it so the worker shares its registries. The
 *   ES-module worker `import()`s its preloads; the CommonJS one `require`s them. TypeScript preloads (a script run
 *   by tsx) can only be loaded in a worker by tsx's `require` hook, so with any of them the CommonJS worker is
 *   used, whose package entry (`index.cjs`) is the one their `import 'eos-lab'` then resolves to.
 * - From a tsc-style build (`…/parallel/pool.js`): `worker.js` beside it.
 */
function workerEntry(preload: readonly string[]): WorkerEntry {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  const ext = extname(here);
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    return {
      filename: join(dir, 'worker-bootstrap.cjs'),
      execArgv: ['--import', pathToFileURL(tsx).href],
      entry: join(dir, `worker${ext}`),
      format: 'cjs',
    };
  }
  const wantCjs = ext === '.cjs' || preload.some(isTypeScript);
  const order = wantCjs ? ['parallel-worker.cjs', `parallel-worker${ext}`, `worker${ext}`] : [`parallel-worker${ext}`, `worker${ext}`];
  for (const name of order) {
    const filename = join(dir, name);
    // The worker inherits this process's flags (e.g. tsx's loader flags), so it can load TypeScript preloads.
    if (existsSync(filename)) return { filename, execArgv: undefined, entry: undefined, format: extname(name) === '.cjs' ? 'cjs' : 'esm' };
  }
  throw new Error(`eos-lab: the worker entry (parallel-worker${ext}) is missing beside ${here}; reinstall the package`);
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
  return workers <= 1 ? inProcessPool(preload) : new ThreadPool(workers, preload);
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

function validateRunOptions(fn: string, options: unknown): { signal: AbortSignal | undefined; onProgress: ((p: TaskProgress) => void) | undefined } {
  const o = optionsObject<TaskRunOptions>(fn, options as TaskRunOptions | undefined, ['signal', 'onProgress']);
  const signal = validateSignal(fn, 'options.signal', o.signal);
  const onProgress = o.onProgress === undefined ? undefined : isFunction<(p: TaskProgress) => void>(fn, 'options.onProgress', o.onProgress);
  return { signal, onProgress };
}

/** `tasks[i] (kind 'k', learning rate η, chunk c)`: how errors name a task. @internal */
export function describeTask(task: Task, index: number): string {
  let s = `tasks[${index}] (kind '${task.kind}'`;
  if (typeof task.learningRate === 'number') s += `, learning rate ${task.learningRate}`;
  if (typeof task.chunk === 'number') s += `, chunk ${task.chunk}`;
  return `${s})`;
}

/**
 * The error of a failed task: an `EosLabError` stays as it is; anything else becomes `E_WORKER` naming the task,
 * with the original error as `cause`. @internal
 */
export function taskError(error: unknown, task: Task, index: number, what?: string): Error {
  if (error instanceof EosLabError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new EosLabError(
    'E_WORKER',
    'TaskPool.run',
    {
      argument: describeTask(task, index),
      value: `${name}: ${message}`,
      expected: what ?? `a task that completes (its handler threw ${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}; see the error's cause)`,
    },
    { cause: error },
  );
}

/**
 * Attaches the results of the tasks that finished (holes for the others) to a run's rejection, so that a failure
 * late in a long run does not lose the work done (see `EosLabError.partialResults`).
 */
function withPartialResults(error: unknown, results: readonly unknown[], total: number): unknown {
  if (error instanceof EosLabError && error.partialResults === undefined) {
    const partial = new Array<unknown>(total);
    for (let i = 0; i < results.length; i++) if (i in results) partial[i] = results[i];
    Object.defineProperty(error, 'partialResults', { value: partial, enumerable: false, configurable: true });
  }
  return error;
}

function closedError(task: Task | undefined, index: number): EosLabError {
  return new EosLabError('E_ABORTED', 'TaskPool.run', {
    argument: task === undefined ? 'pool' : describeTask(task, index),
    value: 'closed',
    expected: 'run on an open pool (the pool was closed before this run finished)',
  });
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
      ready ??= Promise.all(preload.map((m) => import(preloadSpecifier(m))));
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

/** One run of {@link ThreadPool.run}: its tasks, results and how it settles. */
interface RunState {
  readonly tasks: readonly Task[];
  readonly results: unknown[];
  remaining: number;
  settled: boolean;
  readonly onProgress: ((p: TaskProgress) => void) | undefined;
  resolve(values: unknown[]): void;
  reject(error: unknown): void;
}

/** A task of a run waiting for (or on) a thread. */
interface Job {
  readonly run: RunState;
  readonly index: number;
}

/** A worker thread and the job it is running. */
interface Thread {
  readonly worker: Worker;
  job: Job | undefined;
  /** Set when the pool terminates it on purpose (its exit is then not a fault). */
  retired: boolean;
}

/** Messages of the worker entry (src/parallel/worker.ts). */
type WorkerMessage = { index: number; reply: WorkerReply };

/**
 * Worker threads on `node:worker_threads` directly: the worker entry is loaded by Node itself (as ESM or CJS by
 * its extension), never through a `require` of an ES module, and the pool sees each thread's exit and errors.
 */
class ThreadPool implements TaskPool {
  private readonly threads: Thread[] = [];
  private readonly queue: Job[] = [];
  private readonly active = new Set<RunState>();
  private closed = false;
  private entry: WorkerEntry | undefined;

  /** Whether `close` was called (a closed pool cannot run again). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** The `threadId`s of the live worker threads (started, not terminated). */
  threadIds(): number[] {
    return this.threads.filter((t) => !t.retired).map((t) => t.worker.threadId);
  }

  constructor(
    readonly workers: number,
    private readonly preload: readonly string[],
  ) {}

  run<R>(tasks: readonly Task[], options?: TaskRunOptions): Promise<R[]> {
    try {
      checkTasks('TaskPool.run', tasks);
      const { signal, onProgress } = validateRunOptions('TaskPool.run', options);
      if (this.closed) throw closedError(undefined, 0);
      throwIfAborted('TaskPool.run', signal, 'before its first task');
      if (tasks.length === 0) return Promise.resolve([]);
      this.entry ??= workerEntry(this.preload);
      return new Promise<R[]>((resolve, reject) => {
        const onAbort = (): void => {
          const next = state.results.findIndex((_, i) => !(i in state.results));
          void this.fail(state, abortError('TaskPool.run', signal as AbortSignal, `with ${state.remaining} of ${tasks.length} tasks unfinished`), next);
        };
        const state: RunState = {
          tasks,
          results: new Array<unknown>(tasks.length),
          remaining: tasks.length,
          settled: false,
          onProgress,
          resolve: (values) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(values as R[]);
          },
          reject: (error) => {
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.active.add(state);
        for (let i = 0; i < tasks.length; i++) this.queue.push({ run: state, index: i });
        this.dispatch();
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const runs = [...this.active];
    await Promise.all(runs.map((run) => this.fail(run, closedError(undefined, 0), -1)));
    await Promise.all(this.threads.splice(0).map((t) => this.retire(t)));
  }

  /** Hands queued jobs to idle threads, starting threads (up to `workers`) while jobs wait. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      let thread = this.threads.find((t) => t.job === undefined && !t.retired);
      if (thread === undefined) {
        if (this.threads.length >= this.workers) return;
        thread = this.spawn();
      }
      const job = this.queue.shift() as Job;
      thread.job = job;
      // A busy thread keeps the process alive; an idle one does not (a pool left open never blocks exit).
      thread.worker.ref();
      const task = job.run.tasks[job.index];
      try {
        thread.worker.postMessage({ index: job.index, task });
      } catch (e) {
        // The task itself cannot be copied to a thread (a function, a class instance, …).
        thread.job = undefined;
        void this.fail(job.run, taskError(e, task, job.index, 'a task of structured-cloneable data (plain objects, arrays, typed arrays; no functions)'), job.index);
      }
    }
  }

  private spawn(): Thread {
    const { filename, execArgv, entry, format } = this.entry as WorkerEntry;
    const worker = new Worker(filename, {
      execArgv,
      workerData: { preload: this.preload.map(preloadSpecifier), format, entry },
    });
    const thread: Thread = { worker, job: undefined, retired: false };
    this.threads.push(thread);
    worker.on('message', (message: WorkerMessage) => this.onReply(thread, message));
    worker.on('error', (error: unknown) => this.onFault(thread, error, 'a worker thread that stays alive (an uncaught error ended it; see the cause)'));
    worker.on('exit', (code: number) => {
      this.onFault(thread, new Error(`the worker thread exited with code ${code}`), `a worker thread that stays alive (it exited with code ${code} while running the task)`);
    });
    return thread;
  }

  private onReply(thread: Thread, message: WorkerMessage): void {
    const job = thread.job;
    if (job === undefined || job.index !== message.index) return;
    thread.job = undefined;
    thread.worker.unref();
    const run = job.run;
    if (!run.settled) {
      const { reply } = message;
      if (!reply.ok) {
        const task = run.tasks[job.index];
        const error = deserializeError(reply.error);
        const what = reply.error.uncloneable === true
          ? 'a task whose result can be copied to the calling thread (structured clone: no functions, class instances or symbols; see the cause)'
          : undefined;
        void this.fail(run, taskError(error, task, job.index, what), job.index);
      } else {
        run.results[job.index] = reply.value;
        run.remaining--;
        run.onProgress?.({ completed: run.tasks.length - run.remaining, total: run.tasks.length, index: job.index });
        if (run.remaining === 0) {
          run.settled = true;
          this.active.delete(run);
          run.resolve(run.results);
        }
      }
    }
    this.dispatch();
  }

  private onFault(thread: Thread, error: unknown, what: string): void {
    const at = this.threads.indexOf(thread);
    if (at >= 0) this.threads.splice(at, 1);
    const job = thread.job;
    thread.job = undefined;
    if (thread.retired) return;
    thread.retired = true;
    void thread.worker.terminate();
    if (job !== undefined && !job.run.settled) {
      void this.fail(job.run, taskError(error, job.run.tasks[job.index], job.index, what), job.index);
    }
    if (!this.closed) this.dispatch();
  }

  /**
   * Settles `run` with `error` (once): drops its queued tasks, terminates the threads still running its tasks, and
   * rejects after they have stopped.
   */
  private async fail(run: RunState, error: unknown, _index: number): Promise<void> {
    if (run.settled) return;
    run.settled = true;
    this.active.delete(run);
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].run === run) this.queue.splice(i, 1);
    const busy = this.threads.filter((t) => t.job?.run === run);
    for (const t of busy) this.threads.splice(this.threads.indexOf(t), 1);
    await Promise.all(busy.map((t) => this.retire(t)));
    run.reject(withPartialResults(error, run.results, run.tasks.length));
    if (!this.closed) this.dispatch();
  }

  private async retire(thread: Thread): Promise<void> {
    thread.retired = true;
    thread.job = undefined;
    await thread.worker.terminate();
  }
}

/**
 * The `threadId`s of a pool's live worker threads (`[]` for an in-process pool): an inspection hook for tests of
 * thread reuse. @internal
 */
export function poolThreadIds(pool: TaskPool): number[] {
  return pool instanceof ThreadPool ? pool.threadIds() : [];
}

/** Whether a pool from {@link createTaskPool} has been closed (`false` for pools not made here). @internal */
export function isPoolClosed(pool: TaskPool): boolean {
  return pool instanceof ThreadPool && pool.isClosed;
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
