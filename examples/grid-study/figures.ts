/**
 * The figures of the `grid-study` example: heat maps of the final sharpness over the disk of starts (gray where GD
 * did not converge, white level curves of the imbalance x² − y²), the median final sharpness against η and the
 * EoS fraction against η for the four shapes.
 */
import type { TopLevelSpec } from 'vega-lite';
import { GRID_SHAPES } from '../../src/experiments/grid-study/grid.js';
import type { GridStudyResult } from '../../src/experiments/grid-study/grid-study.js';
import { concatPanels, lineChart, type Series } from '../../src/plot/index.js';
import type { GridStudies } from './compute.js';
import type { CriterionRow } from './criterion.js';
import { pngDataUrl } from './png.js';

/** Imbalance levels k of the white curves x² − y² = k. */
export const IMBALANCE_LEVELS = [-7, -5, -3, -1, 0, 1, 3, 5, 7];

/** A polyline of a level curve. */
interface CurvePoint {
  curve: string;
  i: number;
  x: number;
  y: number;
}

/**
 * The level curves x² − y² = k inside the disk x² + y² ≤ r², sampled analytically (no contouring): for k > 0 the
 * branches x = ±√(k + y²), |y| ≤ √((r² − k)/2); for k < 0 the same with x and y swapped; for k = 0 the diagonals.
 */
export function imbalanceCurves(levels: readonly number[], radius: number, samples = 80): CurvePoint[] {
  const points: CurvePoint[] = [];
  const r2 = radius * radius;
  for (const k of levels) {
    if (Math.abs(k) >= r2) continue;
    const t = Math.sqrt((r2 - Math.abs(k)) / 2); // range of the free coordinate inside the disk
    for (const sign of [1, -1]) {
      const curve = `${k}:${sign}`;
      for (let i = 0; i < samples; i++) {
        const u = -t + (2 * t * i) / (samples - 1);
        const v = sign * Math.sqrt(Math.abs(k) + u * u);
        // k ≥ 0: x = v, y = u (k = 0 gives y = ±x); k < 0: y = v, x = u.
        points.push(k >= 0 ? { curve, i, x: v, y: u } : { curve, i, x: u, y: v });
      }
    }
  }
  return points;
}

/** Colour of a non-converged start. */
const GRAY: readonly [number, number, number] = [160, 160, 160];

/** [r, g, b] of a CSS `rgb(r, g, b)` or `#rrggbb` colour (what vega's schemes return). */
function parseColor(css: string): [number, number, number] {
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (h) return [parseInt(h[1], 16), parseInt(h[2], 16), parseInt(h[3], 16)];
  throw new Error(`unexpected colour ${css}`);
}

/**
 * Heat map of the final λ_max over the start lattice at learning rate index `r`: one pixel per lattice point (an
 * embedded PNG, drawn without smoothing), viridis over [2, max] for converged runs, gray for the others, transparent
 * outside the mask; a colour legend from an invisible layer on the same scale; the white imbalance curves on top.
 */
export function heatmap(study: GridStudyResult, r: number, viridis: (t: number) => string, options: { width?: number } = {}): TopLevelSpec {
  const grid = study.grid!;
  const rate = study.rates[r];
  const n = grid.n;
  let max = 2;
  for (let s = 0; s < grid.count; s++) if (rate.status[s] === 0) max = Math.max(max, rate.sharpnessExact[s]);
  const top = Number(max.toPrecision(3)) > 2 ? Number(max.toPrecision(3)) : 2.01;
  // Each lattice point becomes a block of `zoom` × `zoom` pixels, so the cells stay sharp even where a viewer
  // smooths images (the image is also marked `image-rendering: pixelated`).
  const width = options.width ?? 230;
  const zoom = Math.max(1, Math.ceil(width / n));
  const side = n * zoom;
  const pixels = new Uint8Array(4 * side * side); // transparent outside the mask
  for (let s = 0; s < grid.count; s++) {
    const row = n - 1 - grid.iy[s]; // image rows run from the largest y₀ down
    const rgb = rate.status[s] === 0 ? parseColor(viridis(Math.min(1, (rate.sharpnessExact[s] - 2) / (top - 2)))) : GRAY;
    for (let dy = 0; dy < zoom; dy++) {
      for (let dx = 0; dx < zoom; dx++) pixels.set([...rgb, 255], 4 * ((row * zoom + dy) * side + grid.ix[s] * zoom + dx));
    }
  }
  const h = grid.radius / (n - 1); // half the lattice spacing: each pixel is centred on its lattice point
  const extent = grid.radius + h;
  const scale = { domain: [-extent, extent], nice: false, zero: false };
  return {
    title: `η = ${rate.learningRate} (2/η = ${Number((2 / rate.learningRate).toPrecision(3))})`,
    width,
    height: width,
    layer: [
      {
        data: { values: [{}] },
        mark: { type: 'image', aspect: false, smooth: false },
        encoding: {
          x: { datum: -extent, type: 'quantitative', scale, axis: { grid: false }, title: 'x₀' },
          x2: { datum: extent },
          y: { datum: extent, type: 'quantitative', scale, axis: { grid: false }, title: 'y₀' },
          y2: { datum: -extent },
          url: { value: pngDataUrl(side, side, pixels) },
        },
      },
      {
        // Invisible: only carries the colour scale, so the legend matches the pixels' viridis over [2, top].
        data: { values: [{ s: 2 }, { s: top }] },
        mark: { type: 'point', opacity: 0 },
        encoding: {
          x: { datum: 0, type: 'quantitative', title: 'x₀' },
          y: { datum: 0, type: 'quantitative', title: 'y₀' },
          color: {
            field: 's',
            type: 'quantitative',
            title: 'final λ_max',
            scale: { scheme: 'viridis', domain: [2, top] },
            legend: { gradientLength: Math.round(width * 0.8), symbolOpacity: 1 },
          },
        },
      },
      {
        data: { values: imbalanceCurves(IMBALANCE_LEVELS, grid.radius) },
        mark: { type: 'line', color: 'white', strokeWidth: 1, clip: true },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'x₀' },
          y: { field: 'y', type: 'quantitative', title: 'y₀' },
          detail: { field: 'curve', type: 'nominal' },
          order: { field: 'i', type: 'quantitative' },
        },
      },
    ],
  } as unknown as TopLevelSpec;
}

/** The heat maps of the disk at the settings' map learning rates, side by side. */
export function heatmapsFigure(r: GridStudies, viridis: (t: number) => string): TopLevelSpec {
  const study = r.studies.disk;
  const panels = r.settings.mapRates.map((eta) => heatmap(study, study.settings.learningRates.indexOf(eta), viridis));
  return concatPanels(panels, {
    columns: 2,
    title: `Final λ_max from each start of the disk x² + y² ≤ ${study.grid!.radius ** 2} (${study.grid!.count} starts); gray: not converged; white: x² − y² = const`,
  });
}

/**
 * Sets one y range on every layer of a {@link lineChart} spec (lineChart fits each panel to its own data; panels to be
 * compared need the same axis).
 */
function withYDomain(spec: TopLevelSpec, domain: [number, number]): TopLevelSpec {
  const layers = (spec as unknown as { layer: { encoding?: { y?: { scale?: Record<string, unknown> } } }[] }).layer;
  for (const layer of layers) {
    const y = layer.encoding?.y;
    if (y !== undefined) y.scale = { ...(y.scale ?? {}), domain, nice: false, zero: false };
  }
  return spec;
}

/**
 * Median final sharpness against η: proxy, exact, gradient flow from the converged starts and from all starts (those
 * that reach a minimizer), and the minimum 2; one panel per shape, all on one y range.
 */
export function medianFigure(r: GridStudies): TopLevelSpec {
  let top = 2;
  for (const shape of GRID_SHAPES) {
    for (const { summary: x } of r.studies[shape].rates) top = Math.max(top, x.medianSharpnessProxy, x.medianSharpnessExact, x.medianGfsSharpness);
    top = Math.max(top, r.studies[shape].gradientFlow!.medianSharpness);
  }
  const domain: [number, number] = [1.9, Math.ceil(top * 10 + 1) / 10];
  const panels = GRID_SHAPES.map((shape) => {
    const rates = r.studies[shape].rates.map((x) => x.summary);
    const eta = rates.map((x) => x.learningRate);
    const gfAll = r.studies[shape].gradientFlow!.medianSharpness;
    const series: Series[] = [
      { name: 'GD, proxy x² + y²', x: eta, y: rates.map((x) => x.medianSharpnessProxy), points: true },
      { name: 'GD, exact λ_max', x: eta, y: rates.map((x) => x.medianSharpnessExact), dash: [4, 3] },
      { name: 'gradient flow √(δ² + 4), converged starts', x: eta, y: rates.map((x) => x.medianGfsSharpness), color: '#555555', dash: [2, 2] },
      { name: 'gradient flow, all starts', x: eta, y: eta.map(() => gfAll), color: '#aaaaaa', dash: [8, 3] },
    ];
    return withYDomain(
      lineChart(series, {
        title: `${shape} (${r.studies[shape].starts.shape[0]} starts)`,
        xTitle: 'learning rate η',
        yTitle: 'median final sharpness',
        referenceLines: [{ value: 2, label: 'minimum 2', labelPosition: 'start' }],
        width: 250,
        height: 200,
      }),
      domain,
    );
  });
  return concatPanels(panels, { columns: 2, title: 'Median final sharpness against η, one y range for all shapes [Scalar factorization]' });
}

/**
 * Fraction of converged runs near the EoS (median late |ηs − 2| < 0.1) against η, with the final-value fraction (forced
 * to 1 for η > 0.95) and the non-vacuous "EoS-driven" fraction (see criterion.ts); one panel per shape.
 */
export function eosFigure(r: GridStudies, criterion: readonly CriterionRow[]): TopLevelSpec {
  const panels = GRID_SHAPES.map((shape) => {
    const rates = r.studies[shape].rates.map((x) => x.summary);
    const eta = rates.map((x) => x.learningRate);
    const own = criterion.filter((x) => x.shape === shape);
    return lineChart(
      [
        { name: 'proxy s = x² + y²', x: eta, y: rates.map((x) => x.eosFractionProxy), points: true },
        { name: 'exact λ_max', x: eta, y: rates.map((x) => x.eosFractionExact), dash: [4, 3] },
        { name: 'final |ηs − 2| < 0.1 (forced for η > 0.95)', x: eta, y: own.map((x) => x.finalInBand), color: '#bbbbbb', dash: [2, 2] },
        { name: 'EoS-driven: and η·s_GF − 2 ≥ 0.1', x: eta, y: own.map((x) => x.drivenFraction), color: '#d62728', points: true },
      ],
      { title: shape, xTitle: 'learning rate η', yTitle: 'fraction with median |ηs − 2| < 0.1', width: 250, height: 200 },
    );
  });
  return concatPanels(panels, { columns: 2, title: 'Converged runs whose late phase stayed near the edge of stability [Scalar factorization]' });
}
