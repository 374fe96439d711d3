/**
 * Every example `npm run reproduce` knows, in run order. To add one: create `examples/<name>/index.ts` (or
 * `examples/<name>.ts`) exporting an {@link Example}, import it here and append it to the list.
 */
import { centralFlowExample } from './central-flow/index.js';
import { eosPostClaims } from './eos-post-claims/index.js';
import { diagonalNetClaims } from './diagonal-net-claims/index.js';
import { diagonalNetClassification } from './diagonal-net-classification/index.js';
import { diagonalNetSweep } from './diagonal-net-sweep/index.js';
import { gridStudyExample } from './grid-study/index.js';
import { mlpEos } from './mlp-eos/index.js';
import { mlpLrSweep } from './mlp-lr-sweep/index.js';
import { nnClaims } from './nn-claims/index.js';
import { optimizersEos } from './optimizers-eos/index.js';
import { scalarFactorizationGd } from './scalar-factorization-gd/index.js';
import { schedulesExample } from './schedules/index.js';
import { spectrum } from './spectrum/index.js';
import { widthOneNetClaims } from './width-one-net-claims/index.js';
import { widthOneNetEos } from './width-one-net-eos/index.js';
import type { Example } from './types.js';

export const examples: readonly Example[] = [
  scalarFactorizationGd,
  widthOneNetEos,
  gridStudyExample,
  mlpEos,
  diagonalNetSweep,
  mlpLrSweep,
  optimizersEos,
  schedulesExample,
  spectrum,
  centralFlowExample,
  eosPostClaims,
  diagonalNetClaims,
  diagonalNetClassification,
  widthOneNetClaims,
  nnClaims,
];
