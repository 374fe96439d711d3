import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runExamples, type RunSummary } from '../../examples/runner.js';

/** One example run by the reproduce runner in `--quick` mode, shared by the tests of a file. */
export interface QuickRun {
  /** The example's output folder. */
  readonly dir: string;
  /** The runner's log lines (printed by tests on failure). */
  readonly lines: string[];
  /** The runner's summary (set before the file's tests run). */
  readonly run: RunSummary;
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
  return {
    dir: join(tmp, name),
    lines,
    get run(): RunSummary {
      if (summary === undefined) throw new Error(`quickRun(${name}): the run has not finished (use it inside a test)`);
      return summary;
    },
  };
}
