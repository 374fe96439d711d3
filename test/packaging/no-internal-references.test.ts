/**
 * The published text never mentions the team's internal notes: seed documents by number ("seed" followed by 000,
 * 001, …) or the internal formula file (its upper-case name). Citations go to docs/references.md and docs/math.md.
 * Scanned: every file under src/ (its TSDoc becomes the .d.ts and the API site), docs/, README.md, CHANGELOG.md, and
 * the built declarations dist/*.d.ts when they are at least as new as src/ (a stale build is skipped, not judged).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const INTERNAL = /[Ss]eeds? ?0\d\d|\bMATH\.md/;

function files(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name), keep) : keep(d.name) ? [join(dir, d.name)] : [],
  );
}

function mentions(paths: readonly string[]): string[] {
  const found: string[] = [];
  for (const p of paths) {
    readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
      if (INTERNAL.test(line)) found.push(`${p}:${i + 1}: ${line.trim().slice(0, 140)}`);
    });
  }
  return found;
}

describe('no team-internal references in published files', () => {
  it('the pattern catches the forms that used to be there, and not the citations that replace them', () => {
    for (const s of ['seed 004, eq. (11)', 'Seed 000', 'seeds 000, 001', 'seed004', 'MATH.md §1']) expect(INTERNAL.test(s)).toBe(true);
    for (const s of ['[Conflicting biases, eq. (11)]', 'docs/math.md §1', 'rng(seed)', 'seed: 0', 'the seed 42']) expect(INTERNAL.test(s)).toBe(false);
  });

  it('src/ (TSDoc and comments), docs/, README.md and CHANGELOG.md', () => {
    const published = [
      ...files('src', (n) => n.endsWith('.ts')),
      ...files('docs', (n) => n.endsWith('.md')),
      'README.md',
      'CHANGELOG.md',
    ];
    expect(published.length).toBeGreaterThan(50);
    expect(mentions(published)).toEqual([]);
  });

  it('the built declarations dist/*.d.ts (when built after the last change to src/)', () => {
    const dts = files('dist', (n) => n.endsWith('.d.ts') || n.endsWith('.d.cts'));
    const newestSource = Math.max(...files('src', (n) => n.endsWith('.ts')).map((p) => statSync(p).mtimeMs));
    const fresh = dts.filter((p) => statSync(p).mtimeMs >= newestSource);
    expect(mentions(fresh)).toEqual([]);
  });
});
