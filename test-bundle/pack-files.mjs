// Checks the file list of the npm tarball (`npm pack --dry-run --json`): everything the exports map points at, the
// guides, README, CHANGELOG and LICENSE are in it; sources, tests, benches, examples and build leftovers are not; and
// no shipped text file mentions the team-internal notes (seed documents by number, the internal formula file). Run after `npm run build` (part of
// `npm run test:bundle`); test/packaging/pack-files.test.ts runs the same checks without requiring dist/.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Paths listed by `npm pack --dry-run --json`, relative to the package root. */
export function packedFiles() {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  const [report] = JSON.parse(out);
  return report.files.map((f) => f.path).sort();
}

/** Every file path the exports map (and main/module/types) names. */
function exportTargets(pkg) {
  const targets = new Set([pkg.main, pkg.module, pkg.types].filter(Boolean));
  const walk = (v) => {
    if (typeof v === 'string') targets.add(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(pkg.exports);
  return [...targets].map((t) => t.replace(/^\.\//, ''));
}

/** Mentions of the team-internal notes: seed documents by number, or the internal formula file (upper-case name). */
export const INTERNAL_REFERENCE = /[Ss]eeds? ?0\d\d|\bMATH\.md/;

/**
 * Returns the list of problems (empty when the tarball is right). `requireDist: false` skips the checks that need a
 * build (exports-map targets); `scanText: false` skips the scan of shipped text for internal references.
 */
export function checkPackFiles({ requireDist = true, scanText = true } = {}) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const files = packedFiles();
  const has = new Set(files);
  const problems = [];
  const need = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'];
  for (const name of readdirSync(join(root, 'docs'))) if (name.endsWith('.md')) need.push(`docs/${name}`);
  if (requireDist) need.push(...exportTargets(pkg).filter((t) => t !== 'package.json'));
  for (const f of need) if (!has.has(f)) problems.push(`missing from the tarball: ${f}`);
  const allowedRoot = new Set(['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']);
  for (const f of files) {
    if (!(f.startsWith('dist/') || f.startsWith('docs/') || allowedRoot.has(f))) problems.push(`unexpected file in the tarball: ${f}`);
    if (f.startsWith('docs/') && !f.endsWith('.md')) problems.push(`non-guide file under docs/: ${f}`);
  }
  if (requireDist && !files.some((f) => f.startsWith('dist/'))) problems.push('no dist/ files: run `npm run build` first');
  // Shipped text a user reads: guides, README, CHANGELOG and the type declarations.
  for (const f of scanText ? files : []) {
    if (!(f.endsWith('.md') || f.endsWith('.d.ts') || f.endsWith('.d.cts'))) continue;
    const lines = readFileSync(join(root, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (INTERNAL_REFERENCE.test(line)) problems.push(`${f}:${i + 1} mentions a team-internal note: ${line.trim().slice(0, 120)}`);
    });
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkPackFiles();
  if (problems.length > 0) {
    console.error(`pack files: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`pack files: ok (${packedFiles().length} files)`);
}
