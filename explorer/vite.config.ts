/**
 * Vite configuration of the explorer (three static pages; each computes in a Web Worker with eos-lab's own code).
 *
 * `eos-lab` resolves to the repository's source (src/index.ts), so the explorer always shows the numbers of the
 * code it sits beside and needs no build of the package first. The source is browser-clean: its Node-only parts are
 * reached through package.json's `imports` (`#platform/*`), whose `browser` condition — Vite's for client code —
 * picks the browser variants (parallel runs in-process). With `EXPLORER_LIB=package`, `eos-lab` resolves as a user's
 * bundler would resolve it instead: the package's own `browser` export, dist/browser/index.js (run `npm run build`
 * first).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const fromPackage = process.env.EXPLORER_LIB === 'package';
// Without the build, the bare 'eos-lab' would quietly fall through to tsconfig.json's path (the source): refuse instead.
if (fromPackage && !existsSync(here('../dist/browser/index.js'))) {
  throw new Error('EXPLORER_LIB=package builds the explorer against dist/browser/index.js: run `npm run build` first');
}

/** The fixed port of `npm run explorer` (preview) and of the browser tests. */
export const EXPLORER_PORT = 4178;

export default defineConfig({
  root: here('.'),
  base: './',
  resolve: {
    alias: fromPackage ? [] : [{ find: /^eos-lab$/, replacement: here('../src/index.ts') }],
  },
  worker: { format: 'es' },
  build: {
    outDir: here('../out/explorer-site'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      input: {
        index: here('index.html'),
        grid: here('grid.html'),
        eos: here('eos.html'),
        norm: here('norm.html'),
      },
    },
  },
  server: { port: EXPLORER_PORT, strictPort: true },
  preview: { port: EXPLORER_PORT, strictPort: true },
});
