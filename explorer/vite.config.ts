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
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The fixed port of `npm run explorer` (preview) and of the browser tests. */
export const EXPLORER_PORT = 4178;

export default defineConfig({
  root: here('.'),
  base: './',
  resolve: {
    alias: process.env.EXPLORER_LIB === 'package' ? [] : [{ find: /^eos-lab$/, replacement: here('../src/index.ts') }],
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
