/**
 * The grid-study page's worker: [Scalar factorization]'s grid study at one η (eos-lab's `gridStudy`, in this
 * thread), and the GD path of one start against gradient flow (`gd`, `gradientFlow`,
 * `scalarFactorization.gradientFlowSolution`).
 */
import { gd, gradientFlow, gridStudy, scalarFactorization, sharpness } from 'eos-lab';
import type { GridReply, GridRequest } from './grid-protocol.js';

const model = scalarFactorization.create({ depth: 2, target: 1 });
const post = (reply: GridReply, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(reply, transfer);

/** At most this many points of a path are sent (evenly thinned, the last one kept). */
const MAX_PATH_POINTS = 4000;

function thin(trace: Float64Array, dim: number, coordinate: number): number[] {
  const count = trace.length / dim;
  const stride = Math.max(1, Math.ceil(count / MAX_PATH_POINTS));
  const out: number[] = [];
  for (let k = 0; k < count; k += stride) out.push(trace[k * dim + coordinate]);
  if ((count - 1) % stride !== 0) out.push(trace[(count - 1) * dim + coordinate]);
  return out;
}

async function study(request: Extract<GridRequest, { type: 'study' }>): Promise<void> {
  const started = performance.now();
  const result = await gridStudy(model, {
    grid: { shape: request.shape },
    learningRates: [request.learningRate],
    workers: 0, // in this thread: the Web Worker is the thread
  });
  const rate = result.rates[0];
  const grid = result.grid!;
  const maps = rate.maps!;
  const n = grid.n;
  const sharpnessMap = new Float64Array(n * n);
  const statusMap = new Uint8Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      // maps are indexed (x index, y index); the image's row 0 is the top, y = +r.
      const cell = (n - 1 - b) * n + a;
      sharpnessMap[cell] = maps.sharpnessProxy.get(a, b);
      const status = maps.status.get(a, b);
      statusMap[cell] = Number.isNaN(status) ? 255 : status;
    }
  }
  post(
    {
      type: 'study',
      id: request.id,
      learningRate: request.learningRate,
      shape: request.shape,
      n,
      radius: grid.radius,
      count: grid.count,
      summary: rate.summary,
      sharpness: sharpnessMap,
      status: statusMap,
      milliseconds: performance.now() - started,
    },
    [sharpnessMap.buffer, statusMap.buffer],
  );
}

function path(request: Extract<GridRequest, { type: 'path' }>): void {
  const theta0 = new Float64Array(request.start);
  // The study's convergence test |xy − 1| < 1e-8 is L = ½(1 − xy)² < 5e-17.
  const run = gd(model, theta0, { learningRate: request.learningRate, maxSteps: 20_000, lossGoal: 5e-17, record: { every: 1, theta: true } });
  const flow = gradientFlow(model, theta0, { lossGoal: 1e-12, record: { every: 1, theta: true } });
  const gfs = scalarFactorization.gradientFlowSolution(theta0);
  const trace = run.trace.theta!;
  const flowTrace = flow.trace.theta!;
  post({
    type: 'path',
    id: request.id,
    learningRate: request.learningRate,
    start: request.start,
    gd: {
      status: run.status,
      steps: run.steps,
      x: thin(trace, 2, 0),
      y: thin(trace, 2, 1),
      finalSharpness: run.status === 'diverged' ? NaN : sharpness(model, run.theta),
    },
    flow: { status: flow.status, x: thin(flowTrace, 2, 0), y: thin(flowTrace, 2, 1) },
    solution: { theta: [gfs.theta[0], gfs.theta[1]], sharpness: gfs.sharpness, reachesMinimizer: gfs.reachesMinimizer },
  });
}

self.onmessage = (event: MessageEvent<GridRequest>) => {
  const request = event.data;
  Promise.resolve()
    .then(() => (request.type === 'study' ? study(request) : path(request)))
    .catch((error: unknown) => post({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) }));
};
