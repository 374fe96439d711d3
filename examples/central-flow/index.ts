/**
 * Example `central-flow`: the central flow of GD [Central flows] against GD and gradient flow on the scalar
 * factorization ½(1 − xy)², the empirical width-one net and a tanh MLP [1, 16, 16, 1] on Chebyshev data. Writes `summary.json` (settings, events, work counts, the
 * checks with their thresholds and verdicts, the loss-prediction errors), `traces.json` and `figure.svg`; prints the
 * summary of verdicts as JSON.
 */
import type { Example } from '../types.js';
import { computeCase, DEFAULT_CASES, lossPredictionErrors, QUICK_CASES, THRESHOLDS, verdicts } from './compute.js';
import { centralFlowFigure } from './figures.js';

export const centralFlowExample: Example = {
  name: 'central-flow',
  title: 'Central flows: the time-averaged path of GD at the edge of stability',
  description:
    'GD, gradient flow and the central flow (σ² on the top eigenvector, S held at 2/η) on ½(1 − xy)², the empirical ' +
    'width-one net and a tanh MLP on Chebyshev data: loss (GD, its window mean, the predicted L + ½⟨Σ, H⟩), ' +
    'sharpness against 2/η, and the ' +
    'distance of GD’s window mean to each flow, with the checks of the central-flow issue and plain verdicts.',
  async run(ctx) {
    const cases = (ctx.quick ? QUICK_CASES : DEFAULT_CASES).map((c) => computeCase(c, (m) => ctx.progress(m)));
    const [scalar, width, mlp] = cases;
    const checks = verdicts(scalar, width, mlp);
    const summary = {
      thresholds: THRESHOLDS,
      cases: cases.map((c) => ({
        name: c.name,
        learningRate: c.learningRate,
        edge: c.threshold,
        events: c.events,
        stats: c.stats,
        end: {
          gdWindowMeanTheta: c.gdMeanTheta.at(-1),
          centralFlowTheta: c.cfTheta.at(-1),
          gdSharpness: c.gdSharpness.at(-1),
          centralFlowSharpness: c.cfSharpness.at(-1),
          gradientFlowSharpness: c.gfSharpness.at(-1),
          distanceCentral: c.distanceCentral.at(-1),
          distanceGradient: c.distanceGradient.at(-1),
        },
        maxDistanceCentral: Math.max(...c.distanceCentral),
        maxDistanceGradient: Math.max(...c.distanceGradient),
        lossPredictionRelativeError: lossPredictionErrors(c),
      })),
      checks,
      allHold: checks.every((v) => v.holds),
    };
    await ctx.writeJson('summary.json', summary);
    await ctx.writeJson('traces.json', cases);
    await ctx.writeSvg('figure.svg', centralFlowFigure(cases));
    for (const v of checks) ctx.report(`${v.holds ? 'HOLDS' : 'FAILS'}: ${v.check} = ${v.value.toExponential(2)} (threshold ${v.threshold})${v.note ? ` [${v.note}]` : ''}`);
    console.log(JSON.stringify({ checks: checks.map((v) => ({ check: v.check, value: v.value, threshold: v.threshold, holds: v.holds })) }, null, 2));
  },
};
