import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireFastCheck } from '../../src/testing/fast-check-loader.js';
import { thrown } from '../helpers/errors.js';

function missing(id: string): never {
  const e = new Error(`Cannot find module '${id}'`) as Error & { code: string };
  e.code = 'MODULE_NOT_FOUND';
  throw e;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

describe('fast-check is loaded only by the arbitraries', () => {
  it('a missing fast-check is E_NOT_SUPPORTED naming the peer and the calling arbitrary', () => {
    const e = thrown(() => requireFastCheck('finiteVector', missing));
    expect(e.code).toBe('E_NOT_SUPPORTED');
    expect(e.message).toContain('finiteVector');
    expect(e.message).toContain("'fast-check'");
    expect(e.message).toContain('npm install --save-dev fast-check');
  });

  it('other load errors pass through unchanged', () => {
    const boom = new Error('syntax error in some dependency');
    expect(() =>
      requireFastCheck('finiteVector', () => {
        throw boom;
      }),
    ).toThrow(boom);
  });

  it('loads the installed package, whose arbitraries the ESM fast-check accepts', async () => {
    const fc = requireFastCheck('test');
    const esm = (await import('fast-check')).default;
    expect(esm.sample(fc.integer({ min: 3, max: 3 }), { numRuns: 2, seed: 1 })).toEqual([3, 3]);
  });

  it('no module of src/ imports fast-check as a value (only `import type`), so eos-lab/testing loads without it', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles('src')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import\s+(?!type\b)[^;]*from\s+'fast-check'/gm)) offenders.push(`${file}: ${m[0]}`);
      if (/import\(\s*'fast-check'\s*\)/.test(text)) offenders.push(`${file}: dynamic import`);
    }
    expect(offenders).toEqual([]);
  });
});
