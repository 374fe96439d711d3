/**
 * The memory bound in a browser (the browser build's replacement of `src/platform/node/memory.ts`): the device
 * memory the page may learn (`navigator.deviceMemory`, in GiB, rounded and capped by the browser — Chromium reports
 * at most 8), or 4 GiB where the browser does not say (a typical per-tab limit of array buffers).
 *
 * @module
 * @internal
 */

/** Bytes a study may use in this page (see the module comment). @internal */
export function totalMemoryBytes(): number {
  const nav = (globalThis as { navigator?: { deviceMemory?: unknown } }).navigator;
  const gib = typeof nav?.deviceMemory === 'number' && nav.deviceMemory > 0 ? nav.deviceMemory : 4;
  return gib * 2 ** 30;
}
