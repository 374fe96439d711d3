// eos-lab/testing without its optional peer fast-check: the built package is copied into a temporary directory
// whose node_modules holds eos-lab's dependencies but not fast-check; there the checkers work (import and require)
// and an arbitrary throws EosLabError E_NOT_SUPPORTED naming the missing peer. Run after `npm run build`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, realpathSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'eos-lab-no-fast-check-'));
try {
  const modules = join(dir, 'node_modules');
  const self = join(modules, 'eos-lab');
  mkdirSync(self, { recursive: true });
  cpSync(join(root, 'dist'), join(self, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(self, 'package.json'));
  for (const dep of Object.keys(pkg.dependencies)) {
    const depDir = realpathSync(join(root, 'node_modules', dep));
    mkdirSync(dirname(join(modules, dep)), { recursive: true });
    symlinkSync(depDir, join(modules, dep), 'dir');
  }
  // Precondition: fast-check cannot be resolved from the copied package.
  assert.throws(() => createRequire(join(self, 'dist', 'index.js')).resolve('fast-check'), { code: 'MODULE_NOT_FOUND' });

  const checks = (imports) => `${imports}
const model = lab.scalarFactorization.create();
const theta = new Float64Array([0.5, 3]);
if (!testing.checkGradient(model, theta).pass) throw new Error('checkGradient failed');
if (!testing.checkHvp(model, theta, new Float64Array([1, -2])).pass) throw new Error('checkHvp failed');
testing.expectRelClose(1, 1 + 1e-15, { rel: 1e-12 });
let caught;
try { testing.finiteVector({ dim: 2 }); } catch (e) { caught = e; }
if (!(caught instanceof lab.EosLabError) || caught.code !== 'E_NOT_SUPPORTED' || !caught.message.includes("'fast-check'"))
  throw new Error('expected E_NOT_SUPPORTED for a missing fast-check, got ' + caught);
console.log('ok');
`;
  writeFileSync(join(dir, 'check.mjs'), checks("import * as lab from 'eos-lab';\nimport * as testing from 'eos-lab/testing';"));
  writeFileSync(join(dir, 'check.cjs'), checks("const lab = require('eos-lab');\nconst testing = require('eos-lab/testing');"));
  for (const file of ['check.mjs', 'check.cjs']) {
    const out = execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
    assert.equal(out.trim(), 'ok', `${file}: ${out}`);
  }
  console.log('no-fast-check: ok (import and require)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
