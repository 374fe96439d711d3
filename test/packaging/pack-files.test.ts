import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script shared with `npm run test:bundle` (no type declarations)
import { checkPackFiles, packedFiles } from '../../test-bundle/pack-files.mjs';

describe('the npm tarball (npm pack --dry-run --json)', () => {
  it('ships the guides, README, CHANGELOG and LICENSE, and no sources, tests, benches or examples', () => {
    // The build-dependent checks (exports-map targets in dist/) run in `npm run test:bundle` after `npm run build`.
    expect(checkPackFiles({ requireDist: false, scanText: false })).toEqual([]);
    const files: string[] = packedFiles();
    expect(files).toContain('docs/math.md');
    expect(files).toContain('docs/references.md');
    expect(files.filter((f) => /^(src|test|bench|examples|test-bundle|node_modules)\//.test(f))).toEqual([]);
  });

  it('package.json names the repository, homepage and issue tracker, and types ndarray for users', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/.+\.git$/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\/.+\/issues$/);
    expect(pkg.dependencies['@types/ndarray']).toBeDefined();
    expect(pkg.devDependencies?.['@types/ndarray']).toBeUndefined();
    expect(pkg.peerDependenciesMeta['fast-check'].optional).toBe(true);
  });
});
