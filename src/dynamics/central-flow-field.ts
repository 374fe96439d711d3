/**
 * The velocity field of the central flow on the edge of stability and the projection back onto the edge: the kernels
 * of {@link centralFlow}, kept apart from its driver.
 *
 * @module
 * @internal
 */
import type { LossModel } from '../core/loss-model.js';
import {
  createTopEigenWorkspace,
  type TopEigenSettings,
  type TopEigenWorkspace,
  topEigenpairsUnchecked,
} from '../sharpness/top-eigenspace.js';
import { jacobiEigen, pseudoSolve } from '../linalg/small-symmetric.js';
import {
  createEdgeComplementarityWorkspace,
  type EdgeComplementarityWorkspace,
  MAX_EDGE_DIM,
  solveEdgeComplementarity,
} from './edge-complementarity.js';

const EPS = Number.EPSILON;

/**
 * The central-flow velocity v(w) = ∇L(w) + ½∇⟨Σ(w), ∇²L(w)⟩ (so that dw/dτ = −v) for a fixed number m of edge
 * directions, with what it computed on the way. `lossAndGrad(y, out)` writes v(y), so the object drives the RK4 kernel
 * like a loss model.
 * @internal
 */
export class CentralFlowField {
  /** Number m of top eigendirections held at the edge (0 = gradient flow). */
  edgeDim = 0;
  /** tr Σ = tr X at the last evaluation (σ² for m = 1; 0 for m = 0). */
  sigma2 = 0;
  /** L + ½⟨Σ, ∇²L⟩ at the last evaluation. */
  predictedLoss = NaN;
  /** ‖∇L‖₂ at the last evaluation (before the correction is added). */
  gradNorm = NaN;
  /** For m = 1: the unclamped multiplier q = −2⟨∇S, ∇L⟩/‖∇S‖² at the last evaluation (NaN otherwise). */
  multiplier = NaN;
  /**
   * For m > 1: λ_min of the unconstrained solution −2B⁺(A) at the last evaluation (≥ 0 while all m directions are
   * held; its zero crossing is an exit); NaN otherwise.
   */
  unconstrainedMin = NaN;
  /** The top eigenvalues (descending, m + 1 of them when dim allows) at the last evaluation with m ≥ 1. */
  topValues: Float64Array = new Float64Array(0);
  hvps = 0;
  thirdOrderProducts = 0;
  gradEvals = 0;
  readonly dim: number;
  private readonly eig: TopEigenWorkspace;
  private readonly ec: EdgeComplementarityWorkspace;
  /** T[i·k + j] = ∇³L[uᵢ, uⱼ] (both orders point to one buffer). */
  private readonly T: Float64Array[] = [];
  private readonly K = new Float64Array(MAX_EDGE_DIM ** 4);
  private readonly a = new Float64Array(MAX_EDGE_DIM ** 2);
  private readonly X = new Float64Array(MAX_EDGE_DIM ** 2);
  private readonly rhs = new Float64Array(MAX_EDGE_DIM ** 2);
  private readonly c = new Float64Array(MAX_EDGE_DIM ** 2);
  private readonly basis = new Float64Array(MAX_EDGE_DIM ** 4);
  private readonly Kr = new Float64Array(MAX_EDGE_DIM ** 4);
  private readonly small = new Float64Array(MAX_EDGE_DIM ** 2);
  private readonly smallVals = new Float64Array(MAX_EDGE_DIM);
  private readonly smallVecs = new Float64Array(MAX_EDGE_DIM ** 2);
  private readonly pinv = new Float64Array(2 * MAX_EDGE_DIM ** 4 + MAX_EDGE_DIM ** 2);
  private readonly gScratch: Float64Array;
  private vectors: Float64Array[] = [];

  constructor(
    private readonly model: LossModel,
    /** The edge 2/η. */
    readonly threshold: number,
    private readonly settings: TopEigenSettings,
  ) {
    this.dim = model.dim;
    this.eig = createTopEigenWorkspace(model);
    this.ec = createEdgeComplementarityWorkspace();
    this.gScratch = new Float64Array(model.dim);
  }

  /** The third-order vectors for the top-m eigenvectors of ∇²L(y) (fills T, vectors, topValues). */
  private prepare(y: Float64Array, m: number): void {
    const top = topEigenpairsUnchecked(this.model, y, m, this.settings, this.eig);
    this.hvps += top.hvps;
    this.topValues = top.values;
    this.vectors = top.vectors;
    const p = this.dim;
    while (this.T.length < MAX_EDGE_DIM * MAX_EDGE_DIM) this.T.push(new Float64Array(0));
    for (let i = 0; i < m; i++) {
      for (let j = i; j < m; j++) {
        let buf = this.T[i * MAX_EDGE_DIM + j];
        if (buf.length !== p) {
          buf = new Float64Array(p);
          this.T[i * MAX_EDGE_DIM + j] = buf;
        }
        this.T[j * MAX_EDGE_DIM + i] = buf;
        (this.model.thirdOrder as NonNullable<LossModel['thirdOrder']>)(y, top.vectors[i], top.vectors[j], buf);
        this.thirdOrderProducts++;
      }
    }
  }

  private t(i: number, j: number): Float64Array {
    return this.T[i * MAX_EDGE_DIM + j];
  }

  /** Gram K[(i,j),(k,l)] = ⟨Tᵢⱼ, Tₖₗ⟩ and a[(i,j)] = ⟨g, Tᵢⱼ⟩ over ordered pairs (k² of them). */
  private gram(g: Float64Array, m: number): void {
    const n = m * m;
    const p = this.dim;
    for (let s = 0; s < n; s++) {
      const ts = this.t(Math.floor(s / m), s % m);
      let ag = 0;
      for (let r = 0; r < p; r++) ag += g[r] * ts[r];
      this.a[s] = ag;
      for (let u = s; u < n; u++) {
        const tu = this.t(Math.floor(u / m), u % m);
        let d = 0;
        for (let r = 0; r < p; r++) d += ts[r] * tu[r];
        this.K[s * n + u] = d;
        this.K[u * n + s] = d;
      }
    }
  }

  /**
   * Writes v(y) into `out` for the current `edgeDim` and returns L(y). m = 0: exactly `model.lossAndGrad`. m = 1:
   * v = ∇L + ½q∇S with the closed form q = −2⟨∇S, ∇L⟩/‖∇S‖² (unclamped: the driver switches modes when q crosses 0).
   * m > 1: X from the k × k complementarity problem, v = ∇L + ½Σᵢⱼ Xᵢⱼ∇³L[uᵢ, uⱼ].
   */
  lossAndGrad(y: Float64Array, out: Float64Array): number {
    const L = this.model.lossAndGrad(y, out);
    this.gradEvals++;
    const m = this.edgeDim;
    let gg = 0;
    for (let r = 0; r < this.dim; r++) gg += out[r] * out[r];
    this.gradNorm = Math.sqrt(gg);
    if (m === 0) {
      this.sigma2 = 0;
      this.predictedLoss = L;
      this.multiplier = NaN;
      this.unconstrainedMin = NaN;
      return L;
    }
    this.prepare(y, m);
    const p = this.dim;
    if (m === 1) {
      const T = this.t(0, 0); // ∇S = ∇³L[u, u]
      let tt = 0;
      let tg = 0;
      for (let r = 0; r < p; r++) {
        tt += T[r] * T[r];
        tg += T[r] * out[r];
      }
      const q = tt > 0 ? (-2 * tg) / tt : 0;
      for (let r = 0; r < p; r++) out[r] += 0.5 * q * T[r];
      this.multiplier = q;
      this.unconstrainedMin = NaN;
      this.sigma2 = q;
      this.predictedLoss = L + 0.5 * q * this.topValues[0];
      return L;
    }
    this.gram(out, m);
    solveEdgeComplementarity(this.K, this.a, m, this.X, this.ec);
    this.unconstrainedMin = this.ec.unconstrainedMin;
    let trace = 0;
    let curvature = 0;
    for (let i = 0; i < m; i++) {
      trace += this.X[i * m + i];
      curvature += this.X[i * m + i] * this.topValues[i]; // ⟨Σ, H⟩ = Σᵢ Xᵢᵢλᵢ in the eigenbasis
      for (let j = 0; j < m; j++) {
        const x = 0.5 * this.X[i * m + j];
        if (x === 0) continue;
        const T = this.t(i, j);
        for (let r = 0; r < p; r++) out[r] += x * T[r];
      }
    }
    this.multiplier = NaN;
    this.sigma2 = trace;
    this.predictedLoss = L + 0.5 * curvature;
    return L;
  }

  /**
   * Moves w (in place) back onto the edge by Gauss–Newton steps in the span of the third-order vectors: for m = 1,
   * w ← w − (S(w) − 2/η)∇S/‖∇S‖² until |S − 2/η| ≤ 8ε·2/η (≤ 4 steps); for m > 1, the directions dₐ spanning the
   * range of X are moved so that dₐᵀ∇²L dᵦ = (2/η)δₐᵦ (minimum-norm least-squares step). Returns the final
   * |λ − 2/η|/(2/η) over the projected directions.
   */
  project(w: Float64Array): number {
    const m = this.edgeDim;
    const thr = this.threshold;
    const p = this.dim;
    let residual = Infinity;
    for (let it = 0; it < 4; it++) {
      if (m === 1) {
        this.prepare(w, 1);
        const r = this.topValues[0] - thr;
        residual = Math.abs(r) / thr;
        if (residual <= 8 * EPS) break;
        const T = this.t(0, 0);
        let tt = 0;
        for (let i = 0; i < p; i++) tt += T[i] * T[i];
        if (!(tt > 0)) break;
        for (let i = 0; i < p; i++) w[i] -= (r / tt) * T[i];
        continue;
      }
      // m > 1: the range of X at w, then a least-squares correction of its block.
      this.model.lossAndGrad(w, this.gScratch);
      this.gradEvals++;
      this.prepare(w, m);
      this.gram(this.gScratch, m);
      solveEdgeComplementarity(this.K, this.a, m, this.X, this.ec);
      this.small.set(this.X.subarray(0, m * m));
      jacobiEigen(this.small, m, this.smallVals, this.smallVecs);
      let r = 0;
      for (let c = 0; c < m; c++) if (this.smallVals[c] > 1e-8 * this.smallVals[0]) r++;
      if (r === 0) return 0;
      const V = this.smallVecs;
      // Residuals of the block dₐᵀHdᵦ = Σᵢ V_iα V_iβ λᵢ against (2/η)δ.
      residual = 0;
      const n = m * m;
      const nr = r * r;
      for (let al = 0; al < r; al++) {
        for (let be = 0; be < r; be++) {
          let s = 0;
          for (let i = 0; i < m; i++) s += V[i * m + al] * V[i * m + be] * this.topValues[i];
          const res = (al === be ? thr : 0) - s;
          this.rhs[al * r + be] = res;
          residual = Math.max(residual, Math.abs(res) / thr);
        }
      }
      if (residual <= 8 * EPS * m) break;
      for (let q = 0; q < n; q++) {
        for (let al = 0; al < r; al++) {
          for (let be = 0; be < r; be++) this.basis[q * nr + al * r + be] = V[Math.floor(q / m) * m + al] * V[(q % m) * m + be];
        }
      }
      for (let s = 0; s < nr; s++) {
        for (let u = 0; u < nr; u++) {
          let acc = 0;
          for (let q1 = 0; q1 < n; q1++) {
            const b1 = this.basis[q1 * nr + s];
            if (b1 === 0) continue;
            let inner = 0;
            for (let q2 = 0; q2 < n; q2++) inner += this.K[q1 * n + q2] * this.basis[q2 * nr + u];
            acc += b1 * inner;
          }
          this.Kr[s * nr + u] = acc;
        }
      }
      pseudoSolve(this.Kr, this.rhs, nr, 1e-13, this.c, this.pinv);
      // δ = Σ_αβ c_αβ T[dₐ, dᵦ] = Σᵢⱼ Cᵢⱼ Tᵢⱼ with Cᵢⱼ = Σ_αβ V_iα V_jβ c_αβ.
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) {
          let C = 0;
          for (let al = 0; al < r; al++) for (let be = 0; be < r; be++) C += V[i * m + al] * V[j * m + be] * this.c[al * r + be];
          if (C === 0) continue;
          const T = this.t(i, j);
          for (let k = 0; k < p; k++) w[k] += C * T[k];
        }
      }
    }
    return residual;
  }

  /** The top min(m + 1, dim) eigenvalues at y (descending), without third-order products. */
  topEigenvalues(y: Float64Array, m: number): Float64Array {
    const top = topEigenpairsUnchecked(this.model, y, Math.max(1, Math.min(m, this.dim)), this.settings, this.eig);
    this.hvps += top.hvps;
    return top.values;
  }
}
