/**
 * Smoke test of `npm run reproduce --quick --only diagonal-net-claims`: the runner writes the files, the SVGs are
 * well-formed, and the JSON's numbers agree with what is known independently — gradient flow (RK4) against the
 * conserved quantity's closed form, s_GF against the ℓ1 minimizer's sharpness L²x₂²(y/x₂)^{2(L−1)/L} as α → 0, the
 * two regimes, and Prop. E.2 under the noiseless folded Gaussian (A_opt has risk 0).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { quickRun } from './quick-run.js';

// The quick run happens in a beforeAll hook; on a loaded machine it can take well over vitest's default 10 s.
vi.setConfig({ hookTimeout: 180_000 });

const NAME = 'diagonal-net-claims';
const quick = quickRun(NAME);
const dir = quick.dir;

interface Run {
  multiple: number;
  status: string;
  finalSharpness: number;
  finalOnManifold: number;
  overGf: number;
  overEdge: number;
}
interface Row {
  alpha: number;
  depth: number;
  flowEnd: [number, number];
  closedForm: [number, number];
  sGf: number;
  etaC: number;
  l1Distance: number;
  runs: Run[];
}
interface Summary {
  settings: { x: [number, number]; y: number };
  scales: Row[];
  depths: Row[];
  risks: { samples: number; optimal: { mean: number }; l1: { mean: number }; sharpness: { mean: number } }[];
}
const summary = (): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes the JSON and well-formed SVG files, with no renderer warnings', () => {
    quick.expectOutputs(['summary.json', 'initialization-scale.svg', 'depth.svg', 'folded-gaussian-risk.svg', 'random-draws-risk.svg']);
  });

  it('gradient flow (RK4) ends on the closed form of the conserved quantity, on M', () => {
    const { settings, scales, depths } = summary();
    const [x1, x2] = settings.x;
    for (const r of [...scales, ...depths]) {
      const [a, b] = r.closedForm;
      const L = r.depth;
      expect(Math.abs(x1 * a ** L + x2 * b ** L - settings.y), `α = ${r.alpha}, L = ${L}`).toBeLessThan(1e-12);
      // The invariant, checked here from the closed-form point.
      if (L === 2) expect((Math.log(a) - Math.log(r.alpha)) / x1).toBeCloseTo((Math.log(b) - Math.log(r.alpha)) / x2, 10);
      else expect((a ** (2 - L) - r.alpha ** (2 - L)) / x1).toBeCloseTo((b ** (2 - L) - r.alpha ** (2 - L)) / x2, 8);
      // The flow stops at L ≤ 1e-10 (|r| ≤ 1.5e-5), slightly before M.
      expect(Math.max(Math.abs(r.flowEnd[0] - a), Math.abs(r.flowEnd[1] - b)), `α = ${r.alpha}, L = ${L}`).toBeLessThan(1e-5);
    }
  });

  it('Thm B.1: as α → 0 the flow approaches the ℓ1 minimizer and s_GF its sharpness L²x₂²(y/x₂)^{2(L−1)/L}', () => {
    const { settings, scales, depths } = summary();
    const [, x2] = settings.x;
    const d = scales.map((r) => r.l1Distance);
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeLessThan(d[i - 1]);
    expect(d[d.length - 1]).toBeLessThan(1e-3);
    const limit = (L: number) => L * L * x2 * x2 * (settings.y / x2) ** ((2 * (L - 1)) / L);
    expect(limit(2)).toBe(32);
    expect(Math.abs(scales[scales.length - 1].sGf / limit(2) - 1)).toBeLessThan(1e-3);
    for (const r of depths) expect(Math.abs(r.sGf / limit(r.depth) - 1), `L = ${r.depth}`).toBeLessThan(0.07);
    for (const r of [...scales, ...depths]) expect(r.etaC).toBeCloseTo(2 / r.sGf, 14);
  });

  it('both regimes at every α and depth; sharpnessOnManifold equals the dense λ_max at the end', () => {
    const { scales, depths } = summary();
    for (const r of [...scales, ...depths]) {
      const [below, above] = r.runs;
      const where = `α = ${r.alpha}, L = ${r.depth}`;
      expect(below.status, where).toBe('converged');
      expect(above.status, where).toBe('converged');
      expect(Math.abs(below.overGf - 1), where).toBeLessThan(0.05);
      expect(above.overEdge, where).toBeGreaterThan(0.9);
      expect(above.overEdge, where).toBeLessThanOrEqual(1 + 1e-9);
      for (const run of r.runs) expect(Math.abs(run.finalOnManifold / run.finalSharpness - 1), where).toBeLessThan(1e-4);
    }
  });

  it('random draws: below η_c GD ends within 5% of s_GF; every converged run is at most 0.1% above 2/η', () => {
    const { draws } = summary() as any;
    for (const d of draws.rows) {
      expect(d.etaC).toBeCloseTo(2 / d.sGf, 14);
      for (const u of d.runs) {
        if (u.status !== 'converged') continue;
        if (u.multiple < 1 && d.flowStatus === 'converged') expect(Math.abs(u.overGf - 1), `seed ${d.seed}`).toBeLessThan(0.05);
        // A run stopped by the loss goal in the middle of its period-2 oscillation can sit slightly above 2/η (the guide
        // notes λ_max = 31.99 > 2/η = 31.96 on the d = 2 toy); it cannot be far above and still have L ≤ 1e-8.
        expect(u.overEdge, `seed ${d.seed}, ${u.multiple}`).toBeLessThanOrEqual(1 + 1e-3);
      }
    }
  });

  it('Prop. E.2, folded Gaussian: R(A_opt) = 0 (noiseless), A_ℓ1 settles, A_S grows with the sample', () => {
    const { risks } = summary();
    for (const k of risks) expect(k.optimal.mean).toBe(0);
    expect(Math.abs(risks[risks.length - 1].l1.mean / risks[0].l1.mean - 1)).toBeLessThan(0.05);
    for (let i = 1; i < risks.length; i++) expect(risks[i].sharpness.mean).toBeGreaterThan(risks[i - 1].sharpness.mean);
  });
});
