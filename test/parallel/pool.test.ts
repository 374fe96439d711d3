/**
 * The worker pool: the same handlers in-process and in worker threads give identical results, in task order;
 * errors keep their class and code across threads; options are validated.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import '../../src/models/scalar-factorization/index.js';
import { createTaskPool, runTasks } from '../../src/parallel/pool.js';
import { registeredTaskKinds, runTask } from '../../src/parallel/task-registry.js';
import { rng } from '../../src/core/rng.js';
import './handlers.fixture.js';

const preload = [fileURLToPath(new URL('./handlers.fixture.ts', import.meta.url))];

function weightedTasks(count: number) {
  const r = rng(7);
  return Array.from({ length: count }, (_, i) => ({
    kind: 'test/weighted-sum',
    offset: i,
    values: r.fillNormal(new Float64Array(1000)),
  }));
}

describe('runTasks', () => {
  it('gives bit-identical results, in task order, with 0, 1 and 2 workers', async () => {
    const tasks = weightedTasks(9);
    const inProcess = await runTasks<{ sum: number; doubled: Float64Array }>(tasks, { workers: 0, preload });
    const one = await runTasks<{ sum: number; doubled: Float64Array }>(tasks, { workers: 1, preload });
    const two = await runTasks<{ sum: number; doubled: Float64Array }>(tasks, { workers: 2, preload });
    expect(one).toEqual(inProcess);
    expect(two.map((r) => r.sum)).toEqual(inProcess.map((r) => r.sum));
    for (let i = 0; i < tasks.length; i++) {
      expect(two[i].doubled).toBeInstanceOf(Float64Array);
      expect(Array.from(two[i].doubled)).toEqual(Array.from(tasks[i].values, (v) => 2 * v));
      // Reference: the same sum computed here, in the same order.
      let s = 0;
      for (let k = 0; k < 1000; k++) s += tasks[i].values[k] * Math.sin(k + i);
      expect(Object.is(two[i].sum, s)).toBe(true);
    }
  });

  it('runs tasks on worker threads (not the main thread) when workers ≥ 2, and keeps task order', async () => {
    const ids = await runTasks<number>(Array.from({ length: 6 }, () => ({ kind: 'test/thread-id' })), { workers: 2, preload });
    expect(ids.every((id) => id > 0)).toBe(true);
    const slowFirst = await runTasks<number>([60, 1, 30, 2].map((ms) => ({ kind: 'test/sleep', ms })), { workers: 2, preload });
    expect(slowFirst).toEqual([60, 1, 30, 2]);
    const here = await runTasks<number>([{ kind: 'test/thread-id' }], { workers: 0 });
    expect(here).toEqual([0]);
  });

  it('lets workers rebuild built-in models from their spec', async () => {
    const theta = new Float64Array([2, 0.25, 3]);
    const spec = { kind: 'scalar-factorization', target: 1, depth: 3 };
    const [loss] = await runTasks<number>([{ kind: 'test/model-loss', spec, theta }, { kind: 'test/model-loss', spec, theta }], {
      workers: 2,
      preload,
    });
    expect(loss).toBe(0.5 * (1.5 - 1) ** 2);
  });

  it('rethrows a handler error as the same EosLabError (class, code, details) from a worker', async () => {
    const tasks = [{ kind: 'test/sleep', ms: 1 }, { kind: 'test/throws', value: 42 }];
    for (const workers of [0, 2]) {
      const error = await runTasks(tasks, { workers, preload }).catch((e: unknown) => e);
      expect(error, `workers = ${workers}`).toBeInstanceOf(EosLabError);
      expect((error as EosLabError).code).toBe('E_BAD_OPTION');
      expect((error as EosLabError).details).toEqual({ argument: 'task.value', value: 42, expected: 'something else' });
      expect((error as EosLabError).message).toBe('testHandler: task.value must be something else. Value: 42.');
    }
  });

  it('reports an unknown kind as E_NOT_SUPPORTED, in-process and in workers', async () => {
    for (const workers of [0, 2]) {
      const error = await runTasks([{ kind: 'test/nope' }, { kind: 'test/nope' }], { workers, preload }).catch((e: unknown) => e);
      expect((error as EosLabError).code, `workers = ${workers}`).toBe('E_NOT_SUPPORTED');
      expect((error as EosLabError).details.argument).toMatch(/kind$/);
    }
    await expect(runTask({ kind: 'test/nope' })).rejects.toMatchObject({ code: 'E_NOT_SUPPORTED' });
  });

  it('resolves an empty task list to [] and validates its options', async () => {
    expect(await runTasks([])).toEqual([]);
    const bad = [
      [{}, { workers: -1 }],
      [{}, { workers: 1.5 }],
      [{}, { preload: ['./relative.js'] }],
      [{}, { preload: 'x' }],
      [{}, { workers: 2, pool: createTaskPool({ workers: 0 }) }],
      [{}, 'options'],
    ] as const;
    for (const [, options] of bad) {
      await expect(runTasks([{ kind: 'test/thread-id' }], options as never)).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    }
    await expect(runTasks([{ value: 1 }] as never)).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    expect(registeredTaskKinds()).toContain('test/weighted-sum');
  });
});

describe('createTaskPool', () => {
  it('reuses warm workers across runs and rejects after close', async () => {
    const pool = createTaskPool({ workers: 2, preload });
    expect(pool.workers).toBe(2);
    const a = await pool.run<number>([{ kind: 'test/thread-id' }, { kind: 'test/thread-id' }]);
    const b = await runTasks<number>([{ kind: 'test/thread-id' }, { kind: 'test/thread-id' }], { pool });
    expect(new Set([...a, ...b]).size).toBeLessThanOrEqual(2);
    await pool.close();
    await pool.close();
    await expect(pool.run([{ kind: 'test/thread-id' }])).rejects.toThrow(/closed/);
  });

  it('with workers ≤ 1 runs in the calling thread', async () => {
    for (const workers of [0, 1]) {
      const pool = createTaskPool({ workers });
      expect(pool.workers).toBe(0);
      expect(await pool.run([{ kind: 'test/thread-id' }])).toEqual([0]);
      await pool.close();
    }
    expect(() => createTaskPool({ workers: 2000 })).toThrow(EosLabError);
  });
});
