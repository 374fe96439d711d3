/**
 * The edge-of-stability page's worker: full-batch GD on a tanh MLP fitting Chebyshev data [Cohen et al. 2021]
 * (eos-lab's `mlp`, `datasets` descriptor, `gd` with its sharpness recorder), streamed in chunks of steps. Plain GD has
 * no state besides θ, so running it in chunks gives the same iterates as one long run.
 */
import { gd, mlp, sharpness } from 'eos-lab';
import type { EosReply, EosStart } from './eos-protocol.js';

/** Steps per chunk (a multiple of SHARPNESS_EVERY). */
const CHUNK = 50;
/** λ_max is computed every this many steps. */
const SHARPNESS_EVERY = 10;
const LANCZOS = { method: 'lanczos' as const, tol: 1e-6 };

const post = (reply: EosReply): void => (self as unknown as Worker).postMessage(reply);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function run(request: EosStart): Promise<void> {
  const model = mlp.create({
    layers: [1, request.width, request.width, 1],
    activation: 'tanh',
    loss: 'mse',
    data: { dataset: 'chebyshev', points: 20, degree: 4 },
  });
  let theta = mlp.init(model, { seed: 0 });
  post({ type: 'info', dim: model.dim, initialSharpness: sharpness(model, theta, LANCZOS), spec: model.spec });
  let status = 'max-steps';
  let done = 0;
  while (done < request.steps) {
    const steps = Math.min(CHUNK, request.steps - done);
    const result = gd(model, theta, {
      learningRate: request.learningRate,
      maxSteps: steps,
      record: { every: 1, sharpnessEvery: SHARPNESS_EVERY, sharpness: LANCZOS, ...(request.topK ? { topK: { k: 3, every: SHARPNESS_EVERY } } : {}) },
    });
    const t = result.trace;
    // The chunk's last iterate is the next chunk's first: keep steps [0, result.steps), and the last one only at the end.
    const final = result.status !== 'max-steps' || done + result.steps >= request.steps;
    const last = final ? result.steps + 1 : result.steps;
    const keep = (k: number) => k < last;
    const sampleSteps = Array.from(t.sharpnessStep).filter(keep);
    const top3: number[] = [];
    if (t.topK !== undefined) {
      for (let j = 0; j < t.topK.step.length; j++) if (keep(t.topK.step[j])) top3.push(...t.topK.values.subarray(3 * j, 3 * j + 3));
    }
    post({
      type: 'chunk',
      from: done,
      loss: Array.from(t.loss.subarray(0, Math.min(t.loss.length, last))),
      sharpnessStep: sampleSteps.map((k) => k + done),
      sharpness: Array.from(t.sharpness.subarray(0, sampleSteps.length)),
      top3,
    });
    theta = result.theta;
    done += result.steps;
    if (result.status !== 'max-steps') {
      status = result.status;
      break;
    }
    await sleep(request.pause);
  }
  post({ type: 'done', status, steps: done });
}

self.onmessage = (event: MessageEvent<EosStart>) => {
  run(event.data).catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
};
