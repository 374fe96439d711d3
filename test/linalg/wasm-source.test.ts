/**
 * The committed WebAssembly bytes come from their committed source: reassembling src/linalg/wasm/gemm.wat with
 * the build script (wabt's wat2wasm) must reproduce src/linalg/wasm/gemm-wasm-bytes.ts exactly, byte for byte and
 * as the generated text, so the binary kernel can never drift from the source a reader reviews.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleWat, bytesModule, bytesModuleFile, KERNELS, SHARED_MAX_PAGES, WASM_DIR } from '../../scripts/build-wasm.js';
import { GEMM_SHARED_WASM_BYTES } from '../../src/linalg/wasm/gemm-shared-wasm-bytes.js';
import { SHARED_MAX_PAGES as RUNTIME_SHARED_MAX_PAGES } from '../../src/linalg/wasm/gemm-wasm.js';
import { GEMM_WASM_BYTES } from '../../src/linalg/wasm/gemm-wasm-bytes.js';

/** The WebAssembly API (typed here: the project's TypeScript library setting has no DOM declarations). */
const wasm = (globalThis as unknown as {
  WebAssembly: {
    validate(bytes: Uint8Array): boolean;
    Module: { new (bytes: Uint8Array): object; exports(module: object): { kind: string; name: string }[] };
  };
}).WebAssembly;

describe('WebAssembly kernels: committed bytes = assembled source', () => {
  it('gemm.wat reassembles to GEMM_WASM_BYTES', async () => {
    const bytes = await assembleWat('gemm.wat', readFileSync(join(WASM_DIR, 'gemm.wat'), 'utf8'));
    expect(bytes.length).toBe(GEMM_WASM_BYTES.length);
    expect(Buffer.from(bytes).equals(Buffer.from(GEMM_WASM_BYTES))).toBe(true);
  });

  it('every kernel module is the exact text the build script writes', async () => {
    for (const { name, constant, shared } of KERNELS) {
      const bytes = await assembleWat(`${name}.wat`, readFileSync(join(WASM_DIR, `${name}.wat`), 'utf8'), shared);
      expect(readFileSync(join(WASM_DIR, bytesModuleFile(name, shared)), 'utf8')).toBe(bytesModule(`${name}.wat`, constant, bytes, shared));
    }
  });

  it('the bytes are a valid module that needs SIMD (and nothing more) and export memory, gemm, pack and copyBlock', () => {
    expect(wasm.validate(GEMM_WASM_BYTES)).toBe(true);
    const exports = wasm.Module.exports(new wasm.Module(GEMM_WASM_BYTES)).map((e) => `${e.kind} ${e.name}`);
    expect(exports.sort()).toEqual(['function copyBlock', 'function gemm', 'function pack', 'memory memory']);
  });

  it('the shared-memory variant imports a shared memory of the runtime\'s maximum and exports the same functions', () => {
    expect(RUNTIME_SHARED_MAX_PAGES).toBe(SHARED_MAX_PAGES);
    expect(wasm.validate(GEMM_SHARED_WASM_BYTES)).toBe(true);
    const module = new wasm.Module(GEMM_SHARED_WASM_BYTES);
    const exports = wasm.Module.exports(module).map((e) => `${e.kind} ${e.name}`);
    expect(exports.sort()).toEqual(['function copyBlock', 'function gemm', 'function pack']);
    const imports = (wasm.Module as unknown as { imports(m: object): { module: string; name: string; kind: string }[] }).imports(module);
    expect(imports).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    // The code section is the same as the one-thread kernel's: only the memory declaration differs.
    const text = readFileSync(join(WASM_DIR, 'gemm.wat'), 'utf8');
    expect(text.match(/\(memory /g)?.length).toBe(1);
  });
});
