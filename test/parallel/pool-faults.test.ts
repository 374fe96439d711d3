/**
 * Worker faults and cancellation: the first failure rejects at once and stops the rest; every kind of fault gives a
 * coded error naming the task and keeping the cause; `signal` and `close()` stop a run without leaving threads
 * running or an unhandled rejection.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import { createTaskPool, MAX_WORKERS, runTasks } from '../../src/parallel/pool.js';
import './handlers.fixture.js';

const preload = [fileURLToPath(new URL('./handlers.fixture.ts', import.meta.url))];

/** Resolves after `ms` milliseconds. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asserts that the busy tasks counting into `ticks` have stopped: no tick within 300 ms. */
async function expectStopped(ticks: Int32Array): Promise<void> {
  const before = Atomics.load(ticks, 0);
  await sleep(300);
  expect(Atomics.load(ticks, 0), 'a busy task kept running after the run settled').toBe(before);
}

function busyTasks(count: number, ms: number, ticks: Int32Array) {
  return Array.from({ length: count }, (_, i) => ({ kind: 'test/busy', ms, ticks, learningRate: 0.1 * (i + 1) }));
}

describe('TaskPool faults', () => {
  it('rejects at the first failure, before the other tasks finish, and stops them', async () => {
    // ticks[1] counts busy tasks that ran to their end (10 s each); the failing task fails after 50 ms. Before the
    // fix the rejection came after every task had finished: ticks[1] = 3 then.
    const ticks = new Int32Array(new SharedArrayBuffer(8));
    const tasks = [{ kind: 'test/throws-later', ms: 50 }, ...busyTasks(3, 10_000, ticks)];
    const error = await runTasks(tasks, { workers: 2, preload }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EosLabError);
    expect((error as EosLabError).code).toBe('E_BAD_OPTION');
    expect(Atomics.load(ticks, 1), 'busy tasks that finished before the rejection').toBe(0);
    await expectStopped(ticks);
    expect(Atomics.load(ticks, 1)).toBe(0);
  });

  it('wraps another error class as E_WORKER naming the task, keeping name, message and stack as cause', async () => {
    for (const workers of [0, 2]) {
      const tasks = [{ kind: 'test/sleep', ms: 1 }, { kind: 'test/type-error', learningRate: 0.25 }];
      const error = await runTasks(tasks, { workers, preload }).catch((e: unknown) => e);
      expect(error, `workers = ${workers}`).toBeInstanceOf(EosLabError);
      const e = error as EosLabError;
      expect(e.code).toBe('E_WORKER');
      expect(e.details.argument).toBe("tasks[1] (kind 'test/type-error', learning rate 0.25)");
      expect(e.message).toContain('TypeError: user bug in a handler');
      const cause = e.cause as Error;
      expect(cause).toBeInstanceOf(Error);
      expect(cause.name).toBe('TypeError');
      expect(cause.message).toBe('user bug in a handler');
      expect(cause.stack).toContain('handlers.fixture');
    }
  });

  it('reports a result that cannot cross the thread boundary as E_WORKER naming the task', async () => {
    const error = await runTasks([{ kind: 'test/uncloneable', chunk: 3 }, { kind: 'test/sleep', ms: 1 }], { workers: 2, preload }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EosLabError);
    expect((error as EosLabError).code).toBe('E_WORKER');
    expect((error as EosLabError).details.argument).toBe("tasks[0] (kind 'test/uncloneable', chunk 3)");
    expect((error as EosLabError).message).toMatch(/copied to the calling thread/);
    expect(((error as EosLabError).cause as Error).name).toBe('DataCloneError');
  });

  it('reports a dying worker as E_WORKER with its exit code, stops the rest, and the pool keeps working', async () => {
    const ticks = new Int32Array(new SharedArrayBuffer(4));
    const pool = createTaskPool({ workers: 2, preload });
    try {
      const tasks = [{ kind: 'test/exit', code: 7, learningRate: 0.5 }, ...busyTasks(2, 8000, ticks)];
      const error = await pool.run(tasks).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EosLabError);
      expect((error as EosLabError).code).toBe('E_WORKER');
      expect((error as EosLabError).details.argument).toBe("tasks[0] (kind 'test/exit', learning rate 0.5)");
      expect((error as EosLabError).message).toMatch(/exited with code 7/);
      expect(((error as EosLabError).cause as Error).message).toMatch(/code 7/);
      await expectStopped(ticks);
      expect(await pool.run([{ kind: 'test/sleep', ms: 1 }, { kind: 'test/sleep', ms: 2 }])).toEqual([1, 2]);
    } finally {
      await pool.close();
    }
  });

  it('keeps the results of the tasks that finished before a failure (partialResults, holes for the others)', async () => {
    // Two threads: task 2 is handed to the first thread that finishes task 0 or 1, then ends its worker; task 3
    // sleeps far longer than the failure takes to be seen, so it never finishes.
    const pool = createTaskPool({ workers: 2, preload });
    try {
      const tasks = [{ kind: 'test/sleep', ms: 1 }, { kind: 'test/sleep', ms: 1 }, { kind: 'test/exit', code: 3 }, { kind: 'test/sleep', ms: 5000 }];
      const error = (await pool.run(tasks).catch((e: unknown) => e)) as EosLabError;
      expect(error.code).toBe('E_WORKER');
      const partial = error.partialResults as readonly unknown[];
      expect(partial.length).toBe(4);
      expect([2 in partial, 3 in partial]).toEqual([false, false]);
      expect(0 in partial || 1 in partial).toBe(true);
      for (const i of [0, 1]) if (i in partial) expect(partial[i]).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('in this thread too: a handler error carries the results before it', async () => {
    const error = (await runTasks([{ kind: 'test/sleep', ms: 1 }, { kind: 'test/throws', value: 5 }, { kind: 'test/sleep', ms: 3 }], { workers: 0 }).catch((e: unknown) => e)) as EosLabError;
    expect(error.code).toBe('E_BAD_OPTION');
    const partial = error.partialResults as readonly unknown[];
    expect(partial.length).toBe(3);
    expect([0 in partial, 1 in partial, 2 in partial, partial[0]]).toEqual([true, false, false, 1]);
  });

  it('close() during a run rejects it with E_ABORTED and stops its threads (no unhandled rejection)', async () => {
    const ticks = new Int32Array(new SharedArrayBuffer(4));
    const pool = createTaskPool({ workers: 2, preload });
    const running = pool.run(busyTasks(4, 8000, ticks));
    const settled = running.catch((e: unknown) => e);
    while (Atomics.load(ticks, 0) === 0) await sleep(20);
    await pool.close();
    const error = await settled;
    expect(error).toBeInstanceOf(EosLabError);
    expect((error as EosLabError).code).toBe('E_ABORTED');
    await expectStopped(ticks);
    await expect(pool.run([{ kind: 'test/sleep', ms: 1 }])).rejects.toMatchObject({ code: 'E_ABORTED' });
  });

  it('stops a run when its signal fires: E_ABORTED with the reason as cause, threads stopped', async () => {
    const ticks = new Int32Array(new SharedArrayBuffer(4));
    const controller = new AbortController();
    const running = runTasks(busyTasks(4, 8000, ticks), { workers: 2, preload, signal: controller.signal }).catch((e: unknown) => e);
    while (Atomics.load(ticks, 0) === 0) await sleep(20);
    controller.abort(new Error('user pressed stop'));
    const error = (await running) as EosLabError;
    expect(error).toBeInstanceOf(EosLabError);
    expect(error.code).toBe('E_ABORTED');
    expect((error.cause as Error).message).toBe('user pressed stop');
    await expectStopped(ticks);
  });

  it('stops an in-process run between tasks when its signal fires', async () => {
    const ticks = new Int32Array(new SharedArrayBuffer(4));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const progress: number[] = [];
    const error = await runTasks(busyTasks(40, 20, ticks), {
      workers: 0,
      signal: controller.signal,
      onProgress: (p) => progress.push(p.completed),
    }).catch((e: unknown) => e);
    expect((error as EosLabError).code).toBe('E_ABORTED');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThan(40);
    expect(progress).toEqual(progress.map((_, i) => i + 1));
  });

  it('rejects an already aborted signal before any work, and reports progress per task', async () => {
    await expect(runTasks([{ kind: 'test/sleep', ms: 1 }], { workers: 2, preload, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'E_ABORTED',
    });
    await expect(runTasks([{ kind: 'test/sleep', ms: 1 }], { workers: 0, signal: {} as AbortSignal })).rejects.toMatchObject({
      code: 'E_BAD_OPTION',
    });
    const seen: number[] = [];
    await runTasks([5, 1, 3].map((ms) => ({ kind: 'test/sleep', ms })), { workers: 2, preload, onProgress: (p) => seen.push(p.index) });
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it(`caps workers at MAX_WORKERS = ${MAX_WORKERS} (E_BAD_OPTION above) and starts threads only for waiting tasks`, async () => {
    expect(MAX_WORKERS).toBe(256);
    for (const workers of [1000, MAX_WORKERS + 1]) {
      expect(() => createTaskPool({ workers })).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
      await expect(runTasks([{ kind: 'test/sleep', ms: 1 }], { workers })).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    }
    const pool = createTaskPool({ workers: MAX_WORKERS, preload });
    try {
      // One task at a time: one thread serves them all.
      const ids = new Set<number>();
      for (let i = 0; i < 3; i++) ids.add(((await pool.run<number>([{ kind: 'test/thread-id' }])) as number[])[0]);
      expect(ids.size).toBe(1);
    } finally {
      await pool.close();
    }
  });
});
