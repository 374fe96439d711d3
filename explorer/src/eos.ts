/**
 * Page 2: the edge of stability, live [Cohen et al. 2021]. A worker trains the MLP with eos-lab's `gd` and streams
 * the loss and λ_max; this thread draws them against 2/η. A restart replaces the worker (it is cheaper than
 * interrupting one).
 */
import type { EosReply, EosStart } from './eos-protocol.js';
import { renderHeader } from './nav.js';
import { byId, debounce, downloadButton, drawAxes, drawLegend, drawLine, exposeState, fixed, Frame, setupCanvas } from './ui.js';

renderHeader('eos.html');

const etaInput = byId<HTMLInputElement>('eta');
const etaOut = byId<HTMLOutputElement>('eta-out');
const widthSelect = byId<HTMLSelectElement>('width');
const stepsSelect = byId<HTMLSelectElement>('steps');
const paceSelect = byId<HTMLSelectElement>('pace');
const topkInput = byId<HTMLInputElement>('topk');
const statusLine = byId('status');
const lossCanvas = byId<HTMLCanvasElement>('loss');
const sharpCanvas = byId<HTMLCanvasElement>('sharpness');
const lossCtx = setupCanvas(lossCanvas);
const sharpCtx = setupCanvas(sharpCanvas);

interface Run {
  settings: EosStart;
  dim: number | null;
  initialSharpness: number | null;
  spec: unknown;
  loss: number[];
  sharpnessStep: number[];
  sharpness: number[];
  top3: number[];
  status: string;
  started: number;
}

let worker: Worker | undefined;
let run: Run | undefined;

function start(): void {
  worker?.terminate();
  const settings: EosStart = {
    type: 'start',
    learningRate: Number(etaInput.value),
    width: Number(widthSelect.value),
    steps: Number(stepsSelect.value),
    topK: topkInput.checked,
    pause: Number(paceSelect.value),
  };
  run = { settings, dim: null, initialSharpness: null, spec: null, loss: [], sharpnessStep: [], sharpness: [], top3: [], status: 'running', started: performance.now() };
  document.body.dataset.state = 'running';
  statusLine.textContent = `Training at η = ${settings.learningRate.toFixed(2)}, width ${settings.width}…`;
  const current = run;
  worker = new Worker(new URL('./eos.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<EosReply>) => receive(current, event.data);
  worker.postMessage(settings);
  scheduleDraw();
}

function receive(r: Run, reply: EosReply): void {
  if (r !== run) return;
  switch (reply.type) {
    case 'info':
      r.dim = reply.dim;
      r.initialSharpness = reply.initialSharpness;
      r.spec = reply.spec;
      break;
    case 'chunk':
      r.loss.push(...reply.loss);
      r.sharpnessStep.push(...reply.sharpnessStep);
      r.sharpness.push(...reply.sharpness);
      r.top3.push(...reply.top3);
      break;
    case 'done':
      r.status = reply.status;
      statusLine.textContent = `Done: ${reply.status} after ${reply.steps.toLocaleString('en-US')} steps in ${((performance.now() - r.started) / 1000).toFixed(1)} s.`;
      document.body.dataset.state = 'done';
      break;
    case 'error':
      r.status = 'error';
      statusLine.textContent = `Error: ${reply.message}`;
      console.error(reply.message);
      break;
  }
  scheduleDraw();
}

let drawPending = false;
function scheduleDraw(): void {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    draw();
  });
}

function firstEdgeStep(r: Run): number | null {
  const limit = 2 / r.settings.learningRate;
  const j = r.sharpness.findIndex((s) => s >= limit);
  return j < 0 ? null : r.sharpnessStep[j];
}

function draw(): void {
  if (run === undefined) return;
  const r = run;
  const limit = 2 / r.settings.learningRate;
  const total = r.settings.steps;
  const steps = Array.from(r.loss, (_, k) => k);

  lossCtx.clearRect(0, 0, 640, 260);
  const finite = r.loss.filter((v) => Number.isFinite(v) && v > 0);
  const lo = finite.length ? Math.min(...finite) : 1e-4;
  const hi = finite.length ? Math.max(...finite) : 1;
  const lf = new Frame(64, 10, 556, 200, 0, total, 10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi)), true);
  drawLine(lossCtx, lf, steps, r.loss, { color: '#1f5fa8', width: 1.2 });
  drawAxes(lossCtx, lf, 'step k', 'L(θ_k)');

  sharpCtx.clearRect(0, 0, 640, 300);
  const top = Math.max(1.3 * limit, ...r.sharpness.filter(Number.isFinite));
  const sf = new Frame(64, 10, 556, 240, 0, total, 0, Math.min(top, 3 * limit));
  drawLine(sharpCtx, sf, [0, total], [limit, limit], { color: '#d62728', width: 1.5, dash: [6, 4] });
  if (r.top3.length > 0) {
    for (const i of [1, 2]) {
      drawLine(sharpCtx, sf, r.sharpnessStep, r.sharpnessStep.map((_, j) => r.top3[3 * j + i]), { color: i === 1 ? '#9ecae1' : '#c6dbef', width: 1.2 });
    }
  }
  drawLine(sharpCtx, sf, r.sharpnessStep, r.sharpness, { color: '#1b1b1b', width: 1.5 });
  drawAxes(sharpCtx, sf, 'step k', 'eigenvalue');
  const legend = [
    { label: 'λ_max', color: '#1b1b1b' },
    { label: '2/η', color: '#d62728', dash: [6, 4] },
  ];
  if (r.top3.length > 0) legend.push({ label: 'λ₂', color: '#9ecae1' }, { label: 'λ₃', color: '#c6dbef' });
  drawLegend(sharpCtx, sf, legend, 'left');

  const lastLoss = r.loss.at(-1);
  const lastSharp = r.sharpness.at(-1);
  byId('dim').textContent = r.dim === null ? '—' : String(r.dim);
  byId('step').textContent = r.loss.length === 0 ? '—' : String(r.loss.length - 1);
  byId('loss-now').textContent = lastLoss === undefined ? '—' : lastLoss.toExponential(3);
  byId('lambda').textContent = fixed(lastSharp, 4);
  byId('limit').textContent = fixed(limit, 4);
  byId('ratio').textContent = lastSharp === undefined ? '—' : fixed(lastSharp / limit, 4);
  const edge = firstEdgeStep(r);
  byId('edge-step').textContent = edge === null ? 'not yet' : String(edge);
}

function state(): unknown {
  if (run === undefined) return { page: 'edge-of-stability', pending: true };
  const { type: _type, pause: _pause, ...settings } = run.settings;
  return {
    page: 'edge-of-stability',
    description: 'Full-batch GD on a tanh MLP fitting Chebyshev data [Cohen et al. 2021], computed by eos-lab (gd, sharpness by Lanczos)',
    settings: { ...settings, initSeed: 0, sharpnessEvery: 10, lanczosTol: 1e-6 },
    spec: run.spec,
    dim: run.dim,
    stabilityLimit: 2 / run.settings.learningRate,
    initialSharpness: run.initialSharpness,
    status: run.status,
    firstStepAtEdge: firstEdgeStep(run),
    loss: run.loss,
    sharpnessStep: run.sharpnessStep,
    sharpness: run.sharpness,
    top3: run.top3.length > 0 ? run.sharpnessStep.map((_, j) => run!.top3.slice(3 * j, 3 * j + 3)) : null,
  };
}
downloadButton(byId<HTMLButtonElement>('download'), () => `eos-eta-${run?.settings.learningRate.toFixed(2)}-width-${run?.settings.width}.json`, state);
exposeState(state);

byId<HTMLFormElement>('settings').addEventListener('submit', (event) => {
  event.preventDefault();
  start();
});
const restartSoon = debounce(start, 250);
etaInput.addEventListener('input', () => {
  etaOut.value = Number(etaInput.value).toFixed(2);
  restartSoon();
});
for (const el of [widthSelect, stepsSelect, topkInput]) el.addEventListener('change', start);

start();
