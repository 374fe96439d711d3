/**
 * Page 3: norm versus sharpness on the two-dimensional diagonal network [Conflicting biases]. The worker computes the
 * sweep, the sharpness map, GD's path and the KKT points with eos-lab; this thread draws them.
 */
import type { NormPathReply, NormReply, NormSweepReply } from './norm-protocol.js';
import { renderHeader } from './nav.js';
import { byId, debounce, downloadButton, drawAxes, drawDot, drawLegend, drawLine, exposeState, fixed, Frame, setupCanvas, viridis } from './ui.js';

renderHeader('norm.html');

/** Colour scale of the sharpness map: λ_max from 0 to 40 (the ℓ1 minimizer has 32), clamped. */
const S_MAX = 40;

const etaInput = byId<HTMLInputElement>('eta');
const etaOut = byId<HTMLOutputElement>('eta-out');
const statusLine = byId('status');
const planeCanvas = byId<HTMLCanvasElement>('plane');
const plane = setupCanvas(planeCanvas);
const charts = {
  sharpness: setupCanvas(byId<HTMLCanvasElement>('sweep-sharpness')),
  l1: setupCanvas(byId<HTMLCanvasElement>('sweep-l1')),
  risk: setupCanvas(byId<HTMLCanvasElement>('sweep-risk')),
};

const worker = new Worker(new URL('./norm.worker.ts', import.meta.url), { type: 'module' });
let sweep: NormSweepReply | undefined;
let path: NormPathReply | undefined;
let pathId = 0;

function requestPath(): void {
  pathId++;
  worker.postMessage({ type: 'path', id: pathId, learningRate: Number(etaInput.value) });
}

worker.onmessage = (event: MessageEvent<NormReply>) => {
  const reply = event.data;
  if (reply.type === 'error') {
    statusLine.textContent = `Error: ${reply.message}`;
    console.error(reply.message);
    return;
  }
  if (reply.type === 'sweep') {
    sweep = reply;
    statusLine.textContent = `Sweep of ${reply.points.length} learning rates and the map computed in ${Math.round(reply.milliseconds)} ms.`;
  } else {
    if (reply.id !== pathId) return;
    path = reply;
    showPath(reply);
  }
  draw();
};

function showPath(p: NormPathReply): void {
  byId('limit').textContent = fixed(2 / p.learningRate, 4);
  byId('gd-status').textContent = `${p.status}, ${p.steps}`;
  byId('final-w').textContent = p.status === 'diverged' ? '—' : `(${fixed(p.final.w[0], 4)}, ${fixed(p.final.w[1], 4)})`;
  byId('final-sharpness').textContent = fixed(p.final.sharpness, 4);
  byId('final-l1').textContent = p.status === 'diverged' ? '—' : fixed(p.final.l1, 4);
  byId('final-risk').textContent = p.status === 'diverged' ? '—' : fixed(p.final.risk, 4);
  const body = byId('kkt').querySelector('tbody')!;
  body.innerHTML = '';
  if (p.kkt.length === 0) {
    const row = body.insertRow();
    const cell = row.insertCell();
    cell.colSpan = 5;
    cell.textContent = 'none: no point of M has S ≤ 2/η';
  }
  for (const k of p.kkt) {
    const row = body.insertRow();
    for (const text of [fixed(k.w[0], 6), fixed(k.w[1], 6), k.branch, fixed(k.risk, 6), fixed(k.sharpness, 6)]) row.insertCell().textContent = text;
  }
  planeCanvas.dataset.eta = p.learningRate.toFixed(3);
}

/** The ellipse a·w₁² + b·w₂² = c. */
function ellipse(a: number, b: number, c: number): [number[], number[]] {
  const ts = Array.from({ length: 361 }, (_, i) => (2 * Math.PI * i) / 360);
  return [ts.map((t) => Math.sqrt(c / a) * Math.cos(t)), ts.map((t) => Math.sqrt(c / b) * Math.sin(t))];
}

function drawPlane(): void {
  const f = new Frame(56, 8, 608, 342, -1.6, 1.6, -0.9, 0.9);
  plane.clearRect(0, 0, 680, 420);
  if (sweep !== undefined) {
    const { n1, n2, values } = sweep.map;
    const image = new ImageData(n1, n2);
    for (let i = 0; i < n1 * n2; i++) {
      const [r, g, b] = viridis(values[i] / S_MAX);
      image.data.set([r, g, b, 255], 4 * i);
    }
    const off = document.createElement('canvas');
    off.width = n1;
    off.height = n2;
    off.getContext('2d')!.putImageData(image, 0, 0);
    plane.imageSmoothingEnabled = true;
    plane.drawImage(off, f.left, f.top, f.width, f.height);
  }
  const [mx, my] = ellipse(1, 4, 2);
  drawLine(plane, f, mx, my, { color: '#ff5fa2', width: 2 });
  const eta = path?.learningRate ?? Number(etaInput.value);
  const [sx, sy] = ellipse(1, 16, 1 / (2 * eta));
  drawLine(plane, f, sx, sy, { color: '#5fb0ff', width: 2, dash: [6, 4] });
  if (path !== undefined) {
    drawLine(plane, f, path.w1, path.w2, { color: '#ff8c1a', width: 1.5 });
    drawDot(plane, f, path.w1[0], path.w2[0], '#ffffff', 3);
    if (path.status !== 'diverged') drawDot(plane, f, path.final.w[0], path.final.w[1], '#ff8c1a', 5);
    path.kkt.forEach((k, i) => {
      const x = f.px(k.w[0]);
      const y = f.py(k.w[1]);
      plane.save();
      plane.fillStyle = '#e41a1c';
      plane.strokeStyle = '#fff';
      plane.lineWidth = 1.5;
      plane.beginPath();
      plane.moveTo(x, y - 7);
      plane.lineTo(x + 7, y);
      plane.lineTo(x, y + 7);
      plane.lineTo(x - 7, y);
      plane.closePath();
      plane.fill();
      plane.stroke();
      if (i === 0) {
        plane.beginPath();
        plane.arc(x, y, 12, 0, 2 * Math.PI);
        plane.stroke();
      }
      plane.restore();
    });
  }
  drawAxes(plane, f, 'w₁', 'w₂');
}

function drawChart(
  ctx: CanvasRenderingContext2D,
  label: string,
  pick: (p: NormSweepReply['points'][number]) => number | null,
  current: number | null,
  extra?: (f: Frame) => void,
): void {
  ctx.clearRect(0, 0, 680, 170);
  if (sweep === undefined) return;
  const xs = sweep.points.map((p) => p.learningRate);
  const ys = sweep.points.map((p) => pick(p) ?? NaN);
  const finite = ys.filter(Number.isFinite);
  if (current !== null) finite.push(current);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const pad = (hi - lo) * 0.1 || 0.1;
  const f = new Frame(64, 8, 600, 116, 0, Math.max(...xs) * 1.02, lo - pad, hi + pad);
  extra?.(f);
  drawLine(ctx, f, xs, ys, { color: '#1b1b1b', width: 1.2 });
  xs.forEach((x, i) => Number.isFinite(ys[i]) && drawDot(ctx, f, x, ys[i], '#1b1b1b', 2.5));
  const eta = path?.learningRate;
  if (eta !== undefined) {
    drawLine(ctx, f, [eta, eta], [f.y0, f.y1], { color: '#ff8c1a', width: 1.5, dash: [3, 3] });
    if (current !== null) drawDot(ctx, f, eta, current, '#ff8c1a', 4.5);
  }
  drawAxes(ctx, f, 'η', label);
}

function draw(): void {
  drawPlane();
  const etaC = sweep?.criticalLearningRate;
  byId('relative').textContent = etaC === undefined || path === undefined ? '—' : fixed(path.learningRate / etaC, 3);
  const ok = path !== undefined && path.status !== 'diverged';
  drawChart(charts.sharpness, 'final λ_max', (p) => p.sharpness, ok ? path!.final.sharpness : null, (f) => {
    const xs = Array.from({ length: 200 }, (_, i) => f.x1 * (0.05 + (0.95 * i) / 199));
    drawLine(charts.sharpness, f, xs, xs.map((x) => 2 / x), { color: '#d62728', width: 1.5, dash: [6, 4] });
    drawLegend(charts.sharpness, f, [{ label: 'final λ_max (sweep)', color: '#1b1b1b' }, { label: '2/η', color: '#d62728', dash: [6, 4] }]);
  });
  drawChart(charts.l1, '‖w ⊙ w‖₁', (p) => p.l1, ok ? path!.final.l1 : null);
  drawChart(charts.risk, 'risk R(w)', (p) => p.risk, ok ? path!.final.risk : null);
}

function state(): unknown {
  return {
    page: 'norm-versus-sharpness',
    description: 'Two-dimensional shared-weight diagonal network, x = (1, 4), y = 2, w0 = (0.01, 0.01) [Conflicting biases], computed by eos-lab (lrSweep, gd, diagonalNet.kktPoints)',
    learningRate: path?.learningRate ?? null,
    criticalLearningRate: sweep?.criticalLearningRate ?? null,
    path: path ?? null,
    sweep: sweep === undefined ? null : { points: sweep.points, flowSharpness: sweep.flowSharpness },
    sharpnessMap: sweep === undefined ? null : { ...sweep.map, values: Array.from(sweep.map.values) },
  };
}
downloadButton(byId<HTMLButtonElement>('download'), () => `norm-vs-sharpness-eta-${path?.learningRate.toFixed(3) ?? 'pending'}.json`, state);
exposeState(state);

const onEta = debounce(requestPath, 80);
etaInput.addEventListener('input', () => {
  etaOut.value = Number(etaInput.value).toFixed(3);
  onEta();
});

draw();
requestPath();
