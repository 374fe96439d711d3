import { describe, expect, it } from 'vitest';
import { gd, gradientFlow, resultFromJSON, resultToJSON, scalarFactorization, stepSize } from '../../src/index.js';
import { pathsFigure, renderSvg } from '../../src/plot/index.js';
import { levelSetSegments } from '../../src/plot/level-set.js';
import { thrown } from '../helpers/errors.js';

const model = scalarFactorization.create();
const start = Float64Array.of(2, 0.65);
const runs = [0.1, 0.9].map((learningRate) => gd(model, start, { learningRate, lossGoal: 1e-10, maxSteps: 2000, record: { theta: true } }));
const hyperbola = { f: (x: number, y: number) => x * y, level: 1, label: 'xy = 1' };

type Layer = { data?: { values: Record<string, number | string>[] }; mark: { type: string } | string; encoding?: Record<string, unknown> };

describe('pathsFigure', () => {
  it('draws one path per run whose points are the trace.theta pairs, in step order; a start marker', () => {
    const spec = pathsFigure(runs, { names: ['η = 0.1', 'η = 0.9'], xDomain: [0, 2.5], yDomain: [0, 2.5] }) as unknown as { layer: Layer[]; width: number; height: number };
    const line = spec.layer.find((l) => typeof l.mark === 'object' && l.mark.type === 'line' && l.data!.values.some((v) => 'series' in v))!;
    for (const [r, name] of [[0, 'η = 0.1'], [1, 'η = 0.9']] as const) {
      const rows = line.data!.values.filter((v) => v.series === name);
      const t = runs[r].trace.theta!;
      expect(rows.length).toBe(runs[r].trace.step.length);
      rows.forEach((row, j) => {
        expect(row.i).toBe(j);
        expect(row.x).toBe(t[2 * j]);
        expect(row.y).toBe(t[2 * j + 1]);
      });
    }
    // GD iterates are dotted; equal aspect for equal domains.
    expect(spec.layer.some((l) => typeof l.mark === 'object' && l.mark.type === 'point' && l.data!.values.length === line.data!.values.length)).toBe(true);
    expect(spec.height).toBe(spec.width);
    const marker = spec.layer.find((l) => typeof l.mark === 'object' && l.mark.type === 'point' && l.data!.values.length === 1)!;
    expect(marker.data!.values[0]).toMatchObject({ x: 2, y: 0.65, label: 'θ₀' });
  });

  it('the xy = 1 level set: every segment end on the hyperbola (xy affine along grid lines: |xy − 1| ≤ 1e-12), covering its visible part', () => {
    const spec = pathsFigure(runs, { xDomain: [0, 3], yDomain: [0, 3], levelSets: [hyperbola] }) as unknown as { layer: Layer[] };
    const rule = spec.layer[0];
    expect(rule.mark).toMatchObject({ type: 'rule' });
    const segs = rule.data!.values as { x: number; y: number; x2: number; y2: number }[];
    expect(segs.length).toBeGreaterThan(100);
    for (const s of segs) {
      expect(Math.abs(s.x * s.y - 1)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(s.x2 * s.y2 - 1)).toBeLessThanOrEqual(1e-12);
    }
    // Visible branch: x from 1/3 (y = 3) to 3 (y = 1/3); grid cell h = 3/200.
    const xs = segs.flatMap((s) => [s.x, s.x2]);
    expect(Math.min(...xs)).toBeCloseTo(1 / 3, 12);
    expect(Math.max(...xs)).toBeCloseTo(3, 12);
    expect(spec.layer[1].data!.values[0].label).toBe('xy = 1');
  });

  it('level sets by marching squares: a circle x² + y² = 1 within the O(h²) bound; the saddle xy = 0 gives both axes', () => {
    const h = 2.4 / 120;
    for (const s of levelSetSegments((x, y) => x * x + y * y, 1, [-1.2, 1.2], [-1.2, 1.2], 120)) {
      // Linear interpolation of x² + y² along a grid line errs by at most h²/4 in the value, so in radius by ≲ h²/8.
      expect(Math.abs(Math.hypot(s.x, s.y) - 1)).toBeLessThan(h * h);
    }
    const saddle = levelSetSegments((x, y) => x * y, 0, [-1.05, 0.95], [-1.05, 0.95], 20);
    for (const s of saddle) expect(Math.min(Math.abs(s.x), Math.abs(s.y))).toBeLessThan(1e-12);
  });

  it('gradient-flow paths are drawn without dots; coordinates and titles; a result read back from JSON', () => {
    const flow = gradientFlow(model, start, { step: stepSize.fixed(0.05), lossGoal: 1e-8, maxSteps: 4000, record: { every: 5, theta: true } });
    const back = resultFromJSON(resultToJSON('gradientFlow', flow), 'gradientFlow');
    const spec = pathsFigure([runs[1], back], { names: ['GD', 'flow'], coordinates: [1, 0], xTitle: 'y', yTitle: 'x' }) as unknown as { layer: Layer[] };
    const line = spec.layer.find((l) => typeof l.mark === 'object' && l.mark.type === 'line')!;
    const flowRows = line.data!.values.filter((v) => v.series === 'flow');
    expect(flowRows.length).toBe(flow.trace.step.length);
    expect(flowRows[3]).toMatchObject({ x: flow.trace.theta![7], y: flow.trace.theta![6] });
    const dots = spec.layer.find((l) => typeof l.mark === 'object' && l.mark.type === 'point' && l.data!.values.length > 1)!;
    expect(dots.data!.values.every((v) => v.series === 'GD')).toBe(true);
    expect((line.encoding!.x as { title: string }).title).toBe('y');
  });

  it('renders to SVG', async () => {
    const svg = await renderSvg(pathsFigure(runs, { xDomain: [0, 2.5], yDomain: [0, 2.5], levelSets: [hyperbola], title: 'GD on ½(1 − xy)²' }), { onWarning: (m) => { throw new Error(m); } });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('xy = 1');
  });

  it('bad input: coded errors naming the argument', () => {
    const plain = gd(model, start, { learningRate: 0.1, maxSteps: 3 });
    const a = thrown(() => pathsFigure(plain));
    expect([a.code, a.details.argument]).toEqual(['E_BAD_OPTION', 'results[0].trace.theta']);
    expect(a.message).toContain('record: { theta: true }');
    expect(thrown(() => pathsFigure([])).code).toBe('E_EMPTY');
    expect(thrown(() => pathsFigure({})).code).toBe('E_BAD_OPTION');
    const none = gd(model, start, { learningRate: 0.1, maxSteps: 3, record: { every: 0, theta: true } });
    expect(thrown(() => pathsFigure(none)).code).toBe('E_EMPTY');
    expect(thrown(() => pathsFigure(runs, { coordinates: [0, 2] })).details.argument).toBe('options.coordinates[1]');
    expect(thrown(() => pathsFigure(runs, { coordinates: [1, 1] })).code).toBe('E_BAD_OPTION');
    expect(thrown(() => pathsFigure(runs, { names: ['one'] })).details.argument).toBe('options.names');
    expect(thrown(() => pathsFigure(runs, { levelSets: [{ f: 1 as never }] })).details.argument).toBe('options.levelSets[0].f');
    expect(thrown(() => pathsFigure(runs, { levelSets: [{ f: hyperbola.f, levl: 1 } as never] })).code).toBe('E_BAD_OPTION');
    expect(thrown(() => pathsFigure(runs, { levelSets: [{ f: hyperbola.f, level: NaN }] })).code).toBe('E_NONFINITE');
    expect(thrown(() => pathsFigure(runs, { xDomain: [1, 0] })).details.argument).toBe('options.xDomain');
    expect(thrown(() => pathsFigure(runs, { colour: 'red' } as never)).code).toBe('E_BAD_OPTION');
  });
});
