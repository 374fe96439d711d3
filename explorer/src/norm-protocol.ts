/** Messages between the norm-versus-sharpness page and its worker. */

/** One point of the learning-rate sweep. */
export interface SweepPoint {
  readonly learningRate: number;
  readonly status: string;
  /** Final λ_max(∇²L) (null unless converged). */
  readonly sharpness: number | null;
  /** ‖w^{⊙2}‖₁ = ‖w‖₂², the regressor's ℓ1 norm [Conflicting biases, eq. (10)] (null unless converged). */
  readonly l1: number | null;
  /** Lemma E.1's risk of the final w (null unless converged). */
  readonly risk: number | null;
}

export interface NormSweepReply {
  readonly type: 'sweep';
  /** η_c = 2/s_GF from App. G's sweep. */
  readonly criticalLearningRate: number;
  readonly flowSharpness: number;
  readonly points: SweepPoint[];
  /** λ_max over the plane: `values[j * n1 + i]` at (w1[i], w2[j]), j = 0 the top row. */
  readonly map: { readonly n1: number; readonly n2: number; readonly w1: [number, number]; readonly w2: [number, number]; readonly values: Float64Array };
  readonly milliseconds: number;
}

export interface KktRow {
  readonly w: [number, number];
  readonly branch: string;
  readonly risk: number;
  readonly sharpness: number;
  readonly lambda: number;
  readonly nu: number;
}

export interface NormPathReply {
  readonly type: 'path';
  readonly id: number;
  readonly learningRate: number;
  readonly status: string;
  readonly steps: number;
  readonly w1: number[];
  readonly w2: number[];
  readonly final: { readonly w: [number, number]; readonly sharpness: number | null; readonly l1: number; readonly risk: number };
  /** All KKT points of problem (12) at this η, least risk first (`diagonalNet.kktPoints`). */
  readonly kkt: KktRow[];
}

export type NormRequest = { readonly type: 'path'; readonly id: number; readonly learningRate: number };
export type NormReply = NormSweepReply | NormPathReply | { readonly type: 'error'; readonly message: string };
