/**
 * Figures never drop data silently (issue 10): points a chart cannot show (non-finite, or y ≤ 0 on a log axis) are
 * named in the subtitle with their series and count.
 */
import { describe, expect, it } from 'vitest';
import { lineChart, planePaths } from '../../src/plot/index.js';

describe('charts name the points they leave out', () => {
  it('lineChart: a NaN point and a y = 0 point on the log axis are counted per series in the subtitle', () => {
    const spec = lineChart(
      [
        { name: 'η = 0.5', x: [0, 1, 2, 3], y: [1, NaN, 0.1, 0] },
        { name: 'η = 0.1', x: [0, 1], y: [1, 0.5] },
      ],
      { logY: true, title: 'loss' },
    ) as unknown as { title: { text: string; subtitle: string } };
    expect(spec.title.text).toBe('loss');
    expect(spec.title.subtitle).toBe('points not shown — η = 0.5: 1 non-finite, 1 with y ≤ 0 on the log axis');
  });

  it('lineChart without dropped points keeps the plain title; planePaths reports non-finite iterates', () => {
    const plain = lineChart([{ name: 'a', x: [0, 1], y: [1, 2] }], { title: 't' }) as unknown as { title: unknown };
    expect(plain.title).toBe('t');
    const paths = planePaths([{ name: 'GD', x: [0, 1, Infinity], y: [1, 0.5, 0.2] }]) as unknown as { title: { subtitle: string } };
    expect(paths.title.subtitle).toBe('points not shown — GD: 1 non-finite');
  });
});
