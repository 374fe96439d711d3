/**
 * {@link pathsFigure}: the paths of runs in a coordinate plane, from their recorded iterates, over level sets.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import { EosLabError } from '../core/errors.js';
import { integerInRange, isFunction, optionKeys, optionsObject, positiveFinite, rejectUnknownKeys } from '../core/validate.js';
import { levelSetSegments } from './level-set.js';
import { planePaths, type PlaneCurve, type PlaneMarker } from './plane-paths.js';
import type { Series } from './series.js';

/**
 * A level set {f(x, y) = level} drawn beneath the paths of {@link pathsFigure}, e.g. the minimizers xy = 1 of
 * ½(1 − xy)² as `{ f: (x, y) => x * y, level: 1 }`.
 *
 * @since 0.2.0
 */
export interface LevelSet {
  /** The function of the plane's two coordinates (called on a grid over the visible domain). */
  f: (x: number, y: number) => number;
  /** The value c of the set {f = c}. @defaultValue 0 */
  level?: number;
  /** Text written beside the set. @defaultValue no label */
  label?: string;
  /** CSS colour. @defaultValue `'#888888'` */
  color?: string;
  /** Grid cells per axis of the marching-squares sampling (1 to 2000). @defaultValue 200 */
  resolution?: number;
}

/**
 * Options of {@link pathsFigure}.
 *
 * @since 0.2.0
 */
export interface PathsFigureOptions {
  /** Chart title. @defaultValue no title */
  title?: string;
  /** Legend names of the runs, one per result. @defaultValue `'run 1'`, `'run 2'`, … (one run: `'run'`) */
  names?: string[];
  /** The two coordinates (indices into θ) spanning the plane. @defaultValue `[0, 1]` */
  coordinates?: [number, number];
  /** x-axis title. @defaultValue `'θ[i]'` for the first coordinate i */
  xTitle?: string;
  /** y-axis title. @defaultValue `'θ[j]'` for the second coordinate j */
  yTitle?: string;
  /** Visible range of the first coordinate. @defaultValue the paths' range, widened by 10% on each side */
  xDomain?: [number, number];
  /** Visible range of the second coordinate. @defaultValue the paths' range, widened by 10% on each side */
  yDomain?: [number, number];
  /** Level sets drawn beneath the paths (computed over the visible domains). @defaultValue none */
  levelSets?: LevelSet[];
  /** Further fixed curves beneath the paths, as in {@link planePaths}. @defaultValue none */
  curves?: PlaneCurve[];
  /** Labelled points on top. @defaultValue the first recorded point of each run (distinct ones), labelled `'θ₀'` */
  markers?: PlaneMarker[];
  /** Dot every recorded iterate. @defaultValue true for GD runs, false for flows (results whose trace has `time`) */
  points?: boolean;
  /** Plot width in pixels. @defaultValue 320 */
  width?: number;
  /** Plot height in pixels. @defaultValue equal aspect: `width` × (y range / x range) */
  height?: number;
}

interface ThetaTraceRun {
  theta: Float64Array;
  trace: { step: Int32Array; theta: Float64Array; time?: Float64Array };
}

function checkRun(fn: string, k: number, run: unknown): ThetaTraceRun {
  const r = run as Partial<ThetaTraceRun> | null;
  const argument = `results[${k}]`;
  if (r === null || typeof r !== 'object' || !(r.theta instanceof Float64Array) || r.trace === undefined || !(r.trace.step instanceof Int32Array)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: run, expected: 'a gd, gradientFlow or centralFlow result' });
  }
  const t = r.trace.theta;
  if (!(t instanceof Float64Array)) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: `${argument}.trace.theta`,
      value: t,
      expected: 'the recorded iterates: run gd or gradientFlow with record: { theta: true }',
    });
  }
  const dim = r.theta.length;
  if (t.length !== dim * r.trace.step.length) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.trace.theta.length`, value: t.length, expected: `dim × records = ${dim} × ${r.trace.step.length}` });
  }
  if (t.length === 0) {
    throw new EosLabError('E_EMPTY', fn, { argument: `${argument}.trace.theta`, value: t, expected: 'at least one recorded iterate (record.every > 0 and record.theta: true)' });
  }
  return r as ThetaTraceRun;
}

function checkDomain(fn: string, argument: string, d: unknown): [number, number] {
  if (!Array.isArray(d) || d.length !== 2 || !d.every(Number.isFinite) || !(d[0] < d[1])) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: d, expected: 'a pair [min, max] of finite numbers with min < max' });
  }
  return [d[0], d[1]];
}

function paddedRange(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(lo <= hi)) return [-1, 1];
  const pad = hi > lo ? 0.1 * (hi - lo) : Math.max(0.5, Math.abs(lo) * 0.1);
  return [lo - pad, hi + pad];
}

/**
 * The paths of runs in a plane of two coordinates, drawn from their recorded iterates (`trace.theta`), over level
 * sets such as the minimizer hyperbola xy = 1 of ½(1 − xy)² ([Scalar factorization]'s figure of GD paths against
 * gradient flow's).
 *
 * @remarks
 * Path r is the series (θ_k[i], θ_k[j]) over the recorded steps k of `results[r]`, in step order — exactly the values
 * in `trace.theta` (record the iterates with `record: { theta: true }`; `every` sets their stride). A level set
 * {f = c} is computed by marching squares over the visible domain on a `resolution` × `resolution` grid and drawn as
 * line segments (exact where f is affine along grid lines, as xy is; otherwise within O(h²) for cell size h). The
 * domains default to the paths' range widened by 10%, with equal aspect. Built on {@link planePaths}: non-finite
 * points are left out and named in the subtitle. Works on results read back with `resultFromJSON`. Cost: one row per
 * recorded point plus (resolution + 1)² evaluations of each f.
 * @param results - one result or several (`gd`, `gradientFlow` or `centralFlow`, with recorded iterates).
 * @param options - See {@link PathsFigureOptions}.
 * @returns a vega-lite layer spec; render it with {@link renderSvg} or {@link renderPng}.
 * @throws EosLabError `E_EMPTY` for no results or a run without recorded iterates; `E_BAD_OPTION` for a value that is
 *   not such a result, a trace without `theta` (naming `record: { theta: true }`), coordinates out of range, names
 *   not one per result, a malformed level set or domain, or an unknown option; `E_DIM_MISMATCH` for a `trace.theta`
 *   whose length is not dim × records.
 * @example
 * ```ts
 * import { gd, scalarFactorization } from 'eos-lab';
 * import { pathsFigure, renderSvg } from 'eos-lab/plot';
 * const model = scalarFactorization.create();
 * const runs = [0.1, 0.9].map((learningRate) =>
 *   gd(model, new Float64Array([2, 0.65]), { learningRate, lossGoal: 1e-10, record: { theta: true } }));
 * const spec = pathsFigure(runs, {
 *   names: ['η = 0.1', 'η = 0.9'], xTitle: 'x', yTitle: 'y', xDomain: [0, 2.5], yDomain: [0, 2.5],
 *   levelSets: [{ f: (x, y) => x * y, level: 1, label: 'xy = 1' }],
 * });
 * const svg = await renderSvg(spec);
 * ```
 * @since 0.2.0
 */
export function pathsFigure(results: object | readonly object[], options?: PathsFigureOptions): TopLevelSpec {
  const fn = 'pathsFigure';
  const o = optionsObject(fn, options, optionKeys<PathsFigureOptions>({
    title: true, names: true, coordinates: true, xTitle: true, yTitle: true, xDomain: true, yDomain: true, levelSets: true,
    curves: true, markers: true, points: true, width: true, height: true,
  }));
  const list = (Array.isArray(results) ? results : [results]) as unknown[];
  if (list.length === 0) throw new EosLabError('E_EMPTY', fn, { argument: 'results', value: results, expected: 'at least one result' });
  const runs = list.map((r, k) => checkRun(fn, k, r));
  const dim = Math.min(...runs.map((r) => r.theta.length));
  const coords = o.coordinates ?? [0, 1];
  if (!Array.isArray(coords) || coords.length !== 2) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.coordinates', value: coords, expected: 'a pair [i, j] of coordinate indices' });
  }
  const ci = integerInRange(fn, 'options.coordinates[0]', coords[0], 0, dim - 1);
  const cj = integerInRange(fn, 'options.coordinates[1]', coords[1], 0, dim - 1);
  if (ci === cj) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.coordinates', value: coords, expected: 'two different coordinates' });
  const names = o.names ?? (runs.length === 1 ? ['run'] : runs.map((_, k) => `run ${k + 1}`));
  if (!Array.isArray(names) || names.length !== runs.length) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.names', value: names, expected: `an array of ${runs.length} names (one per result)` });
  }
  if (o.points !== undefined && typeof o.points !== 'boolean') throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.points', value: o.points, expected: 'a boolean' });

  const paths: Series[] = runs.map((r, k) => {
    const d = r.theta.length;
    const n = r.trace.step.length;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      x[j] = r.trace.theta[j * d + ci];
      y[j] = r.trace.theta[j * d + cj];
    }
    const isFlow = r.trace.time instanceof Float64Array;
    return { name: names[k], x, y, points: o.points ?? !isFlow };
  });
  const xDomain = o.xDomain === undefined ? undefined : checkDomain(fn, 'options.xDomain', o.xDomain);
  const yDomain = o.yDomain === undefined ? undefined : checkDomain(fn, 'options.yDomain', o.yDomain);
  const xRange = xDomain ?? paddedRange(paths.flatMap((p) => Array.from(p.x)));
  const yRange = yDomain ?? paddedRange(paths.flatMap((p) => Array.from(p.y)));

  const levelSets = o.levelSets ?? [];
  if (!Array.isArray(levelSets)) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.levelSets', value: levelSets, expected: 'an array of level sets { f, level, label, color, resolution }' });
  const segmentsPerSet = levelSets.map((s, k) => {
    const arg = `options.levelSets[${k}]`;
    if (s === null || typeof s !== 'object') throw new EosLabError('E_BAD_OPTION', fn, { argument: arg, value: s, expected: 'a level set { f, level, label, color, resolution }' });
    rejectUnknownKeys(fn, arg, s, optionKeys<LevelSet>({ f: true, level: true, label: true, color: true, resolution: true }));
    const f = isFunction<(x: number, y: number) => number>(fn, `${arg}.f`, s.f);
    const level = s.level === undefined ? 0 : s.level;
    if (typeof level !== 'number' || !Number.isFinite(level)) {
      throw new EosLabError(typeof level === 'number' ? 'E_NONFINITE' : 'E_BAD_OPTION', fn, { argument: `${arg}.level`, value: level, expected: 'a finite number' });
    }
    const cells = integerInRange(fn, `${arg}.resolution`, s.resolution ?? 200, 1, 2000);
    return { set: s, segments: levelSetSegments(f, level, xRange, yRange, cells) };
  });

  const markers = o.markers ?? distinctStarts(paths);
  const width = positiveFinite(fn, 'options.width', o.width ?? 320);
  const spec = planePaths(paths, {
    xTitle: o.xTitle ?? `θ[${ci}]`,
    yTitle: o.yTitle ?? `θ[${cj}]`,
    legendTitle: null,
    xDomain: xRange,
    yDomain: yRange,
    width,
    ...(o.height === undefined ? {} : { height: o.height }),
    ...(o.title === undefined ? {} : { title: o.title }),
    ...(o.curves === undefined ? {} : { curves: o.curves }),
    markers,
  }) as unknown as { layer: Record<string, unknown>[] };

  // The level sets go beneath everything else, as rule segments on the same scales.
  const x = { field: 'x', type: 'quantitative', title: o.xTitle ?? `θ[${ci}]`, scale: { domain: xRange, nice: false } };
  const y = { field: 'y', type: 'quantitative', title: o.yTitle ?? `θ[${cj}]`, scale: { domain: yRange, nice: false } };
  const background: Record<string, unknown>[] = [];
  for (const { set, segments } of segmentsPerSet) {
    const color = set.color ?? '#888888';
    background.push({
      data: { values: segments },
      mark: { type: 'rule', clip: true, strokeWidth: 1.2, color },
      encoding: { x, y, x2: { field: 'x2' }, y2: { field: 'y2' } },
    });
    if (set.label !== undefined && segments.length > 0) {
      // Label at the segment end with the largest x + y inside the box: away from the paths' usual start corner.
      let best = segments[0];
      for (const s of segments) if (s.x + s.y > best.x + best.y) best = s;
      background.push({
        data: { values: [{ x: best.x, y: best.y, label: set.label }] },
        mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -4, dy: -2, fontSize: 10, color },
        encoding: { x, y, text: { field: 'label', type: 'nominal' } },
      });
    }
  }
  spec.layer = [...background, ...spec.layer];
  return spec as unknown as TopLevelSpec;
}

/** The first finite point of each path, once per distinct point, the first labelled θ₀. */
function distinctStarts(paths: readonly Series[]): PlaneMarker[] {
  const out: PlaneMarker[] = [];
  for (const p of paths) {
    for (let j = 0; j < p.x.length; j++) {
      if (!Number.isFinite(p.x[j]) || !Number.isFinite(p.y[j])) continue;
      if (!out.some((m) => m.x === p.x[j] && m.y === p.y[j])) out.push({ x: p.x[j], y: p.y[j], ...(out.length === 0 ? { label: 'θ₀' } : {}) });
      break;
    }
  }
  return out;
}
