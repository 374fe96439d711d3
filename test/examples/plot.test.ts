import { describe, expect, it } from 'vitest';
import { SERIES_PALETTE, concatPanels, lineChart, planePaths, renderSvg } from '../../src/plot/index.js';
import { checkSvg } from './svg-check.js';
import { errorCode as codeOf } from '../helpers/errors.js';

type Layer = { data: { values: Record<string, unknown>[] }; mark: Record<string, unknown>; encoding: Record<string, any> };

function layers(spec: unknown): Layer[] {
  return (spec as { layer: Layer[] }).layer;
}


async function render(spec: Parameters<typeof renderSvg>[0]): Promise<{ svg: string; warnings: string[] }> {
  const warnings: string[] = [];
  const svg = await renderSvg(spec, { onWarning: (m) => warnings.push(m) });
  return { svg, warnings };
}

describe('lineChart', () => {
  const steps = [0, 1, 2, 3, 4, 5];
  // y has a zero, a negative, a NaN and three positive values: a log axis can show only the positive ones.
  const ys = [1, 0.1, 0, -1, Number.NaN, 1e-3];

  it('keeps every finite point on a linear axis and only y > 0 on a log axis', () => {
    const linear = lineChart([{ name: 'a', x: steps, y: ys }]);
    expect(layers(linear)[0].data.values.map((r) => r.i)).toEqual([0, 1, 2, 3, 5]);
    const log = lineChart([{ name: 'a', x: steps, y: ys }], { logY: true });
    expect(layers(log)[0].data.values.map((r) => r.y)).toEqual([1, 0.1, 1e-3]);
    expect(layers(log)[0].encoding.y.scale.type).toBe('log');
  });

  it('colours series in palette order and reference lines like the series they name', () => {
    const spec = lineChart(
      [
        { name: 'first', x: steps, y: steps },
        { name: 'second', x: steps, y: steps, color: '#123456' },
        { name: 'third', x: steps, y: steps },
      ],
      { referenceLines: [{ value: 4, series: 'third', label: '2/η' }, { value: 1 }] },
    );
    const color = layers(spec)[0].encoding.color.scale;
    expect(color.domain).toEqual(['first', 'second', 'third']);
    expect(color.range).toEqual([SERIES_PALETTE[0], '#123456', SERIES_PALETTE[2]]);
    const rules = layers(spec).filter((l) => l.mark.type === 'rule');
    expect(rules.map((r) => [r.data.values[0].y, r.mark.color])).toEqual([
      [4, SERIES_PALETTE[2]],
      [1, '#555555'],
    ]);
    const labels = layers(spec).filter((l) => l.mark.type === 'text');
    expect(labels.map((l) => l.data.values[0].label)).toEqual(['2/η']);
  });

  it('renders valid SVG with titles, legend labels and reference labels, without warnings', async () => {
    const spec = lineChart(
      [
        { name: 'GD η = 0.1', x: steps, y: [1, 0.5, 0.25, 0.125, 0.0625, 0.03125] },
        { name: 'GD η = 0.5 <&>', x: new Float64Array(steps), y: new Float64Array([1, 0.1, 0.01, 1e-3, 1e-4, 0]) },
      ],
      { title: 'loss', logY: true, xTitle: 'step', yTitle: 'L', referenceLines: [{ value: 0.01, label: 'goal' }] },
    );
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    const check = checkSvg(svg);
    expect(check.problem).toBeUndefined();
    for (const t of ['loss', 'step', 'L', 'goal', 'GD η = 0.1', 'GD η = 0.5 &lt;&amp;&gt;']) expect(check.texts).toContain(t);
    // Log axis labelled at powers of ten only: 1e-4 … 1e+0 (the data span).
    const yLabels = check.texts.filter((t) => /^\d+(\.\d+)?e[+-]\d+$/.test(t)).sort();
    expect(yLabels).toEqual(['1e+0', '1e-1', '1e-2', '1e-3', '1e-4']);
  });

  it('ticks a log axis spanning at most three decades at 1, 2, 5 × 10ᵉ, including reference lines', () => {
    // Data in [1.3, 6]; the reference line at 20 widens the span to [1.3, 20] (two decades).
    const spec = lineChart([{ name: 's', x: [0, 1, 2], y: [6, 1.3, 2] }], {
      logY: true,
      referenceLines: [{ value: 20, label: 'top', labelPosition: 'start' }],
    });
    expect(layers(spec)[0].encoding.y.axis.values).toEqual([1, 2, 5, 10, 20]);
    const label = layers(spec).find((l) => l.mark.type === 'text');
    expect(label?.mark.align).toBe('left');
    expect(codeOf(() => lineChart([{ name: 's', x: [0], y: [1] }], { referenceLines: [{ value: 1, labelPosition: 'middle' as never }] }))).toBe(
      'E_BAD_OPTION',
    );
  });

  it('rejects malformed input with the right code', () => {
    expect(codeOf(() => lineChart([]))).toBe('E_EMPTY');
    expect(codeOf(() => lineChart([{ name: 'a', x: [1, 2], y: [1] }]))).toBe('E_DIM_MISMATCH');
    expect(codeOf(() => lineChart([{ name: 'a', x: [1], y: [1] }, { name: 'a', x: [1], y: [1] }]))).toBe('E_BAD_OPTION');
    expect(codeOf(() => lineChart([{ name: 'a', x: [1], y: [1] }], { referenceLines: [{ value: 1, series: 'b' }] }))).toBe(
      'E_BAD_OPTION',
    );
    expect(codeOf(() => lineChart([{ name: 'a', x: [1], y: [1] }], { referenceLines: [{ value: Number.NaN }] }))).toBe(
      'E_BAD_OPTION',
    );
    expect(codeOf(() => lineChart([{ name: 'a', x: [1], y: [1] }], { width: 0 }))).toBe('E_BAD_OPTION');
  });
});

describe('planePaths', () => {
  const xs = Array.from({ length: 40 }, (_, i) => 0.25 * Math.pow(12, i / 39));

  it('draws paths in their given order over the curves, with equal aspect for given domains', () => {
    const spec = planePaths(
      [{ name: 'GD', x: [2, -1, 1.5, -1.2], y: [0.2, -0.8, 0.7, -0.9], points: true }],
      {
        xDomain: [-3, 3],
        yDomain: [-1.5, 1.5],
        width: 300,
        curves: [{ name: 'branch', x: xs, y: xs.map((x) => 1 / x), label: 'xy = 1' }],
        markers: [{ x: 2, y: 0.2, label: 'θ₀' }],
      },
    );
    expect((spec as { height: number }).height).toBe(150);
    const ls = layers(spec);
    // curve, curve label, path line, path dots, marker, marker label
    expect(ls.map((l) => l.mark.type)).toEqual(['line', 'text', 'line', 'point', 'point', 'text']);
    expect(ls[2].encoding.order.field).toBe('i');
    expect(ls[2].data.values.map((r) => r.x)).toEqual([2, -1, 1.5, -1.2]);
    expect(ls[0].encoding.x.scale.domain).toEqual([-3, 3]);
    // The curve's label sits at its first point inside the window: x = 0.25 has y = 4 > 1.5, outside.
    const at = ls[1].data.values[0] as { x: number; y: number };
    expect(at.y).toBeLessThanOrEqual(1.5);
    expect(at.x).toBe(xs.find((x) => 1 / x <= 1.5));
  });

  it('renders valid SVG without warnings', async () => {
    const spec = planePaths([{ name: 'GF', x: [2, 1.5, 1.2], y: [0.2, 0.6, 0.83], dash: [4, 2] }], {
      title: 'paths',
      xDomain: [0, 3],
      yDomain: [0, 3],
      curves: [{ name: 'h', x: xs, y: xs.map((x) => 1 / x), label: 'xy = 1' }],
      markers: [{ x: 2, y: 0.2, label: 'start' }],
    });
    const { svg, warnings } = await render(spec);
    expect(warnings).toEqual([]);
    const check = checkSvg(svg);
    expect(check.problem).toBeUndefined();
    for (const t of ['paths', 'xy = 1', 'start', 'GF']) expect(check.texts).toContain(t);
  });

  it('rejects malformed domains and curves', () => {
    const p = [{ name: 'a', x: [1], y: [1] }];
    expect(codeOf(() => planePaths(p, { xDomain: [1, 1] }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => planePaths(p, { yDomain: [0, Number.NaN] }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => planePaths(p, { curves: [{ name: 'c', x: [1, 2], y: [1] }] }))).toBe('E_DIM_MISMATCH');
    expect(codeOf(() => planePaths([]))).toBe('E_EMPTY');
  });
});

describe('concatPanels', () => {
  it('lays out panels in a grid with independent scales and renders each title', async () => {
    const a = lineChart([{ name: 's', x: [0, 1], y: [1, 2] }], { title: 'panel A' });
    const b = lineChart([{ name: 's', x: [0, 1], y: [5, 3] }], { title: 'panel B', logY: true });
    const c = planePaths([{ name: 'p', x: [0, 1], y: [1, 0] }], { title: 'panel C' });
    const spec = concatPanels([a, b, c], { columns: 2, title: 'figure' }) as Record<string, any>;
    expect(spec.concat).toHaveLength(3);
    expect(spec.columns).toBe(2);
    expect(spec.resolve.scale.y).toBe('independent');
    const { svg, warnings } = await render(spec as Parameters<typeof renderSvg>[0]);
    expect(warnings).toEqual([]);
    const check = checkSvg(svg);
    expect(check.problem).toBeUndefined();
    for (const t of ['figure', 'panel A', 'panel B', 'panel C']) expect(check.texts).toContain(t);
  });

  it('rejects an empty list and a bad column count', () => {
    expect(codeOf(() => concatPanels([]))).toBe('E_EMPTY');
    const a = lineChart([{ name: 's', x: [0], y: [1] }]);
    expect(codeOf(() => concatPanels([a], { columns: 0 }))).toBe('E_BAD_OPTION');
  });
});

describe('renderSvg', () => {
  it('rejects a non-object spec and a non-function onWarning', async () => {
    await expect(renderSvg(null as never)).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    const a = lineChart([{ name: 's', x: [0], y: [1] }]);
    await expect(renderSvg(a, { onWarning: 3 as never })).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
  });

  it('reports compiler warnings through onWarning', async () => {
    // A nominal field on a log scale is an invalid combination vega-lite warns about and drops.
    const spec = {
      data: { values: [{ a: 'x', b: 1 }] },
      mark: 'point',
      encoding: { x: { field: 'a', type: 'nominal', scale: { type: 'log' } }, y: { field: 'b', type: 'quantitative' } },
    } as Parameters<typeof renderSvg>[0];
    const { warnings } = await render(spec);
    expect(warnings.length).toBeGreaterThan(0);
  });
});
