/**
 * Example `spectrum` ([Ghorbani et al. 2019], [PyHessian], [Cohen et al. 2021]): the Hessian spectrum of the
 * Chebyshev tanh MLP of `mlp-eos` along full-batch GD — the SLQ spectral density at initialization, at the onset of
 * the edge of stability and at the end (a few outliers separating from a bulk), the top-5 eigenvalues tracked by
 * warm-started Lanczos, and the trace by Hutchinson's estimator along training.
 *
 * Writes `summary.json` (settings, thresholds, per-checkpoint statistics, claims with numbers), `spectra.json`
 * (densities, SLQ nodes and weights, top-k records, trace along training) and the figures `density.svg`, `top-k.svg`,
 * `trace.svg`, `loss.svg`, `alignment.svg` (|cos| of each recorded step with the top eigenvector) and `figure.svg`
 * (all five panels).
 */
import type { Example } from '../types.js';
import { DEFAULT_SETTINGS, QUICK_SETTINGS, computeSpectrum } from './compute.js';
import { alignmentFigure, combinedFigure, densityFigure, lossFigure, topKFigure, traceFigure } from './figures.js';

export const spectrum: Example = {
  name: 'spectrum',
  title: 'Hessian spectrum along GD on a tanh MLP: SLQ density, top-k, trace',
  description:
    'GD on the Chebyshev tanh MLP: the Hessian spectral density by stochastic Lanczos quadrature at initialization, at ' +
    'the onset of the edge of stability and at the end (outliers separating from a bulk), the top-5 eigenvalues by ' +
    'warm-started Lanczos against 2/η, and the Hessian trace by Hutchinson’s estimator along training.',
  async run(ctx) {
    const settings = ctx.quick ? QUICK_SETTINGS : DEFAULT_SETTINGS;
    const result = computeSpectrum(settings, (m) => ctx.progress(m));
    const { summary } = result;
    await ctx.writeJson('summary.json', summary);
    await ctx.writeJson('spectra.json', {
      checkpoints: result.checkpoints.map((c) => ({ label: c.label, step: c.step, grid: c.grid, density: c.density, nodes: c.nodes, weights: c.weights })),
      topK: result.topK,
      alignment: result.alignment,
      trace: result.trace,
    });
    await ctx.writeSvg('density.svg', densityFigure(result));
    await ctx.writeSvg('top-k.svg', topKFigure(result));
    await ctx.writeSvg('trace.svg', traceFigure(result));
    await ctx.writeSvg('loss.svg', lossFigure(result));
    await ctx.writeSvg('alignment.svg', alignmentFigure(result));
    await ctx.writeSvg('figure.svg', combinedFigure(result));

    ctx.report(
      `${summary.model}; p = ${summary.dim}; η = ${settings.learningRate} (2/η = ${summary.stabilityLimit}); ${settings.steps} steps; ` +
        `top-${settings.topK} every ${settings.topKEvery} steps: ${summary.topKHvps.total} HVPs over ${summary.topKHvps.records} records`,
    );
    for (const c of summary.claims) ctx.report(`${c.holds ? 'reproduces' : 'does NOT reproduce'}: ${c.claim} — ${c.numbers}`);
  },
};
