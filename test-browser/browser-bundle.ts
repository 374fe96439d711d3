/**
 * The bundle check of the browser build: bundles test-browser/scenario.ts with `import * as lab from 'eos-lab'`,
 * resolved from the BUILT package (its `browser` export, dist/browser/index.js; run `npm run build` first) by esbuild
 * for the browser platform — no `external`, so any Node built-in the package reached would fail the build (esbuild
 * cannot resolve `node:os`, `worker_threads`, … for the browser). Used by bundle.spec.ts.
 */
import { build, type Metafile } from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The entry of the bundle: the scenario over the package, exposed to the page as `globalThis.eosScenario`. */
const ENTRY = `
import * as lab from 'eos-lab';
import { scenario } from './scenario.ts';
(globalThis as unknown as { eosScenario: (workers: number) => ReturnType<typeof scenario> }).eosScenario = (workers) => scenario(lab, workers);
`;

/** What the bundle check produced. */
export interface BrowserBundle {
  /** The bundle file (ESM). */
  readonly file: string;
  /** The modules esbuild put in it, relative to the repository root. */
  readonly inputs: readonly string[];
}

/**
 * Bundles the scenario for the browser into `outFile`; rejects with esbuild's errors if anything cannot be bundled
 * for the browser (a Node built-in among them).
 */
export async function bundleScenarioForBrowser(outFile: string): Promise<BrowserBundle> {
  if (!existsSync(join(root, 'dist', 'browser', 'index.js'))) {
    throw new Error('dist/browser/index.js is missing: run `npm run build` before the browser tests');
  }
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: join(root, 'test-browser'), sourcefile: 'bundle-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    outfile: outFile,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
  });
  return { file: outFile, inputs: Object.keys((result.metafile as Metafile).inputs).map((p) => relative(root, resolve(root, p))) };
}

/**
 * Bundles the package's Node ESM entry (dist/index.js) for the browser: the negative control of the check, which
 * must fail on the Node built-ins it imports. Returns esbuild's error texts (empty if it wrongly succeeded).
 */
export async function bundleNodeBuildForBrowser(outFile: string): Promise<string[]> {
  try {
    await build({
      stdin: { contents: `import * as lab from ${JSON.stringify(join(root, 'dist', 'index.js'))}; console.log(lab);`, resolveDir: root, loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      outfile: outFile,
      logLevel: 'silent',
    });
    return [];
  } catch (e) {
    return ((e as { errors?: { text: string }[] }).errors ?? [{ text: String(e) }]).map((m) => m.text);
  }
}
