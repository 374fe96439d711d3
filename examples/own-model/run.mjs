// run.mjs — `node run.mjs` or `npx tsx run.mjs`: GD, sharpness, its gradient, and a learning-rate sweep on 2 threads.
import { gd, lrSweep, sharpness, sharpnessGradient } from 'eos-lab';
import { leastSquares } from './least-squares.mjs';

const model = leastSquares({ kind: 'least-squares', x: [[1, 4], [2, -1]], y: [2, 1] });
const theta0 = new Float64Array([0.5, 0.5]);

const run = gd(model, theta0, { learningRate: 0.02, lossGoal: 1e-10, maxSteps: 100_000 });
const s = sharpness(model, run.theta); // λ_max at the minimizer GD found (below 2/η = 100)
const { gradient } = sharpnessGradient(model, run.theta); // ∇λ_max = ∇³L[u, u], u the top eigenvector
console.log(run.status, s, Array.from(gradient));

// Worker threads rebuild the model from its spec: preload the module that registers its kind.
const preload = [new URL('./least-squares.mjs', import.meta.url).href];
const sweep = await lrSweep(model, theta0, { lossGoal: 1e-6, workers: 2, preload });
console.log(`η_c = ${sweep.criticalLearningRate}`, sweep.runs.map((r) => `${r.learningRate.toFixed(3)}: ${r.regime}`));
