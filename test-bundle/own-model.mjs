// The README's "Your own model" example, as written in examples/own-model/, run from the built package under node and
// under tsx: a fromFunction model through gd, sharpness, sharpnessGradient and lrSweep on 2 worker threads that
// rebuild it from its spec (preload). Both runs must print the same numbers, and they must be right:
//   L(w) = 1/(2n) Σ (⟨xᵢ, w⊙w⟩ − yᵢ)² with x = [[1, 4], [2, −1]], y = [2, 1] has the unique solution β = w⊙w = (2/3, 1/3),
//   and λ_max of the Hessian there, from the closed form 4·diag(w)·(XᵀX/n)·diag(w) (residual 0), is checked below.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../examples/own-model/run.mjs', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const outputs = [execFileSync(process.execPath, [script], { encoding: 'utf8' }), execFileSync(tsx, [script], { encoding: 'utf8' })];
assert.equal(outputs[0], outputs[1], 'node and tsx print the same results');

const [first] = outputs[0].split('\n');
const [status, value] = first.split(' ');
assert.equal(status, 'converged');
// Closed form at the minimizer w = (√(2/3), √(1/3)) (GD from (0.5, 0.5) keeps both coordinates positive):
// H = 4·diag(w)·A·diag(w) with A = XᵀX/n = [[2.5, 1], [1, 8.5]].
const w = [Math.sqrt(2 / 3), Math.sqrt(1 / 3)];
const h = [4 * w[0] * w[0] * 2.5, 4 * w[0] * w[1] * 1, 4 * w[1] * w[1] * 8.5];
const lambdaMax = (h[0] + h[2]) / 2 + Math.sqrt(((h[0] - h[2]) / 2) ** 2 + h[1] ** 2);
assert.ok(Math.abs(Number(value) - lambdaMax) < 1e-4 * lambdaMax, `sharpness ${value} vs closed form ${lambdaMax}`);
assert.match(outputs[0], /η_c = 0\.\d+/);
assert.match(outputs[0], /flow-aligned/);
assert.match(outputs[0], /eos/);

// The README shows these two files verbatim.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
for (const file of ['least-squares.mjs', 'run.mjs']) {
  const text = readFileSync(new URL(`../examples/own-model/${file}`, import.meta.url), 'utf8').trim();
  assert.ok(readme.includes(text), `README.md shows examples/own-model/${file} as written`);
}
console.log('own model (README example): ok under node and tsx');
