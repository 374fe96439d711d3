/**
 * Worker-count independence: the same study with 0, 1 and 2 worker threads gives bit-identical results (the
 * workers rebuild the model from its spec and run the same kernels on chunks of starts).
 */
import { describe, expect, it } from 'vitest';
import { gridStudy, type GridStudyResult } from '../../src/experiments/grid-study/grid-study.js';
import { createTaskPool } from '../../src/parallel/pool.js';

const SPEC = { kind: 'scalar-factorization', target: 1, depth: 2 };

/** Every per-start array of every rate, as raw bytes (so NaN payloads and −0 count too). */
function bytesOf(study: GridStudyResult): Buffer[] {
  return study.rates.flatMap((r) =>
    [r.status, r.steps, r.finalTheta.data, r.sharpnessProxy, r.sharpnessExact, r.lateFrom, r.eosMedianProxy, r.eosMedianExact, r.nearEdgeProxy].map(
      (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    ),
  );
}

describe('gridStudy on worker threads', () => {
  it('gives bit-identical results with 0, 1 and 2 workers (more chunks than workers)', async () => {
    // n = 41: 1,257 starts → 3 chunks of ≤ 512 per learning rate, 9 tasks.
    const options = { grid: { n: 41 }, learningRates: [0.3, 0.9, 0.99] };
    const inProcess = await gridStudy(SPEC, { ...options, workers: 0 });
    const one = await gridStudy(SPEC, { ...options, workers: 1 });
    const two = await gridStudy(SPEC, { ...options, workers: 2 });
    const ref = bytesOf(inProcess);
    expect(bytesOf(one)).toEqual(ref);
    expect(bytesOf(two)).toEqual(ref);
    expect(two.rates.map((r) => r.summary)).toEqual(inProcess.rates.map((r) => r.summary));
    expect(two.gdUpdates).toBe(inProcess.gdUpdates);
  });

  it('runs on a shared pool, and the generic engine in workers too', async () => {
    const pool = createTaskPool({ workers: 2 });
    try {
      const options = { grid: { shape: 'annulus' as const, n: 15 }, learningRates: [0.5, 0.95], maxSteps: 2000 };
      const a = await gridStudy(SPEC, { ...options, pool, engine: 'generic' });
      const b = await gridStudy(SPEC, { ...options, workers: 0, engine: 'generic' });
      expect(bytesOf(a)).toEqual(bytesOf(b));
    } finally {
      await pool.close();
    }
  });
});
