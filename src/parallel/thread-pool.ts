/**
 * The worker-thread pool (on `node:worker_threads`) behind {@link createTaskPool} with `workers` > 1 — Node only.
 * The package reaches it through its platform module `#platform/threads` (src/platform/node/threads.ts), which the
 * browser build replaces by one without threads, so that no browser bundle of `eos-lab` reaches Node built-ins.
 *
 * @module
 * @internal
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { abortError, throwIfAborted } from '../core/abort.js';
import { EosLabError } from '../core/errors.js';
import { preloadSpecifier } from '../platform/node/modules.js';
import type { TaskPool, TaskProgress, TaskRunOptions } from './pool.js';
import { checkTasks, closedError, taskError, validateRunOptions, withPartialResults } from './run-support.js';
import type { Task } from './task-registry.js';
import type { SerializedError, WorkerReply } from './worker-protocol.js';

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

/** A pool of `workers` worker threads (started lazily) that import the `preload` modules first. @internal */
export function createThreadPool(workers: number, preload: readonly string[]): TaskPool {
  return new ThreadPool(workers, preload);
}
