import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { runExamples, type RunSummary } from '../../examples/runner.js';
import { checkSvg } from './svg-check.js';

/** One example run by the reproduce runner in `--quick` mode, shared by the tests of a file. */
export interface QuickRun {
  /** The example's output folder. */
  readonly dir: string;
  /** The runner's log lines (printed by tests on failure). */
  readonly lines: string[];
  /** The runner's summary (set before the file's tests run). */
  readonly run: RunSummary;
  /**
   * Asserts the run succeeded without renderer warnings, wrote exactly `files` (names relative to `dir`), and that
   * every SVG is well-formed with more than `minPaths` path elements (curves actually drawn).
   */
  expectOutputs(files: readonly string[], options?: { minPaths?: number }): void;
}

/**
 * Runs example `name` once with `--quick` into a temporary folder before the file's tests (vitest `beforeAll`) and
 * removes the folder after them.
 */
export function quickRun(name: string): QuickRun {
  const tmp = mkdtempSync(join(tmpdir(), `eos-lab-${name}-`));
  const lines: string[] = [];
  let summary: RunSummary | undefined;
  beforeAll(async () => {
    summary = await runExamples({ only: [name], quick: true, outDir: tmp, log: (l) => lines.push(l) });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const dir = join(tmp, name);
  return {
    dir,
    lines,
    get run(): RunSummary {
      if (summary === undefined) throw new Error(`quickRun(${name}): the run has not finished (use it inside a test)`);
      return summary;
    },
    expectOutputs(files, options = {}) {
      const run = this.run;
      expect(run.ok, lines.join('\n')).toBe(true);
      const [result] = run.results;
      expect(result.name).toBe(name);
      expect(result.warnings).toEqual([]);
      expect(result.files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([...files].sort());
      for (const f of result.files.filter((p) => p.endsWith('.svg'))) {
        const check = checkSvg(readFileSync(f, 'utf8'));
        expect(check.problem, f).toBeUndefined();
        expect(check.elements.get('path') ?? 0, f).toBeGreaterThan(options.minPaths ?? 0);
      }
    },
  };
}
