/** Shared by the Node stubs: the error a Node-only part of eos-lab throws when a page calls it in the browser. */
export function unavailable(what: string): never {
  throw new Error(`${what} is Node-only: the explorer runs eos-lab in this thread of a Web Worker (workers: 0)`);
}
