/**
 * The helper thread of the two-thread matrix products in Node: whether one may start here, and starting it. The
 * browser build uses `src/platform/browser/gemm-helper.ts` instead, where products stay on the calling thread.
 *
 * @module
 * @internal
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';

/**
 * Whether a helper thread may start: on the main thread only (never inside a worker, e.g. the task pools' workers
 * of gridStudy or lrSweep, so threads never nest), with at least 2 cores and SharedArrayBuffer. @internal
 */
export function gemmHelperPossible(): boolean {
  return isMainThread && typeof SharedArrayBuffer === 'function' && availableParallelism() >= 2;
}

/**
 * The helper's entry and how to load it (as the task pools do, src/parallel/thread-pool.ts): from the sources
 * (vitest, tsx), the bootstrap requires `gemm-helper-worker.ts` through tsx's CommonJS hook; from the build, the
 * tsup entry `gemm-helper-worker.js`/`.cjs` beside the running module. undefined if it cannot be found.
 */
function helperEntry(): { filename: string; execArgv: string[] | undefined; entry: string | undefined } | undefined {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  const ext = extname(here);
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    return {
      filename: join(dir, '..', '..', 'parallel', 'worker-bootstrap.cjs'),
      execArgv: ['--import', pathToFileURL(tsx).href],
      entry: join(dir, '..', '..', 'linalg', 'wasm', `gemm-helper-worker${ext}`),
    };
  }
  for (const name of [`gemm-helper-worker${ext}`, 'gemm-helper-worker.js', 'gemm-helper-worker.cjs']) {
    const filename = join(dir, name);
    if (existsSync(filename)) return { filename, execArgv: undefined, entry: undefined };
  }
  return undefined;
}

/**
 * Starts the helper thread on the compiled shared-memory kernel `module`, its `memory` and the control block;
 * the thread is unref'd (it never keeps the process alive). Returns false if it cannot be started.
 * @internal
 */
export function startGemmHelper(module: object, memory: object, control: SharedArrayBuffer): boolean {
  const where = helperEntry();
  if (where === undefined) return false;
  try {
    const worker = new Worker(where.filename, {
      execArgv: where.execArgv,
      workerData: { entry: where.entry, module, memory, control },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    // An error of the helper (it cannot load, say) must not crash the process: the caller then computes every
    // chunk itself, since chunks are claimed, never assigned.
    worker.on('error', () => {});
    return true;
  } catch {
    return false;
  }
}
