/**
 * The machine's memory in Node (`os.totalmem()`), the bound `gridStudy` checks a study's size against. The browser
 * build uses `src/platform/browser/memory.ts` instead.
 *
 * @module
 * @internal
 */
import { totalmem } from 'node:os';

/** Bytes of memory of this machine. @internal */
export function totalMemoryBytes(): number {
  return totalmem();
}
