/**
 * The figures of the `eos-post-claims` example: the loss of GD on a quadratic below and above η = 2/λ_max, the
 * sharpness of a rescaled ReLU network against the scale c, and the catapult runs (loss and λ_max·η/2 against the
 * step).
 */
import type { TopLevelSpec } from 'vega-lite';
import { concatPanels, lineChart, type Series } from '../../src/plot/index.js';
import type { CatapultRun, QuadraticRun, RescaleRow } from './compute.js';

function ratioName(ratio: number, of: string): string {
  return `η = ${ratio}·2/${of}`;
}

/** A: L(θ_k) against k for each η, log scale. */
export function descentLemmaFigure(runs: readonly QuadraticRun[]): TopLevelSpec {
  const series: Series[] = runs.map((r) => ({ name: ratioName(r.ratio, 'λ_max'), x: r.step, y: r.loss, points: true }));
  return lineChart(series, {
    title: 'GD on L(θ) = ½ Σ λᵢθᵢ², λ = (4, 1, 0.25): decrease for η < 2/λ_max, divergence above',
    xTitle: 'step k',
    yTitle: 'L(θ_k)',
    logY: true,
    width: 420,
  });
}

/** B: λ_max against log₂ c with the proven lower bound, and the (identical) loss. */
export function rescaleFigure(rows: readonly RescaleRow[]): TopLevelSpec {
  const x = rows.map((r) => Math.log2(r.c));
  const sharp = lineChart(
    [
      { name: 'λ_max(∇²L(θ_c))', x, y: rows.map((r) => r.sharpness), points: true },
      { name: 'lower bound max(c²μ₂, μ₁/c²)', x, y: rows.map((r) => r.lowerBound), color: '#555555', dash: [4, 3] },
    ],
    { title: 'sharpness', xTitle: 'log₂ c', yTitle: 'λ_max', logY: true, width: 300 },
  );
  const loss = lineChart([{ name: 'L(θ_c)', x, y: rows.map((r) => r.loss), points: true }], {
    title: 'loss (bit-identical for every c)',
    xTitle: 'log₂ c',
    yTitle: 'L',
    width: 300,
  });
  return concatPanels([sharp, loss], {
    columns: 2,
    title: 'ReLU net [1, h, 1]: W₁, b₁ → c·W₁, c·b₁ and W₂ → W₂/c leave the function unchanged [Dinh et al. 2017]',
  });
}

/** C: loss and λ_max/(2/η) against the step for each η. */
export function catapultFigure(runs: readonly CatapultRun[], lambda0: number): TopLevelSpec {
  const loss = lineChart(
    runs.map((r) => ({ name: ratioName(r.ratio, 'λ₀'), x: r.step, y: r.loss })),
    { title: 'loss', xTitle: 'step k', yTitle: 'L(θ_k)', logY: true, width: 330 },
  );
  const edge = lineChart(
    runs.map((r) => ({ name: ratioName(r.ratio, 'λ₀'), x: r.sharpnessStep, y: r.sharpness.map((s) => (s * r.learningRate) / 2) })),
    {
      title: 'sharpness relative to the edge',
      xTitle: 'step k',
      yTitle: 'λ_max(θ_k)·η/2',
      logY: true,
      referenceLines: [{ value: 1, label: 'λ_max = 2/η' }],
      width: 330,
    },
  );
  return concatPanels([loss, edge], {
    columns: 2,
    title: `Catapult [Lewkowycz et al. 2020]: ReLU net on Chebyshev T₄, λ₀ = λ_max(θ₀) = ${Number(lambda0.toPrecision(4))}`,
  });
}
