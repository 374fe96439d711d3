/**
 * `npm run reproduce [-- --only <name> --quick --out <dir> --list]`: runs every example registered in
 * `examples/registry.ts` and writes `out/<example>/*.json` and `*.svg`. See `examples/runner.ts`.
 */
import { main } from './runner.js';

process.exitCode = await main(process.argv.slice(2));
