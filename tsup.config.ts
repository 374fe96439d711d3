import { defineConfig } from 'tsup';
export default defineConfig({
  // The worker-thread entry of the task pools (src/parallel/pool.ts finds it beside the running module). It imports
  // the package entry, and with shared chunks below it shares the package's modules: one model registry and one
  // task-handler registry per thread, also with the modules a pool preloads.
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', plot: 'src/plot/index.ts', node: 'src/node/index.ts', cli: 'src/cli/bin.ts', 'parallel-worker': 'src/parallel/worker.ts' },
  format: ['esm', 'cjs'],
  // tsup's declaration build passes `baseUrl`, which TypeScript 6 deprecates (an error unless acknowledged).
  dts: { entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', plot: 'src/plot/index.ts', node: 'src/node/index.ts' }, compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Shared chunks, so that eos-lab and eos-lab/testing share one EosLabError class (instanceof works across them),
  // and the worker entry shares the package's registries.
  splitting: true,
  treeshake: true,
  // `import.meta.url` in the CJS build (the worker pool finds its worker entry relative to the running module).
  shims: true,
});
