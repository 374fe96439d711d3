import type { TopLevelSpec } from 'vega-lite';
import { EosLabError } from '../core/errors.js';
import { oneOf, optionKeys, optionsObject, positiveFinite, rejectUnknownKeys } from '../core/validate.js';
import { droppedPointsNote, resolveSeriesStyles, seriesLayers, seriesRows, type Series } from './series.js';

/**
 * A horizontal reference line y = value across a chart, e.g. the stability threshold 2/η.
 *
 * @since 0.1.0
 */
export interface ReferenceLine {
  /** The ordinate of the line (lines with value ≤ 0 are skipped on a log axis). */
  value: number;
  /**
   * Text written at one end of the line (see `labelPosition`), just above it (see `labelSide`).
   *
   * @defaultValue no label
   */
  label?: string;
  /**
   * Where the label sits: at the right end (`'end'`) or the left end (`'start'`) of the line, or `'outside'` the
   * plot, in the right margin level with the line (since 0.2.0) — where no trace can run through it, e.g. for 2/η
   * in a chart whose sharpness hovers at 2/η; there `labelSide`, if given, puts it just above or below the line.
   *
   * @defaultValue `'end'`
   */
  labelPosition?: 'start' | 'end' | 'outside';
  /**
   * Whether the label sits just above the line or just below it (for two reference lines closer than a line of
   * text, label the lower one below).
   *
   * @defaultValue `'above'`
   * @since 0.2.0
   */
  labelSide?: 'above' | 'below';
  /**
   * Name of the series whose colour the line takes.
   *
   * @defaultValue drawn in dark gray
   */
  series?: string;
}

/**
 * Options of {@link lineChart}.
 *
 * @since 0.1.0
 */
export interface LineChartOptions {
  /** Chart title. @defaultValue no title */
  title?: string;
  /** x-axis title. @defaultValue `'x'` */
  xTitle?: string;
  /** y-axis title. @defaultValue `'y'` */
  yTitle?: string;
  /** Legend title; `null` hides it. @defaultValue `null` */
  legendTitle?: string | null;
  /**
   * Logarithmic y axis (base 10), ticked at 1, 2, 5 × 10ᵉ over up to three decades, else at powers of ten.
   * Points and reference lines with y ≤ 0 are then left out.
   *
   * @defaultValue false
   */
  logY?: boolean;
  /** Horizontal dashed reference lines. @defaultValue none */
  referenceLines?: ReferenceLine[];
  /** Plot width in pixels. @defaultValue 360 */
  width?: number;
  /** Plot height in pixels. @defaultValue 220 */
  height?: number;
}

const REFERENCE_GRAY = '#555555';

/**
 * Axis of a log scale with round tick values: 1, 2, 5 × 10ᵉ when the data span at most three decades, else
 * powers of ten only (thinned to about eight labels).
 */
function logAxis(rows: readonly { y: number }[]): Record<string, unknown> {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    lo = Math.min(lo, r.y);
    hi = Math.max(hi, r.y);
  }
  if (!(lo <= hi)) return {};
  const first = Math.floor(Math.log10(lo));
  const last = Math.ceil(Math.log10(hi));
  const values: number[] = [];
  if (last - first <= 3) {
    for (let e = first; e <= last; e++) {
      for (const m of [1, 2, 5]) {
        const v = Number(`${m}e${e}`);
        if (v >= lo / 1.5 && v <= hi * 1.5) values.push(v);
      }
    }
    return { values, format: '~g', grid: true };
  }
  const stride = Math.max(1, Math.ceil((last - first + 1) / 8));
  for (let e = last; e >= first; e -= stride) values.push(Number(`1e${e}`));
  return { values, format: '~e', grid: true };
}

/**
 * Builds a vega-lite spec of several named series as lines over a shared x axis (for instance loss or
 * sharpness against the step), with optional log y axis and horizontal reference lines such as 2/η.
 *
 * @remarks
 * Data are embedded in the spec (`data.values`, long form `{series, i, x, y}`); non-finite points are left out
 * (JSON cannot hold them), and on a log axis so are points with y ≤ 0 — never silently: the chart's subtitle then
 * says how many points of which series are not shown, and why. Lines connect points in the given
 * order. Colours follow {@link SERIES_PALETTE} in series order unless a series sets its own, so the same
 * series list gives the same colours in every panel. Cost: one row object per point.
 *
 * @param series - The series to draw (at least one; names unique).
 * @param options - See {@link LineChartOptions}.
 * @returns A vega-lite layer spec; render it with {@link renderSvg} or combine it with {@link concatPanels}.
 * @throws EosLabError `E_EMPTY` if `series` is empty; `E_DIM_MISMATCH` if a series' `x` and `y` differ in
 *   length; `E_BAD_OPTION` for a missing or duplicate name, a non-positive width/height, a reference line
 *   with a non-finite value, naming an unknown series, or with a `labelPosition`/`labelSide` not one of the
 *   listed values.
 * @example
 * ```ts
 * import { lineChart, renderSvg } from 'eos-lab/plot';
 * const spec = lineChart(
 *   [{ name: 'GD η = 0.5', x: [0, 1, 2], y: [1, 0.1, 0.01] }],
 *   { logY: true, xTitle: 'step', yTitle: 'loss', referenceLines: [{ value: 4, label: '2/η' }] },
 * );
 * const svg = await renderSvg(spec);
 * ```
 * @since 0.1.0
 */
export function lineChart(series: readonly Series[], options?: LineChartOptions): TopLevelSpec {
  const fn = 'lineChart';
  const opts = optionsObject(fn, options, optionKeys<LineChartOptions>({ title: true, xTitle: true, yTitle: true, legendTitle: true, logY: true, referenceLines: true, width: true, height: true }));
  const styles = resolveSeriesStyles(fn, series);
  const width = positiveFinite(fn, 'options.width', opts.width ?? 360);
  const height = positiveFinite(fn, 'options.height', opts.height ?? 220);
  const logY = opts.logY === true;
  const rows = seriesRows(series, logY);

  const references = (opts.referenceLines ?? []).map((r, k) => {
    if (r !== null && typeof r === 'object') {
      rejectUnknownKeys(fn, `options.referenceLines[${k}]`, r, optionKeys<ReferenceLine>({ value: true, label: true, labelPosition: true, labelSide: true, series: true }));
    }
    if (typeof r?.value !== 'number' || !Number.isFinite(r.value)) {
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: `options.referenceLines[${k}].value`,
        value: r?.value,
        expected: 'a finite number',
      });
    }
    let color = REFERENCE_GRAY;
    if (r.series !== undefined) {
      const at = styles.names.indexOf(r.series);
      if (at < 0) {
        throw new EosLabError('E_BAD_OPTION', fn, {
          argument: `options.referenceLines[${k}].series`,
          value: r.series,
          expected: `the name of a series (${styles.names.join(', ')})`,
        });
      }
      color = styles.colors[at];
    }
    const position = r.labelPosition === undefined ? 'end' : oneOf(fn, `options.referenceLines[${k}].labelPosition`, r.labelPosition, ['start', 'end', 'outside']);
    // 'outside' labels sit level with the line unless a side is asked for (to separate two close lines).
    const side = r.labelSide === undefined ? (position === 'outside' ? 'middle' : 'above') : oneOf(fn, `options.referenceLines[${k}].labelSide`, r.labelSide, ['above', 'below']);
    return { y: r.value, label: r.label ?? '', color, position, side };
  });
  const visible = references.filter((r) => !logY || r.y > 0);
  const x = { field: 'x', type: 'quantitative', title: opts.xTitle ?? 'x', scale: { zero: false, nice: false } };
  const y = {
    field: 'y',
    type: 'quantitative',
    title: opts.yTitle ?? 'y',
    scale: logY ? { type: 'log' } : { zero: false },
    ...(logY ? { axis: logAxis([...rows, ...visible]) } : {}),
  };
  const layers = seriesLayers(rows, styles, x, y, opts.legendTitle ?? null);


  for (const r of visible) {
    layers.push({
      data: { values: [{ y: r.y }] },
      mark: { type: 'rule', strokeDash: [5, 4], strokeWidth: 1.2, color: r.color },
      encoding: { y },
    });
    if (r.label !== '') {
      layers.push({
        data: { values: [{ y: r.y, label: r.label }] },
        mark:
          r.position === 'outside'
            ? { type: 'text', align: 'left', baseline: r.side === 'middle' ? 'middle' : r.side === 'above' ? 'bottom' : 'top', fontSize: 10, color: r.color }
            : {
                type: 'text',
                align: r.position === 'end' ? 'right' : 'left',
                baseline: r.side === 'above' ? 'bottom' : 'top',
                dy: r.side === 'above' ? -2 : 2,
                fontSize: 10,
                color: r.color,
              },
        encoding: { x: { value: r.position === 'end' ? width - 3 : r.position === 'outside' ? width + 4 : 3 }, y, text: { field: 'label', type: 'nominal' } },
      });
    }
  }

  const spec: Record<string, unknown> = { width, height, layer: layers };
  // Points left out of the data (non-finite, or y ≤ 0 on a log axis) are named in the subtitle, never dropped silently.
  const dropped = droppedPointsNote(series, logY);
  if (dropped !== undefined) spec.title = { text: opts.title ?? '', subtitle: dropped };
  else if (opts.title !== undefined) spec.title = opts.title;
  return spec as unknown as TopLevelSpec;
}
