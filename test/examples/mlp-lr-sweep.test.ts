/**
 * Smoke test of `npm run reproduce --quick --only mlp-lr-sweep`: the runner writes the files, the SVGs are
 * well-formed, and the JSON is checked against independent recomputations — App. G's fine grid from s_GF, the
 * regimes from η_c, norms and test losses from the stored final iterates (test model rebuilt from its descriptor),
 * the final sharpness of a few runs by power iteration (not Lanczos), and the claims' statistics.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickRun } from './quick-run.js';
import { createModel } from '../../src/core/registry.js';
import type { MnistDescriptor } from '../../src/data/dataset.js';
import { hessianOperator } from '../../src/linalg/operator.js';
import { powerIteration } from '../../src/linalg/power-iteration.js';
import type { MlpSpec } from '../../src/models/mlp/index.js';
import { expectRelClose } from '../../src/testing/index.js';
import { checkSvg } from './svg-check.js';

const NAME = 'mlp-lr-sweep';
const quick = quickRun(NAME);
const dir = quick.dir;
const lines = quick.lines;

interface Point {
  learningRate: number;
  regime: string;
  status: string;
  sharpness: number | null;
  norm1: number;
  norm2: number;
  testLoss: number | null;
  theta: number[] | null;
}
interface Summary {
  spec: MlpSpec;
  testData: MnistDescriptor;
  initialSharpness: number;
  flowSharpness: number;
  criticalLearningRate: number;
  flow: { norm2: number; testLoss: number };
  points: Point[];
  claims: {
    flowAligned: { runs: number; reproduces: boolean };
    eosSharpness: { runs: number; medianRatio: number };
    testLoss: { best: number; bestLearningRate: number };
  };
}

const summary = (): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

describe(`reproduce --quick --only ${NAME}`, () => {
  it('succeeds and writes the JSON and well-formed SVG files, with no renderer warnings', () => {
    quick.expectOutputs(['figure.svg', 'norm1.svg', 'norm2.svg', 'sharpness.svg', 'summary.json', 'test-loss.svg']);
    const figure = checkSvg(readFileSync(join(dir, 'figure.svg'), 'utf8'));
    for (const t of ['η_c = 2/s_GF', '2/η', '(d) test loss (20 held-out images per class)']) expect(figure.texts).toContain(t);
    expect(lines.join('\n')).toMatch(/flow-aligned regime \(η ≤ η_c, \d+ runs\)/);
  });

  it('follows App. G: η_c = 2/s_GF, the fine grid j/(2 s_GF), regimes split at η_c', () => {
    const s = summary();
    expectRelClose(s.criticalLearningRate, 2 / s.flowSharpness, { rel: 1e-15 });
    const etas = s.points.map((p) => p.learningRate);
    for (let j = 1; j <= 12; j++) expect(etas).toContain(j / (2 * s.flowSharpness));
    for (const p of s.points) {
      if (p.status === 'diverged') expect(p.regime).toBe('diverged');
      else expect(p.regime).toBe(p.learningRate <= s.criticalLearningRate ? 'flow-aligned' : 'eos');
    }
    expect(etas).toEqual([...etas].sort((a, b) => a - b));
  });

  it('norms and test losses agree with the stored final iterates; sharpness with power iteration', () => {
    const s = summary();
    const train = createModel(s.spec);
    const test = createModel({ ...s.spec, data: s.testData });
    const converged = s.points.filter((p) => p.status === 'converged' && p.theta !== null);
    for (const p of converged) {
      const theta = Float64Array.from(p.theta as number[]);
      let n1 = 0;
      let n2 = 0;
      for (const x of theta) {
        n1 += Math.abs(x);
        n2 += x * x;
      }
      expectRelClose(p.norm1, n1, { rel: 1e-12 });
      expectRelClose(p.norm2, Math.sqrt(n2), { rel: 1e-12 });
      expect(test.loss(theta)).toBe(p.testLoss);
      expect(train.loss(theta)).toBeLessThanOrEqual(0.05); // ε of the quick settings
    }
    // max|λ| by power iteration (a different algorithm from the Lanczos the sweep used), for three runs
    for (const p of [converged[0], converged[Math.floor(converged.length / 2)], converged[converged.length - 1]]) {
      const theta = Float64Array.from(p.theta as number[]);
      const pi = powerIteration(hessianOperator(train, theta), { tol: 1e-8, maxIterations: 20000 });
      expectRelClose(p.sharpness as number, Math.abs(pi.value), { rel: 1e-4, label: `S at η = ${p.learningRate}` });
    }
  });

  it('the claims are consistent with the points', () => {
    const s = summary();
    const conv = s.points.filter((p) => p.status === 'converged');
    expect(s.claims.flowAligned.runs).toBe(conv.filter((p) => p.regime === 'flow-aligned').length);
    expect(s.claims.eosSharpness.runs).toBe(conv.filter((p) => p.regime === 'eos').length);
    const best = conv.reduce((a, b) => ((b.testLoss as number) < (a.testLoss as number) ? b : a));
    expect(s.claims.testLoss.best).toBe(best.testLoss);
    expect(s.claims.testLoss.bestLearningRate).toBe(best.learningRate);
    // The flow-aligned runs end near the flow ([Conflicting biases]'s first claim), which the quick run shows too.
    expect(s.claims.flowAligned.reproduces).toBe(true);
  });
});
