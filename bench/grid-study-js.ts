/**
 * The JavaScript side of bench/grid-study.bench.ts, run as its own process (so its peak RSS is its own): [Scalar factorization]'s
 * full grid study (15,373 starts × 11 learning rates) in-process on one thread, then on all cores. Prints one JSON
 * object: times (cold = the first call in this process or in fresh threads, warm = the median of 4 later calls, as
 * bench/interleaved.ts's rule), GD updates, peak RSS and the per-η summary in the baselines' format (for the
 * agreement check). bench/grid-study.bench.ts runs it once per interleaved round.
 *
 * Run: `npx tsx bench/grid-study-js.ts` (or `node --import tsx bench/grid-study-js.ts`).
 */
import { gridStudy, type GridStudyResult } from '../src/experiments/grid-study/grid-study.js';
import { createTaskPool } from '../src/parallel/pool.js';
import { median } from './interleaved.js';

const SPEC = { kind: 'scalar-factorization', target: 1, depth: 2 };

async function timed(run: () => Promise<GridStudyResult>): Promise<{ seconds: number; study: GridStudyResult }> {
  const t = performance.now();
  const study = await run();
  return { seconds: (performance.now() - t) / 1000, study };
}

/** The median seconds of `calls` calls (the same rule as bench/interleaved.ts, for every implementation). */
async function medianSeconds(run: () => Promise<GridStudyResult>, calls: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) times.push((await timed(run)).seconds);
  return median(times);
}

const CALLS = 4;
const singleCold = await timed(() => gridStudy(SPEC, { workers: 0 }));
const singleWarm = await medianSeconds(() => gridStudy(SPEC, { workers: 0 }), CALLS);

const pool = createTaskPool();
const t0 = performance.now();
await gridStudy(SPEC, { grid: { n: 3 }, learningRates: [0.5], pool }); // starts the threads
const startup = (performance.now() - t0) / 1000;
const parallelCold = await timed(() => gridStudy(SPEC, { pool }));
const parallelWarm = await medianSeconds(() => gridStudy(SPEC, { pool }), CALLS);
await pool.close();

const study = singleCold.study;
console.log(
  JSON.stringify({
    starts: study.starts.shape[0],
    updates: study.gdUpdates,
    skippedUpdates: study.gdUpdates - study.gdUpdatesComputed,
    single: { cold: singleCold.seconds, warm: singleWarm },
    parallel: { workers: pool.workers, startup, cold: parallelCold.seconds, warm: parallelWarm },
    maxRssKb: process.resourceUsage().maxRSS,
    rates: study.rates.map(({ summary: s }) => ({
      learningRate: s.learningRate,
      converged: s.converged,
      diverged: s.diverged,
      maxSteps: s.maxSteps,
      medianSharpnessProxy: s.medianSharpnessProxy,
      medianSharpnessExact: s.medianSharpnessExact,
      eosProxy: Math.round(s.eosFractionProxy * s.converged),
      eosExact: Math.round(s.eosFractionExact * s.converged),
      updates: s.gdUpdates,
    })),
    // Bit-identical across thread counts (checked here on the full study, not only in the tests).
    sameAcrossThreads: JSON.stringify(parallelCold.study.rates.map((r) => r.summary)) === JSON.stringify(study.rates.map((r) => r.summary)),
  }),
);
