/** Browser stand-in for `node:os`: one thread (studies run in-process) and the memory the tab may use. */
const deviceMemory = (globalThis as { navigator?: { deviceMemory?: number } }).navigator?.deviceMemory;

/** gridStudy refuses studies that cannot fit in memory; the explorer's studies are a few MB. */
export function totalmem(): number {
  return (deviceMemory ?? 4) * 2 ** 30;
}
export function availableParallelism(): number {
  return 1;
}
export default { totalmem, availableParallelism };
