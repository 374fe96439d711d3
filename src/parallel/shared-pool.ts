/**
 * The shared default worker pools: `gridStudy` and `lrSweep` calls that run on worker threads without a `pool` of
 * their own reuse one lazily created pool per (worker count, preload list), so that only the first such call pays
 * for starting threads (each loads the package: 0.3–0.9 s for two threads measured on a loaded two-core machine).
 *
 * @module
 */
import { onProcessExit } from '#platform/threads';
import { createTaskPool, isPoolClosed, type TaskPool } from './pool.js';

/** The open shared pools, by {@link poolKey}. */
const pools = new Map<string, TaskPool>();
let exitHookInstalled = false;

/** One key per (workers, preload list): the order of the preload list matters (modules load in that order). */
function poolKey(workers: number, preload: readonly string[]): string {
  return JSON.stringify([workers, preload]);
}

/**
 * The shared pool with `workers` threads and these `preload` modules, created on first use (its threads start
 * lazily, as tasks arrive) and reused by later calls with the same key. A pool that was closed (by
 * {@link closeSharedPool}) is replaced by a fresh one. A run that is aborted or whose worker dies terminates only the
 * threads running its own tasks; the pool drops them and starts new ones for the next tasks, so it stays usable.
 *
 * Idle threads do not keep the process alive (the pool `unref`s them), and the pools are closed when the process
 * exits. Validation of `workers` and `preload` is the caller's. @internal
 */
export function sharedTaskPool(workers: number, preload: readonly string[] = []): TaskPool {
  const key = poolKey(workers, preload);
  let pool = pools.get(key);
  if (pool === undefined || isPoolClosed(pool)) {
    pool = createTaskPool({ workers, preload });
    pools.set(key, pool);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      // Threads end with the process anyway; closing here also stops any that a late task re-referenced.
      onProcessExit(() => {
        for (const p of pools.values()) void p.close();
        pools.clear();
      });
    }
  }
  return pool;
}

/**
 * Closes the worker pools that `gridStudy` and `lrSweep` share between calls that pass no `pool`, and stops their
 * threads. The next such call starts a fresh pool.
 *
 * @remarks
 * Not needed for the process to exit: the shared pools' idle threads never keep it alive, and they are closed on
 * exit. Call it to free the threads' memory (about 5 MB each) in a long-lived process, or to reload the `preload`
 * modules. A study still running on a shared pool when it closes rejects with `E_ABORTED`. Cost: one thread
 * termination per live thread.
 *
 * @returns a promise that resolves when every thread of the shared pools has stopped.
 * @example
 * ```ts
 * import { closeSharedPool, gridStudy } from 'eos-lab';
 * const study = await gridStudy({ kind: 'scalar-factorization', target: 1, depth: 2 }, { grid: { n: 11 }, learningRates: [0.5] });
 * console.log(study.rates.length); // 1
 * await closeSharedPool();
 * ```
 * @since 0.2.0
 */
export async function closeSharedPool(): Promise<void> {
  const open = [...pools.values()];
  pools.clear();
  await Promise.all(open.map((p) => p.close()));
}

/** The shared pools currently open (for tests of reuse). @internal */
export function sharedPoolCount(): number {
  return pools.size;
}
