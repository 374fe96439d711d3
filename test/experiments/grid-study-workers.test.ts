/**
 * Worker-count independence: the same study with 0, 1 and 2 worker threads gives bit-identical results (the
 * workers rebuild the model from its spec, run the same kernels on blocks of starts and write the results into
 * shared arrays in place).
 */
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { gridStudy, type GridStudyResult } from '../../src/experiments/grid-study/grid-study.js';
import { createTaskPool } from '../../src/parallel/pool.js';

const SPEC = { kind: 'scalar-factorization', target: 1, depth: 2 };

/** The raw bytes of an array (so NaN payloads and −0 count too). */
function bytes(a: Float64Array | Int32Array | Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Every per-start array of every rate, as raw bytes (so NaN payloads and −0 count too). */
function bytesOf(study: GridStudyResult): Buffer[] {
  return study.rates.flatMap((r) =>
    [
      r.status,
      r.steps,
      r.finalTheta.data,
      r.sharpnessProxy,
      r.sharpnessExact,
      r.lateFrom,
      r.eosMedianProxy,
      r.eosMedianExact,
      r.fixedPointAt,
      r.nearEdgeProxy,
      r.nearEdgeExact,
    ].map(bytes),
  );
}

describe('gridStudy on worker threads', () => {
  it('gives bit-identical results with 0, 1 and 2 workers (more tasks than workers)', async () => {
    // n = 41: 1,257 starts → 20 blocks of ≤ 64 starts, dealt to 8 tasks (4 per worker); the last block is partial.
    const options = { grid: { n: 41 }, learningRates: [0.3, 0.9, 0.99] };
    const inProcess = await gridStudy(SPEC, { ...options, workers: 0 });
    const one = await gridStudy(SPEC, { ...options, workers: 1 });
    const two = await gridStudy(SPEC, { ...options, workers: 2 });
    const ref = bytesOf(inProcess);
    expect(bytesOf(one)).toEqual(ref);
    expect(bytesOf(two)).toEqual(ref);
    expect(two.rates.map((r) => r.summary)).toEqual(inProcess.rates.map((r) => r.summary));
    expect(two.gdUpdates).toBe(inProcess.gdUpdates);
    // The maps and the gradient-flow solutions are written by the workers too.
    for (let r = 0; r < 3; r++) {
      for (const m of ['sharpnessProxy', 'sharpnessExact', 'status'] as const) {
        expect(bytes(two.rates[r].maps?.[m].data as Float64Array)).toEqual(bytes(inProcess.rates[r].maps?.[m].data as Float64Array));
      }
    }
    expect(bytes(two.gradientFlow?.sharpness as Float64Array)).toEqual(bytes(inProcess.gradientFlow?.sharpness as Float64Array));
    expect(Array.from(two.gradientFlow?.reachesMinimizer ?? [])).toEqual(Array.from(inProcess.gradientFlow?.reachesMinimizer ?? []));
  });

  it('runs on a shared pool, and the generic engine in workers too', async () => {
    const pool = createTaskPool({ workers: 2 });
    try {
      const options = { grid: { shape: 'annulus' as const, n: 15 }, learningRates: [0.5, 0.95], maxSteps: 2000 };
      const a = await gridStudy(SPEC, { ...options, pool, engine: 'generic' });
      const b = await gridStudy(SPEC, { ...options, workers: 0, engine: 'generic' });
      expect(bytesOf(a)).toEqual(bytesOf(b));
      // Custom starts (no maps), fewer than a block; and a depth-3 model (generic kernel, dim 3) on the same pool.
      const starts = ndarray(Float64Array.from([0.5, 2, -1, -1.5, 3, 0.1, 0.2, 0.2]), [4, 2]);
      const few = { starts, learningRates: [0.5, 0.99] };
      expect(bytesOf(await gridStudy(SPEC, { ...few, pool }))).toEqual(bytesOf(await gridStudy(SPEC, { ...few, workers: 0 })));
      const deep = { kind: 'scalar-factorization', target: 1, depth: 3 };
      const starts3 = ndarray(Float64Array.from({ length: 3 * 70 }, (_, i) => 0.5 + ((i * 7) % 11) / 10), [70, 3]);
      const three = { starts: starts3, learningRates: [0.3], maxSteps: 500 };
      expect(bytesOf(await gridStudy(deep, { ...three, pool }))).toEqual(bytesOf(await gridStudy(deep, { ...three, workers: 0 })));
    } finally {
      await pool.close();
    }
  });
});
