import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gdStep } from '../../../src/dynamics/gd.js';
import { create } from '../../../src/models/scalar-factorization/model.js';

// Reference iterates written by test/fixtures/scalar-factorization/generate.py (numpy, cross-checked with plain
// Python floats, run by hand). The model's documented operation order (docs/math.md §1) must reproduce them bit for
// bit, with the GD update theta[i] - eta * g[i].
interface Case {
  depth: number;
  target: number;
  learningRate: number;
  start: number[];
  iterates: number[][];
  losses: number[];
  gradients: number[][];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/scalar-factorization/gd-iterates.json', import.meta.url), 'utf8'),
) as { steps: number; cases: Case[] };

function label(c: Case): string {
  return `depth ${c.depth}, c = ${c.target}, eta = ${c.learningRate}, start [${c.start.join(', ')}]`;
}

describe('scalar factorization: GD iterates bit for bit against numpy', () => {
  it('has the fixture', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(10);
    expect(fixture.cases.some((c) => c.depth === 2 && c.target === 1)).toBe(true);
  });

  for (const c of fixture.cases) {
    it(label(c), () => {
      const model = create({ depth: c.depth, target: c.target });
      const eta = c.learningRate;
      const theta = Float64Array.from(c.start);
      const g = new Float64Array(c.depth);
      for (let k = 0; k < fixture.steps; k++) {
        for (let i = 0; i < c.depth; i++) {
          if (!Object.is(theta[i], c.iterates[k][i])) {
            throw new Error(`${label(c)}: step ${k}, coordinate ${i}: ${theta[i]} !== ${c.iterates[k][i]} (numpy)`);
          }
        }
        const loss = model.lossAndGrad(theta, g);
        if (!Object.is(loss, c.losses[k])) throw new Error(`${label(c)}: loss at step ${k}: ${loss} !== ${c.losses[k]}`);
        if (!Object.is(model.loss(theta), c.losses[k])) throw new Error(`${label(c)}: model.loss at step ${k} differs`);
        for (let i = 0; i < c.depth; i++) {
          if (!Object.is(g[i], c.gradients[k][i])) {
            throw new Error(`${label(c)}: gradient at step ${k}, coordinate ${i}: ${g[i]} !== ${c.gradients[k][i]} (numpy)`);
          }
        }
        for (let i = 0; i < c.depth; i++) theta[i] = theta[i] - eta * g[i];
      }
      expect(Array.from(theta)).toEqual(c.iterates[fixture.steps]);
    });

    it(`${label(c)}: the library's gdStep gives the same iterates`, () => {
      const model = create({ depth: c.depth, target: c.target });
      const theta = Float64Array.from(c.start);
      const scratch = new Float64Array(c.depth);
      for (let k = 0; k < fixture.steps; k++) {
        const loss = gdStep(model, theta, c.learningRate, scratch, theta);
        if (!Object.is(loss, c.losses[k])) throw new Error(`${label(c)}: gdStep loss at step ${k}: ${loss} !== ${c.losses[k]}`);
        for (let i = 0; i < c.depth; i++) {
          if (!Object.is(theta[i], c.iterates[k + 1][i])) {
            throw new Error(`${label(c)}: gdStep iterate ${k + 1}, coordinate ${i}: ${theta[i]} !== ${c.iterates[k + 1][i]}`);
          }
        }
      }
    });
  }
});
