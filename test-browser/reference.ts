/**
 * Reference numbers for the explorer's browser tests, computed in Node by eos-lab itself (from the source, run with
 * tsx): the browser tests check that the pages show the library's numbers, computed apart from the page's worker and
 * bundle. Prints one JSON object.
 *
 * Usage: tsx test-browser/reference.ts <eta₁,eta₂,…> <kkt-eta₁,…> [mlp-eta]
 * (the MLP run: width 16, 3,000 steps, seed 0, λ_max by Lanczos every 10 steps — the explorer's page 2 defaults)
 */
import { diagonalNet, gd, gridStudy, mlp } from '../src/index.js';

const gridRates = (process.argv[2] ?? '').split(',').filter((s) => s !== '').map(Number);
const kktRates = (process.argv[3] ?? '').split(',').filter((s) => s !== '').map(Number);

const study =
  gridRates.length === 0 ? undefined : await gridStudy({ kind: 'scalar-factorization', target: 1, depth: 2 }, { learningRates: gridRates, workers: 0 });
const mlpRate = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
let mlpRun: { loss: number[]; sharpnessStep: number[]; sharpness: number[] } | undefined;
if (mlpRate !== undefined) {
  const model = mlp.create({ layers: [1, 16, 16, 1], activation: 'tanh', loss: 'mse', data: { dataset: 'chebyshev', points: 20, degree: 4 } });
  const run = gd(model, mlp.init(model, { seed: 0 }), {
    learningRate: mlpRate,
    maxSteps: 3000,
    record: { every: 1, sharpnessEvery: 10, sharpness: { method: 'lanczos', tol: 1e-6 } },
  });
  mlpRun = { loss: Array.from(run.trace.loss), sharpnessStep: Array.from(run.trace.sharpnessStep), sharpness: Array.from(run.trace.sharpness) };
}
const out = {
  mlp: mlpRun ?? null,
  grid: (study?.rates ?? []).map((r) => ({ learningRate: r.learningRate, summary: r.summary })),
  kkt: kktRates.map((eta) => ({
    learningRate: eta,
    points: diagonalNet.kktPoints([1, 4], 2, eta).map((p) => ({ w: Array.from(p.w), branch: p.branch, risk: p.risk, sharpness: p.sharpness })),
  })),
};
process.stdout.write(JSON.stringify(out));
