import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 60_000,
    // Example smoke tests run a quick example in beforeAll; on a loaded 2-core machine that can exceed vitest's 10 s.
    hookTimeout: 180_000,
    benchmark: { include: ['bench/**/*.bench.ts'] },
  },
});
