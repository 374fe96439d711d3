/**
 * One recorded loss compiled into the programs a model calls: loss, loss-and-gradient, Hessian-vector product
 * (compiled on first use) and third-order term (likewise). Shared by {@link fromFunction}'s full model and by each
 * batch size of its batch views, so a batch of every example and the full model run the same instructions.
 *
 * @module
 * @internal
 */
import * as b from './build.js';
import type { Graph } from './graph.js';
import { run } from './interpret.js';
import { type Program, compile } from './program.js';
import { vjp } from './vjp.js';

/** Input slots of a recorded loss: θ, then the HVP direction v, then the third-order direction u, then data. @internal */
export const THETA_SLOT = 0;
/** The first data slot (data entry j is bound to slot DATA_SLOT + j). @internal */
export const DATA_SLOT = 3;

/** The evaluators of one compiled loss (allocation-free after the first call of each). @internal */
export interface CompiledLoss {
  loss(theta: Float64Array): number;
  lossAndGrad(theta: Float64Array, gradOut: Float64Array): number;
  hvp(theta: Float64Array, v: Float64Array, out: Float64Array): void;
  thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void;
  readonly lossNodes: number;
  instructions(): { gradient: number; hvp: number; thirdOrder: number; scratchDoubles: number };
}

/**
 * Compiles the loss node `lossId` (shape []) of `g` with respect to the input `thetaId` (shape [dim]). `data` are
 * bound once to the slots DATA_SLOT, DATA_SLOT + 1, … (the caller's buffers: they are read at every call, never
 * copied). @internal
 */
export function compileLoss(g: Graph, thetaId: number, lossId: number, dim: number, data: readonly Float64Array[]): CompiledLoss {
  const lossNodes = g.nodes.length;
  const gradId = vjp(g, lossId, thetaId, b.scalar(g, 1));
  const lossProgram = compile(g, [lossId]);
  const gradProgram = compile(g, [lossId, gradId]);
  let hvpId = -1;
  let hvpProgram: Program | undefined;
  let thirdId = -1;
  let thirdProgram: Program | undefined;
  // Input slots, reused by every call (no per-call array); the data slots never change.
  const slots: Float64Array[] = new Array<Float64Array>(DATA_SLOT + data.length);
  for (let j = 0; j < data.length; j++) slots[DATA_SLOT + j] = data[j];

  const value = (p: Program, id: number) => p.bufs[id][p.offs[id]];
  const copyOut = (p: Program, id: number, out: Float64Array) => {
    const src = p.bufs[id];
    const off = p.offs[id];
    for (let i = 0; i < dim; i++) out[i] = src[off + i];
  };
  const hvpProgramOf = (): Program => {
    if (hvpProgram === undefined) {
      hvpId = vjp(g, gradId, thetaId, g.input(1, [dim]));
      hvpProgram = compile(g, [hvpId]);
    }
    return hvpProgram;
  };
  return {
    lossNodes,
    loss(theta: Float64Array): number {
      slots[THETA_SLOT] = theta;
      run(lossProgram, g.inputIds, slots);
      return value(lossProgram, lossId);
    },
    lossAndGrad(theta: Float64Array, gradOut: Float64Array): number {
      slots[THETA_SLOT] = theta;
      run(gradProgram, g.inputIds, slots);
      copyOut(gradProgram, gradId, gradOut);
      return value(gradProgram, lossId);
    },
    hvp(theta: Float64Array, v: Float64Array, out: Float64Array): void {
      const p = hvpProgramOf();
      slots[THETA_SLOT] = theta;
      slots[1] = v;
      run(p, g.inputIds, slots);
      copyOut(p, hvpId, out);
    },
    thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void {
      if (thirdProgram === undefined) {
        hvpProgramOf();
        thirdId = vjp(g, hvpId, thetaId, g.input(2, [dim]));
        thirdProgram = compile(g, [thirdId]);
      }
      slots[THETA_SLOT] = theta;
      slots[1] = v;
      slots[2] = u;
      run(thirdProgram, g.inputIds, slots);
      copyOut(thirdProgram, thirdId, out);
    },
    instructions: () => ({
      gradient: gradProgram.instrs.length,
      hvp: hvpProgram?.instrs.length ?? 0,
      thirdOrder: thirdProgram?.instrs.length ?? 0,
      scratchDoubles: lossProgram.scratchDoubles + gradProgram.scratchDoubles + (hvpProgram?.scratchDoubles ?? 0) + (thirdProgram?.scratchDoubles ?? 0),
    }),
  };
}
