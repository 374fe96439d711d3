/**
 * Smoke test of `npm run reproduce --quick --only grid-study` (31 × 31 lattice, worker threads): the runner writes the
 * files, the SVGs are well-formed (the heat maps are embedded PNG images), and the JSON's numbers agree with what is
 * known independently — counts of starts from integer counts, the stability bound 2/η, s ≥ 2 on xy = 1, proxy ≈
 * exact near the curve, the saddle-line starts, and [Scalar factorization]'s EoS claim.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickRun } from './quick-run.js';
import { checkSvg } from './svg-check.js';

const NAME = 'grid-study';
const quick = quickRun(NAME);
const dir = quick.dir;
const lines = quick.lines;

interface Row {
  shape: string;
  learningRate: number;
  starts: number;
  converged: number;
  diverged: number;
  maxSteps: number;
  medianSharpnessProxy: number;
  medianSharpnessExact: number;
  medianGfsSharpness: number;
  eosFractionProxy: number;
  eosFractionExact: number;
  saddleStarts: { count: number; converged: number; diverged: number; maxSteps: number };
}

/** Integer pairs (i, j) ∈ [−h, h]² with pred(i, j). */
function countPairs(h: number, pred: (i: number, j: number) => boolean): number {
  let c = 0;
  for (let i = -h; i <= h; i++) for (let j = -h; j <= h; j++) if (pred(i, j)) c++;
  return c;
}

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes the JSON and well-formed SVG files, with no renderer warnings', () => {
    quick.expectOutputs(['eos-fraction.svg', 'heatmaps.svg', 'median-sharpness.svg', 'summary.json']);
    const heat = checkSvg(readFileSync(join(dir, 'heatmaps.svg'), 'utf8'));
    expect(heat.elements.get('image')).toBe(4);
    for (const t of ['η = 0.3 (2/η = 6.67)', 'η = 0.99 (2/η = 2.02)', 'final λ_max']) expect(heat.texts).toContain(t);
    const median = checkSvg(readFileSync(join(dir, 'median-sharpness.svg'), 'utf8'));
    for (const t of ['disk (709 starts)', 'annulus (532 starts)', 'minimum 2']) expect(median.texts).toContain(t);
  });

  const summary = (): { table: Row[]; findings: string[]; settings: { n: number; learningRates: number[] } } =>
    JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

  it('has one row per shape and η, with every start counted under one status', () => {
    const { table, settings } = summary();
    expect(settings.n).toBe(31);
    // n = 31, r = 3: lattice 3i/15, i ∈ [−15, 15]; annulus inner radius 1.5 ⇔ i² + j² ≥ 7.5².
    const expected: Record<string, number> = {
      disk: countPairs(15, (i, j) => i * i + j * j <= 225),
      square: 31 * 31,
      diamond: countPairs(15, (i, j) => Math.abs(i) + Math.abs(j) <= 15),
      annulus: countPairs(15, (i, j) => i * i + j * j <= 225 && i * i + j * j >= 56.25),
    };
    expect(table.length).toBe(4 * settings.learningRates.length);
    for (const row of table) {
      expect(row.starts).toBe(expected[row.shape]);
      expect(row.converged + row.diverged + row.maxSteps).toBe(row.starts);
    }
  });

  it('converged runs end at sharpness in [2, 2/η] ([Scalar factorization]: s ≥ 2 on xy = 1, stability), proxy ≈ exact', () => {
    for (const row of summary().table) {
      const where = `${row.shape}, η = ${row.learningRate}`;
      // |xy − 1| < 1e-8 at the stop: s = x² + y² ≥ 2|xy| > 2(1 − 1e-8).
      expect(row.medianSharpnessProxy, where).toBeGreaterThan(2 * (1 - 1e-8));
      expect(row.medianSharpnessExact, where).toBeLessThanOrEqual((2 / row.learningRate) * (1 + 1e-6));
      // Near the curve λ_max = s + O(|xy − 1|·s): both medians agree to ~1e-7.
      expect(Math.abs(row.medianSharpnessProxy - row.medianSharpnessExact) / row.medianSharpnessExact, where).toBeLessThan(1e-6);
    }
  });

  it('reports the saddle-line starts (x = −y) under their status and reproduces the EoS claim', () => {
    const { table, findings } = summary();
    for (const row of table.filter((r) => r.shape === 'disk')) {
      // On the disk n = 31: x = −y ⇔ i = −j with 2i² ≤ 225 ⇔ |i| ≤ 10: 21 starts.
      expect(row.saddleStarts.count).toBe(21);
      expect(row.saddleStarts.converged + row.saddleStarts.diverged + row.saddleStarts.maxSteps).toBe(21);
      expect(row.saddleStarts.converged).toBe(0);
    }
    for (const shape of ['disk', 'square', 'diamond', 'annulus']) {
      const rows = table.filter((r) => r.shape === shape);
      expect(Math.max(...rows.filter((r) => r.learningRate < 0.9).map((r) => r.eosFractionProxy)), shape).toBeLessThan(0.05);
      expect(rows[rows.length - 1].eosFractionProxy, shape).toBeGreaterThan(0.9);
    }
    expect(findings.some((l) => l.includes('reproduced on all four shapes'))).toBe(true);
  });

  interface CriterionRow {
    shape: string;
    learningRate: number;
    converged: number;
    forced: boolean;
    minEtaS: number;
    maxEtaS: number;
    aboveEdge: number;
    aboveEdgeExact: number;
    aboveEdgeExample: { start: [number, number]; stop: [number, number]; steps: number } | null;
    finalInBand: number;
    seedFraction: number;
    gfOutsideBand: number;
    drivenFraction: number;
  }
  const criterion = (): CriterionRow[] => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).criterion;

  it('finding 1: 2η(1 − 1e-8) < η·s_final ≤ 2 for converged runs, except exact landings on xy = 1', () => {
    const rows = criterion();
    expect(rows.length).toBe(44);
    for (const x of rows) {
      const where = `${x.shape}, η = ${x.learningRate}`;
      // s = x² + y² ≥ 2|xy| > 2(1 − 1e-8) at the stop.
      expect(x.minEtaS, where).toBeGreaterThan(2 * x.learningRate * (1 - 1e-8));
      expect(x.aboveEdgeExact, where).toBe(x.aboveEdge);
      if (x.aboveEdge === 0) expect(x.maxEtaS, where).toBeLessThanOrEqual(2 * (1 + 1e-12));
    }
    // By hand: at η = 0.5 the lattice start (2, −1) (r₀ = −3) goes in one step to (2 − 0.5·3, −1 + 3) = (0.5, 2), exactly
    // on xy = 1 with s = 4.25 > 2/η = 4; so do its three images under (x, y) → (y, x), (−x, −y). They are on every shape.
    for (const x of rows.filter((r) => r.learningRate === 0.5)) {
      expect(x.aboveEdge, x.shape).toBe(4);
      expect(x.maxEtaS, x.shape).toBe(0.5 * 4.25);
    }
    for (const x of rows.filter((r) => r.learningRate !== 0.5)) expect(x.aboveEdge, `${x.shape} ${x.learningRate}`).toBe(0);
  });

  it('finding 1: where 2 − 2η(1 − 1e-8) < 0.1 every final value is in the band; the EoS-driven fraction is a subset', () => {
    for (const x of criterion()) {
      const where = `${x.shape}, η = ${x.learningRate}`;
      expect(x.forced, where).toBe(x.learningRate > 0.95);
      if (x.forced) expect(x.finalInBand, where).toBe(1);
      // Driven ⊆ seed's criterion and driven ⊆ gradient-flow minimizer outside the band.
      expect(x.drivenFraction, where).toBeLessThanOrEqual(Math.min(x.seedFraction, x.gfOutsideBand));
    }
    // Not vacuous at η = 0.99: starts with |δ| ≤ √(((2.1/0.99)² − 4)) ≈ 0.71 have η·s_GF − 2 < 0.1, and the disk holds
    // such converged starts, so the driven fraction is below the post's.
    const disk99 = criterion().find((r) => r.shape === 'disk' && r.learningRate === 0.99)!;
    expect(disk99.drivenFraction).toBeLessThan(disk99.seedFraction);
    const eos = checkSvg(readFileSync(join(dir, 'eos-fraction.svg'), 'utf8'));
    expect(eos.texts).toContain('EoS-driven: and η·s_GF − 2 ≥ 0.1');
    expect(lines.some((l) => l.includes('Finding 1'))).toBe(true);
  });
});
