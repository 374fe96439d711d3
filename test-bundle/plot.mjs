// Loads eos-lab/plot from the built package through `import`: a standard figure of a GD run, rendered to SVG with
// the optional peers vega and vega-lite (installed here as development dependencies).
import assert from 'node:assert/strict';
import * as lab from 'eos-lab';
import { renderSvg, traceFigure } from 'eos-lab/plot';

const run = lab.gd(lab.scalarFactorization.create(), new Float64Array([2, 0.65]), { learningRate: 0.5, lossGoal: 1e-12, record: { sharpnessEvery: 1 } });
const spec = traceFigure(run, { learningRate: 0.5 });
assert.equal(spec.concat.length, 2);
const svg = await renderSvg(spec, { onWarning: (m) => assert.fail(m) });
assert.ok(svg.startsWith('<svg'));
assert.throws(() => traceFigure({}), (e) => e instanceof lab.EosLabError && e.code === 'E_BAD_OPTION');
console.log('esm plot: ok');
