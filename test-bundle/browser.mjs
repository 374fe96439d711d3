// The browser build without a browser (the Chromium check is test-browser/bundle.spec.ts): esbuild bundles
// `import … from 'eos-lab'` for the browser platform with nothing external — it resolves the exports map's `browser`
// condition (dist/browser/index.js) and would fail on any Node built-in — while the Node build, bundled the same
// way, must fail on its built-ins. The browser bundle then runs here (it needs no DOM) against a closed form.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'out', 'test-bundle');
mkdirSync(out, { recursive: true });

const entry = `
import { scalarFactorization, sharpness, defaultWorkerCount, createTaskPool, datasets, EosLabError } from 'eos-lab';
const model = scalarFactorization.create();
let mnist = 'loaded';
try { datasets.loadMnist({ perClass: 1 }); } catch (e) { mnist = e instanceof EosLabError ? e.code : String(e); }
export const result = { s: sharpness(model, new Float64Array([2, 0.5])), workers: defaultWorkerCount(), poolWorkers: createTaskPool({ workers: 3 }).workers, mnist };
`;
const bundled = await build({
  stdin: { contents: entry, resolveDir: root, sourcefile: 'browser-entry.js' },
  bundle: true,
  platform: 'browser',
  format: 'esm',
  outfile: join(out, 'browser.js'),
  metafile: true,
  logLevel: 'silent',
});
const inputs = Object.keys(bundled.metafile.inputs).map((p) => relative(root, join(root, p)));
assert.ok(inputs.includes(join('dist', 'browser', 'index.js')), `the bundle did not use dist/browser/index.js: ${inputs.join(', ')}`);
assert.deepEqual(inputs.filter((p) => p.startsWith('src/') || p === join('dist', 'index.js')), []);

let nodeBuildErrors = [];
try {
  await build({
    stdin: { contents: `export * from ${JSON.stringify(join(root, 'dist', 'index.js'))};`, resolveDir: root },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    outfile: join(out, 'node-build-for-browser.js'),
    logLevel: 'silent',
  });
} catch (e) {
  nodeBuildErrors = e.errors ?? [e];
}
assert.ok(nodeBuildErrors.length > 0, 'the Node build bundled for the browser: the check cannot tell');

const { result } = await import(pathToFileURL(join(out, 'browser.js')).href);
// λ_max of ½(1 − xy)² on xy = 1 is x² + y² = 4.25 [Scalar factorization].
assert.ok(Math.abs(result.s - 4.25) <= 1e-14 * 4.25, `sharpness ${result.s}, expected 4.25`);
assert.equal(result.workers, 1);
assert.equal(result.poolWorkers, 0);
assert.equal(result.mnist, 'E_NOT_SUPPORTED');
console.log(`browser build: ok (bundles for the browser with no Node built-in; the Node build fails with ${nodeBuildErrors.length} errors)`);
