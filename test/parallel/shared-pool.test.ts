/**
 * The shared default pool of gridStudy and lrSweep: calls without a `pool` reuse the same warm threads (one pool
 * per workers × preload), an aborted call does not break the next one, closeSharedPool replaces it, a study too
 * small for threads runs in this thread, and results stay bit-identical to in-process runs throughout. A child
 * process checks that a shared pool left open does not keep the process alive.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import { GRID_STUDY_IN_PROCESS_RUNS, gridStudy, type GridStudyResult } from '../../src/experiments/grid-study/grid-study.js';
import { lrSweep } from '../../src/experiments/lr-sweep/index.js';
import { create as diagonalNet } from '../../src/models/diagonal-net/model.js';
import { defaultWorkerCount, poolThreadIds } from '../../src/parallel/pool.js';
import { closeSharedPool, sharedPoolCount, sharedTaskPool } from '../../src/parallel/shared-pool.js';

const SPEC = { kind: 'scalar-factorization', target: 1, depth: 2 };
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every per-start array of every rate, as raw bytes (NaN payloads and −0 count too). */
function bytesOf(study: GridStudyResult): Buffer[] {
  return study.rates.flatMap((r) =>
    [r.status, r.steps, r.finalTheta.data, r.sharpnessProxy, r.sharpnessExact, r.lateFrom, r.eosMedianProxy, r.eosMedianExact, r.fixedPointAt].map(
      (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    ),
  );
}

afterEach(async () => {
  await closeSharedPool();
});

describe('the shared pool of gridStudy', () => {
  // 1,257 starts × 3 rates: 20 blocks of starts, 8 tasks on 2 threads.
  const options = { grid: { n: 41 }, learningRates: [0.3, 0.9, 0.99] };

  it('reuses the same threads across calls without a pool, bit for bit as in this thread', async () => {
    const reference = bytesOf(await gridStudy(SPEC, { ...options, workers: 0 }));
    expect(sharedPoolCount()).toBe(0);
    const first = await gridStudy(SPEC, { ...options, workers: 2 });
    const pool = sharedTaskPool(2);
    const threadsAfterFirst = poolThreadIds(pool);
    expect(threadsAfterFirst).toHaveLength(2);
    const second = await gridStudy(SPEC, { ...options, workers: 2 });
    expect(sharedTaskPool(2)).toBe(pool);
    expect(poolThreadIds(pool)).toEqual(threadsAfterFirst);
    expect(sharedPoolCount()).toBe(1);
    expect(bytesOf(first)).toEqual(reference);
    expect(bytesOf(second)).toEqual(reference);
  });

  it('keeps one pool per worker count and preload list', async () => {
    await gridStudy(SPEC, { ...options, workers: 2 });
    await gridStudy(SPEC, { ...options, workers: 3 });
    expect(sharedPoolCount()).toBe(2);
    expect(sharedTaskPool(3)).not.toBe(sharedTaskPool(2));
    expect(sharedTaskPool(2, [join(ROOT, 'test/parallel/handlers.fixture.ts')])).not.toBe(sharedTaskPool(2));
  });

  it('survives an aborted call: the next call runs on the same pool with fresh threads for the terminated ones', async () => {
    const reference = bytesOf(await gridStudy(SPEC, { ...options, workers: 0 }));
    await gridStudy(SPEC, { ...options, workers: 2 });
    const pool = sharedTaskPool(2);
    const before = poolThreadIds(pool);
    const controller = new AbortController();
    const error = await gridStudy(SPEC, {
      ...options,
      workers: 2,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EosLabError);
    expect((error as EosLabError).code).toBe('E_ABORTED');
    // The abort terminated the threads still running the aborted call's tasks (at least one: 7 of 8 tasks were left).
    expect(poolThreadIds(pool).filter((id) => before.includes(id)).length).toBeLessThan(2);
    const after = await gridStudy(SPEC, { ...options, workers: 2 });
    expect(sharedTaskPool(2)).toBe(pool);
    expect(poolThreadIds(pool)).toHaveLength(2);
    expect(bytesOf(after)).toEqual(reference);
  });

  it('is replaced after closeSharedPool', async () => {
    await gridStudy(SPEC, { ...options, workers: 2 });
    const pool = sharedTaskPool(2);
    const before = poolThreadIds(pool);
    await closeSharedPool();
    expect(sharedPoolCount()).toBe(0);
    expect(poolThreadIds(pool)).toEqual([]);
    const again = await gridStudy(SPEC, { ...options, workers: 2 });
    const fresh = sharedTaskPool(2);
    expect(fresh).not.toBe(pool);
    expect(poolThreadIds(fresh).some((id) => before.includes(id))).toBe(false);
    expect(bytesOf(again)).toEqual(bytesOf(await gridStudy(SPEC, { ...options, workers: 0 })));
  });

  it('runs a study below the threshold in this thread by default, and a larger one on the shared pool', async () => {
    // 1,257 × 3 = 3,771 runs < 16,384: no threads.
    expect(1257 * 3).toBeLessThan(GRID_STUDY_IN_PROCESS_RUNS);
    const small = await gridStudy(SPEC, options);
    expect(sharedPoolCount()).toBe(0);
    expect(bytesOf(small)).toEqual(bytesOf(await gridStudy(SPEC, { ...options, workers: 0 })));
    // 2,821 starts (n = 61) × 6 rates = 16,926 runs ≥ 16,384: the shared pool of all cores (when there are two).
    const large = { grid: { n: 61 }, learningRates: [0.2, 0.5, 0.8, 0.9, 0.95, 0.99] };
    const study = await gridStudy(SPEC, large);
    expect(study.starts.shape[0] * 6).toBeGreaterThanOrEqual(GRID_STUDY_IN_PROCESS_RUNS);
    expect(sharedPoolCount()).toBe(defaultWorkerCount() > 1 ? 1 : 0);
    expect(bytesOf(study)).toEqual(bytesOf(await gridStudy(SPEC, { ...large, workers: 0 })));
  });
});

describe('the shared pool of lrSweep', () => {
  it('is reused by calls with workers > 1, and shared with gridStudy', async () => {
    const model = diagonalNet({ inputs: [[1, 4]], targets: [2] });
    const theta0 = new Float64Array([0.01, 0.01]);
    const options = { lossGoal: 1e-6, maxSteps: 20_000, learningRates: [0.01, 0.02, 0.03, 0.04] };
    const serial = JSON.stringify(await lrSweep(model, theta0, options));
    expect(JSON.stringify(await lrSweep(model, theta0, { ...options, workers: 2 }))).toBe(serial);
    const pool = sharedTaskPool(2);
    const threads = poolThreadIds(pool);
    expect(threads.length).toBeGreaterThan(0);
    expect(JSON.stringify(await lrSweep(model, theta0, { ...options, workers: 2 }))).toBe(serial);
    await gridStudy(SPEC, { grid: { n: 21 }, learningRates: [0.5], workers: 2 });
    expect(sharedPoolCount()).toBe(1);
    for (const id of threads) expect(poolThreadIds(pool)).toContain(id);
  });
});

describe('a shared pool left open', () => {
  it('does not keep the process alive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eos-lab-shared-pool-'));
    try {
      const script = join(dir, 'study.mts');
      const source = JSON.stringify(join(ROOT, 'src/index.ts'));
      writeFileSync(
        script,
        `import { gridStudy } from ${source};\n` +
          `const study = await gridStudy({ kind: 'scalar-factorization', target: 1, depth: 2 }, { grid: { n: 21 }, learningRates: [0.5], workers: 2 });\n` +
          `console.log(JSON.stringify({ converged: study.rates[0].summary.converged }));\n`,
      );
      // The timeout only catches a hang (the script itself takes a few seconds on a loaded machine).
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.error).toBeUndefined();
      expect(r.signal).toBeNull();
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout.trim()).converged).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
