// Loads eos-lab/plot from the built package through `require`; rendering loads the ES-module peers vega and
// vega-lite with a dynamic import, which CommonJS code may use.
const assert = require('node:assert/strict');
const lab = require('eos-lab');
const { renderSvg, traceFigure } = require('eos-lab/plot');

(async () => {
  const run = lab.gd(lab.scalarFactorization.create(), new Float64Array([2, 0.65]), { learningRate: 0.5, lossGoal: 1e-12, record: { sharpnessEvery: 1 } });
  const svg = await renderSvg(traceFigure(run, { learningRate: 0.5 }), { onWarning: (m) => assert.fail(m) });
  assert.ok(svg.startsWith('<svg'));
  assert.throws(() => traceFigure({}), (e) => e instanceof lab.EosLabError && e.code === 'E_BAD_OPTION');
  console.log('cjs plot: ok');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
