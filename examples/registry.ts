/**
 * Every example `npm run reproduce` knows, in run order. To add one: create `examples/<name>/index.ts` (or
 * `examples/<name>.ts`) exporting an {@link Example}, import it here and append it to the list.
 */
import { scalarFactorizationGd } from './scalar-factorization-gd/index.js';
import type { Example } from './types.js';

export const examples: readonly Example[] = [scalarFactorizationGd];
