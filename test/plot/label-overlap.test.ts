/**
 * Labels of the figures do not overlap traces, each other, axis labels, legends or titles (issue: "labels that do
 * not overlap traces"). The boxes come from vega's own layout of the spec (test/plot/label-layout.ts): every text
 * item's bounds and every drawn line segment, point symbol and rule, in pixels. First the detector is shown to catch
 * a trace through a label and two labels on top of each other; then every figure of the width-one examples (and of
 * `diagonal-net-classification`) is built in quick mode and checked.
 */
import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import type { Example } from '../../examples/types.js';
import { diagonalNetClassification } from '../../examples/diagonal-net-classification/index.js';
import { widthOneNetClaims } from '../../examples/width-one-net-claims/index.js';
import { widthOneNetEos } from '../../examples/width-one-net-eos/index.js';
import { lineChart, planePaths } from '../../src/plot/index.js';
import { labelProblems, layoutOf } from './label-layout.js';

/** Runs an example in quick mode and keeps the specs it would render, by file name. */
async function figureSpecs(example: Example): Promise<[string, TopLevelSpec][]> {
  const specs: [string, TopLevelSpec][] = [];
  await example.run({
    quick: true,
    outDir: '/nonexistent',
    writeJson: async (file) => file,
    writeSvg: async (file, spec) => {
      specs.push([file, spec]);
      return file;
    },
    progress: () => {},
    report: () => {},
  });
  return specs;
}

describe('label layout check', () => {
  const x = Array.from({ length: 50 }, (_, i) => i);

  it('catches a trace running through a reference label, and is satisfied once the label moves below its line', async () => {
    // The trace runs at 1.05, just above the line at 1 where the label sits (right end, above the line).
    const through = lineChart([{ name: 's', x, y: x.map(() => 1.05) }, { name: 'low', x, y: x.map(() => 0) }], { referenceLines: [{ value: 1, label: 'the edge 2/η' }] });
    const problems = labelProblems(await layoutOf(through));
    expect(problems.some((p) => p.includes("'the edge 2/η'") && p.includes('line'))).toBe(true);
    const moved = lineChart([{ name: 's', x, y: x.map(() => 1.05) }, { name: 'low', x, y: x.map(() => 0) }], { referenceLines: [{ value: 1, label: 'the edge 2/η', labelSide: 'below' }] });
    expect(labelProblems(await layoutOf(moved))).toEqual([]);
  });

  it('catches two labels drawn over each other and a rule crossing a label', async () => {
    const spec = lineChart([{ name: 's', x, y: x.map((i) => i / 49) }], {
      referenceLines: [
        { value: 0.5, label: 'first label', labelPosition: 'start' },
        { value: 0.51, label: 'second label', labelPosition: 'start' },
      ],
    });
    const problems = labelProblems(await layoutOf(spec));
    expect(problems).toContain("label 'first label' overlaps label 'second label'");
    expect(problems.some((p) => p.startsWith("label 'first label'") && p.includes('rule'))).toBe(true);
  });

  it('catches a curve label written over the axis labels (a vertical line labelled at its bottom end)', async () => {
    const spec = planePaths([{ name: 'p', x: [0, 1], y: [0, 1] }], {
      xDomain: [0, 1],
      yDomain: [0, 1],
      curves: [{ name: 'v', x: [0.5, 0.5], y: [0, 1], label: 'a long label at the bottom' }],
    });
    expect(labelProblems(await layoutOf(spec)).some((p) => p.includes('axis-label'))).toBe(true);
  });
});

describe('figures: no label overlaps', () => {
  for (const example of [widthOneNetEos, widthOneNetClaims, diagonalNetClassification]) {
    it(`${example.name} (quick)`, async () => {
      const specs = await figureSpecs(example);
      expect(specs.length).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const [file, spec] of specs) for (const p of labelProblems(await layoutOf(spec))) problems.push(`${file}: ${p}`);
      expect(problems).toEqual([]);
    }, 300_000);
  }
});

describe('label placement options', () => {
  it('reject values outside the listed ones with E_BAD_OPTION naming the argument', () => {
    const s = [{ name: 's', x: [0, 1], y: [0, 1] }];
    expect(() => lineChart(s, { referenceLines: [{ value: 1, labelSide: 'left' as never }] })).toThrow(
      expect.objectContaining({ code: 'E_BAD_OPTION', message: expect.stringContaining('referenceLines[0].labelSide') }),
    );
    expect(() => planePaths(s, { curves: [{ name: 'c', x: [0], y: [0], labelAt: 'middle' as never }] })).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    expect(() => planePaths(s, { curves: [{ name: 'c', x: [0], y: [0], labelPlacement: 'left' as never }] })).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
    expect(() => planePaths(s, { markers: [{ x: 0, y: 0, labelPlacement: 'up' as never }] })).toThrow(
      expect.objectContaining({ code: 'E_BAD_OPTION', message: expect.stringContaining('markers[0].labelPlacement') }),
    );
  });
});
