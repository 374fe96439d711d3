import { defineConfig } from 'tsup';
export default defineConfig([
  {
    // The worker-thread entry of the task pools (src/parallel/thread-pool.ts finds it beside the running module). It
    // imports the package entry, and with shared chunks below it shares the package's modules: one model registry
    // and one task-handler registry per thread, also with the modules a pool preloads.
    entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', plot: 'src/plot/index.ts', node: 'src/node/index.ts', cli: 'src/cli/bin.ts', 'parallel-worker': 'src/parallel/worker.ts', 'gemm-helper-worker': 'src/linalg/wasm/gemm-helper-worker.ts' },
    format: ['esm', 'cjs'],
    // tsup's declaration build passes `baseUrl`, which TypeScript 6 deprecates (an error unless acknowledged).
    dts: { entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', plot: 'src/plot/index.ts', node: 'src/node/index.ts' }, compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    // Everything in dist/ except the browser build below (the two configurations build at the same time).
    clean: ['!browser/**'],
    target: 'node20',
    // Shared chunks, so that eos-lab and eos-lab/testing share one EosLabError class (instanceof works across them),
    // and the worker entry shares the package's registries.
    splitting: true,
    treeshake: true,
    // `import.meta.url` in the CJS build (the worker pool finds its worker entry relative to the running module).
    shims: true,
  },
  {
    // The browser build of the main entry (the `browser` condition of package.json's exports): `#platform/*`
    // resolves to src/platform/browser/ under esbuild's `browser` platform (package.json `imports`), so nothing
    // here reaches a Node built-in — no worker threads (pools run in-process), no `require`, no MNIST loader.
    // Dependencies stay external (the consumer's bundler resolves them); the types are the main build's.
    name: 'browser',
    entry: { index: 'src/index.ts' },
    outDir: 'dist/browser',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    dts: false,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    // No shims: tsup's ESM shim derives __filename from import.meta.url at load time, which fails off `file:` URLs.
    shims: false,
  },
]);
