/**
 * Smoke test of `npm run reproduce --quick --only width-one-net-claims`: the runner writes the files, the SVGs are
 * well-formed, and the JSON's numbers agree with what is known independently — RK4 gradient flow against the closed
 * form of its limit, the clip's floor λ₁C² = f²·2/η under every cycle, the monotone gradient-flow-solution sharpness
 * of the scalar network, and the clipped runs never diverging.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { quickRun } from './quick-run.js';

// The quick run happens in a beforeAll hook; on a loaded machine it can take well over vitest's default 10 s.
vi.setConfig({ hookTimeout: 180_000 });

const NAME = 'width-one-net-claims';
const quick = quickRun(NAME);
const dir = quick.dir;

// The JSON as written by the example (untyped: only the fields read below matter).
const summary = (): any => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes the JSON and well-formed SVG files, with no renderer warnings', () => {
    quick.expectOutputs(['summary.json', 'gfs-along-gd.svg', 'scalar-network.svg']);
  });

  it('A: RK4 gradient flow from GD iterates ends at the closed-form s_GFS; the clip floor bounds every cycle from below', () => {
    const { gfsAlongGd: a, settings } = summary();
    for (const f of a.flows) expect(f.relativeError, `from k = ${f.from}`).toBeLessThan(1e-3);
    // c = α₀² − β₁₀² − β₂₀², α∞² = (c + √(c² + 4))/2, s_GFS = max(λ₁α∞², λ₂√(c² + 4)) at θ₀.
    const [a0, b10, b20] = settings.start;
    const c = a0 * a0 - b10 * b10 - b20 * b20;
    expect(a.first).toBeCloseTo(Math.max(settings.lambda1 * ((c + Math.sqrt(c * c + 4)) / 2), settings.lambda2 * Math.sqrt(c * c + 4)), 12);
    // |α| ≥ C ⇒ λ_max ≥ λ₁α² ≥ λ₁C² = f²·2/η once the clip is active.
    expect(a.minAfterFirstCrossing).toBeGreaterThanOrEqual(settings.clipFraction ** 2 * (1 - 1e-12));
    expect(a.edge).toBe(2 / settings.learningRate);
  });

  it('B: the scalar network’s gradient-flow-solution sharpness never increases along GD', () => {
    for (const r of summary().scalar.runs) expect(r.gfsIncreases, `η = ${r.multiple}`).toBe(0);
  });

  it('C: clipped runs never diverge and cycle; every scan setting appears with and without the clip', () => {
    const { scan, settings } = summary();
    const clipped = scan.filter((r: { clipFraction: number | null }) => r.clipFraction !== null);
    const unclipped = scan.filter((r: { clipFraction: number | null }) => r.clipFraction === null);
    expect(unclipped.length * settings.scanClipFractions.length).toBe(clipped.length);
    for (const r of clipped) {
      expect(r.status).not.toBe('diverged');
      expect(r.cycles).toBeGreaterThanOrEqual(settings.minCycles);
    }
  });
});
