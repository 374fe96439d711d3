import type { TopLevelSpec } from 'vega-lite';
import { EosLabError } from '../core/errors.js';
import { oneOf, optionKeys, optionsObject, positiveFinite, rejectUnknownKeys } from '../core/validate.js';
import { droppedPointsNote, resolveSeriesStyles, seriesLayers, seriesRows, type Series } from './series.js';

/**
 * A fixed curve drawn under the paths, given by its points in order, e.g. one branch of the hyperbola
 * xy = 1. A curve with several pieces is several curves.
 *
 * @since 0.1.0
 */
export interface PlaneCurve {
  /** Identifier (not shown in the legend; use `label` for text on the plot). */
  name: string;
  /** Abscissae of the curve's points. */
  x: ArrayLike<number>;
  /** Ordinates, same length as `x`. */
  y: ArrayLike<number>;
  /** Text written next to the curve's first (or last, see `labelAt`) point inside the domains. @defaultValue no label */
  label?: string;
  /**
   * Which point inside the domains the label is written at: the curve's `'first'` or its `'last'`.
   * @defaultValue `'first'`
   * @since 0.2.0
   */
  labelAt?: 'first' | 'last';
  /**
   * Where the label sits relative to that point. Choose the side the curve does not run into: below-left of a point
   * on a decreasing convex curve (such as xy = 1), for instance, never meets the curve.
   * @defaultValue `'below-right'`
   * @since 0.2.0
   */
  labelPlacement?: 'below-right' | 'below-left' | 'above-right' | 'above-left';
  /** CSS colour. @defaultValue `'#888888'` */
  color?: string;
}

/**
 * A labelled point, e.g. the common start θ₀ or a limit point.
 *
 * @since 0.1.0
 */
export interface PlaneMarker {
  x: number;
  y: number;
  /** Text beside the point. @defaultValue no label */
  label?: string;
  /**
   * Where the label sits relative to the point (pick the side the paths leaving the point do not take).
   * @defaultValue `'above-right'`
   * @since 0.2.0
   */
  labelPlacement?: 'below-right' | 'below-left' | 'above-right' | 'above-left';
}

/**
 * Options of {@link planePaths}.
 *
 * @since 0.1.0
 */
export interface PlanePathsOptions {
  /** Chart title. @defaultValue no title */
  title?: string;
  /** x-axis title. @defaultValue `'x'` */
  xTitle?: string;
  /** y-axis title. @defaultValue `'y'` */
  yTitle?: string;
  /** Legend title; `null` hides it. @defaultValue `null` */
  legendTitle?: string | null;
  /** Visible x range [min, max]; marks outside are clipped. @defaultValue fitted to the data */
  xDomain?: [number, number];
  /** Visible y range [min, max]; marks outside are clipped. @defaultValue fitted to the data */
  yDomain?: [number, number];
  /** Fixed curves drawn beneath the paths. @defaultValue none */
  curves?: PlaneCurve[];
  /** Labelled points drawn on top. @defaultValue none */
  markers?: PlaneMarker[];
  /** Plot width in pixels. @defaultValue 320 */
  width?: number;
  /**
   * Plot height in pixels.
   *
   * @defaultValue `width` scaled by the ratio of the y and x ranges when both domains are given (equal
   * aspect, so circles look round), else `width`
   */
  height?: number;
}

function domainOption(fn: string, argument: string, d: unknown): [number, number] | undefined {
  if (d === undefined) return undefined;
  if (!Array.isArray(d) || d.length !== 2 || !d.every(Number.isFinite) || !(d[0] < d[1])) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: d, expected: 'a pair [min, max] of finite numbers with min < max' });
  }
  return [d[0], d[1]];
}

/**
 * Builds a vega-lite spec of paths in a plane — e.g. GD iterates and gradient-flow trajectories in (x, y) —
 * over fixed curves such as the minimizer hyperbola xy = 1, with optional labelled markers.
 *
 * @remarks
 * Each path is a {@link Series} drawn in its given order (not sorted by x); set `points: true` to also dot
 * the iterates of a discrete map, `dash` for a dashed stroke. Non-finite points of `paths` are left out, and the subtitle says how many of which path. With both
 * domains given the default height keeps one unit the same length on both axes. Curves are gray, beneath
 * the paths and absent from the legend. Cost: one row object per point.
 *
 * @param paths - The paths (at least one; names unique).
 * @param options - See {@link PlanePathsOptions}.
 * @returns A vega-lite layer spec; render it with {@link renderSvg} or combine it with {@link concatPanels}.
 * @throws EosLabError `E_EMPTY` if `paths` is empty; `E_DIM_MISMATCH` if a path's or curve's `x` and `y`
 *   differ in length; `E_BAD_OPTION` for a missing or duplicate name, a malformed domain, a non-positive
 *   size, or a curve's `labelAt`/`labelPlacement` not one of the listed values.
 * @example
 * ```ts
 * import { planePaths, renderSvg } from 'eos-lab/plot';
 * const xs = Array.from({ length: 50 }, (_, i) => 0.35 + (i * 2.65) / 49);
 * const spec = planePaths([{ name: 'GD', x: [2, 1.6, 1.2], y: [0.2, 0.5, 0.8], points: true }], {
 *   xDomain: [0, 3], yDomain: [0, 3],
 *   curves: [{ name: 'xy = 1', x: xs, y: xs.map((x) => 1 / x), label: 'xy = 1' }],
 * });
 * const svg = await renderSvg(spec);
 * ```
 * @since 0.1.0
 */
export function planePaths(paths: readonly Series[], options?: PlanePathsOptions): TopLevelSpec {
  const fn = 'planePaths';
  const opts = optionsObject(fn, options, optionKeys<PlanePathsOptions>({ title: true, xTitle: true, yTitle: true, legendTitle: true, xDomain: true, yDomain: true, curves: true, markers: true, width: true, height: true }));
  const styles = resolveSeriesStyles(fn, paths);
  const xDomain = domainOption(fn, 'options.xDomain', opts.xDomain);
  const yDomain = domainOption(fn, 'options.yDomain', opts.yDomain);
  const width = positiveFinite(fn, 'options.width', opts.width ?? 320);
  const aspect = xDomain && yDomain ? (yDomain[1] - yDomain[0]) / (xDomain[1] - xDomain[0]) : 1;
  const height = positiveFinite(fn, 'options.height', opts.height ?? Math.round(width * aspect));

  const x = {
    field: 'x',
    type: 'quantitative',
    title: opts.xTitle ?? 'x',
    scale: xDomain ? { domain: xDomain, nice: false } : { zero: false },
  };
  const y = {
    field: 'y',
    type: 'quantitative',
    title: opts.yTitle ?? 'y',
    scale: yDomain ? { domain: yDomain, nice: false } : { zero: false },
  };

  const layers: Record<string, unknown>[] = [];
  (opts.curves ?? []).forEach((c, k) => {
    if (c !== null && typeof c === 'object') {
      rejectUnknownKeys(fn, `options.curves[${k}]`, c, optionKeys<PlaneCurve>({ name: true, x: true, y: true, label: true, labelAt: true, labelPlacement: true, color: true }));
    }
    if (typeof c?.name !== 'string' || typeof c.x?.length !== 'number' || c.x.length !== c.y?.length) {
      throw new EosLabError('E_DIM_MISMATCH', fn, {
        argument: `options.curves[${k}]`,
        value: c,
        expected: 'a curve { name, x, y } with x and y of equal length',
      });
    }
    const color = c.color ?? '#888888';
    const rows: { i: number; x: number; y: number }[] = [];
    for (let i = 0; i < c.x.length; i++) {
      if (Number.isFinite(c.x[i]) && Number.isFinite(c.y[i])) rows.push({ i, x: c.x[i], y: c.y[i] });
    }
    layers.push({
      data: { values: rows },
      mark: { type: 'line', clip: true, strokeWidth: 1.2, color },
      encoding: { x, y, order: { field: 'i', type: 'quantitative' } },
    });
    const inside = (r: { x: number; y: number }) =>
      (xDomain === undefined || (r.x >= xDomain[0] && r.x <= xDomain[1])) &&
      (yDomain === undefined || (r.y >= yDomain[0] && r.y <= yDomain[1]));
    const at = oneOf(fn, `options.curves[${k}].labelAt`, c.labelAt ?? 'first', ['first', 'last']);
    const placement = oneOf(fn, `options.curves[${k}].labelPlacement`, c.labelPlacement ?? 'below-right', ['below-right', 'below-left', 'above-right', 'above-left']);
    const anchor = at === 'first' ? rows.find(inside) : [...rows].reverse().find(inside);
    if (c.label !== undefined && anchor !== undefined) {
      const right = placement.endsWith('right');
      const below = placement.startsWith('below');
      layers.push({
        data: { values: [{ x: anchor.x, y: anchor.y, label: c.label }] },
        mark: { type: 'text', align: right ? 'left' : 'right', baseline: below ? 'top' : 'bottom', dx: right ? 4 : -4, dy: below ? 2 : -2, fontSize: 10, color },
        encoding: { x, y, text: { field: 'label', type: 'nominal' } },
      });
    }
  });

  layers.push(...seriesLayers(seriesRows(paths, false), styles, x, y, opts.legendTitle ?? null));

  (opts.markers ?? []).forEach((m, k) => {
    if (m !== null && typeof m === 'object') rejectUnknownKeys(fn, `options.markers[${k}]`, m, optionKeys<PlaneMarker>({ x: true, y: true, label: true, labelPlacement: true }));
  });
  const markers = (opts.markers ?? []).filter((m) => Number.isFinite(m?.x) && Number.isFinite(m?.y));
  if (markers.length > 0) {
    const values = markers.map((m, k) => ({
      x: m.x,
      y: m.y,
      label: m.label ?? '',
      placement: oneOf(fn, `options.markers[${k}].labelPlacement`, m.labelPlacement ?? 'above-right', ['below-right', 'below-left', 'above-right', 'above-left']),
    }));
    layers.push({
      data: { values: values.map(({ x: mx, y: my, label }) => ({ x: mx, y: my, label })) },
      mark: { type: 'point', shape: 'diamond', filled: true, size: 60, color: '#222222', clip: true },
      encoding: { x, y },
    });
    // One text layer per placement in use (alignment is a mark property).
    for (const placement of ['above-right', 'above-left', 'below-right', 'below-left'] as const) {
      const labelled = values.filter((m) => m.label !== '' && m.placement === placement);
      if (labelled.length === 0) continue;
      const right = placement.endsWith('right');
      const below = placement.startsWith('below');
      layers.push({
        data: { values: labelled.map(({ x: mx, y: my, label }) => ({ x: mx, y: my, label })) },
        mark: { type: 'text', align: right ? 'left' : 'right', baseline: below ? 'top' : 'bottom', dx: right ? 5 : -5, dy: below ? 3 : -3, fontSize: 11, color: '#222222' },
        encoding: { x, y, text: { field: 'label', type: 'nominal' } },
      });
    }
  }

  const spec: Record<string, unknown> = { width, height, layer: layers };
  // Points left out of the data (non-finite, or y ≤ 0 on a log axis) are named in the subtitle, never dropped silently.
  const dropped = droppedPointsNote(paths, false);
  if (dropped !== undefined) spec.title = { text: opts.title ?? '', subtitle: dropped };
  else if (opts.title !== undefined) spec.title = opts.title;
  return spec as unknown as TopLevelSpec;
}
