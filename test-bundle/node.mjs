// Loads eos-lab/node from the built package through `import`: a GD run saved and loaded bit for bit; and a PNG
// rendered by eos-lab/plot's renderPng through the optional peer @resvg/resvg-js (a development dependency here).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lab from 'eos-lab';
import { loadResult, saveResult } from 'eos-lab/node';
import { pathsFigure, renderPng } from 'eos-lab/plot';

const dir = mkdtempSync(join(tmpdir(), 'eos-lab-bundle-'));
try {
  const run = lab.gd(lab.scalarFactorization.create(), new Float64Array([2, 0.65]), { learningRate: 0.5, lossGoal: 1e-12, record: { theta: true } });
  const file = join(dir, 'run.json');
  await saveResult(file, 'gd', run);
  const back = await loadResult(file, 'gd');
  assert.deepEqual(Array.from(back.trace.theta), Array.from(run.trace.theta));
  await assert.rejects(loadResult(join(dir, 'missing.json')), (e) => e instanceof lab.EosLabError && e.code === 'E_BAD_OPTION');
  const png = await renderPng(pathsFigure(back), { scale: 1 });
  assert.deepEqual(Array.from(png.subarray(1, 4)), [0x50, 0x4e, 0x47]);
  console.log('esm node + png: ok');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
