// The built `eos-lab` executable (package.json "bin"): a 2-shard grid study, merged, equals the unsharded run's
// file byte for byte; `plot` writes an SVG.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bin = join(root, pkg.bin['eos-lab']);
assert.ok(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node'), 'the bin starts with a shebang');
const dir = mkdtempSync(join(tmpdir(), 'eos-lab-bin-'));
try {
  const cli = (...args) => execFileSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(join(dir, 'study.json'), JSON.stringify({ study: 'gridStudy', options: { grid: { n: 9 }, learningRates: [0.3, 0.6, 0.9], maxSteps: 2000 } }));
  cli('run', 'study.json', '--out', 'whole', '--workers', '0');
  cli('run', 'study.json', '--out', 'shards', '--shard', '0/2', '--workers', '0');
  cli('run', 'study.json', '--out', 'shards', '--shard', '1/2', '--workers', '2');
  cli('merge', 'shards', '--out', 'merged.json');
  assert.equal(readFileSync(join(dir, 'merged.json'), 'utf8'), readFileSync(join(dir, 'whole', 'result.json'), 'utf8'));
  cli('plot', 'merged.json', '--out', 'fig');
  assert.ok(readFileSync(join(dir, 'fig', 'figure.svg'), 'utf8').startsWith('<svg'));
  console.log('cli: ok (2 shards merged byte for byte, plot)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
