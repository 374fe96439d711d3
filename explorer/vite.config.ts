/**
 * Vite configuration of the explorer (three static pages; each computes in a Web Worker with eos-lab's own code).
 *
 * `eos-lab` resolves to the repository's source (src/index.ts), so the explorer always shows the numbers of the
 * code it sits beside. The few Node built-ins the library's source imports (worker-thread pools, the MNIST loader,
 * a memory check) are replaced by the small modules in node-stubs/: the pages never call the Node-only parts, and
 * the stubs say so if they are called.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const NODE_STUBS = ['fs', 'fs/promises', 'module', 'os', 'path', 'url', 'worker_threads'];

/** The fixed port of `npm run explorer` (preview) and of the browser tests. */
export const EXPLORER_PORT = 4178;

export default defineConfig({
  root: here('.'),
  base: './',
  resolve: {
    alias: [
      { find: /^eos-lab$/, replacement: here('../src/index.ts') },
      ...NODE_STUBS.map((name) => ({
        find: new RegExp(`^(node:)?${name.replace('/', '\\/')}$`),
        replacement: here(`./node-stubs/${name.replace('/', '-')}.ts`),
      })),
    ],
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
