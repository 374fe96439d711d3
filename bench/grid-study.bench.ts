/**
 * [Scalar factorization]'s full grid study — 15,373 starts (disk n = 141, r = 3) × 11 learning rates {0.1, …, 0.9, 0.95, 0.99}, GD
 * with the post's statistics — in eos-lab against two baselines measured in the same run:
 * - `bench/baselines/grid_study.py`: the same study vectorized with numpy (all starts of one η advanced together);
 * - `bench/baselines/grid_study.c`: the same algorithm as eos-lab's fused kernel as a single-threaded C loop, compiled
 *   here with `cc -O3 -ffp-contract=off` (skipped, with a note, when no compiler or no numpy is found).
 *
 * Run: `npx vitest bench --run bench/grid-study.bench.ts` (part of `npm run bench`).
 *
 * It prints three tables, all under bench/interleaved.ts's rules (rounds; in each round every implementation runs in
 * turn, so that load from other processes hits all alike; each reports the median over rounds with the spread
 * min–max, and every ratio is taken round by round — both sides timed in the same round — before the median):
 * 1. The whole study: seconds, GD updates per second — the study's updates (Σ steps over all runs) and the ones
 *    actually computed (runs stuck at a fixed point of the rounded map stop computing; all three implementations
 *    count the same) — the ratios, and each process's peak RSS. eos-lab runs in a child process per round
 *    (`bench/grid-study-js.ts`, from the sources through tsx): in-process on one thread (the per-core comparison
 *    with C) and on all cores (worker threads; their startup is timed separately); "cold" is the first call in the
 *    process (JIT warm-up included) or in fresh threads, "warm" the median of four later calls. C runs three times
 *    per round (its median kept), numpy once. It also checks that the three agree exactly on the per-η summary
 *    (status counts, medians, EoS counts, updates) — the iterates are bit-identical across languages.
 * 2. The README's default call, `gridStudy(spec)`, with a pool per call (as before 0.2.0), on the shared default
 *    pool, on a reused `pool` and in-process (`bench/grid-study-pool.ts`, its own process).
 * 3. The fused kernel alone, one run at a time (what gridStudy uses) against the two-lane variant
 *    (`bench/grid-kernel-lanes.ts`, its own process), and the fused against the generic kernel on a small study.
 * vitest's own timing at the end covers the fused kernel on a small study alone (no ratio: vitest runs
 * implementations one after another, not interleaved).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench, describe } from 'vitest';
import { gridStudy } from '../src/experiments/grid-study/grid-study.js';
import { formatSpread, interleaveAsync, loadLine, median, printInterleaved, printTable, ratios, spread } from './interleaved.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface RateSummary {
  learningRate: number;
  converged: number;
  diverged: number;
  maxSteps: number;
  medianSharpnessProxy: number;
  medianSharpnessExact: number;
  eosProxy: number;
  eosExact: number;
  updates: number;
}
interface BaselineRun {
  starts: number;
  rates: RateSummary[];
  updates: number;
  skippedUpdates: number;
  seconds: number;
  maxRssKb: number;
}
interface JsRun {
  starts: number;
  rates: RateSummary[];
  updates: number;
  skippedUpdates: number;
  single: { cold: number; warm: number };
  parallel: { workers: number; startup: number; cold: number; warm: number };
  maxRssKb: number;
  sameAcrossThreads: boolean;
}

function runJson<T>(cmd: string, args: string[]): T | string {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 600_000 });
  if (r.error) return `${cmd} failed to start: ${r.error.message}`;
  if (r.status !== 0) return `${cmd} exited with ${r.status}: ${r.stderr.slice(-500)}`;
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as T;
}

function available(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

/** Compiles the C baseline once; returns the executable's path, or why it is skipped. */
function compileC(dir: string): string | { skipped: string } {
  const cc = ['cc', 'gcc', 'clang'].find((c) => available(c, ['--version']));
  if (cc === undefined) return { skipped: 'skipped: no C compiler (cc, gcc or clang) found' };
  const exe = join(dir, 'grid_study');
  try {
    execFileSync(cc, ['-O3', '-ffp-contract=off', '-o', exe, join(ROOT, 'bench/baselines/grid_study.c'), '-lm']);
    return exe;
  } catch (e) {
    return { skipped: `skipped: compiling the C baseline failed (${e instanceof Error ? e.message : String(e)})` };
  }
}

// Rounds of (eos-lab, C, numpy), interleaved so that a burst of load from other processes hits all three alike.
const ROUNDS = 5;
/** C runs per round (its median kept: one C run is ~0.15 s, shorter than eos-lab's per-round median of four calls). */
const C_CALLS = 3;
/** Rounds of the default-call comparison (each round times a per-call pool four times: a few seconds). */
const POOL_ROUNDS = 5;
const hasNumpy = available('python3', ['-c', 'import numpy']);
const cDir = mkdtempSync(join(tmpdir(), 'eos-lab-grid-c-'));
const exe = compileC(cDir);
const loadBefore = loadLine();
const jsRounds: JsRun[] = [];
const cRounds: BaselineRun[] = [];
const numpyRounds: BaselineRun[] = [];
let cSkipped = typeof exe === 'string' ? '' : exe.skipped;
let numpySkipped = hasNumpy ? '' : 'skipped: python3 with numpy not found';
try {
  for (let round = 0; round < ROUNDS; round++) {
    const js = runJson<JsRun>(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/grid-study-js.ts')]);
    if (typeof js === 'string') throw new Error(`the eos-lab run failed: ${js}`);
    jsRounds.push(js);
    if (typeof exe === 'string' && cSkipped === '') {
      const runs: BaselineRun[] = [];
      for (let i = 0; i < C_CALLS && cSkipped === ''; i++) {
        const r = runJson<BaselineRun>(exe, []);
        if (typeof r === 'string') cSkipped = r;
        else runs.push(r);
      }
      if (cSkipped === '') cRounds.push({ ...runs[0], seconds: median(runs.map((r) => r.seconds)) });
    }
    if (numpySkipped === '') {
      const r = runJson<BaselineRun>('python3', [join(ROOT, 'bench/baselines/grid_study.py')]);
      if (typeof r === 'string') numpySkipped = r;
      else numpyRounds.push(r);
    }
  }
} finally {
  rmSync(cDir, { recursive: true, force: true });
}

const fmtS = (s: number) => `${s.toFixed(3)} s`;
const js = jsRounds[0];
const computed = js.updates - js.skippedUpdates;
/** "123M/s [110–130]": updates per second from per-round seconds (median and spread of the rate). */
const rate = (n: number, secs: number[]) => formatSpread(spread(secs.map((x) => n / x / 1e6)), 0, 'M/s');
const rows: string[][] = [['implementation', 'threads', 'seconds, median [min–max]', 'updates/s (study)', 'updates/s (computed)', 'peak RSS']];
const jsRow = (label: string, threads: number, secs: number[]) =>
  rows.push([label, String(threads), formatSpread(spread(secs), 3), rate(js.updates, secs), rate(computed, secs), `${(Math.max(...jsRounds.map((r) => r.maxRssKb)) / 1024).toFixed(0)} MB`]);
const t = {
  singleWarm: jsRounds.map((r) => r.single.warm),
  singleCold: jsRounds.map((r) => r.single.cold),
  parallelWarm: jsRounds.map((r) => r.parallel.warm),
  parallelCold: jsRounds.map((r) => r.parallel.cold),
  startup: jsRounds.map((r) => r.parallel.startup),
};
const workers = js.parallel.workers;
jsRow('eos-lab gridStudy, warm', 1, t.singleWarm);
jsRow('eos-lab gridStudy, cold', 1, t.singleCold);
jsRow('eos-lab gridStudy, warm', workers, t.parallelWarm);
jsRow('eos-lab gridStudy, cold', workers, t.parallelCold);
const notes: string[] = [];
const sameSummary = (run: BaselineRun) =>
  JSON.stringify(run.rates.map(({ learningRate, ...rest }) => ({ learningRate: Number(learningRate.toPrecision(12)), ...rest }))) ===
  JSON.stringify(js.rates.map(({ learningRate, ...rest }) => ({ learningRate: Number(learningRate.toPrecision(12)), ...rest })));
for (const [label, runs, skipped] of [
  ['C -O3 -ffp-contract=off', cRounds, cSkipped],
  ['numpy (vectorized)', numpyRounds, numpySkipped],
] as const) {
  if (runs.length < ROUNDS) {
    notes.push(`${label}: ${skipped || 'not run'}`);
    continue;
  }
  const secs = runs.map((r) => r.seconds);
  const n = runs[0].updates;
  rows.push([label, '1', formatSpread(spread(secs), 3), rate(n, secs), rate(n - runs[0].skippedUpdates, secs), `${(Math.max(...runs.map((r) => r.maxRssKb)) / 1024).toFixed(0)} MB`]);
  notes.push(`${label}: per-η summary ${runs.every(sameSummary) ? 'identical to' : 'DIFFERS from'} eos-lab's (counts, medians, EoS counts, updates)`);
}
const sameAcrossThreads = jsRounds.every((r) => r.sameAcrossThreads);
const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
const lines = [
  '',
  `[Scalar factorization] grid study: ${js.starts} starts × ${js.rates.length} learning rates = ${(js.updates / 1e6).toFixed(1)}M GD updates ` +
    `(${(computed / 1e6).toFixed(1)}M computed; the rest skipped after fixed points or 2-cycles of the rounded map). ` +
    `Median [min–max] over ${ROUNDS} interleaved rounds (eos-lab warm: the median of 4 calls per round; C: of ${C_CALLS} runs; numpy: 1 run)`,
  ...rows.map((r) => r.map((v, j) => (j === 0 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join('  ')),
  `worker startup (${workers} threads, from the sources via tsx): ${formatSpread(spread(t.startup), 3)} s; results identical across thread counts: ${sameAcrossThreads}`,
];
if (cRounds.length === ROUNDS) {
  const c = cRounds.map((r) => r.seconds);
  lines.push(
    `per core vs C (C seconds / eos-lab seconds, per round): ${formatSpread(spread(ratios(c, t.singleWarm)), 2, '×')} warm, ` +
      `${formatSpread(spread(ratios(c, t.singleCold)), 2, '×')} cold  [issue 17 targets: ≥ 1.0× warm, ≥ 0.6× cold]`,
  );
}
if (numpyRounds.length === ROUNDS) {
  const np = numpyRounds.map((r) => r.seconds);
  lines.push(
    `vs numpy (numpy seconds / eos-lab seconds, per round): on ${workers} threads ${formatSpread(spread(ratios(np, t.parallelWarm)), 1, '×')} warm, ` +
      `${formatSpread(spread(ratios(np, t.parallelCold)), 1, '×')} cold; on 1 thread ${formatSpread(spread(ratios(np, t.singleWarm)), 1, '×')} warm`,
  );
}
lines.push(...notes, `before: ${loadBefore}; after: ${loadLine()} on ${availableParallelism()} cores (above the core count the machine is contended)`, '');
console.log(lines.join('\n'));

// The README's default call, gridStudy(spec), with and without the shared default pool (bench/grid-study-pool.ts,
// its own process so that the shared pool starts cold): medians of interleaved rounds with the spread, ratios
// taken round by round.
interface PoolRun {
  workers: number;
  starts: number;
  rates: number;
  rounds: number;
  calls: number;
  firstDefault: number;
  perRound: { perCallPool: number[]; defaultShared: number[]; reusedPool: number[]; inProcess: number[] };
  sameAsInProcess: boolean;
  loadBefore: number[];
  loadAfter: number[];
}
const poolRun = runJson<PoolRun>(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/grid-study-pool.ts'), String(POOL_ROUNDS)]);
if (typeof poolRun === 'string') {
  console.log(`\ndefault gridStudy call: the pool bench failed: ${poolRun}\n`);
} else {
  const { perRound: t } = poolRun;
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  printTable(
    `gridStudy(spec), the README's default call (${poolRun.starts} starts × ${poolRun.rates} rates, ${poolRun.workers} threads; ` +
      `median [min–max] over ${poolRun.rounds} interleaved rounds (order rotating), each the median of ${poolRun.calls} calls after a warm-up call)`,
    [
      ['way', 'seconds', 'ratio to reused pool (per round)'],
      ['per-call pool (before 0.2.0)', formatSpread(spread(t.perCallPool), 3), formatSpread(spread(ratios(t.perCallPool, t.reusedPool)), 2, '×')],
      ['default call (shared pool)', formatSpread(spread(t.defaultShared), 3), formatSpread(spread(ratios(t.defaultShared, t.reusedPool)), 2, '×')],
      ['reused pool (pool option)', formatSpread(spread(t.reusedPool), 3), '1'],
      ['in-process (workers: 0)', formatSpread(spread(t.inProcess), 3), formatSpread(spread(ratios(t.inProcess, t.reusedPool)), 2, '×')],
    ],
    [
      `first default call of the process (threads and JIT cold): ${fmtS(poolRun.firstDefault)}; threads load the package from the sources through tsx here (slower than the built package)`,
      `target: default call within 1.2× of the reused pool; default-call summaries identical to in-process: ${poolRun.sameAsInProcess}`,
      `load average before ${load(poolRun.loadBefore)}, after ${load(poolRun.loadAfter)} (1 / 5 / 15 min) on ${availableParallelism()} cores: ` +
        `above the core count the machine is contended and threads gain little over in-process`,
    ],
  );
}

// The fused kernel alone: one run at a time (gridStudy's) against the two-lane variant (bench/grid-kernel-lanes.ts,
// its own process).
interface LanesRun {
  starts: number;
  rates: number;
  rounds: number;
  calls: number;
  updates: number;
  perRound: { sequential: number[]; twoLanes: number[] };
}
const lanes = runJson<LanesRun>(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/grid-kernel-lanes.ts'), '7']);
if (typeof lanes === 'string') console.log(`\nfused kernel, one run vs two lanes: the bench failed: ${lanes}\n`);
else {
  printInterleaved(
    `fused depth-2 kernel alone on the full study (${lanes.starts} starts × ${lanes.rates} rates, medians included, in-process, 1 thread): ` +
      'one run at a time (gridStudy\'s) vs two runs per loop iteration (bit-identical)',
    { 'one run at a time': lanes.perRound.sequential, 'two lanes': lanes.perRound.twoLanes },
    'one run at a time',
    lanes.calls,
  );
}

const SPEC = { kind: 'scalar-factorization', target: 1, depth: 2 };
const SMALL = { grid: { n: 21 }, learningRates: [0.5, 0.99], workers: 0 };
printInterleaved(
  'grid study, disk n = 21 (317 starts), η ∈ {0.5, 0.99}, in-process: fused vs generic kernel',
  await interleaveAsync(
    {
      'fused kernel (depth-2 closed forms)': () => gridStudy(SPEC, SMALL),
      'generic kernel (lossAndGrad + dense λ_max per late iterate)': () => gridStudy(SPEC, { ...SMALL, engine: 'generic' }),
    },
    5,
    1,
  ),
  'fused kernel (depth-2 closed forms)',
  1,
);

describe('grid study, disk n = 21 (317 starts), η ∈ {0.5, 0.99}, in-process (ratios: the interleaved tables above)', () => {
  bench('fused kernel (depth-2 closed forms)', async () => {
    await gridStudy(SPEC, SMALL);
  });
});
