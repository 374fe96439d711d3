/** Messages between the grid-study page and its worker. */
import type { GridShape, GridStudyRateSummary } from 'eos-lab';

export type GridRequest =
  | { readonly type: 'study'; readonly id: number; readonly learningRate: number; readonly shape: GridShape }
  | { readonly type: 'path'; readonly id: number; readonly learningRate: number; readonly start: readonly [number, number] };

/** One study at one η: the summary and the heat maps, row-major with row 0 at the top (y = +r). */
export interface GridStudyReply {
  readonly type: 'study';
  readonly id: number;
  readonly learningRate: number;
  readonly shape: GridShape;
  readonly n: number;
  readonly radius: number;
  readonly count: number;
  readonly summary: GridStudyRateSummary;
  /** Final s = x² + y² per lattice cell; NaN outside the mask or where the run did not converge. */
  readonly sharpness: Float64Array;
  /** Status per cell: 0 converged, 1 diverged, 2 max-steps, 255 outside the mask. */
  readonly status: Uint8Array;
  readonly milliseconds: number;
}

/** GD from one start against gradient flow and its closed-form end point. */
export interface GridPathReply {
  readonly type: 'path';
  readonly id: number;
  readonly learningRate: number;
  readonly start: readonly [number, number];
  readonly gd: { readonly status: string; readonly steps: number; readonly x: number[]; readonly y: number[]; readonly finalSharpness: number };
  readonly flow: { readonly status: string; readonly x: number[]; readonly y: number[] };
  readonly solution: { readonly theta: [number, number]; readonly sharpness: number; readonly reachesMinimizer: boolean };
}

export type GridReply = GridStudyReply | GridPathReply | { readonly type: 'error'; readonly id: number; readonly message: string };
