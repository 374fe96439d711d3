/**
 * The norm-versus-sharpness page's worker: [Conflicting biases]'s two-dimensional shared-weight diagonal network
 * L(w) = ½(⟨x, w^{⊙2}⟩ − y)² with x = (1, 4), y = 2, from w₀ = (0.01, 0.01) (the library's diagonal-net-sweep
 * example). On start: App. G's sweep for η_c, a sweep of 28 learning rates (eos-lab `lrSweep`) and the sharpness map;
 * on request: GD's path at one η (`gd`) and the KKT points of problem (12) (`diagonalNet.kktPoints`).
 */
import { diagonalNet, gd, lrSweep, sharpness, type LrSweepRun } from 'eos-lab';
import type { NormReply, NormRequest, SweepPoint } from './norm-protocol.js';

const X: [number, number] = [1, 4];
const Y = 2;
const ALPHA = 0.01;
const LOSS_GOAL = 1e-6;
const MAX_STEPS = 100_000;
const model = diagonalNet.create({ inputs: [X], targets: [Y] });
const theta0 = new Float64Array([ALPHA, ALPHA]);
const risk = diagonalNet.risk.gaussian(2); // Lemma E.1: x ~ N(0, I), y = ⟨1, x⟩ + ε
const MAP = { n1: 160, n2: 90, w1: [-1.6, 1.6] as [number, number], w2: [-0.9, 0.9] as [number, number] };
const MAX_PATH_POINTS = 3000;

const post = (reply: NormReply, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(reply, transfer);

function l1(w: ArrayLike<number>): number {
  return w[0] * w[0] + w[1] * w[1];
}

async function sweep(): Promise<void> {
  const started = performance.now();
  // [Conflicting biases, App. G]: the critical learning rate η_c = 2/s_GF from the sweep's own gradient flow.
  const appG = await lrSweep(model, theta0, { lossGoal: LOSS_GOAL, maxSteps: MAX_STEPS, settle: {}, workers: 0 });
  const etaC = appG.criticalLearningRate;
  const rates = Array.from({ length: 28 }, (_, i) => etaC * (0.2 + (2.2 * i) / 27));
  const dense = await lrSweep(model, theta0, { lossGoal: LOSS_GOAL, maxSteps: MAX_STEPS, learningRates: rates, settle: {}, workers: 0 });
  const points: SweepPoint[] = dense.runs.map((run: LrSweepRun) => {
    const ok = run.status === 'converged' && run.theta !== null;
    return {
      learningRate: run.learningRate,
      status: run.status,
      sharpness: ok ? (run.finalSharpness?.max ?? null) : null,
      l1: ok ? l1(run.theta!) : null,
      risk: ok ? diagonalNet.riskValue(risk, run.theta!) : null,
    };
  });
  const values = new Float64Array(MAP.n1 * MAP.n2);
  const w = new Float64Array(2);
  for (let j = 0; j < MAP.n2; j++) {
    for (let i = 0; i < MAP.n1; i++) {
      w[0] = MAP.w1[0] + ((i + 0.5) * (MAP.w1[1] - MAP.w1[0])) / MAP.n1;
      w[1] = MAP.w2[1] - ((j + 0.5) * (MAP.w2[1] - MAP.w2[0])) / MAP.n2;
      values[j * MAP.n1 + i] = sharpness(model, w);
    }
  }
  post(
    {
      type: 'sweep',
      criticalLearningRate: etaC,
      flowSharpness: appG.flowSharpness,
      points,
      map: { ...MAP, values },
      milliseconds: performance.now() - started,
    },
    [values.buffer],
  );
}

function path(request: NormRequest): void {
  const run = gd(model, theta0, { learningRate: request.learningRate, maxSteps: MAX_STEPS, lossGoal: LOSS_GOAL, record: { every: 1, theta: true } });
  const trace = run.trace.theta!;
  const count = trace.length / 2;
  const stride = Math.max(1, Math.ceil(count / MAX_PATH_POINTS));
  const w1: number[] = [];
  const w2: number[] = [];
  for (let k = 0; k < count; k += stride) {
    w1.push(trace[2 * k]);
    w2.push(trace[2 * k + 1]);
  }
  w1.push(run.theta[0]);
  w2.push(run.theta[1]);
  const kkt = diagonalNet.kktPoints(X, Y, request.learningRate).map((p) => ({
    w: [p.w[0], p.w[1]] as [number, number],
    branch: p.branch,
    risk: p.risk,
    sharpness: p.sharpness,
    lambda: p.lambda,
    nu: p.nu,
  }));
  post({
    type: 'path',
    id: request.id,
    learningRate: request.learningRate,
    status: run.status,
    steps: run.steps,
    w1,
    w2,
    final: {
      w: [run.theta[0], run.theta[1]],
      sharpness: run.status === 'diverged' ? null : sharpness(model, run.theta),
      l1: l1(run.theta),
      risk: diagonalNet.riskValue(risk, run.theta),
    },
    kkt,
  });
}

sweep().catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
self.onmessage = (event: MessageEvent<NormRequest>) => {
  try {
    path(event.data);
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
