import { describe, expect, it } from 'vitest';
import {
  diagonalNet,
  gd,
  gradientFlow,
  gridStudy,
  lrSweep,
  resultFromJSON,
  resultToJSON,
  scalarFactorization,
  stepSize,
} from '../../src/index.js';
import { gridStudyFigure, renderSvg, sweepFigure, traceFigure } from '../../src/plot/index.js';
import { loadRenderer } from '../../src/plot/render.js';
import { errorCode, thrown } from '../helpers/errors.js';

type Row = { series: string; i: number; x: number; y: number };
type Layer = { data?: { values: Row[] }; mark?: unknown; encoding?: { y?: { datum?: number } } };
type Panel = { layer: Layer[]; title?: unknown };

/** The data rows of one series of a panel, as (x, y) pairs. */
function seriesOf(panel: Panel, name: string): [number, number][] {
  for (const layer of panel.layer) {
    const rows = layer.data?.values.filter((r) => r.series === name);
    if (rows && rows.length > 0) return rows.map((r) => [r.x, r.y]);
  }
  return [];
}

describe('traceFigure', () => {
  const model = scalarFactorization.create();
  const theta0 = new Float64Array([2, 0.65]);

  it('GD: the loss panel holds the trace (step, loss); the sharpness panel the tracked sharpness and a 2/η line', async () => {
    const run = gd(model, theta0, { learningRate: 0.5, lossGoal: 1e-12, record: { every: 2, sharpnessEvery: 3 } });
    const spec = traceFigure(run, { learningRate: 0.5, name: 'GD' }) as unknown as { concat: Panel[] };
    expect(spec.concat).toHaveLength(2);
    const loss = seriesOf(spec.concat[0], 'GD');
    expect(loss).toEqual(Array.from(run.trace.step, (k, i) => [k, run.trace.loss[i]]).filter(([, y]) => y > 0));
    expect(seriesOf(spec.concat[1], 'GD')).toEqual(Array.from(run.trace.sharpnessStep, (k, i) => [k, run.trace.sharpness[i]]));
    expect(JSON.stringify(spec.concat[1])).toContain('"2/η"');
    expect(JSON.stringify(spec.concat[1])).toContain('4'); // 2/η = 4
    const svg = await renderSvg(spec as never, { onWarning: (m) => expect.fail(m) });
    expect(svg.startsWith('<svg')).toBe(true);
  });

  it('gradient flow: x is the flow time; a result read back from JSON plots the same', () => {
    const flow = gradientFlow(model, theta0, { step: stepSize.fixed(0.05), lossGoal: 1e-8, record: { every: 1, sharpnessEvery: 4 } });
    const spec = traceFigure(flow) as unknown as { concat: Panel[] };
    expect(seriesOf(spec.concat[0], 'run').map(([x]) => x)).toEqual(Array.from(flow.trace.time).slice(0, seriesOf(spec.concat[0], 'run').length));
    expect(seriesOf(spec.concat[1], 'run').map(([x]) => x)).toEqual(Array.from(flow.trace.sharpnessStep, (k) => flow.trace.time[k]));
    const back = resultFromJSON(JSON.parse(JSON.stringify(resultToJSON('gradientFlow', flow))), 'gradientFlow');
    expect(traceFigure(back)).toEqual(traceFigure(flow));
  });

  it('no sharpness recorded: the loss panel only; bad input', () => {
    const run = gd(model, theta0, { learningRate: 0.1, maxSteps: 10 });
    expect((traceFigure(run) as unknown as { concat: Panel[] }).concat).toHaveLength(1);
    expect(thrown(() => traceFigure({})).details.argument).toBe('run');
    expect(thrown(() => traceFigure(run, { learningRate: -1 })).details.argument).toBe('options.learningRate');
    expect(errorCode(() => traceFigure(run, { eta: 1 } as never))).toBe('E_BAD_OPTION');
    const none = gd(model, theta0, { learningRate: 0.1, maxSteps: 10, record: { every: 0 } });
    expect(errorCode(() => traceFigure(none))).toBe('E_EMPTY');
  });
});

describe('sweepFigure and gridStudyFigure', () => {
  it('sweep: final λ_max of the converged runs against η, with 2/η and s_GF; norms', async () => {
    const net = diagonalNet.create({ inputs: [[1, 4]], targets: [2] });
    const sweep = await lrSweep(net, new Float64Array([0.01, 0.01]), { lossGoal: 1e-4, learningRates: [0.02, 0.05, 0.09, 0.5], workers: 0 });
    const done = sweep.runs.filter((r) => r.status !== 'diverged');
    expect(done.length).toBeLessThan(sweep.runs.length); // η = 0.5 diverges and is left out
    const spec = sweepFigure(sweep) as unknown as { concat: Panel[] };
    expect(seriesOf(spec.concat[0], 'final λ_max')).toEqual(done.map((r) => [r.learningRate, r.finalSharpness!.max]));
    const curve = seriesOf(spec.concat[0], '2/η');
    for (const [x, y] of curve) expect(y).toBe(2 / x);
    expect(seriesOf(spec.concat[1], '‖θ‖₁')).toEqual(done.map((r) => [r.learningRate, r.norm1]));
    expect(JSON.stringify(spec.concat[0])).toContain('s_GF');
    expect((await renderSvg(spec as never, { onWarning: () => {} })).startsWith('<svg')).toBe(true);
    expect(thrown(() => sweepFigure({} as never)).details.argument).toBe('sweep');
  });

  it('grid study: median final sharpness and EoS fraction per η', async () => {
    const study = await gridStudy(scalarFactorization.create(), { grid: { n: 11 }, learningRates: [0.3, 0.9], maxSteps: 5000, workers: 0 });
    const spec = gridStudyFigure(study) as unknown as { concat: Panel[] };
    expect(seriesOf(spec.concat[0], 'median final λ_max')).toEqual(study.rates.map((r) => [r.learningRate, r.summary.medianSharpnessExact]));
    expect(seriesOf(spec.concat[1], 'EoS fraction')).toEqual(study.rates.map((r) => [r.learningRate, r.summary.eosFractionExact]));
    expect(thrown(() => gridStudyFigure({} as never)).details.argument).toBe('study');
  });
});

describe('rendering needs the optional peers vega and vega-lite', () => {
  it('a missing peer is E_NOT_SUPPORTED naming it; other load errors pass through', async () => {
    const missing = (id: string): Promise<unknown> => {
      const e = new Error(`Cannot find package '${id}' imported from x`) as Error & { code: string };
      e.code = 'ERR_MODULE_NOT_FOUND';
      return Promise.reject(e);
    };
    const err = await loadRenderer('renderSvg', missing).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('E_NOT_SUPPORTED');
    expect(String((err as Error).message)).toContain("'vega'");
    const boom = new Error('broken');
    await expect(loadRenderer('renderSvg', () => Promise.reject(boom))).rejects.toBe(boom);
  });
});

describe('gridStudyHeatmap', () => {
  it('one cell per start: converged starts coloured by their final λ_max, the others gray; renders', async () => {
    const { gridStudyHeatmap } = await import('../../src/plot/index.js');
    const study = await gridStudy(scalarFactorization.create(), { grid: { n: 9 }, learningRates: [0.5, 1.2], maxSteps: 2000, workers: 0 });
    const spec = gridStudyHeatmap(study, { learningRate: 0.5 }) as unknown as { layer: { data: { values: { x: number; x2: number; s?: number }[] } }[] };
    const rate = study.rates[0];
    const grid = study.grid!;
    const converged = Array.from(rate.status).filter((c) => c === 0).length;
    expect(spec.layer[1].data.values).toHaveLength(converged);
    expect(spec.layer[0].data.values.length + converged).toBe(grid.count);
    const s0 = Array.from(rate.status).indexOf(0);
    const half = grid.radius / (grid.n - 1);
    expect(spec.layer[1].data.values[0]).toEqual({ x: grid.x[s0] - half, y: grid.y[s0] - half, x2: grid.x[s0] + half, y2: grid.y[s0] + half, s: rate.sharpnessExact[s0] });
    expect((await renderSvg(spec as never, { onWarning: () => {} })).startsWith('<svg')).toBe(true);
    // At η = 1.2 > 1 no minimizer of ½(1 − xy)² is stable: nothing converges, every cell is gray.
    const unstable = gridStudyHeatmap(study) as unknown as { layer: { data: { values: unknown[] } }[] };
    expect(unstable.layer[1].data.values).toHaveLength(0);
    expect(() => gridStudyHeatmap(study, { learningRate: 0.7 })).toThrow(/one of the study's learning rates/);
  });
});
