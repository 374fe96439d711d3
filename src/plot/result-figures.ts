/**
 * Standard figures of eos-lab results, as vega-lite specs: a run's loss and sharpness against 2/η
 * ({@link traceFigure}), a learning-rate sweep ({@link sweepFigure}) and a grid study's per-rate statistics
 * ({@link gridStudyFigure}). Render them with {@link renderSvg}, or write them as JSON for any vega-lite viewer.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import { EosLabError } from '../core/errors.js';
import { optionsObject, positiveFinite } from '../core/validate.js';
import type { GdTrace } from '../dynamics/gd.js';
import type { GridStudyResult } from '../experiments/grid-study/index.js';
import type { LrSweepResult } from '../experiments/lr-sweep/index.js';
import { lineChart, type ReferenceLine } from './line-chart.js';
import { concatPanels } from './panels.js';
import type { Series } from './series.js';

/**
 * Options of {@link traceFigure}.
 *
 * @since 0.2.0
 */
export interface TraceFigureOptions {
  /**
   * The learning rate η of a GD run: the sharpness panel then shows the stability threshold 2/η.
   * @defaultValue none (no threshold line; gradient flow has none)
   */
  learningRate?: number;
  /** Title above the two panels. @defaultValue no title */
  title?: string;
  /** Name of the run in the legends. @defaultValue `'run'` */
  name?: string;
}

function hasTrace(v: unknown): v is { trace: GdTrace & { time?: Float64Array } } {
  const t = (v as { trace?: Partial<GdTrace> } | null)?.trace;
  return t !== undefined && t.step instanceof Int32Array && t.loss instanceof Float64Array &&
    t.sharpness instanceof Float64Array && t.sharpnessStep instanceof Int32Array;
}

/**
 * The two standard panels of one run of `gd` or `gradientFlow`: the loss on a log axis, and the
 * recorded sharpness against the threshold 2/η (the edge of stability, [Cohen et al. 2021]).
 *
 * @remarks
 * The x axis is the step k for a GD run and the flow time t for a gradient-flow run (whose trace has `time`). The
 * sharpness is the trace's convention (λ_max unless recorded with `which: 'abs'`); a run recorded without sharpness
 * gives the loss panel only. Points that a log axis cannot show (loss ≤ 0) and non-finite values are left out.
 * Works on a result read back with `resultFromJSON`. Cost: one row per recorded point.
 * @param run - a `gd` or `gradientFlow` result (anything with their `trace`).
 * @param options - η for the 2/η line, a title and the run's name.
 * @returns a vega-lite spec (two panels side by side).
 * @throws EosLabError `E_BAD_OPTION` when `run` has no trace of that shape, or for a learning rate that is not
 *   finite > 0 or an unknown option; `E_EMPTY` when the trace recorded nothing.
 * @example
 * ```ts
 * import { gd, scalarFactorization } from 'eos-lab';
 * import { traceFigure } from 'eos-lab/plot';
 * const run = gd(scalarFactorization.create(), new Float64Array([2, 0.65]), {
 *   learningRate: 0.5, lossGoal: 1e-12, record: { sharpnessEvery: 1 },
 * });
 * const spec = traceFigure(run, { learningRate: 0.5, title: 'GD on ½(1 − xy)²' }); // then renderSvg(spec)
 * ```
 * @since 0.2.0
 */
export function traceFigure(run: object, options?: TraceFigureOptions): TopLevelSpec {
  const fn = 'traceFigure';
  const o = optionsObject(fn, options, ['learningRate', 'title', 'name']);
  if (!hasTrace(run)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'run', value: run, expected: 'a gd or gradientFlow result (with its trace)' });
  }
  const eta = o.learningRate === undefined ? undefined : positiveFinite(fn, 'options.learningRate', o.learningRate);
  const name = o.name === undefined ? 'run' : String(o.name);
  const t = run.trace;
  if (t.step.length === 0) throw new EosLabError('E_EMPTY', fn, { argument: 'run.trace.step', value: t.step, expected: 'at least one recorded step (record.every > 0)' });
  const flowTime = t.time instanceof Float64Array && t.time.length === t.step.length ? t.time : undefined;
  const xTitle = flowTime ? 'flow time t' : 'step k';
  const panels: TopLevelSpec[] = [
    lineChart([{ name, x: flowTime ?? t.step, y: t.loss }], { logY: true, xTitle, yTitle: 'loss', title: 'loss' }),
  ];
  if (t.sharpness.length > 0) {
    // The sharpness is recorded at its own steps; for a flow, at the times of those steps when they were recorded.
    let x: ArrayLike<number> = t.sharpnessStep;
    if (flowTime) {
      const timeAt = new Map<number, number>();
      for (let i = 0; i < t.step.length; i++) timeAt.set(t.step[i], flowTime[i]);
      if (Array.from(t.sharpnessStep).every((k) => timeAt.has(k))) x = Array.from(t.sharpnessStep, (k) => timeAt.get(k)!);
    }
    const usesTime = x !== t.sharpnessStep;
    const refs: ReferenceLine[] = eta === undefined ? [] : [{ value: 2 / eta, label: '2/η' }];
    panels.push(
      lineChart([{ name, x, y: t.sharpness }], {
        xTitle: usesTime || !flowTime ? xTitle : 'step k',
        yTitle: 'sharpness',
        title: 'sharpness',
        referenceLines: refs,
      }),
    );
  }
  return concatPanels(panels, o.title === undefined ? {} : { title: String(o.title) });
}

/**
 * Options of {@link sweepFigure}.
 *
 * @since 0.2.0
 */
export interface SweepFigureOptions {
  /** Title above the panels. @defaultValue no title */
  title?: string;
}

/**
 * The standard panels of a learning-rate sweep (`lrSweep`, [Conflicting biases, App. G, Fig. 1]): the final
 * sharpness of every converged run against η with the curve 2/η and the flow's s_GF, and the final ℓ1 and ℓ2 norms
 * against η.
 *
 * @remarks
 * The sharpness is the final λ_max of each run (the stability test at a minimum; where the sweep's own convention is
 * max|λ|, the two agree at minimizers). Diverged runs are left out. The critical learning rate η_c = 2/s_GF is where
 * the 2/η curve meets the s_GF line. Cost: one row per run.
 * @param sweep - an `lrSweep` result (also one read back with `resultFromJSON`).
 * @param options - a title.
 * @returns a vega-lite spec (two panels side by side).
 * @throws EosLabError `E_BAD_OPTION` when `sweep` is not an lrSweep result or for an unknown option; `E_EMPTY` when
 *   no run converged.
 * @example
 * ```ts
 * import { diagonalNet, lrSweep } from 'eos-lab';
 * import { sweepFigure } from 'eos-lab/plot';
 * const model = diagonalNet.create({ inputs: [[1, 4]], targets: [2] });
 * const sweep = await lrSweep(model, new Float64Array([0.01, 0.01]), { lossGoal: 1e-4, learningRates: [0.02, 0.05, 0.09], workers: 0 });
 * const spec = sweepFigure(sweep);
 * ```
 * @since 0.2.0
 */
export function sweepFigure(sweep: LrSweepResult, options?: SweepFigureOptions): TopLevelSpec {
  const fn = 'sweepFigure';
  const o = optionsObject(fn, options, ['title']);
  if (sweep === null || typeof sweep !== 'object' || !Array.isArray((sweep as Partial<LrSweepResult>).runs) || typeof sweep.flowSharpness !== 'number') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'sweep', value: sweep, expected: 'an lrSweep result' });
  }
  const done = sweep.runs.filter((r) => r.status !== 'diverged' && r.finalSharpness !== null);
  if (done.length === 0) throw new EosLabError('E_EMPTY', fn, { argument: 'sweep.runs', value: sweep.runs.length, expected: 'at least one run that did not diverge' });
  const eta = done.map((r) => r.learningRate);
  const all = sweep.runs.map((r) => r.learningRate);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  // The 2/η curve over the swept range, on a fine grid so that it reads as a curve.
  const curveX = Array.from({ length: 64 }, (_, i) => lo + ((hi - lo) * i) / 63);
  const sharpSeries: Series[] = [
    { name: 'final λ_max', x: eta, y: done.map((r) => r.finalSharpness!.max), points: true },
    { name: '2/η', x: curveX, y: curveX.map((x) => 2 / x), dash: [6, 3], color: '#555555' },
  ];
  const sharpPanel = lineChart(sharpSeries, {
    xTitle: 'learning rate η',
    yTitle: 'sharpness',
    title: 'final sharpness',
    legendTitle: null,
    referenceLines: Number.isFinite(sweep.flowSharpness) ? [{ value: sweep.flowSharpness, label: 's_GF' }] : [],
  });
  const normPanel = lineChart(
    [
      { name: '‖θ‖₁', x: eta, y: done.map((r) => r.norm1), points: true },
      { name: '‖θ‖₂', x: eta, y: done.map((r) => r.norm2), points: true },
    ],
    { xTitle: 'learning rate η', yTitle: 'norm', title: 'final norms' },
  );
  return concatPanels([sharpPanel, normPanel], o.title === undefined ? {} : { title: String(o.title) });
}

/**
 * Options of {@link gridStudyFigure}.
 *
 * @since 0.2.0
 */
export interface GridStudyFigureOptions {
  /** Title above the panels. @defaultValue no title */
  title?: string;
}

/**
 * The per-rate panels of a `gridStudy` ([Scalar factorization]): the median final sharpness of the converged
 * runs against η with the curve 2/η and the median gradient-flow-solution sharpness, and the fraction of runs that
 * spent their late phase near the edge of stability.
 *
 * @remarks
 * Both statistics use the exact λ_max (`medianSharpnessExact`, `eosFractionExact`). The heat maps of the final
 * sharpness over the grid are not part of this figure. Cost: one row per learning rate.
 * @param study - a `gridStudy` result (also one read back with `resultFromJSON`).
 * @param options - a title.
 * @returns a vega-lite spec (two panels side by side).
 * @throws EosLabError `E_BAD_OPTION` when `study` is not a gridStudy result or for an unknown option.
 * @example
 * ```ts
 * import { gridStudy, scalarFactorization } from 'eos-lab';
 * import { gridStudyFigure } from 'eos-lab/plot';
 * const study = await gridStudy(scalarFactorization.create(), { grid: { n: 15 }, learningRates: [0.3, 0.6, 0.9], workers: 0 });
 * const spec = gridStudyFigure(study);
 * ```
 * @since 0.2.0
 */
export function gridStudyFigure(study: GridStudyResult, options?: GridStudyFigureOptions): TopLevelSpec {
  const fn = 'gridStudyFigure';
  const o = optionsObject(fn, options, ['title']);
  if (study === null || typeof study !== 'object' || !Array.isArray((study as Partial<GridStudyResult>).rates)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'study', value: study, expected: 'a gridStudy result' });
  }
  const eta = study.rates.map((r) => r.learningRate);
  const s = study.rates.map((r) => r.summary);
  const medianPanel = lineChart(
    [
      { name: 'median final λ_max', x: eta, y: s.map((r) => r.medianSharpnessExact), points: true },
      { name: 'median GFS sharpness', x: eta, y: s.map((r) => r.medianGfsSharpness), points: true, dash: [2, 2] },
      { name: '2/η', x: eta, y: eta.map((x) => 2 / x), dash: [6, 3], color: '#555555' },
    ],
    { xTitle: 'learning rate η', yTitle: 'sharpness', title: 'median final sharpness', legendTitle: null },
  );
  const eosPanel = lineChart([{ name: 'EoS fraction', x: eta, y: s.map((r) => r.eosFractionExact), points: true }], {
    xTitle: 'learning rate η',
    yTitle: 'fraction of converged runs',
    title: 'near the edge of stability',
  });
  return concatPanels([medianPanel, eosPanel], o.title === undefined ? {} : { title: String(o.title) });
}

/**
 * Options of {@link gridStudyHeatmap}.
 *
 * @since 0.2.0
 */
export interface GridStudyHeatmapOptions {
  /**
   * Which learning rate of the study to draw (one of `study.settings.learningRates`).
   * @defaultValue the largest
   */
  learningRate?: number;
  /** `'exact'` (final λ_max) or `'proxy'` (x² + y², the [Scalar factorization] proxy). @defaultValue 'exact' */
  quantity?: 'exact' | 'proxy';
  /** Plot width and height in pixels. @defaultValue 300 */
  size?: number;
}

/**
 * A heat map of a `gridStudy` over its lattice of starts at one learning rate ([Scalar factorization]'s
 * figure): each start (x₀, y₀) is a cell coloured by the final sharpness of its run (viridis), gray where GD did not
 * converge; the title gives η and 2/η.
 *
 * @remarks
 * One `rect` per start (15,373 for the full disk: the SVG is a few megabytes). Needs a lattice study (`grid`, not
 * custom `starts`) with two parameters. Cost: one row per start.
 * @param study - a `gridStudy` result on a lattice.
 * @param options - the learning rate, the quantity and the size.
 * @returns a vega-lite spec.
 * @throws EosLabError `E_BAD_OPTION` when `study` is not a lattice grid study of a 2-parameter model, the learning
 *   rate is not one of the study's, or for an unknown option.
 * @example
 * ```ts
 * import { gridStudy, scalarFactorization } from 'eos-lab';
 * import { gridStudyHeatmap } from 'eos-lab/plot';
 * const study = await gridStudy(scalarFactorization.create(), { grid: { n: 21 }, learningRates: [0.5, 0.9], workers: 0 });
 * const spec = gridStudyHeatmap(study, { learningRate: 0.9 });
 * ```
 * @since 0.2.0
 */
export function gridStudyHeatmap(study: GridStudyResult, options?: GridStudyHeatmapOptions): TopLevelSpec {
  const fn = 'gridStudyHeatmap';
  const o = optionsObject(fn, options, ['learningRate', 'quantity', 'size']);
  const grid = (study as Partial<GridStudyResult> | null)?.grid;
  if (grid === undefined || grid === null || !Array.isArray(study.rates) || study.starts.shape[1] !== 2) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'study', value: study, expected: 'a gridStudy result on a lattice (option grid) of a model with 2 parameters' });
  }
  const rates = study.rates.map((r) => r.learningRate);
  const eta = o.learningRate ?? Math.max(...rates);
  const r = rates.indexOf(eta);
  if (r < 0) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.learningRate', value: o.learningRate, expected: `one of the study's learning rates ${rates.join(', ')}` });
  const quantity = o.quantity ?? 'exact';
  if (quantity !== 'exact' && quantity !== 'proxy') throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.quantity', value: quantity, expected: "'exact' or 'proxy'" });
  const size = o.size === undefined ? 300 : positiveFinite(fn, 'options.size', o.size);
  const rate = study.rates[r];
  const values = quantity === 'exact' ? rate.sharpnessExact : rate.sharpnessProxy;
  const half = grid.n > 1 ? grid.radius / (grid.n - 1) : grid.radius; // half the lattice spacing
  const converged: { x: number; y: number; x2: number; y2: number; s: number }[] = [];
  const other: { x: number; y: number; x2: number; y2: number }[] = [];
  for (let i = 0; i < grid.count; i++) {
    const cell = { x: grid.x[i] - half, y: grid.y[i] - half, x2: grid.x[i] + half, y2: grid.y[i] + half };
    if (rate.status[i] === 0 && Number.isFinite(values[i])) converged.push({ ...cell, s: values[i] });
    else other.push(cell);
  }
  const extent = grid.radius + half;
  const scale = { domain: [-extent, extent], nice: false, zero: false };
  const position = {
    x: { field: 'x', type: 'quantitative', scale, title: 'x₀' },
    x2: { field: 'x2' },
    y: { field: 'y', type: 'quantitative', scale, title: 'y₀' },
    y2: { field: 'y2' },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `η = ${eta} (2/η = ${Number((2 / eta).toPrecision(4))})`,
    width: size,
    height: size,
    layer: [
      { data: { values: other }, mark: { type: 'rect', color: '#bbbbbb' }, encoding: position },
      {
        data: { values: converged },
        mark: { type: 'rect' },
        encoding: {
          ...position,
          color: { field: 's', type: 'quantitative', title: quantity === 'exact' ? 'final λ_max' : 'final x² + y²', scale: { scheme: 'viridis' } },
        },
      },
    ],
  } as unknown as TopLevelSpec;
}
