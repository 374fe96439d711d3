// Loads eos-lab/node from the built package through `require`, and renders a PNG (renderPng loads the CommonJS peer
// @resvg/resvg-js with a dynamic import).
const assert = require('node:assert/strict');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const lab = require('eos-lab');
const { loadResult, saveResult } = require('eos-lab/node');
const { lineChart, renderPng } = require('eos-lab/plot');

(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eos-lab-bundle-'));
  try {
    const top = lab.lanczos(lab.matrixFromRows([[2, 1], [1, 2]]), { k: 1 });
    await saveResult(join(dir, 'top.json'), 'lanczos', top);
    assert.equal((await loadResult(join(dir, 'top.json'), 'lanczos')).values[0], top.values[0]);
    const png = await renderPng(lineChart([{ name: 'a', x: [0, 1], y: [1, 2] }]), { scale: 1 });
    assert.deepEqual(Array.from(png.subarray(1, 4)), [0x50, 0x4e, 0x47]);
    console.log('cjs node + png: ok');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
