/**
 * [Conflicting biases]'s learning-rate sweep (App. G) on diagonal networks: `lrSweep` against a plain allocating
 * implementation of the same algorithm, written in this file.
 *
 * Run: `npx vitest bench --run bench/lr-sweep.bench.ts`. For each problem it prints a table under bench/interleaved.ts's
 * rules (interleaved rounds, medians with the spread, the ratio taken round by round); vitest's own timing afterwards
 * covers lrSweep alone (no ratio: vitest runs implementations one after another, not interleaved).
 *
 * Problems (both: w₀ = α1, gradient flow by RK4 with h = min(1/s₀, 0.1/max|λ|) and s_GF tracked at every step,
 * then GD from w₀ at each learning rate until L ≤ 1e-6, with the final sharpness in both conventions):
 * - the d = 2 toy of the `diagonal-net-sweep` example, x = (1, 4), y = 2, α = 0.01: 40 learning rates evenly
 *   spaced on [0.2, 2]·η_c, sharpness along each GD run every 10 steps (dense 2×2 eigenvalues), ≤ 100 000 steps;
 * - d = 100, n = 20 (X standard normal, y = Xβ* with five ones in β*), α = 0.1: App. G's 12 fine learning rates,
 *   sharpness along each run every 100 steps (Lanczos on HVPs, the same `lanczos` call in both), ≤ 20 000 steps.
 *
 * The baseline is what one writes first: vectors as `number[]`, a fresh array for every intermediate (`map`,
 * `reduce`), the Hessian as nested arrays handed to ml-matrix, RK4 stages as new arrays. It uses the same
 * eigen-solvers (ml-matrix's symmetric decomposition for d = 2, eos-lab's `lanczos` for d = 100), so the ratio
 * measures the kernels and drivers, not a different algorithm. Before timing, the file checks that both give the
 * same statuses and sharpness (to 1e-6) and prints them.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { bench, describe } from 'vitest';
import { rng } from '../src/core/rng.js';
import { lrSweep } from '../src/experiments/lr-sweep/index.js';
import { lanczos } from '../src/linalg/lanczos.js';
import { create } from '../src/models/diagonal-net/model.js';
import { interleaveAsync, printInterleaved } from './interleaved.js';

interface Problem {
  name: string;
  X: number[][];
  y: number[];
  alpha: number;
  lossGoal: number;
  maxSteps: number;
  sharpnessEvery: number;
  /** Learning rates in units of η_c. */
  relativeRates: number[];
}

function toyProblem(): Problem {
  return {
    name: 'd = 2 toy, x = (1, 4), y = 2, 40 learning rates',
    X: [[1, 4]],
    y: [2],
    alpha: 0.01,
    lossGoal: 1e-6,
    maxSteps: 100_000,
    sharpnessEvery: 10,
    relativeRates: Array.from({ length: 40 }, (_, i) => 0.2 + (1.8 * i) / 39),
  };
}

function wideProblem(): Problem {
  const n = 20;
  const d = 100;
  const g = rng(7);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => g.normal()));
  const beta = new Array(d).fill(0);
  for (let j = 0; j < 5; j++) beta[j * 17] = 1;
  return {
    name: 'd = 100, n = 20, 12 learning rates',
    X,
    y: X.map((row) => row.reduce((s, v, j) => s + v * beta[j], 0)),
    alpha: 0.1,
    lossGoal: 1e-6,
    maxSteps: 20_000,
    sharpnessEvery: 100,
    relativeRates: Array.from({ length: 12 }, (_, j) => (j + 1) / 4), // App. G's fine grid j/(2 s_GF) = (j/4)·η_c
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The plain allocating implementation.

interface PlainRun {
  learningRate: number;
  status: 'converged' | 'diverged' | 'max-steps';
  steps: number;
  max: number;
  abs: number;
  /** Largest max|λ| seen along the run. */
  peak: number;
}

function plainSweep(p: Problem): { sGF: number; runs: PlainRun[] } {
  const { X, y } = p;
  const n = X.length;
  const d = X[0].length;
  const residuals = (w: number[]): number[] => {
    const b = w.map((v) => v * v);
    return X.map((row, i) => row.reduce((s, v, j) => s + v * b[j], 0) - y[i]);
  };
  const loss = (w: number[]): number => residuals(w).reduce((s, r) => s + r * r, 0) / (2 * n);
  const grad = (w: number[]): number[] => {
    const r = residuals(w);
    return w.map((wj, j) => (2 / n) * X.reduce((s, row, i) => s + row[j] * r[i], 0) * wj);
  };
  const hvp = (w: number[], v: number[]): number[] => {
    const r = residuals(w);
    const c = w.map((_, j) => X.reduce((s, row, i) => s + row[j] * r[i], 0));
    const t = w.map((wj, j) => wj * v[j]);
    const z = X.map((row) => row.reduce((s, x, j) => s + x * t[j], 0));
    return w.map((wj, j) => (4 / n) * wj * X.reduce((s, row, i) => s + row[j] * z[i], 0) + (2 / n) * c[j] * v[j]);
  };
  const hessian = (w: number[]): number[][] => {
    const r = residuals(w);
    const c = w.map((_, j) => X.reduce((s, row, i) => s + row[j] * r[i], 0));
    return w.map((wj, j) => w.map((wk, k) => (4 / n) * wj * wk * X.reduce((s, row) => s + row[j] * row[k], 0) + (j === k ? (2 / n) * c[j] : 0)));
  };
  /** λ_max (`'max'`) or max|λ| (`'abs'`) of the Hessian at w. */
  const sharp = (w: number[], which: 'max' | 'abs'): number => {
    if (d <= 64) {
      const values = new EigenvalueDecomposition(new Matrix(hessian(w)), { assumeSymmetric: true }).realEigenvalues;
      return which === 'max' ? Math.max(...values) : Math.max(...values.map(Math.abs));
    }
    const op = { dim: d, apply: (v: Float64Array, out: Float64Array) => out.set(hvp(w, Array.from(v))) };
    const value = lanczos(op, { k: 1, which: which === 'max' ? 'largest' : 'magnitude' }).values[0];
    return which === 'max' ? value : Math.abs(value);
  };

  // Gradient flow (RK4, h = min(1/s₀, 0.1/max|λ|)) until L ≤ ε, tracking s_GF = max max|λ|.
  const w0 = new Array(d).fill(p.alpha);
  const s0 = sharp(w0, 'abs');
  let w = w0.slice();
  let sGF = -Infinity;
  for (let k = 0; k < 1_000_000; k++) {
    const s = sharp(w, 'abs');
    sGF = Math.max(sGF, s);
    if (loss(w) <= p.lossGoal) break;
    const h = Math.min(1 / s0, 0.1 / s);
    const k1 = grad(w);
    const k2 = grad(w.map((v, j) => v - (h / 2) * k1[j]));
    const k3 = grad(w.map((v, j) => v - (h / 2) * k2[j]));
    const k4 = grad(w.map((v, j) => v - h * k3[j]));
    w = w.map((v, j) => v - (h / 6) * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]));
  }
  const etaC = 2 / sGF;

  const runs: PlainRun[] = p.relativeRates.map((rel) => {
    const eta = rel * etaC;
    let v = w0.slice();
    let status: PlainRun['status'] = 'max-steps';
    let steps = p.maxSteps;
    let peak = -Infinity;
    for (let k = 0; k <= p.maxSteps; k++) {
      const L = loss(v);
      if (!Number.isFinite(L)) {
        status = 'diverged';
        steps = k;
        break;
      }
      if (k % p.sharpnessEvery === 0) peak = Math.max(peak, sharp(v, 'abs'));
      if (L <= p.lossGoal) {
        status = 'converged';
        steps = k;
        break;
      }
      if (k === p.maxSteps) break;
      const g = grad(v);
      v = v.map((a, j) => a - eta * g[j]);
      if (v.some((a) => !(Math.abs(a) < 1e6))) {
        status = 'diverged';
        steps = k + 1;
        break;
      }
    }
    const diverged = status === 'diverged';
    return { learningRate: eta, status, steps, max: diverged ? NaN : sharp(v, 'max'), abs: diverged ? NaN : sharp(v, 'abs'), peak };
  });
  return { sGF, runs };
}

// ---------------------------------------------------------------------------------------------------------------

async function librarySweep(p: Problem, relativeTo?: number) {
  const model = create({ inputs: p.X, targets: p.y });
  const theta0 = new Float64Array(p.X[0].length).fill(p.alpha);
  // η_c from the flow: run the sweep's flow once (cheap) when the rates are relative.
  const etaC = relativeTo ?? (await lrSweep(model, theta0, { lossGoal: p.lossGoal, learningRates: [1e-9], maxSteps: 0 })).criticalLearningRate;
  return lrSweep(model, theta0, {
    lossGoal: p.lossGoal,
    learningRates: p.relativeRates.map((r) => r * etaC),
    maxSteps: p.maxSteps,
    sharpnessEvery: p.sharpnessEvery,
    ...(p.X[0].length > 64 ? {} : { sharpness: { method: 'dense' as const } }),
  });
}

const problems = [toyProblem(), wideProblem()];
const reference = new Map<string, number>();
for (const p of problems) {
  const lib = await librarySweep(p);
  reference.set(p.name, lib.criticalLearningRate);
  const plain = plainSweep(p);
  let agree = Math.abs(plain.sGF / lib.flowSharpness - 1) < 1e-6;
  for (let i = 0; i < lib.runs.length; i++) {
    const a = lib.runs[i];
    const b = plain.runs[i];
    if (a.status !== b.status) {
      agree = false;
      console.log(`  η = ${a.learningRate}: ${a.status} (${a.steps} steps) vs plain ${b.status} (${b.steps} steps)`);
    }
    // Final sharpness of converged runs (a run that wanders to max-steps amplifies rounding differences).
    if (a.status === 'converged' && Math.abs((a.finalSharpness as { max: number }).max / b.max - 1) > 1e-6) {
      agree = false;
      console.log(`  η = ${a.learningRate}: λ_max ${(a.finalSharpness as { max: number }).max} vs plain ${b.max}`);
    }
  }
  const counts = lib.runs.reduce<Record<string, number>>((acc, r) => ((acc[r.status] = (acc[r.status] ?? 0) + 1), acc), {});
  console.log(
    `\n${p.name}: s_GF = ${lib.flowSharpness.toPrecision(6)} (plain: ${plain.sGF.toPrecision(6)}), ` +
      `${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}; ${lib.stats.gradEvals} gradients, ${lib.stats.hvps} HVPs; ` +
      `plain implementation agrees (statuses, s_GF and converged runs' final λ_max to 1e-6): ${agree ? 'yes' : 'NO'}`,
  );
}

for (const p of problems) {
  const wide = p.X[0].length > 2;
  const calls = wide ? 1 : 3;
  printInterleaved(
    `lrSweep, ${p.name}`,
    await interleaveAsync(
      {
        'eos-lab lrSweep': () => librarySweep(p, reference.get(p.name)),
        'plain allocating implementation': async () => void plainSweep(p),
      },
      wide ? 3 : 5,
      calls,
    ),
    'eos-lab lrSweep',
    calls,
  );
}

for (const p of problems) {
  describe(`lrSweep, ${p.name} (ratios: the interleaved tables above)`, () => {
    bench('eos-lab lrSweep', async () => {
      await librarySweep(p, reference.get(p.name));
    }, { iterations: p.X[0].length > 2 ? 3 : 30, time: 0 });
  });
}
