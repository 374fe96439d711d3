// Worker-thread bootstrap used only when eos-lab runs from its TypeScript sources (vitest, tsx): Node 20 applies
// no ES-module loader hooks inside worker threads, but tsx's CommonJS hook (installed by the worker's
// `--import tsx` flag) does work there. So the worker entry (worker.ts), the package sources it imports and the
// TypeScript preload modules are all loaded through that one `require` hook: one copy of each module per thread.
'use strict';
const { workerData } = require('node:worker_threads');
require(workerData.entry);
