/**
 * The helper thread of the two-thread matrix products (Node only; started by src/platform/node/gemm-helper.ts):
 * instantiates the shared-memory kernel on the caller's memory and, forever, waits for a job and claims chunks of
 * it (see gemm-parallel-protocol.ts). It never posts messages; the caller `unref`s it, so it never keeps the
 * process alive.
 *
 * @module
 * @internal
 */
import { workerData } from 'node:worker_threads';
import { CTL, runClaims, type GemmExport, type PackExport } from './gemm-parallel-protocol.js';

interface HelperData {
  readonly module: object;
  readonly memory: object;
  readonly control: SharedArrayBuffer;
}

const { module, memory, control } = workerData as HelperData;
const api = (globalThis as unknown as {
  WebAssembly: { Instance: new (m: object, imports: object) => { exports: Record<string, unknown> } };
}).WebAssembly;
const exports = new api.Instance(module, { env: { memory } }).exports;
const gemm = exports.gemm as GemmExport;
const pack = exports.pack as PackExport;
const ctl = new Int32Array(control);
const notifyDone = (): void => {
  Atomics.notify(ctl, CTL.DONE);
};

Atomics.store(ctl, CTL.READY, 1);

let seen = 0;
for (;;) {
  Atomics.wait(ctl, CTL.SEQ, seen);
  seen = Atomics.load(ctl, CTL.SEQ);
  try {
    runClaims(ctl, seen, gemm, pack, notifyDone);
  } catch {
    // A kernel call that throws cannot happen on valid offsets; if it did, the caller redoes the block alone.
    Atomics.store(ctl, CTL.FAILED, 1);
    Atomics.add(ctl, CTL.DONE, 1);
    notifyDone();
  }
}
