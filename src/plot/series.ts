/**
 * Named data series and their conversion to the long-form rows and styled layers that the chart builders
 * ({@link lineChart}, {@link planePaths}) share.
 *
 * @module
 */
import { optionKeys, rejectUnknownKeys } from '../core/validate.js';
import { EosLabError } from '../core/errors.js';

/**
 * One named series of points (x_i, y_i), i = 0, …, n − 1, drawn in the given order.
 *
 * @since 0.1.0
 */
export interface Series {
  /** Legend label; unique within one chart. */
  name: string;
  /** Abscissae (any array-like of numbers: `Float64Array`, `Int32Array`, `number[]`). */
  x: ArrayLike<number>;
  /** Ordinates, same length as `x`. */
  y: ArrayLike<number>;
  /**
   * CSS colour of the series.
   *
   * @defaultValue the next colour of {@link SERIES_PALETTE} in series order
   */
  color?: string;
  /**
   * Stroke dash pattern in pixels, e.g. `[6, 3]`.
   *
   * @defaultValue solid
   */
  dash?: number[];
  /**
   * Draw a dot at every point as well as the line (useful for iterates of a discrete map).
   *
   * @defaultValue false
   */
  points?: boolean;
}

/**
 * The default series colours (Tableau 10, vega's default categorical scheme), assigned in series order.
 *
 * @since 0.1.0
 */
export const SERIES_PALETTE: readonly string[] = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
];

/** A long-form data row: series name, index within the series, and the point. */
export interface SeriesRow {
  series: string;
  i: number;
  x: number;
  y: number;
}

/** Resolved styles of the series of one chart, in series order. */
export interface SeriesStyles {
  names: string[];
  colors: string[];
  dashes: number[][];
  withPoints: string[];
}

/** Validates `series` (non-empty, unique non-empty names, equal x/y lengths) and resolves colours and dashes. */
export function resolveSeriesStyles(fn: string, series: readonly Series[]): SeriesStyles {
  if (!Array.isArray(series) || series.length === 0) {
    throw new EosLabError('E_EMPTY', fn, { argument: 'series', value: series, expected: 'a non-empty array of series' });
  }
  const names: string[] = [];
  const colors: string[] = [];
  const dashes: number[][] = [];
  const withPoints: string[] = [];
  series.forEach((s, k) => {
    if (s !== null && typeof s === 'object') {
      rejectUnknownKeys(fn, `series[${k}]`, s, optionKeys<Series>({ name: true, x: true, y: true, color: true, dash: true, points: true }));
    }
    if (typeof s?.name !== 'string' || s.name.length === 0 || names.includes(s.name)) {
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: `series[${k}].name`,
        value: s?.name,
        expected: 'a non-empty string, unique within the chart',
      });
    }
    if (s.x?.length !== s.y?.length || typeof s.x?.length !== 'number') {
      throw new EosLabError('E_DIM_MISMATCH', fn, {
        argument: `series[${k}].y.length`,
        value: s.y?.length,
        expected: `series[${k}].x.length (${s.x?.length})`,
      });
    }
    names.push(s.name);
    colors.push(s.color ?? SERIES_PALETTE[k % SERIES_PALETTE.length]);
    dashes.push(s.dash ?? [1, 0]);
    if (s.points === true) withPoints.push(s.name);
  });
  return { names, colors, dashes, withPoints };
}

/**
 * Long-form rows of all series. Points with a non-finite coordinate are dropped (JSON has no NaN), and with
 * `positiveY` also points with y ≤ 0 (they have no place on a log axis).
 */
export function seriesRows(series: readonly Series[], positiveY: boolean): SeriesRow[] {
  const rows: SeriesRow[] = [];
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i];
      const y = s.y[i];
      if (!Number.isFinite(x) || !Number.isFinite(y) || (positiveY && y <= 0)) continue;
      rows.push({ series: s.name, i, x, y });
    }
  }
  return rows;
}

/**
 * A sentence naming the points {@link seriesRows} leaves out (per series: how many, and why), or undefined when none
 * is left out — so a chart never drops a run silently: the builders show it as the chart's subtitle.
 */
export function droppedPointsNote(series: readonly Series[], positiveY: boolean): string | undefined {
  const parts: string[] = [];
  for (const s of series) {
    let nonFinite = 0;
    let nonPositive = 0;
    for (let i = 0; i < s.x.length; i++) {
      if (!Number.isFinite(s.x[i]) || !Number.isFinite(s.y[i])) nonFinite++;
      else if (positiveY && s.y[i] <= 0) nonPositive++;
    }
    const why = [nonFinite > 0 ? `${nonFinite} non-finite` : '', nonPositive > 0 ? `${nonPositive} with y ≤ 0 on the log axis` : ''].filter((w) => w !== '');
    if (why.length > 0) parts.push(`${s.name}: ${why.join(', ')}`);
  }
  return parts.length === 0 ? undefined : `points not shown — ${parts.join('; ')}`;
}

/**
 * The line layer (and, for series with `points`, a dot layer) of the given rows, coloured and dashed per
 * series with one merged legend. `x` and `y` are the positional channel definitions (field `x` / `y`).
 */
export function seriesLayers(
  rows: SeriesRow[],
  styles: SeriesStyles,
  x: Record<string, unknown>,
  y: Record<string, unknown>,
  legendTitle: string | null,
): Record<string, unknown>[] {
  const color = {
    field: 'series',
    type: 'nominal',
    title: legendTitle,
    scale: { domain: styles.names, range: styles.colors },
    legend: { symbolType: 'stroke', symbolStrokeWidth: 2, labelLimit: 260 },
  };
  const strokeDash = {
    field: 'series',
    type: 'nominal',
    title: legendTitle,
    scale: { domain: styles.names, range: styles.dashes },
  };
  const layers: Record<string, unknown>[] = [
    {
      data: { values: rows },
      mark: { type: 'line', clip: true, strokeWidth: 1.6 },
      encoding: { x, y, color, strokeDash, order: { field: 'i', type: 'quantitative' } },
    },
  ];
  if (styles.withPoints.length > 0) {
    layers.push({
      data: { values: rows.filter((r) => styles.withPoints.includes(r.series)) },
      mark: { type: 'point', filled: true, clip: true, size: 14, opacity: 0.9 },
      encoding: { x, y, color },
    });
  }
  return layers;
}
