/**
 * Worker-count independence of lrSweep: the same sweep in this thread and on worker threads gives identical
 * results, including where the onward points stop (they run in batches of `workers` and are cut at the first
 * diverged run).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lrSweep } from '../../src/experiments/lr-sweep/index.js';
import { create as diagonalNet } from '../../src/models/diagonal-net/model.js';
import { createTaskPool } from '../../src/parallel/pool.js';
import { cosineModel } from './helpers/cosine-model.js';

// The test model's registration, which the workers load first (the diagonal network and the sweep's task handler
// come with the package entry, which every worker imports).
const PRELOAD = [fileURLToPath(new URL('./helpers/cosine-model.ts', import.meta.url))];

describe('lrSweep on worker threads', () => {
  it('gives identical results with 0 and 3 workers, with the onward points cut at the same divergence', async () => {
    // L = Σ(1 − cos θᵢ): GD wanders for η > 2 and the first onward run beyond maxAbs = 400 ends the sweep at k = 2,
    // inside the first batch of 3 onward runs, whose third run must be dropped.
    const options = { lossGoal: 1e-8, maxSteps: 800, divergence: { maxAbs: 400 }, schedule: { maxOnward: 20, onwardStep: 0.1 } };
    const theta0 = new Float64Array([2, -1]);
    const serial = await lrSweep(cosineModel(2), theta0, options);
    const threaded = await lrSweep(cosineModel(2), theta0, { ...options, workers: 3, preload: PRELOAD });
    expect(serial.schedule?.onward).toHaveLength(2);
    expect(serial.schedule?.stop.reason).toBe('diverged');
    expect(threaded).toEqual(serial);
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(serial));
  });

  it('runs the diagonal-network sweep on a shared pool, bit for bit as in this thread', async () => {
    const model = diagonalNet({ inputs: [[1, 4]], targets: [2] });
    const theta0 = new Float64Array([0.01, 0.01]);
    const options = { lossGoal: 1e-6, maxSteps: 50_000, settle: {}, schedule: { refine: 2 } };
    const pool = createTaskPool({ workers: 2 });
    try {
      const a = await lrSweep(model, theta0, { ...options, pool });
      const b = await lrSweep(model, theta0, options);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      expect(a.schedule?.refined).toHaveLength(2);
    } finally {
      await pool.close();
    }
  });
});
