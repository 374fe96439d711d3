/**
 * The two variants of each `#platform/*` module (src/platform/node/ and src/platform/browser/; package.json
 * `imports` picks one by the `browser` condition) export the same API, and the browser variants do what the browser
 * build promises — run here, in Node, by importing them by path. The browser build itself is checked in Chromium by
 * test-browser/bundle.spec.ts.
 */
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EosLabError } from '../../src/core/errors.js';
import * as browserMemory from '../../src/platform/browser/memory.js';
import * as browserMlMatrix from '../../src/platform/browser/ml-matrix.js';
import * as browserMnist from '../../src/platform/browser/mnist.js';
import * as browserModules from '../../src/platform/browser/modules.js';
import * as browserThreads from '../../src/platform/browser/threads.js';
import * as nodeMemory from '../../src/platform/node/memory.js';
import * as nodeMlMatrix from '../../src/platform/node/ml-matrix.js';
import * as nodeMnist from '../../src/platform/node/mnist.js';
import * as nodeModules from '../../src/platform/node/modules.js';
import * as nodeThreads from '../../src/platform/node/threads.js';
import { createTaskPool } from '../../src/parallel/pool.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

function thrown(f: () => unknown): EosLabError {
  try {
    f();
  } catch (e) {
    if (e instanceof EosLabError) return e;
    throw e;
  }
  throw new Error('expected an EosLabError');
}

describe('#platform/* variants', () => {
  it('package.json maps #platform/* to the browser folder under the browser condition and to the node folder otherwise', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { imports: Record<string, Record<string, string>> };
    expect(pkg.imports['#platform/*']).toEqual({ browser: './src/platform/browser/*.ts', default: './src/platform/node/*.ts' });
  });

  it('export the same names with the same types', () => {
    const pairs: [object, object][] = [
      [browserMemory, nodeMemory],
      [browserMlMatrix, nodeMlMatrix],
      [browserMnist, nodeMnist],
      [browserModules, nodeModules],
      [browserThreads, nodeThreads],
    ];
    for (const [b, n] of pairs) expect(Object.keys(b).sort()).toEqual(Object.keys(n).sort());
    expectTypeOf(browserThreads.createThreadPool).toEqualTypeOf(nodeThreads.createThreadPool);
    expectTypeOf(browserThreads.processorCount).toEqualTypeOf(nodeThreads.processorCount);
    expectTypeOf(browserThreads.poolThreadIds).toEqualTypeOf(nodeThreads.poolThreadIds);
    expectTypeOf(browserThreads.isPoolClosed).toEqualTypeOf(nodeThreads.isPoolClosed);
    expectTypeOf(browserThreads.onProcessExit).toEqualTypeOf(nodeThreads.onProcessExit);
    expectTypeOf(browserModules.importModule).toEqualTypeOf(nodeModules.importModule);
    expectTypeOf(browserModules.requireModule).toEqualTypeOf(nodeModules.requireModule);
    expectTypeOf(browserMlMatrix.mlMatrix).toEqualTypeOf(nodeMlMatrix.mlMatrix);
    expectTypeOf(browserMnist.requireMnistPackage).toEqualTypeOf(nodeMnist.requireMnistPackage);
    expectTypeOf(browserMemory.totalMemoryBytes).toEqualTypeOf(nodeMemory.totalMemoryBytes);
  });

  it('threads: none in the browser variant (one core, no thread pool), worker threads in Node', () => {
    expect(nodeThreads.WORKER_THREADS).toBe(true);
    expect(browserThreads.WORKER_THREADS).toBe(false);
    expect(browserThreads.processorCount()).toBe(1);
    const e = thrown(() => browserThreads.createThreadPool(4, []));
    expect(e.code).toBe('E_NOT_SUPPORTED');
    expect(e.message).toContain('options.workers');
    const pool = createTaskPool({ workers: 0 });
    expect(browserThreads.poolThreadIds(pool)).toEqual([]);
    expect(browserThreads.isPoolClosed(pool)).toBe(false);
  });

  it('memory: navigator.deviceMemory (GiB) in the browser variant, 4 GiB when it is not given', () => {
    vi.stubGlobal('navigator', { deviceMemory: 8 });
    try {
      expect(browserMemory.totalMemoryBytes()).toBe(8 * 2 ** 30);
    } finally {
      vi.unstubAllGlobals();
    }
    vi.stubGlobal('navigator', {});
    try {
      expect(browserMemory.totalMemoryBytes()).toBe(4 * 2 ** 30);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('ml-matrix: the statically imported classes decompose a matrix to the same bits as the required ones', () => {
    const rows = [[4, 1, -2], [1, 3, 0.5], [-2, 0.5, 5]];
    const eig = (m: typeof nodeMlMatrix.mlMatrix) => {
      const { EigenvalueDecomposition, Matrix } = m();
      return new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues;
    };
    const fromBrowser = eig(browserMlMatrix.mlMatrix);
    expect(fromBrowser).toEqual(eig(nodeMlMatrix.mlMatrix));
    // Independent check: the eigenvalues sum to the trace, 4 + 3 + 5.
    expect(Math.abs(fromBrowser.reduce((a, b) => a + b, 0) - 12)).toBeLessThan(1e-13);
  });

  it('mnist: E_NOT_SUPPORTED in the browser variant, saying to pass inputs and targets', () => {
    const e = thrown(() => browserMnist.requireMnistPackage());
    expect(e.code).toBe('E_NOT_SUPPORTED');
    expect(e.message).toContain('datasets.loadMnist');
    expect(e.message).toContain('inputs');
    expect(e.message).toContain('targets');
  });

  it('modules: the browser variant imports specifiers as given and has no require', async () => {
    expect(browserModules.preloadSpecifier('/abs/path.js')).toBe('/abs/path.js');
    expect(nodeModules.preloadSpecifier('/abs/path.js')).toBe(pathToFileURL('/abs/path.js').href);
    const url = pathToFileURL(join(root, 'src/core/errors.ts')).href;
    const m = (await browserModules.importModule(url)) as { EosLabError?: unknown };
    expect(typeof m.EosLabError).toBe('function');
    const e = thrown(() => browserModules.requireModule('ml-matrix'));
    expect(e.code).toBe('E_NOT_SUPPORTED');
    expect(e.message).toContain("'ml-matrix'");
  });
});
