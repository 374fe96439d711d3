import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  // tsup's declaration build passes `baseUrl`, which TypeScript 6 deprecates (an error unless acknowledged).
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Shared chunks, so that eos-lab and eos-lab/testing share one EosLabError class (instanceof works across them).
  splitting: true,
  treeshake: true,
});
