/**
 * Threads in Node: the pool of `node:worker_threads` workers, the number of cores, and a hook at process exit.
 * The browser build uses `src/platform/browser/threads.ts` instead, where pools run their tasks in-process.
 *
 * @module
 * @internal
 */
import { availableParallelism } from 'node:os';

export { createThreadPool, isPoolClosed, poolThreadIds } from '../../parallel/thread-pool.js';

/** Whether `createTaskPool({ workers: n })` with n > 1 starts worker threads here (it does in Node). @internal */
export const WORKER_THREADS = true;

/** The cores this process may use (`os.availableParallelism()`). @internal */
export function processorCount(): number {
  return availableParallelism();
}

/** Runs `callback` once when the process exits. @internal */
export function onProcessExit(callback: () => void): void {
  process.once('exit', callback);
}
