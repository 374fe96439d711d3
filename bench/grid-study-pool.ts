/**
 * The pool side of bench/grid-study.bench.ts, run as its own process (so that its shared pool starts cold): the
 * README's default call, `gridStudy(spec)` — [Scalar factorization]'s full study, 15,373 starts × 11 learning rates, on all
 * cores — timed four ways under bench/interleaved.ts's rules (rounds; in each round every way runs in turn, one
 * warm-up call then the median of CALLS calls; the order rotates from round to round):
 * - `per-call pool`: a pool created for the call and closed after it (what the default call did before 0.2.0);
 * - `default (shared pool)`: `gridStudy(spec)` as a user writes it, on the shared default pool;
 * - `reused pool`: `gridStudy(spec, { pool })` on one pool created here and kept open (the warm reference);
 * - `in-process`: `gridStudy(spec, { workers: 0 })`.
 * Also the very first default call of the process (threads started cold, JIT cold). Prints one JSON object.
 *
 * Run: `npx tsx bench/grid-study-pool.ts [rounds]`.
 */
import { loadavg } from 'node:os';
import { gridStudy } from '../src/experiments/grid-study/grid-study.js';
import { createTaskPool, defaultWorkerCount } from '../src/parallel/pool.js';
import { closeSharedPool } from '../src/parallel/shared-pool.js';
import { median } from './interleaved.js';

const SPEC = { kind: 'scalar-factorization', target: 1, depth: 2 };
const ROUNDS = Number(process.argv[2] ?? 5);
const CALLS = 3;

async function seconds(run: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await run();
  return (performance.now() - t) / 1000;
}

/** One warm-up call, then the median of CALLS calls. */
async function medianOf(run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) times.push(await seconds(run));
  return median(times);
}

const loadBefore = loadavg();
const firstDefault = await seconds(() => gridStudy(SPEC));
const reused = createTaskPool();
const ways: Record<string, () => Promise<unknown>> = {
  perCallPool: async () => {
    const pool = createTaskPool();
    try {
      await gridStudy(SPEC, { pool });
    } finally {
      await pool.close();
    }
  },
  defaultShared: () => gridStudy(SPEC),
  reusedPool: () => gridStudy(SPEC, { pool: reused }),
  inProcess: () => gridStudy(SPEC, { workers: 0 }),
};
const perRound: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
const order = Object.entries(ways);
for (let round = 0; round < ROUNDS; round++) {
  // The order rotates by round, so that no way always follows the per-call pool's thread terminations.
  for (let i = 0; i < order.length; i++) {
    const [name, run] = order[(i + round) % order.length];
    perRound[name].push(await medianOf(run));
  }
}
// The default call gives the in-process results (summaries compared here; the tests compare every array's bits).
const a = await gridStudy(SPEC);
const b = await gridStudy(SPEC, { workers: 0 });
const same = JSON.stringify(a.rates.map((r) => r.summary)) === JSON.stringify(b.rates.map((r) => r.summary));
await reused.close();
await closeSharedPool();
console.log(
  JSON.stringify({
    workers: defaultWorkerCount(),
    starts: a.starts.shape[0],
    rates: a.rates.length,
    rounds: ROUNDS,
    calls: CALLS,
    firstDefault,
    perRound,
    sameAsInProcess: same,
    loadBefore,
    loadAfter: loadavg(),
  }),
);
