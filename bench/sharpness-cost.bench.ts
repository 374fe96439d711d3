/**
 * What a sharpness estimate costs on small and medium models (issue 17 §3), three tables:
 *
 * 1. One Lanczos estimate of λ_max (tol 1e-10, seed 0) on diagonal nets with d = 100 and 1,000 features (n = 20
 *    data points, X standard normal, θ a seeded point near α = 0.1): eos-lab 0.2's kernel (a verbatim copy in
 *    bench/reference/lanczos-0.2.ts: convergence test — an O(m²) tridiagonal QL — at every step, two Gram–Schmidt
 *    passes always) against the current kernel (adaptive test schedule, DGKS-decided second pass, two-vector fused
 *    Gram–Schmidt). Per estimate: HVPs, total time, HVP time (HVPs × the time of one HVP, timed in the same round)
 *    and the rest ("bookkeeping": reorthogonalization, convergence tests, Ritz vector).
 * 2. `lrSweep` on the d = 100 problem of bench/lr-sweep.bench.ts (12 learning rates, sharpness every 100 steps,
 *    Lanczos, in-process) with `sharpness.warmStart` false and true: HVPs of the whole sweep and its time.
 * 3. `import 'eos-lab'` in a fresh node process (the built dist/index.js; skipped before `npm run build`): as built
 *    (ml-matrix loaded lazily by the first dense eigendecomposition) against the same import followed by
 *    `import('ml-matrix')` — what the 0.2 build's static import of ml-matrix added to every import.
 *
 * Run: `npx vitest bench --run bench/sharpness-cost.bench.ts` (part of `npm run bench`).
 *
 * Rules (bench/interleaved.ts, the same for every implementation): R rounds; in each round every implementation runs
 * in turn (median of a few calls after a warm-up call); the tables give the median over rounds and [min–max] over
 * rounds; ratios are taken within each round. The machine's load average is printed with each table: on a shared
 * machine the numbers are contended.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench, describe } from 'vitest';
import { rng } from '../src/core/rng.js';
import { createLanczosWorkspace, lanczosUnchecked } from '../src/linalg/lanczos.js';
import { lrSweep } from '../src/experiments/lr-sweep/index.js';
import { create } from '../src/models/diagonal-net/model.js';
import { createLanczosWorkspace as createV02Workspace, lanczosUnchecked as lanczosV02 } from './reference/lanczos-0.2.js';
import { formatSpread, loadLine, medianSecondsOf, printTable, ratios, spread } from './interleaved.js';

const ROUNDS = 7;
const CALLS = 5;

function diagonalNet(d: number, seed: number) {
  const n = 20;
  const g = rng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => g.normal()));
  const beta = new Array(d).fill(0);
  for (let j = 0; j < 5; j++) beta[(j * 17) % d] = 1;
  const model = create({ inputs: X, targets: X.map((row) => row.reduce((s, v, j) => s + v * beta[j], 0)) });
  const theta = new Float64Array(model.dim);
  for (let i = 0; i < theta.length; i++) theta[i] = 0.1 * (1 + 0.5 * g.normal());
  return { X, model, theta };
}

// ---------------------------------------------------------------------------------------------------------------
// 1. One estimate: HVP time against bookkeeping.

const hvpRows = [['d (model dim)', 'HVP µs, same θ as the last call', 'HVP µs, θ changed', 'changed / same']];
const lanczosRows = [['d (model dim)', 'kernel', 'HVPs', 'total ms', 'HVP ms', 'bookkeeping ms', 'bookkeeping share', 'λ_max', '0.2 / now (time)']];
for (const d of [100, 1000]) {
  const { model, theta } = diagonalNet(d, 7);
  const op = { dim: model.dim, apply: (v: Float64Array, out: Float64Array) => model.hvp(theta, v, out) };
  const params = { k: 1, which: 'largest' as const, tol: 1e-10, maxIterations: Math.min(model.dim, 300), seed: 0, startVector: undefined, wantVectors: false };
  const v = rng(1).fillNormal(new Float64Array(model.dim));
  const out = new Float64Array(model.dim);
  // Each kernel reuses its own workspace between calls, as the sharpness functions do.
  const oldWs = createV02Workspace(model.dim);
  const newWs = createLanczosWorkspace(model.dim);
  const runOld = () => lanczosV02(op, params, oldWs);
  const runNew = () => lanczosUnchecked(op, { ...params, checkStride: 0 }, newWs);
  const oldResult = runOld();
  const newResult = runNew();
  const per = { oldTotal: [] as number[], newTotal: [] as number[], hvp: [] as number[], hvpMiss: [] as number[] };
  const theta2 = theta.slice();
  theta2[0] *= 1 + 1e-12;
  for (let round = 0; round < ROUNDS; round++) {
    per.hvp.push(medianSecondsOf(() => {
      for (let i = 0; i < 20; i++) model.hvp(theta, v, out);
    }, CALLS) / 20);
    // The same HVP with θ changing at every call (no reuse of the θ-only intermediates).
    per.hvpMiss.push(medianSecondsOf(() => {
      for (let i = 0; i < 10; i++) {
        model.hvp(theta, v, out);
        model.hvp(theta2, v, out);
      }
    }, CALLS) / 20);
    per.oldTotal.push(medianSecondsOf(runOld, CALLS));
    per.newTotal.push(medianSecondsOf(runNew, CALLS));
  }
  const ms = (xs: number[]) => spread(xs.map((x) => 1000 * x));
  hvpRows.push([`${d} (${model.dim})`, formatSpread(spread(per.hvp.map((x) => 1e6 * x)), 2), formatSpread(spread(per.hvpMiss.map((x) => 1e6 * x)), 2), formatSpread(spread(ratios(per.hvpMiss, per.hvp)), 2, '×')]);
  for (const [name, r, totals] of [['0.2 (every-step test, CGS2)', oldResult, per.oldTotal], ['now (adaptive, DGKS)', newResult, per.newTotal]] as const) {
    const hvpMs = per.hvp.map((h) => h * r.matvecs);
    const book = totals.map((t, i) => t - hvpMs[i]);
    lanczosRows.push([
      `${d} (${model.dim})`,
      name,
      String(r.matvecs),
      formatSpread(ms(totals), 3),
      formatSpread(ms(hvpMs), 3),
      formatSpread(ms(book), 3),
      formatSpread(spread(book.map((b, i) => (100 * b) / totals[i])), 0, ' %'),
      r.values[0].toPrecision(12),
      name.startsWith('now') ? formatSpread(spread(ratios(per.oldTotal, per.newTotal)), 2, '×') : '',
    ]);
  }
}
printTable(`One Lanczos estimate of λ_max on a diagonal net (tol 1e-10): median [min–max] over ${ROUNDS} interleaved rounds (median of ${CALLS} calls each):`, lanczosRows, [
  'HVP ms = HVPs × the median time of one HVP in the same round; bookkeeping = total − HVP ms (reorthogonalization, convergence tests).',
  `${loadLine()} — the numbers are contended when the load exceeds the core count.`,
]);
printTable(`Diagonal-net HVP (n = 20): median [min–max] over ${ROUNDS} interleaved rounds — at the same θ the powers, residuals and Xᵀr are reused:`, hvpRows, [loadLine()]);

// ---------------------------------------------------------------------------------------------------------------
// 2. Warm starts along lrSweep.

const SWEEP_ROUNDS = 3;
const wide = diagonalNet(100, 7);
const wideTheta0 = new Float64Array(wide.model.dim).fill(0.1);
const etaC = (await lrSweep(wide.model, wideTheta0, { lossGoal: 1e-6, learningRates: [1e-9], maxSteps: 0, workers: 0 })).criticalLearningRate;
const sweep = (warmStart: boolean) =>
  lrSweep(wide.model, wideTheta0, {
    lossGoal: 1e-6,
    learningRates: Array.from({ length: 12 }, (_, j) => ((j + 1) / 4) * etaC),
    maxSteps: 20_000,
    sharpnessEvery: 100,
    sharpness: { method: 'lanczos', warmStart },
    workers: 0,
  });
const cold = await sweep(false);
const warm = await sweep(true);
let maxRel = 0;
for (let i = 0; i < cold.runs.length; i++) {
  const a = cold.runs[i].finalSharpness as { max: number } | undefined;
  const b = warm.runs[i].finalSharpness as { max: number } | undefined;
  if (a != null && b != null && Number.isFinite(a.max)) maxRel = Math.max(maxRel, Math.abs(b.max / a.max - 1));
}
const sameStatus = cold.runs.every((r, i) => r.status === warm.runs[i].status && r.steps === warm.runs[i].steps);
const sweepTimes = { cold: [] as number[], warm: [] as number[] };
for (let round = 0; round < SWEEP_ROUNDS; round++) {
  for (const key of ['cold', 'warm'] as const) {
    const t = performance.now();
    await sweep(key === 'warm');
    sweepTimes[key].push((performance.now() - t) / 1000);
  }
}
printTable(`lrSweep, d = 100 diagonal net (dim ${wide.model.dim}), 12 learning rates, sharpness every 100 steps by Lanczos, in-process: median [min–max] over ${SWEEP_ROUNDS} interleaved rounds:`, [
  ['sharpness.warmStart', 'HVPs (whole sweep)', 'gradients', 'seconds'],
  ['false', String(cold.stats.hvps), String(cold.stats.gradEvals), formatSpread(spread(sweepTimes.cold), 3)],
  ['true', String(warm.stats.hvps), String(warm.stats.gradEvals), formatSpread(spread(sweepTimes.warm), 3)],
  ['false / true', (cold.stats.hvps / warm.stats.hvps).toFixed(2) + '×', '', formatSpread(spread(ratios(sweepTimes.cold, sweepTimes.warm)), 2, '×')],
], [
  `Same statuses and step counts: ${sameStatus ? 'yes' : 'NO'}; largest relative difference of the final λ_max: ${maxRel.toExponential(1)}.`,
  'HVP and gradient counts are deterministic (identical in every round); the seconds include the GD steps.',
  loadLine(),
]);

// ---------------------------------------------------------------------------------------------------------------
// 3. Import time, child processes.

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist', 'index.js');
const IMPORT_ROUNDS = 9;
if (existsSync(dist)) {
  const url = 'file://' + dist;
  const timeChild = (code: string): number => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return Number(r.stdout.trim());
  };
  // Wall time of the import inside the child (process start-up excluded).
  const lazy = `const t=performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now()-t);`;
  const eager = `const t=performance.now(); await import(${JSON.stringify(url)}); await import('ml-matrix'); console.log(performance.now()-t);`;
  const firstEigen = `const t=performance.now(); const m=await import(${JSON.stringify(url)}); m.symmetricEigen(m.matrixFromRows([[2,1],[1,2]])); console.log(performance.now()-t);`;
  const times = { lazy: [] as number[], eager: [] as number[], first: [] as number[] };
  for (let round = 0; round < IMPORT_ROUNDS; round++) {
    times.eager.push(timeChild(eager));
    times.lazy.push(timeChild(lazy));
    times.first.push(timeChild(firstEigen));
  }
  printTable(`import 'eos-lab' (built dist/index.js) in a fresh node process, ms: median [min–max] over ${IMPORT_ROUNDS} interleaved rounds:`, [
    ['', 'ms'],
    ['import, ml-matrix lazy (now)', formatSpread(spread(times.lazy), 1)],
    ['import + import(\'ml-matrix\') (what 0.2 paid at import)', formatSpread(spread(times.eager), 1)],
    ['import + first symmetricEigen (loads ml-matrix by require)', formatSpread(spread(times.first), 1)],
    ['saved at import (eager − lazy, per round)', formatSpread(spread(times.eager.map((e, i) => e - times.lazy[i])), 1)],
  ], [loadLine()]);
} else {
  console.log('\nimport time: skipped (no dist/index.js; run `npm run build` first)\n');
}

// vitest's own timing runs one implementation after the other (not interleaved), so it is kept for the current
// kernel only; the comparison is the first table's.
describe('one Lanczos estimate, d = 1000 diagonal net (current kernel; comparisons in the tables above)', () => {
  const { model, theta } = diagonalNet(1000, 7);
  const op = { dim: model.dim, apply: (v: Float64Array, out: Float64Array) => model.hvp(theta, v, out) };
  const params = { k: 1, which: 'largest' as const, tol: 1e-10, maxIterations: 300, seed: 0, startVector: undefined, wantVectors: false, checkStride: 0 };
  bench('current kernel', () => void lanczosUnchecked(op, params), { iterations: 5, time: 0 });
});
