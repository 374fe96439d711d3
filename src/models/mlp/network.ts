/**
 * The computational core of the MLP model: forward pass, backpropagation and Pearlmutter's R-operator
 * (forward-over-reverse) on a fixed data set, with every buffer allocated once. Batched over examples: the
 * activations of layer ℓ form an [n, n_ℓ] row-major matrix, and each layer costs a few matrix products
 * ({@link matmul}, {@link matmulTransA}, {@link matmulTransB}).
 *
 * Notation (0-based layers in code, 1-based in formulas): a₀ = X (inputs as rows), z_ℓ = a_{ℓ−1} W_ℓᵀ + 1 b_ℓᵀ,
 * a_ℓ = σ(z_ℓ) for ℓ < L, network output f = z_L (no activation on the last layer). Per-example loss ℓᵢ(fᵢ);
 * L(θ) = (1/n) Σᵢ ℓᵢ. δ_ℓ = ∂L/∂z_ℓ; R(·) = d/dε(·)(θ + εv) at ε = 0, the R-operator.
 *
 * @module
 * @internal
 */
import { matmul, matmulTransA, matmulTransB } from '../../linalg/gemm.js';
import { layerSlots, type LayerSlot } from './layout.js';
import { crossEntropyCurvature, crossEntropyDelta, crossEntropyRow, softmaxScratch } from '../softmax-cross-entropy.js';

/** Hidden-layer activation σ. */
export type MlpActivation = 'tanh' | 'relu' | 'identity';
/** Training loss: ½·mean squared error, or mean softmax cross-entropy. */
export type MlpLoss = 'mse' | 'cross-entropy';

/** The loss, gradient and HVP kernels of one MLP on one data set. @internal */
export interface MlpNetwork {
  readonly layers: readonly number[];
  readonly slots: readonly LayerSlot[];
  readonly dim: number;
  /** Number of examples n. */
  readonly examples: number;
  loss(theta: Float64Array): number;
  lossAndGrad(theta: Float64Array, gradOut: Float64Array): number;
  hvp(theta: Float64Array, v: Float64Array, out: Float64Array): void;
  /** Writes the network outputs f(xᵢ; θ) as an [n, k] row-major matrix into `out` (length n·k); returns the loss. */
  outputs(theta: Float64Array, out: Float64Array): number;
}

/** The three matrix products the network uses (signature of {@link matmul}). @internal */
export interface MatrixProducts {
  readonly matmul: typeof matmul;
  readonly matmulTransA: typeof matmulTransA;
  readonly matmulTransB: typeof matmulTransB;
}

/** The blocked, register-tiled products of `src/linalg/gemm.ts`. @internal */
export const BLOCKED_PRODUCTS: MatrixProducts = { matmul, matmulTransA, matmulTransB };

/**
 * Builds the kernels for the widths `layers`, activation, loss and the data X ([n, d] row-major, d = layers[0])
 * and Y ([n, k] row-major, k = layers[L]). X and Y are used in place (not copied) and must not change afterwards.
 * Scratch: four [n, n_ℓ] buffers per layer (activations, their R-derivatives, δ and R(δ)), plus softmax
 * probabilities for cross-entropy. `products` exists for the benchmark, which swaps in plain triple loops. @internal
 */
export function createNetwork(
  layers: readonly number[],
  activation: MlpActivation,
  lossKind: MlpLoss,
  inputs: Float64Array,
  targets: Float64Array,
  examples: number,
  products: MatrixProducts = BLOCKED_PRODUCTS,
): MlpNetwork {
  const { matmul, matmulTransA, matmulTransB } = products;
  const n = examples;
  const L = layers.length - 1;
  const k = layers[L];
  const { slots, dim } = layerSlots(layers);
  const invN = 1 / n;
  const ce = lossKind === 'cross-entropy';

  // act[ℓ]: a_ℓ (act[0] = X, act[L] = f); rAct[ℓ]: R(a_ℓ) (R(z_L) = R(f) for ℓ = L); delta[ℓ] = δ_ℓ; rDelta[ℓ] = R(δ_ℓ).
  const act: Float64Array[] = [inputs];
  const rAct: Float64Array[] = [new Float64Array(0)];
  const delta: Float64Array[] = [new Float64Array(0)];
  const rDelta: Float64Array[] = [new Float64Array(0)];
  for (let l = 1; l <= L; l++) {
    act.push(new Float64Array(n * layers[l]));
    rAct.push(new Float64Array(n * layers[l]));
    delta.push(new Float64Array(n * layers[l]));
    rDelta.push(new Float64Array(n * layers[l]));
  }
  const f = act[L];
  // Cross-entropy: softmax probabilities sᵢ and target masses μᵢ = Σ_c Y_ic (1 for probability rows).
  const soft = ce ? new Float64Array(n * k) : new Float64Array(0);
  // 1 − s, summed rather than subtracted (see softmax-cross-entropy.ts: no cancellation when s saturates).
  const softRest = ce ? new Float64Array(n * k) : new Float64Array(0);
  const scratch = softmaxScratch(ce ? k : 0);
  const mass = new Float64Array(ce ? n : 0);
  if (ce) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += targets[i * k + c];
      mass[i] = s;
    }
  }

  /** a_ℓ for ℓ = 1 … L: z = a_{ℓ−1}·Wᵀ + b, then σ in place (not on the output layer). */
  function forward(theta: Float64Array): void {
    for (let l = 0; l < L; l++) {
      const { fanIn, fanOut, weightOffset, biasOffset } = slots[l];
      const z = act[l + 1];
      matmulTransB(n, fanOut, fanIn, act[l], 0, fanIn, theta, weightOffset, fanIn, 0, z, 0, fanOut);
      const sigma = l + 1 < L ? activation : 'identity';
      for (let i = 0; i < n; i++) {
        const row = i * fanOut;
        if (sigma === 'tanh') for (let j = 0; j < fanOut; j++) z[row + j] = Math.tanh(z[row + j] + theta[biasOffset + j]);
        else if (sigma === 'relu') {
          for (let j = 0; j < fanOut; j++) {
            const zij = z[row + j] + theta[biasOffset + j];
            z[row + j] = zij > 0 ? zij : 0;
          }
        } else for (let j = 0; j < fanOut; j++) z[row + j] += theta[biasOffset + j];
      }
    }
  }

  /**
   * The loss of the current outputs f; with `withDelta`, also δ_L = ∂L/∂f (and the softmax for cross-entropy).
   * MSE: L = (1/(2n)) Σᵢ Σ_c (f_ic − y_ic)², δ_L = (f − Y)/n.
   * CE: L = (1/n) Σᵢ Σ_c y_ic (lse(fᵢ) − f_ic) with lse(u) = m + log Σ_c e^{u_c − m}, m = max_c u_c (no overflow);
   * δ_L = (μᵢ sᵢ − yᵢ)/n with sᵢ = softmax(fᵢ), μᵢ = Σ_c y_ic — evaluated without cancellation when the softmax
   * saturates (softmax-cross-entropy.ts).
   */
  function outputLoss(withDelta: boolean): number {
    const d = delta[L];
    let total = 0;
    if (!ce) {
      for (let i = 0; i < n * k; i++) {
        const r = f[i] - targets[i];
        total += r * r;
        if (withDelta) d[i] = r * invN;
      }
      return 0.5 * total * invN;
    }
    for (let i = 0; i < n; i++) {
      const row = i * k;
      if (!withDelta) total += crossEntropyRow(scratch, f, row, targets, row);
      else {
        total += crossEntropyRow(scratch, f, row, targets, row, soft, softRest, row);
        crossEntropyDelta(scratch, targets, row, soft, softRest, row, invN, d, row);
      }
    }
    return total * invN;
  }

  /** Σᵢ rows of the [n, w] matrix `x` into out[offset … offset + w). */
  function columnSums(x: Float64Array, w: number, out: Float64Array, offset: number): void {
    for (let j = 0; j < w; j++) out[offset + j] = 0;
    for (let i = 0; i < n; i++) {
      const row = i * w;
      for (let j = 0; j < w; j++) out[offset + j] += x[row + j];
    }
  }

  /** δ_{ℓ−1} ← δ_{ℓ−1} ⊙ σ'(z_{ℓ−1}), with σ' from the stored activation: tanh' = 1 − a², relu' = [a > 0]. */
  function timesDerivative(g: Float64Array, a: Float64Array, len: number): void {
    if (activation === 'tanh') for (let i = 0; i < len; i++) g[i] *= 1 - a[i] * a[i];
    else if (activation === 'relu') for (let i = 0; i < len; i++) if (!(a[i] > 0)) g[i] = 0;
  }

  function backward(theta: Float64Array, grad: Float64Array): void {
    for (let l = L - 1; l >= 0; l--) {
      const { fanIn, fanOut, weightOffset, biasOffset } = slots[l];
      // ∇W_ℓ = δ_ℓᵀ a_{ℓ−1}, ∇b_ℓ = Σᵢ δ_ℓ,i
      matmulTransA(fanOut, fanIn, n, delta[l + 1], 0, fanOut, act[l], 0, fanIn, 0, grad, weightOffset, fanIn);
      columnSums(delta[l + 1], fanOut, grad, biasOffset);
      if (l > 0) {
        // δ_{ℓ−1} = (δ_ℓ W_ℓ) ⊙ σ'(z_{ℓ−1})
        matmul(n, fanIn, fanOut, delta[l + 1], 0, fanOut, theta, weightOffset, fanIn, 0, delta[l], 0, fanIn);
        timesDerivative(delta[l], act[l], n * fanIn);
      }
    }
  }

  function hvp(theta: Float64Array, v: Float64Array, out: Float64Array): void {
    forward(theta);
    outputLoss(true);
    // R-forward: R(z_ℓ) = R(a_{ℓ−1}) W_ℓᵀ + a_{ℓ−1} V_ℓᵀ + c_ℓ; R(a_ℓ) = σ'(z_ℓ) ⊙ R(z_ℓ); R(a₀) = 0.
    for (let l = 0; l < L; l++) {
      const { fanIn, fanOut, weightOffset, biasOffset } = slots[l];
      const rz = rAct[l + 1];
      matmulTransB(n, fanOut, fanIn, act[l], 0, fanIn, v, weightOffset, fanIn, 0, rz, 0, fanOut);
      if (l > 0) matmulTransB(n, fanOut, fanIn, rAct[l], 0, fanIn, theta, weightOffset, fanIn, 1, rz, 0, fanOut);
      for (let i = 0; i < n; i++) {
        const row = i * fanOut;
        for (let j = 0; j < fanOut; j++) rz[row + j] += v[biasOffset + j];
      }
      if (l + 1 < L) timesDerivative(rz, act[l + 1], n * fanOut);
    }
    // R(δ_L) = (∂²ℓ/∂f²) R(f) / n: the identity for MSE; μᵢ(diag(sᵢ) − sᵢsᵢᵀ) for cross-entropy.
    const rf = rAct[L];
    const rd = rDelta[L];
    if (!ce) {
      for (let i = 0; i < n * k; i++) rd[i] = rf[i] * invN;
    } else {
      for (let i = 0; i < n; i++) crossEntropyCurvature(scratch, soft, softRest, i * k, rf, i * k, mass[i] * invN, rd, i * k);
    }
    // R-backward: R(∇W_ℓ) = R(δ_ℓ)ᵀ a_{ℓ−1} + δ_ℓᵀ R(a_{ℓ−1}); R(∇b_ℓ) = Σᵢ R(δ_ℓ);
    // with g = δ_ℓ W_ℓ and R(g) = R(δ_ℓ) W_ℓ + δ_ℓ V_ℓ: δ_{ℓ−1} = g ⊙ σ', R(δ_{ℓ−1}) = R(g) ⊙ σ' + g ⊙ σ''(z) R(z).
    for (let l = L - 1; l >= 0; l--) {
      const { fanIn, fanOut, weightOffset, biasOffset } = slots[l];
      const d = delta[l + 1];
      const rdl = rDelta[l + 1];
      matmulTransA(fanOut, fanIn, n, rdl, 0, fanOut, act[l], 0, fanIn, 0, out, weightOffset, fanIn);
      if (l > 0) matmulTransA(fanOut, fanIn, n, d, 0, fanOut, rAct[l], 0, fanIn, 1, out, weightOffset, fanIn);
      columnSums(rdl, fanOut, out, biasOffset);
      if (l === 0) break;
      const g = delta[l];
      const rg = rDelta[l];
      matmul(n, fanIn, fanOut, d, 0, fanOut, theta, weightOffset, fanIn, 0, g, 0, fanIn);
      matmul(n, fanIn, fanOut, rdl, 0, fanOut, theta, weightOffset, fanIn, 0, rg, 0, fanIn);
      matmul(n, fanIn, fanOut, d, 0, fanOut, v, weightOffset, fanIn, 1, rg, 0, fanIn);
      const a = act[l];
      const ra = rAct[l];
      const len = n * fanIn;
      if (activation === 'tanh') {
        // σ' = 1 − a²; σ''(z) R(z) = −2a(1 − a²) R(z) = −2a R(a).
        for (let i = 0; i < len; i++) {
          const ai = a[i];
          const dsig = 1 - ai * ai;
          rg[i] = rg[i] * dsig - 2 * g[i] * ai * ra[i];
          g[i] *= dsig;
        }
      } else if (activation === 'relu') {
        // σ'' = 0 almost everywhere (the kink at z = 0 is ignored, as by automatic differentiation).
        for (let i = 0; i < len; i++) {
          if (!(a[i] > 0)) {
            rg[i] = 0;
            g[i] = 0;
          }
        }
      }
    }
  }

  return {
    layers,
    slots,
    dim,
    examples: n,
    loss(theta: Float64Array): number {
      forward(theta);
      return outputLoss(false);
    },
    lossAndGrad(theta: Float64Array, gradOut: Float64Array): number {
      forward(theta);
      const value = outputLoss(true);
      backward(theta, gradOut);
      return value;
    },
    hvp,
    outputs(theta: Float64Array, out: Float64Array): number {
      forward(theta);
      out.set(f);
      return outputLoss(false);
    },
  };
}
