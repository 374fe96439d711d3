/**
 * The fused grid-study kernel alone, one run at a time (`runDepth2Batch`, what gridStudy uses) against two runs per
 * loop iteration (`runDepth2BatchTwoLanes`, bit-identical to it), on [Scalar factorization]'s full study (15,373
 * starts × 11 learning rates), under bench/interleaved.ts's rules: ROUNDS rounds, in each round both kernels run in
 * turn (order alternating), each timed as the median of CALLS calls after a warm-up call. Prints one JSON object
 * with the per-round seconds of each kernel (the whole study: all rates, medians included).
 *
 * Run: `npx tsx bench/grid-kernel-lanes.ts [rounds]` (bench/grid-study.bench.ts runs it and prints the table).
 */
import { loadavg } from 'node:os';
import { gridStarts } from '../src/experiments/grid-study/grid.js';
import { allocateBatchResult, ArrayArena, LateScratch, type RunSettings } from '../src/experiments/grid-study/kernel-common.js';
import { runDepth2BatchTwoLanes, runDepth2Batch } from '../src/experiments/grid-study/kernel-depth2.js';
import { median } from './interleaved.js';

const ROUNDS = Number(process.argv[2] ?? 7);
const CALLS = 3;
const RATES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];
const grid = gridStarts({ shape: 'disk', n: 141, radius: 3 });
const count = grid.x.length;
const starts = new Float64Array(2 * count);
for (let s = 0; s < count; s++) {
  starts[2 * s] = grid.x[s];
  starts[2 * s + 1] = grid.y[s];
}
const out = ArrayArena.build(false, (arena) => allocateBatchResult(arena, count, 2));
const scratch = new LateScratch();
const kernels = { twoLanes: runDepth2BatchTwoLanes, sequential: runDepth2Batch };

function study(kernel: typeof runDepth2Batch): number {
  let steps = 0;
  for (const learningRate of RATES) {
    const settings: RunSettings = { learningRate, tolerance: 1e-8, maxSteps: 20_000, divergenceThreshold: 1e6, lateFraction: 0.01 };
    kernel(starts, 0, count, 1, settings, scratch, out);
    for (let s = 0; s < count; s++) steps += out.steps[s];
  }
  return steps;
}

function medianSeconds(kernel: typeof runDepth2Batch): number {
  study(kernel);
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    study(kernel);
    times.push((performance.now() - t) / 1000);
  }
  return median(times);
}

const loadBefore = loadavg();
const perRound: Record<keyof typeof kernels, number[]> = { twoLanes: [], sequential: [] };
const names = Object.keys(kernels) as (keyof typeof kernels)[];
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + round) % names.length];
    perRound[name].push(medianSeconds(kernels[name]));
  }
}
console.log(JSON.stringify({ starts: count, rates: RATES.length, rounds: ROUNDS, calls: CALLS, updates: study(runDepth2Batch), perRound, loadBefore, loadAfter: loadavg() }));
