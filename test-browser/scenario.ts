/**
 * One computation with every model (scalarFactorization, diagonalNet, widthOneNet, mlp, cnn, fromFunction), `gd`,
 * `gradientFlow`, `sharpness`, `lrSweep` and `gridStudy` — run by bundle.spec.ts twice: in Chromium on the browser
 * bundle of the built package, and in Node on the built package's Node entry (with worker threads for the sweep and
 * the grid study). The spec compares the two to the bit and checks closed forms on the browser's numbers.
 *
 * It takes the library as an argument (`typeof import('../src/index.js')` is only its type), so the same code runs
 * against both builds.
 */
type Lab = typeof import('../src/index.js');

/** A JSON-safe, exact encoding of a value: every number as the 16 hex digits of its float64 bits. */
export type Canonical = string | null | boolean | Canonical[] | { [key: string]: Canonical };

/** Encodes numbers (and typed-array entries) by their bits; objects with sorted keys; functions and undefined dropped. */
export function canonical(value: unknown): Canonical {
  if (typeof value === 'number') {
    const f = new Float64Array([value]);
    const u = new Uint32Array(f.buffer);
    return u[1].toString(16).padStart(8, '0') + u[0].toString(16).padStart(8, '0');
  }
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, canonical);
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== undefined) {
    const out: { [key: string]: Canonical } = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && typeof v !== 'function') out[key] = canonical(v);
    }
    return out;
  }
  return null;
}

/** What the scenario computed: plain numbers for the closed-form checks, and everything for the bitwise comparison. */
export interface ScenarioResult {
  /** Named scalars (read by the closed-form checks). */
  readonly values: Record<string, number>;
  /** Named strings and flags (statuses, error codes). */
  readonly facts: Record<string, string | boolean | number>;
  /** The exact encoding of every result computed (values included), for the comparison with Node. */
  readonly exact: Canonical;
}

/** Runs the scenario with `workers` for `lrSweep` and `gridStudy` (threads in Node; in-process in a browser). */
export async function scenario(lab: Lab, workers: number): Promise<ScenarioResult> {
  const values: Record<string, number> = {};
  const facts: Record<string, string | boolean | number> = {};
  const all: Record<string, unknown> = {};

  // Scalar factorization L(x, y) = ½(1 − xy)² [Scalar factorization].
  const sf = lab.scalarFactorization.create();
  values.sfSharpnessOnManifold = lab.sharpness(sf, new Float64Array([2, 0.5])); // on xy = 1: x² + y² = 4.25
  values.sfSharpnessOff = lab.sharpness(sf, new Float64Array([1.5, 0.3])); // λ_max of [[y², 2xy−1], [2xy−1, x²]]
  const step = new Float64Array(2);
  values.sfStepLoss = lab.gdStep(sf, new Float64Array([1.5, 0.3]), 0.4, new Float64Array(2), step);
  values.sfStepX = step[0];
  values.sfStepY = step[1];
  const run = lab.gd(sf, new Float64Array([2.5, 0.1]), { learningRate: 0.5, lossGoal: 1e-14, maxSteps: 100_000 });
  facts.sfGdStatus = run.status;
  values.sfGdX = run.theta[0];
  values.sfGdY = run.theta[1];
  values.sfGdSharpness = lab.sharpness(sf, run.theta);
  const flow = lab.gradientFlow(sf, new Float64Array([2, 0.1]), { step: lab.stepSize.fixed(0.01), lossGoal: 1e-20 });
  facts.sfFlowStatus = flow.status;
  values.sfFlowX = flow.theta[0];
  values.sfFlowY = flow.theta[1];
  all.sf = { run, flow };

  // Diagonal net on one point x = (1, 2), y = 1: L(w) = ½(⟨x, w⊙w⟩ − y)² [Conflicting biases, eq. (4)].
  const dn = lab.diagonalNet.create({ inputs: [[1, 2]], targets: [1] });
  const dnGrad = new Float64Array(2);
  values.dnLoss = dn.lossAndGrad(new Float64Array([1, 1]), dnGrad);
  values.dnGrad0 = dnGrad[0];
  values.dnGrad1 = dnGrad[1];
  values.dnSharpnessOnManifold = lab.sharpness(dn, new Float64Array([Math.SQRT1_2, 0.5])); // 4‖x⊙w‖² = 6
  const kkt = lab.diagonalNet.kktPoints([1, 4], 2, 0.1);
  all.dn = { kkt };

  // Width-one network (population loss).
  const w1 = lab.widthOneNet.create({ varianceIrrelevant: 1, varianceRelevant: 0.5 });
  const w1Grad = new Float64Array(3);
  values.w1Loss = w1.lossAndGrad(new Float64Array([2, 1, 1]), w1Grad);
  values.w1Grad0 = w1Grad[0];
  values.w1Grad1 = w1Grad[1];
  values.w1Grad2 = w1Grad[2];
  const w1Run = lab.gd(w1, new Float64Array([1.2, 0.4, 0.3]), { learningRate: 0.3, lossGoal: 1e-12, maxSteps: 50_000 });
  values.w1Sharpness = lab.sharpness(w1, w1Run.theta);
  all.w1 = { w1Run };

  // Tanh MLP on Chebyshev data (exact backprop + R-op HVP), trained by GD.
  const data = lab.datasets.chebyshev({ points: 20, degree: 4 });
  const net = lab.mlp.create({ layers: [1, 16, 16, 1], activation: 'tanh', data });
  const net0 = lab.mlp.init({ layers: [1, 16, 16, 1] }, { seed: 3 });
  const netRun = lab.gd(net, net0, { learningRate: 0.05, maxSteps: 300, record: { every: 10, sharpnessEvery: 100 } });
  values.mlpLoss = netRun.loss;
  values.mlpSharpness = lab.sharpness(net, netRun.theta);
  all.mlp = { netRun };

  // A small CNN with cross-entropy.
  const images = [0, 1, 2].map((s) => Array.from({ length: 36 }, (_, j) => Math.sin(s + j)));
  const conv = lab.cnn.create({ input: [1, 6, 6], channels: [2], outputs: 3, activation: 'tanh', loss: 'cross-entropy', inputs: images, targets: [0, 1, 2] });
  const conv0 = lab.cnn.init(conv, { seed: 0 });
  const convRun = lab.gd(conv, conv0, { learningRate: 0.1, maxSteps: 100 });
  values.cnnLoss = convRun.loss;
  values.cnnSharpness = lab.sharpness(conv, convRun.theta);
  all.cnn = { convRun };

  // fromFunction: least squares L(θ) = 1/(2n)‖Xθ − y‖², whose Hessian is XᵀX/n everywhere.
  const { matvec, sub, pow, mean, mul } = lab.autodiff;
  const X = [[1, 0], [0, 2], [1, 1]];
  const y = [1, 2, 2];
  const ls = lab.fromFunction(2, (w) => mul(0.5, mean(pow(sub(matvec(X, w), y), 2))));
  const lsRun = lab.gd(ls, new Float64Array([0.3, -0.7]), { learningRate: 0.5, lossGoal: 1e-20, maxSteps: 10_000 });
  facts.lsStatus = lsRun.status;
  values.lsX = lsRun.theta[0];
  values.lsY = lsRun.theta[1];
  values.lsSharpness = lab.sharpness(ls, new Float64Array([-3, 5]));
  all.ls = { lsRun };

  // A learning-rate sweep of a diagonal net [Conflicting biases, App. G] and a grid study of the scalar
  // factorization [Scalar factorization], with `workers` (threads in Node, in-process in the browser).
  const sweepModel = lab.diagonalNet.create({ inputs: [[1, 4]], targets: [2] });
  const sweep = await lab.lrSweep(sweepModel, new Float64Array([0.01, 0.01]), { lossGoal: 1e-6, workers });
  values.sweepCriticalRate = sweep.criticalLearningRate;
  facts.sweepRuns = sweep.runs.length;
  const study = await lab.gridStudy({ kind: 'scalar-factorization', target: 1, depth: 2 }, {
    grid: { shape: 'disk', n: 31, radius: 3 },
    learningRates: [0.5, 0.99],
    workers,
  });
  values.gridMedian050 = study.rates[0].summary.medianSharpnessProxy;
  values.gridMedian099 = study.rates[1].summary.medianSharpnessProxy;
  facts.gridStarts = study.rates[0].status.length;
  all.sweep = sweep;
  all.study = study;

  // Platform facts: how many threads, and what the MNIST loader says.
  facts.defaultWorkerCount = lab.defaultWorkerCount();
  const pool = lab.createTaskPool({ workers: 2 });
  facts.poolWorkers = pool.workers;
  await pool.close();
  try {
    lab.datasets.loadMnist({ perClass: 1, testPerClass: 0 });
    facts.mnist = 'loaded';
  } catch (e) {
    facts.mnist = e instanceof lab.EosLabError ? e.code : `not an EosLabError: ${String(e)}`;
    facts.mnistMessage = e instanceof Error ? e.message : String(e);
  }

  return { values, facts, exact: canonical({ values, all }) };
}
