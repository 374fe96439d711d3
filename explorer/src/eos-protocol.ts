/** Messages between the edge-of-stability page and its worker. */

export interface EosStart {
  readonly type: 'start';
  readonly learningRate: number;
  /** Hidden width h of the network [1, h, h, 1]. */
  readonly width: number;
  /** Total GD steps. */
  readonly steps: number;
  /** Also record the top 3 Hessian eigenvalues. */
  readonly topK: boolean;
  /** Milliseconds to pause between chunks, so the curves can be watched (0: as fast as possible). */
  readonly pause: number;
}

/** One chunk of steps [from, from + loss.length). */
export interface EosChunk {
  readonly type: 'chunk';
  readonly from: number;
  readonly loss: number[];
  /** Steps with a λ_max sample and the samples (λ_max(∇²L(θ_k)), Lanczos). */
  readonly sharpnessStep: number[];
  readonly sharpness: number[];
  /** Top-3 eigenvalues at the same steps, 3 per step (empty unless asked). */
  readonly top3: number[];
}

export interface EosInfo {
  readonly type: 'info';
  readonly dim: number;
  readonly initialSharpness: number;
  readonly spec: unknown;
}

export interface EosDone {
  readonly type: 'done';
  readonly status: string;
  readonly steps: number;
}

export type EosReply = EosInfo | EosChunk | EosDone | { readonly type: 'error'; readonly message: string };
