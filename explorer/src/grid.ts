/**
 * Page 1: [Scalar factorization]'s grid study, live. The worker runs eos-lab's `gridStudy` at the chosen η and
 * shape; this thread draws the heat map, the level curves of x² − y², the minimizers xy = 1 and a chosen start's
 * GD path against gradient flow.
 */
import type { GridShape } from 'eos-lab';
import type { GridPathReply, GridReply, GridStudyReply } from './grid-protocol.js';
import { renderHeader } from './nav.js';
import { byId, debounce, downloadButton, drawAxes, drawDot, drawLine, exposeState, fixed, Frame, setupCanvas, viridis } from './ui.js';

renderHeader('grid.html');

/** Colour scale of the heat map: s from 2 (the flattest minimizer, (1, 1)) to 10, clamped. */
const S_MIN = 2;
const S_MAX = 10;

const etaInput = byId<HTMLInputElement>('eta');
const etaOut = byId<HTMLOutputElement>('eta-out');
const shapeSelect = byId<HTMLSelectElement>('shape');
const mapCanvas = byId<HTMLCanvasElement>('map');
const statusLine = byId('status');
const ctx = setupCanvas(mapCanvas);
const barCtx = setupCanvas(byId<HTMLCanvasElement>('colorbar'));

const worker = new Worker(new URL('./grid.worker.ts', import.meta.url), { type: 'module' });
let nextId = 1;
let studyId = 0;
let pathId = 0;
let study: GridStudyReply | undefined;
let selectedPath: GridPathReply | undefined;
/** Keyboard cursor on the lattice (x index a, y index b), or undefined. */
let cursor: [number, number] | undefined;

function frameOf(s: GridStudyReply | undefined): Frame {
  const r = s?.radius ?? 3;
  const h = s === undefined ? 0 : (2 * r) / (s.n - 1) / 2;
  return new Frame(56, 8, 530, 530, -r - h, r + h, -r - h, r + h);
}

function requestStudy(): void {
  const learningRate = Number(etaInput.value);
  studyId = nextId++;
  statusLine.textContent = `Computing the study at η = ${learningRate.toFixed(2)}…`;
  worker.postMessage({ type: 'study', id: studyId, learningRate, shape: shapeSelect.value as GridShape });
}

function requestPath(start: [number, number]): void {
  if (study === undefined) return;
  pathId = nextId++;
  worker.postMessage({ type: 'path', id: pathId, learningRate: study.learningRate, start });
}

worker.onmessage = (event: MessageEvent<GridReply>) => {
  const reply = event.data;
  if (reply.type === 'error') {
    statusLine.textContent = `Error: ${reply.message}`;
    console.error(reply.message);
    return;
  }
  if (reply.type === 'study') {
    if (reply.id !== studyId) return; // a newer request is on its way
    study = reply;
    showSummary(reply);
    // Keep the chosen start: recompute its path at the new η.
    if (selectedPath !== undefined) requestPath([selectedPath.start[0], selectedPath.start[1]]);
    draw();
    return;
  }
  if (reply.id !== pathId) return;
  selectedPath = reply;
  showPath(reply);
  draw();
};

function showSummary(s: GridStudyReply): void {
  const m = s.summary;
  byId('starts').textContent = s.count.toLocaleString('en-US');
  byId('counts').textContent = `${m.converged} / ${m.diverged} / ${m.maxSteps}`;
  byId('median').textContent = fixed(m.medianSharpnessProxy, 4);
  byId('median-exact').textContent = fixed(m.medianSharpnessExact, 4);
  byId('median-gfs').textContent = fixed(m.medianGfsSharpness, 4);
  byId('eos-fraction').textContent = fixed(m.eosFractionProxy, 4);
  byId('limit').textContent = fixed(2 / s.learningRate, 4);
  statusLine.textContent = `η = ${s.learningRate.toFixed(2)}, ${s.shape}: ${m.gdUpdates.toLocaleString('en-US')} GD updates in ${Math.round(s.milliseconds)} ms.`;
  mapCanvas.dataset.eta = s.learningRate.toFixed(2);
}

function showPath(p: GridPathReply): void {
  byId('path-start').textContent = `(${fixed(p.start[0], 3)}, ${fixed(p.start[1], 3)})`;
  byId('path-status').textContent = `${p.gd.status}, ${p.gd.steps}`;
  byId('path-sharpness').textContent = `${fixed(p.gd.finalSharpness, 4)} (2/η = ${fixed(2 / p.learningRate, 4)})`;
  byId('path-gfs').textContent = p.solution.reachesMinimizer ? fixed(p.solution.sharpness, 4) : 'saddle (x = −y)';
}

function drawHeatmap(s: GridStudyReply, f: Frame): void {
  const image = new ImageData(s.n, s.n);
  for (let i = 0; i < s.n * s.n; i++) {
    const status = s.status[i];
    let rgb: [number, number, number];
    let alpha = 255;
    if (status === 255) {
      rgb = [255, 255, 255];
      alpha = 0;
    } else if (status !== 0 || Number.isNaN(s.sharpness[i])) rgb = [150, 150, 150];
    else rgb = viridis((s.sharpness[i] - S_MIN) / (S_MAX - S_MIN));
    image.data.set([rgb[0], rgb[1], rgb[2], alpha], 4 * i);
  }
  const off = document.createElement('canvas');
  off.width = s.n;
  off.height = s.n;
  off.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, f.left, f.top, f.width, f.height);
}

function drawLevelCurves(f: Frame): void {
  const R = f.x1;
  const ts = Array.from({ length: 201 }, (_, i) => -R + (2 * R * i) / 200);
  for (let c = -8; c <= 8; c += 2) {
    for (const sign of [1, -1]) {
      if (c >= 0) drawLine(ctx, f, ts.map((y) => sign * Math.sqrt(c + y * y)), ts, { color: 'rgba(255,255,255,0.75)', width: 0.8 });
      else drawLine(ctx, f, ts, ts.map((x) => sign * Math.sqrt(-c + x * x)), { color: 'rgba(255,255,255,0.75)', width: 0.8 });
    }
  }
  // The minimizers xy = 1.
  const xs = Array.from({ length: 200 }, (_, i) => 1 / R + ((R - 1 / R) * i) / 199);
  for (const sign of [1, -1]) drawLine(ctx, f, xs.map((x) => sign * x), xs.map((x) => sign / x), { color: '#ff5fa2', width: 2 });
}

function drawPath(p: GridPathReply, f: Frame): void {
  drawLine(ctx, f, p.flow.x, p.flow.y, { color: '#ffffff', width: 2, dash: [6, 4] });
  drawLine(ctx, f, p.gd.x, p.gd.y, { color: '#ff8c1a', width: 1.5 });
  const dots = Math.min(p.gd.x.length, 400);
  for (let i = 0; i < dots; i++) drawDot(ctx, f, p.gd.x[i], p.gd.y[i], '#ff8c1a', 2);
  drawDot(ctx, f, p.start[0], p.start[1], '#ffffff', 5);
  drawStar(f.px(p.solution.theta[0]), f.py(p.solution.theta[1]));
}

function drawStar(cx: number, cy: number): void {
  ctx.save();
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = '#111';
  ctx.beginPath();
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? 9 : 4;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    ctx.lineTo(cx + r * Math.cos(a), cy + r * Math.sin(a));
  }
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
  ctx.restore();
}

function latticePoint(s: GridStudyReply, a: number, b: number): [number, number] {
  const t = (i: number) => (s.radius * (2 * i - (s.n - 1))) / (s.n - 1);
  return [t(a), t(b)];
}

function draw(): void {
  const f = frameOf(study);
  ctx.clearRect(0, 0, mapCanvas.clientWidth, mapCanvas.clientHeight);
  if (study !== undefined) drawHeatmap(study, f);
  drawLevelCurves(f);
  if (selectedPath !== undefined) drawPath(selectedPath, f);
  if (cursor !== undefined && study !== undefined) {
    const [x, y] = latticePoint(study, cursor[0], cursor[1]);
    ctx.save();
    ctx.strokeStyle = '#f0a202';
    ctx.lineWidth = 2;
    ctx.strokeRect(f.px(x) - 6, f.py(y) - 6, 12, 12);
    ctx.restore();
  }
  drawAxes(ctx, f, 'x₀', 'y₀');
  drawColorbar();
}

function drawColorbar(): void {
  const f = new Frame(56, 4, 530, 14, S_MIN, S_MAX, 0, 1);
  barCtx.clearRect(0, 0, 600, 46);
  for (let i = 0; i < f.width; i++) {
    const [r, g, b] = viridis(i / (f.width - 1));
    barCtx.fillStyle = `rgb(${r},${g},${b})`;
    barCtx.fillRect(f.left + i, f.top, 1.5, f.height);
  }
  barCtx.font = '12px system-ui, sans-serif';
  barCtx.fillStyle = '#222';
  barCtx.textAlign = 'center';
  barCtx.textBaseline = 'top';
  for (let s = S_MIN; s <= S_MAX; s++) barCtx.fillText(String(s), f.px(s), f.top + f.height + 3);
  if (study !== undefined && 2 / study.learningRate <= S_MAX) {
    const x = f.px(2 / study.learningRate);
    barCtx.strokeStyle = '#d62728';
    barCtx.lineWidth = 2;
    barCtx.beginPath();
    barCtx.moveTo(x, f.top - 3);
    barCtx.lineTo(x, f.top + f.height + 3);
    barCtx.stroke();
    barCtx.fillStyle = '#d62728';
    barCtx.textAlign = 'left';
    barCtx.fillText('2/η', x + 3, f.top + f.height + 16);
  }
  barCtx.fillStyle = '#222';
  barCtx.textAlign = 'left';
  barCtx.fillText('final s', 0, f.top);
}

/** Chooses the lattice start (a, b) if the mask keeps it. */
function choose(a: number, b: number): void {
  if (study === undefined) return;
  cursor = [a, b];
  if (study.status[(study.n - 1 - b) * study.n + a] === 255) {
    statusLine.textContent = 'That point is outside the start shape.';
    draw();
    return;
  }
  requestPath(latticePoint(study, a, b));
  draw();
}

mapCanvas.addEventListener('click', (event) => {
  if (study === undefined) return;
  const rect = mapCanvas.getBoundingClientRect();
  const [x, y] = frameOf(study).data(event.clientX - rect.left, event.clientY - rect.top);
  const index = (t: number) => Math.round(((t / study!.radius) * (study!.n - 1) + (study!.n - 1)) / 2);
  const a = index(x);
  const b = index(y);
  if (a < 0 || b < 0 || a >= study.n || b >= study.n) return;
  choose(a, b);
});

mapCanvas.addEventListener('keydown', (event) => {
  if (study === undefined) return;
  const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
  const half = (study.n - 1) / 2;
  if (event.key in moves) {
    const [da, db] = moves[event.key];
    const step = event.shiftKey ? 10 : 1;
    const [a, b] = cursor ?? [Math.round(half + half / 3), Math.round(half)];
    cursor = [Math.min(study.n - 1, Math.max(0, a + da * step)), Math.min(study.n - 1, Math.max(0, b + db * step))];
    draw();
    event.preventDefault();
  } else if (event.key === 'Enter' || event.key === ' ') {
    const [a, b] = cursor ?? [Math.round(half + half / 3), Math.round(half)];
    choose(a, b);
    event.preventDefault();
  }
});

const onEta = debounce(requestStudy, 120);
etaInput.addEventListener('input', () => {
  etaOut.value = Number(etaInput.value).toFixed(2);
  onEta();
});
shapeSelect.addEventListener('change', requestStudy);

function state(): unknown {
  if (study === undefined) return { page: 'grid-study', pending: true };
  const cells: (number | null)[][] = [];
  for (let row = 0; row < study.n; row++) cells.push(Array.from(study.sharpness.subarray(row * study.n, (row + 1) * study.n), (v) => (Number.isNaN(v) ? null : v)));
  return {
    page: 'grid-study',
    description: 'GD on L(x, y) = ½(1 − xy)² from a lattice of starts [Scalar factorization], computed by eos-lab gridStudy',
    learningRate: study.learningRate,
    shape: study.shape,
    grid: { n: study.n, radius: study.radius, starts: study.count },
    summary: study.summary,
    finalSharpnessMap: { rows: 'y from +r (first row) to −r', columns: 'x from −r to +r', values: cells },
    selected: selectedPath ?? null,
  };
}
downloadButton(byId<HTMLButtonElement>('download'), () => `grid-study-eta-${study?.learningRate.toFixed(2) ?? 'pending'}.json`, state);
exposeState(state);

draw();
requestStudy();
