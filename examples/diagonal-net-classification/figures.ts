/**
 * The figures of the `diagonal-net-classification` example: the sharpness on M along its two edges through the
 * minimizer (z = 1 and b = 0) with the max-margin value, and the Monte-Carlo generalization errors against d.
 */
import type { TopLevelSpec } from 'vega-lite';
import { concatPanels, lineChart } from '../../src/plot/index.js';
import type { ClassificationResult } from './compute.js';

/** A: S(1, b) against b and S(z, 0) against z. */
export function sharpnessFigure(r: ClassificationResult): TopLevelSpec {
  const { points, minimum, maxMargin } = r.grid;
  const alongB = points.filter((p) => p.z === 1).sort((p, q) => p.b - q.b);
  const alongZ = points.filter((p) => p.b === 0).sort((p, q) => p.z - q.z);
  const refs = [
    { value: minimum.sharpness, label: `min on M ${minimum.sharpness.toFixed(4)}`, labelPosition: 'outside' as const },
    { value: maxMargin, label: `max margin ${maxMargin.toFixed(4)}`, labelPosition: 'outside' as const },
  ];
  const b = lineChart([{ name: 'S(z = 1, b)', x: alongB.map((p) => p.b), y: alongB.map((p) => p.sharpness), points: true }], {
    title: 'along z = ⟨w̃, x̃₂⟩ = 1',
    xTitle: 'bias b',
    yTitle: 'λ_max(∇²L)',
    referenceLines: refs,
    width: 300,
  });
  const z = lineChart([{ name: 'S(z, b = 0)', x: alongZ.map((p) => p.z), y: alongZ.map((p) => p.sharpness), points: true }], {
    title: 'along b = 0',
    xTitle: 'z = ⟨w̃, x̃₂⟩',
    yTitle: 'λ_max(∇²L)',
    referenceLines: refs,
    width: 300,
  });
  return concatPanels([b, z], { columns: 2, title: 'Logistic loss, two points, ‖w̃‖ = 1: sharpness on M [Conflicting biases, Thm F.1]' });
}

/** C: errors against d, one panel per ‖μ‖. */
export function generalizationFigure(r: ClassificationResult): TopLevelSpec {
  const norms = [...new Set(r.cells.map((c) => c.muNorm))];
  const panels = norms.map((mu) => {
    const cells = r.cells.filter((c) => c.muNorm === mu);
    const x = cells.map((c) => Math.log10(c.dim));
    return lineChart(
      [
        { name: 'max-margin (⟨x̃₂, x⟩ ≤ ½)', x, y: cells.map((c) => c.maxMargin), points: true },
        { name: 'sharpness minimizer (⟨x̃₂, x⟩ ≤ 0)', x, y: cells.map((c) => c.minSharpness), points: true },
      ],
      { title: `‖μ‖ = ${mu}`, xTitle: 'log₁₀ d', yTitle: 'expected test error', width: 300 },
    );
  });
  return concatPanels(panels, { columns: 2, title: 'Expected generalization error, two training points [Conflicting biases, App. F]' });
}
