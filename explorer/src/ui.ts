/**
 * Shared helpers of the explorer's pages: number formatting, a perceptual colour map, small canvas charts with
 * axes, and the "download JSON" button. No framework: plain DOM and canvas.
 */

/** The element with this id, typed; throws if the page does not have it (a bug in the page, not user input). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`explorer: no element #${id}`);
  return el as T;
}

/** x with `digits` digits after the point, '—' for NaN/undefined (what the pages print; the tests read it). */
export function fixed(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/** Viridis, 9 anchors (matplotlib's), linearly interpolated. */
const VIRIDIS: readonly [number, number, number][] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

/** The viridis colour of t ∈ [0, 1] (clamped) as [r, g, b]. */
export function viridis(t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

/** A canvas sized for the device's pixel ratio, its 2-D context scaled so drawing is in CSS pixels. */
export function setupCanvas(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || Number(canvas.getAttribute('width'));
  const h = canvas.clientHeight || Number(canvas.getAttribute('height'));
  canvas.width = Math.round(w * ratio);
  canvas.height = Math.round(h * ratio);
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('explorer: no 2-D canvas context');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** A rectangle of the canvas (CSS pixels) mapped to data coordinates [x0, x1] × [y0, y1] (y up). */
export class Frame {
  constructor(
    readonly left: number,
    readonly top: number,
    readonly width: number,
    readonly height: number,
    readonly x0: number,
    readonly x1: number,
    readonly y0: number,
    readonly y1: number,
    readonly logY = false,
  ) {}

  px(x: number): number {
    return this.left + ((x - this.x0) / (this.x1 - this.x0)) * this.width;
  }

  py(y: number): number {
    const t = this.logY ? (Math.log10(y) - Math.log10(this.y0)) / (Math.log10(this.y1) - Math.log10(this.y0)) : (y - this.y0) / (this.y1 - this.y0);
    return this.top + (1 - t) * this.height;
  }

  /** Data coordinates of a canvas point. */
  data(px: number, py: number): [number, number] {
    const x = this.x0 + ((px - this.left) / this.width) * (this.x1 - this.x0);
    const t = 1 - (py - this.top) / this.height;
    const y = this.logY ? 10 ** (Math.log10(this.y0) + t * (Math.log10(this.y1) - Math.log10(this.y0))) : this.y0 + t * (this.y1 - this.y0);
    return [x, y];
  }
}

/** About `count` round tick values covering [a, b]. */
export function ticks(a: number, b: number, count = 5): number[] {
  const span = b - a;
  if (!(span > 0)) return [a];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(a / step) * step; t <= b + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

/** Axes, ticks and labels around a frame. */
export function drawAxes(ctx: CanvasRenderingContext2D, f: Frame, xLabel: string, yLabel: string): void {
  ctx.save();
  ctx.strokeStyle = '#444';
  ctx.fillStyle = '#222';
  ctx.lineWidth = 1;
  ctx.font = '12px system-ui, sans-serif';
  ctx.strokeRect(f.left, f.top, f.width, f.height);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of ticks(f.x0, f.x1)) {
    const x = f.px(t);
    ctx.beginPath();
    ctx.moveTo(x, f.top + f.height);
    ctx.lineTo(x, f.top + f.height + 4);
    ctx.stroke();
    ctx.fillText(String(+t.toPrecision(6)), x, f.top + f.height + 6);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const yTicks = f.logY
    ? ticks(Math.floor(Math.log10(f.y0)), Math.ceil(Math.log10(f.y1))).filter((e) => Number.isInteger(e)).map((e) => 10 ** e).filter((v) => v >= f.y0 && v <= f.y1)
    : ticks(f.y0, f.y1);
  for (const t of yTicks) {
    const y = f.py(t);
    ctx.beginPath();
    ctx.moveTo(f.left - 4, y);
    ctx.lineTo(f.left, y);
    ctx.stroke();
    ctx.fillText(f.logY ? `1e${Math.round(Math.log10(t))}` : String(+t.toPrecision(6)), f.left - 6, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(xLabel, f.left + f.width / 2, f.top + f.height + 36);
  ctx.translate(f.left - 44, f.top + f.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'top';
  ctx.fillText(yLabel, 0, -8);
  ctx.restore();
}

/** A polyline through (xs[i], ys[i]), broken at non-finite points, clipped to the frame. */
export function drawLine(
  ctx: CanvasRenderingContext2D,
  f: Frame,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  style: { color: string; width?: number; dash?: number[] },
): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(f.left, f.top, f.width, f.height);
  ctx.clip();
  ctx.strokeStyle = style.color;
  ctx.lineWidth = style.width ?? 1.5;
  ctx.setLineDash(style.dash ?? []);
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const ok = Number.isFinite(xs[i]) && Number.isFinite(ys[i]) && (!f.logY || ys[i] > 0);
    if (!ok) {
      pen = false;
      continue;
    }
    const x = f.px(xs[i]);
    const y = f.py(ys[i]);
    if (pen) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    pen = true;
  }
  ctx.stroke();
  ctx.restore();
}

/** A filled dot (with a dark outline) at a data point. */
export function drawDot(ctx: CanvasRenderingContext2D, f: Frame, x: number, y: number, color: string, radius = 4): void {
  ctx.save();
  ctx.fillStyle = color;
  ctx.strokeStyle = '#111';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.arc(f.px(x), f.py(y), radius, 0, 2 * Math.PI);
  ctx.fill();
  ctx.stroke();
  ctx.restore();
}

/** A legend: one coloured swatch and label per line, top-left inside the frame. */
export function drawLegend(ctx: CanvasRenderingContext2D, f: Frame, items: { label: string; color: string; dash?: number[] }[], where: 'left' | 'right' = 'right'): void {
  ctx.save();
  ctx.font = '12px system-ui, sans-serif';
  const w = Math.max(...items.map((i) => ctx.measureText(i.label).width)) + 40;
  const x = where === 'right' ? f.left + f.width - w - 6 : f.left + 6;
  const y = f.top + 6;
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(x, y, w, items.length * 18 + 6);
  items.forEach((item, i) => {
    const cy = y + 12 + i * 18;
    ctx.strokeStyle = item.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(item.dash ?? []);
    ctx.beginPath();
    ctx.moveTo(x + 6, cy);
    ctx.lineTo(x + 30, cy);
    ctx.stroke();
    ctx.fillStyle = '#111';
    ctx.textBaseline = 'middle';
    ctx.fillText(item.label, x + 36, cy);
  });
  ctx.restore();
}

/**
 * Wires a "download JSON" button: a click saves `current()` (what the page shows) as a file. NaN and ±Infinity,
 * which JSON cannot hold, are written as null.
 */
export function downloadButton(button: HTMLButtonElement, fileName: () => string, current: () => unknown): void {
  button.addEventListener('click', () => {
    const text = JSON.stringify(current(), (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2);
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName();
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
}

/** Exposes the page's current state (the download's content) to scripts and tests as `window.explorer`. */
export function exposeState(current: () => unknown): void {
  (window as unknown as { explorer: { state: () => unknown } }).explorer = { state: current };
}

/** Calls `fn` once the input has been still for `ms` (slider drags start one computation, not fifty). */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
