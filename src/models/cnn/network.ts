/**
 * The computational core of the CNN model: forward pass, backpropagation and Pearlmutter's R-operator
 * (forward-over-reverse) example by example, with every buffer allocated once.
 *
 * Notation (per example; layout in `layout.ts`): a₀ = x as [C₀, H₀, W₀]; z_ℓ = K_ℓ ⋆ a_{ℓ−1} + b_ℓ (valid
 * cross-correlation, z_ℓ[o, i, j] = b_ℓ[o] + Σ_{c,u,v} K_ℓ[o, c, u, v] a_{ℓ−1}[c, i+u, j+v]); a_ℓ = σ(z_ℓ);
 * p = pool(a_m) (2 × 2 means); f = W p + b. Per-example loss ℓᵢ(f), L = (1/n) Σᵢ ℓᵢ. Since L is a mean of
 * per-example terms, the gradient and the HVP are sums of per-example contributions, so the scratch is one
 * example's worth. R(·) = d/dε (·)(θ + εv) at ε = 0.
 *
 * @module
 * @internal
 */
import type { MlpActivation, MlpLoss } from '../mlp/network.js';
import type { CnnLayout } from './layout.js';
import { crossEntropyCurvature, crossEntropyDelta, crossEntropyRow, softmaxScratch } from '../softmax-cross-entropy.js';

/** Loss, gradient, HVP and output kernels of one CNN on one data set. @internal */
export interface CnnNetwork {
  readonly dim: number;
  loss(theta: Float64Array): number;
  lossAndGrad(theta: Float64Array, gradOut: Float64Array): number;
  hvp(theta: Float64Array, v: Float64Array, out: Float64Array): void;
  /** Writes f(xᵢ; θ), an [n, K] row-major matrix, into `out`; returns the loss. */
  outputs(theta: Float64Array, out: Float64Array): number;
}

/** out[o, i, j] (+)= Σ_{c,u,v} w[wOff + ((o·C + c)·k + u)·k + v] · inp[c, i+u, j+v] (valid cross-correlation). */
function correlate(
  inp: Float64Array, C: number, H: number, W: number,
  w: Float64Array, wOff: number, Co: number, k: number,
  out: Float64Array, accumulate: boolean,
): void {
  const Ho = H - k + 1;
  const Wo = W - k + 1;
  if (!accumulate) out.fill(0, 0, Co * Ho * Wo);
  for (let o = 0; o < Co; o++) {
    for (let c = 0; c < C; c++) {
      for (let u = 0; u < k; u++) {
        for (let v = 0; v < k; v++) {
          const wt = w[wOff + ((o * C + c) * k + u) * k + v];
          if (wt === 0) continue;
          for (let i = 0; i < Ho; i++) {
            const inRow = (c * H + i + u) * W + v;
            const outRow = (o * Ho + i) * Wo;
            for (let j = 0; j < Wo; j++) out[outRow + j] += wt * inp[inRow + j];
          }
        }
      }
    }
  }
}

/** g[gOff + ((o·C + c)·k + u)·k + v] += Σ_{i,j} d[o, i, j] · inp[c, i+u, j+v] (the kernel gradient). */
function kernelGradient(
  d: Float64Array, inp: Float64Array, C: number, H: number, W: number, Co: number, k: number,
  g: Float64Array, gOff: number,
): void {
  const Ho = H - k + 1;
  const Wo = W - k + 1;
  for (let o = 0; o < Co; o++) {
    for (let c = 0; c < C; c++) {
      for (let u = 0; u < k; u++) {
        for (let v = 0; v < k; v++) {
          let s = 0;
          for (let i = 0; i < Ho; i++) {
            const inRow = (c * H + i + u) * W + v;
            const dRow = (o * Ho + i) * Wo;
            for (let j = 0; j < Wo; j++) s += d[dRow + j] * inp[inRow + j];
          }
          g[gOff + ((o * C + c) * k + u) * k + v] += s;
        }
      }
    }
  }
}

/** out[c, i+u, j+v] (+)= Σ_o w[o, c, u, v] · d[o, i, j] (the transposed correlation: gradient w.r.t. the input). */
function correlateTransposed(
  d: Float64Array, w: Float64Array, wOff: number, C: number, H: number, W: number, Co: number, k: number,
  out: Float64Array, accumulate: boolean,
): void {
  const Ho = H - k + 1;
  const Wo = W - k + 1;
  if (!accumulate) out.fill(0, 0, C * H * W);
  for (let o = 0; o < Co; o++) {
    for (let c = 0; c < C; c++) {
      for (let u = 0; u < k; u++) {
        for (let v = 0; v < k; v++) {
          const wt = w[wOff + ((o * C + c) * k + u) * k + v];
          if (wt === 0) continue;
          for (let i = 0; i < Ho; i++) {
            const outRow = (c * H + i + u) * W + v;
            const dRow = (o * Ho + i) * Wo;
            for (let j = 0; j < Wo; j++) out[outRow + j] += wt * d[dRow + j];
          }
        }
      }
    }
  }
}

/**
 * Builds the kernels for `layout`, σ, the loss and the data X ([n, C₀H₀W₀] row-major) and Y ([n, K]), used in place.
 * Scratch: four feature maps per conv layer (a, R(a), δ, R(δ)) and a few vectors of the head — one example's worth.
 * @internal
 */
export function createCnnNetwork(
  layout: CnnLayout,
  activation: MlpActivation,
  lossKind: MlpLoss,
  inputs: Float64Array,
  targets: Float64Array,
  examples: number,
): CnnNetwork {
  const n = examples;
  const invN = 1 / n;
  const ce = lossKind === 'cross-entropy';
  const { conv, kernelSize: k, features: F, outputs: K, headWeightOffset: hw, headBiasOffset: hb, pooledHeight: Hp, pooledWidth: Wp } = layout;
  const m = conv.length;
  const d0 = layout.input[0] * layout.input[1] * layout.input[2];
  // One subarray view per example, made once (no allocation in the kernels).
  const xs = Array.from({ length: n }, (_, i) => inputs.subarray(i * d0, (i + 1) * d0));
  const size = conv.map((s) => s.outChannels * s.outHeight * s.outWidth);
  const act = size.map((s) => new Float64Array(s)); // act[l] = a_{l+1}
  const rAct = size.map((s) => new Float64Array(s));
  const g = size.map((s) => new Float64Array(s)); // ∂L/∂a, then δ = ∂L/∂z in place
  const rg = size.map((s) => new Float64Array(s));
  const pooled = new Float64Array(F);
  const rPooled = new Float64Array(F);
  const gPooled = new Float64Array(F);
  const rgPooled = new Float64Array(F);
  const f = new Float64Array(K);
  const rf = new Float64Array(K);
  const df = new Float64Array(K);
  const rdf = new Float64Array(K);
  const soft = new Float64Array(K);
  // 1 − s, summed rather than subtracted (see softmax-cross-entropy.ts: no cancellation when s saturates).
  const softRest = new Float64Array(K);
  const scratch = softmaxScratch(K);
  const mass = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < K; c++) s += targets[i * K + c];
    mass[i] = s;
  }
  const last = conv[m - 1];
  const Cm = last.outChannels;
  const Hm = last.outHeight;
  const Wm = last.outWidth;

  function inputOf(l: number, x: Float64Array): Float64Array {
    return l === 0 ? x : act[l - 1];
  }

  /** a_ℓ = σ(z_ℓ), p = pool(a_m), f = W p + b for the example x. */
  function forward(theta: Float64Array, x: Float64Array): void {
    for (let l = 0; l < m; l++) {
      const s = conv[l];
      const z = act[l];
      correlate(inputOf(l, x), s.inChannels, s.inHeight, s.inWidth, theta, s.weightOffset, s.outChannels, k, z, false);
      const area = s.outHeight * s.outWidth;
      for (let o = 0; o < s.outChannels; o++) {
        const b = theta[s.biasOffset + o];
        const end = (o + 1) * area;
        if (activation === 'tanh') for (let q = o * area; q < end; q++) z[q] = Math.tanh(z[q] + b);
        else if (activation === 'relu') {
          for (let q = o * area; q < end; q++) {
            const t = z[q] + b;
            z[q] = t > 0 ? t : 0;
          }
        } else for (let q = o * area; q < end; q++) z[q] += b;
      }
    }
    pool(act[m - 1], pooled);
    head(theta, pooled, f);
    for (let c = 0; c < K; c++) f[c] += theta[hb + c];
  }

  /** p[o, i, j] = ¼ Σ_{u,v ∈ {0,1}} a[o, 2i+u, 2j+v]. */
  function pool(a: Float64Array, out: Float64Array): void {
    for (let o = 0; o < Cm; o++) {
      for (let i = 0; i < Hp; i++) {
        for (let j = 0; j < Wp; j++) {
          const q = (o * Hm + 2 * i) * Wm + 2 * j;
          out[(o * Hp + i) * Wp + j] = 0.25 * (a[q] + a[q + 1] + a[q + Wm] + a[q + Wm + 1]);
        }
      }
    }
  }

  /** The adjoint of pool: out[o, 2i+u, 2j+v] = ¼ gp[o, i, j]; entries outside the pooled window (odd sizes) 0. */
  function unpool(gp: Float64Array, out: Float64Array): void {
    out.fill(0, 0, Cm * Hm * Wm);
    for (let o = 0; o < Cm; o++) {
      for (let i = 0; i < Hp; i++) {
        for (let j = 0; j < Wp; j++) {
          const q = (o * Hm + 2 * i) * Wm + 2 * j;
          const t = 0.25 * gp[(o * Hp + i) * Wp + j];
          out[q] = t;
          out[q + 1] = t;
          out[q + Wm] = t;
          out[q + Wm + 1] = t;
        }
      }
    }
  }

  /** out = W_src p (no bias), with W read from `w` at the head's offset. */
  function head(w: Float64Array, p: Float64Array, out: Float64Array): void {
    for (let c = 0; c < K; c++) {
      let s = 0;
      const row = hw + c * F;
      for (let q = 0; q < F; q++) s += w[row + q] * p[q];
      out[c] = s;
    }
  }

  /** out (+)= Wᵀ d, with W read from `w` at the head's offset. */
  function headTransposed(w: Float64Array, d: Float64Array, out: Float64Array, accumulate: boolean): void {
    if (!accumulate) out.fill(0);
    for (let c = 0; c < K; c++) {
      const dc = d[c];
      const row = hw + c * F;
      for (let q = 0; q < F; q++) out[q] += w[row + q] * dc;
    }
  }

  /** ℓᵢ(f) for example i; with `withDelta`, also df = ∂ℓᵢ/∂f / n (and the softmax for cross-entropy). */
  function exampleLoss(i: number, withDelta: boolean): number {
    const row = i * K;
    if (!ce) {
      let s = 0;
      for (let c = 0; c < K; c++) {
        const r = f[c] - targets[row + c];
        s += r * r;
        if (withDelta) df[c] = r * invN;
      }
      return 0.5 * s;
    }
    if (!withDelta) return crossEntropyRow(scratch, f, 0, targets, row);
    const li = crossEntropyRow(scratch, f, 0, targets, row, soft, softRest, 0);
    crossEntropyDelta(scratch, targets, row, soft, softRest, 0, invN, df, 0);
    return li;
  }

  /** g ← g ⊙ σ'(z), σ' from the stored activation a (tanh' = 1 − a², relu' = [a > 0]). */
  function timesDerivative(gl: Float64Array, a: Float64Array): void {
    if (activation === 'tanh') for (let q = 0; q < gl.length; q++) gl[q] *= 1 - a[q] * a[q];
    else if (activation === 'relu') for (let q = 0; q < gl.length; q++) if (!(a[q] > 0)) gl[q] = 0;
  }

  function backward(theta: Float64Array, x: Float64Array, grad: Float64Array): void {
    // head: ∇W += df pᵀ, ∇b += df, ∂L/∂p = Wᵀ df
    for (let c = 0; c < K; c++) {
      const dc = df[c];
      const row = hw + c * F;
      for (let q = 0; q < F; q++) grad[row + q] += dc * pooled[q];
      grad[hb + c] += dc;
    }
    headTransposed(theta, df, gPooled, false);
    unpool(gPooled, g[m - 1]);
    for (let l = m - 1; l >= 0; l--) {
      const s = conv[l];
      const dl = g[l];
      timesDerivative(dl, act[l]);
      kernelGradient(dl, inputOf(l, x), s.inChannels, s.inHeight, s.inWidth, s.outChannels, k, grad, s.weightOffset);
      biasGradient(dl, s.outChannels, s.outHeight * s.outWidth, grad, s.biasOffset);
      if (l > 0) correlateTransposed(dl, theta, s.weightOffset, s.inChannels, s.inHeight, s.inWidth, s.outChannels, k, g[l - 1], false);
    }
  }

  function biasGradient(dl: Float64Array, C: number, area: number, grad: Float64Array, offset: number): void {
    for (let o = 0; o < C; o++) {
      let t = 0;
      for (let q = o * area; q < (o + 1) * area; q++) t += dl[q];
      grad[offset + o] += t;
    }
  }

  function hvpExample(theta: Float64Array, v: Float64Array, i: number, out: Float64Array): void {
    const x = xs[i];
    forward(theta, x);
    exampleLoss(i, true);
    // R-forward: R(z_ℓ) = K_ℓ ⋆ R(a_{ℓ−1}) + V_ℓ ⋆ a_{ℓ−1} + c_ℓ, R(a_ℓ) = σ'(z_ℓ) R(z_ℓ), R(a₀) = 0.
    for (let l = 0; l < m; l++) {
      const s = conv[l];
      const rz = rAct[l];
      correlate(inputOf(l, x), s.inChannels, s.inHeight, s.inWidth, v, s.weightOffset, s.outChannels, k, rz, false);
      if (l > 0) correlate(rAct[l - 1], s.inChannels, s.inHeight, s.inWidth, theta, s.weightOffset, s.outChannels, k, rz, true);
      const area = s.outHeight * s.outWidth;
      for (let o = 0; o < s.outChannels; o++) {
        const c = v[s.biasOffset + o];
        for (let q = o * area; q < (o + 1) * area; q++) rz[q] += c;
      }
      timesDerivative(rz, act[l]);
    }
    // R(p) = pool(R(a_m)); R(f) = W R(p) + V_W p + c
    pool(rAct[m - 1], rPooled);
    head(theta, rPooled, rf);
    for (let c = 0; c < K; c++) {
      let t = v[hb + c];
      const row = hw + c * F;
      for (let q = 0; q < F; q++) t += v[row + q] * pooled[q];
      rf[c] += t;
    }
    // R(df) = ∇²_f ℓ R(f) / n: identity (MSE), μ(diag(s) − ssᵀ) (cross-entropy)
    if (!ce) for (let c = 0; c < K; c++) rdf[c] = rf[c] * invN;
    else crossEntropyCurvature(scratch, soft, softRest, 0, rf, 0, mass[i] * invN, rdf, 0);
    // R-backward through the head: R(∇W) = R(df) pᵀ + df R(p)ᵀ, R(∇b) = R(df); R(∂L/∂p) = Wᵀ R(df) + V_Wᵀ df
    for (let c = 0; c < K; c++) {
      const rdc = rdf[c];
      const dc = df[c];
      const row = hw + c * F;
      for (let q = 0; q < F; q++) out[row + q] += rdc * pooled[q] + dc * rPooled[q];
      out[hb + c] += rdc;
    }
    headTransposed(theta, df, gPooled, false);
    headTransposed(theta, rdf, rgPooled, false);
    headTransposed(v, df, rgPooled, true);
    unpool(gPooled, g[m - 1]);
    unpool(rgPooled, rg[m - 1]);
    // conv layers: δ = g ⊙ σ', R(δ) = R(g) ⊙ σ' + g ⊙ σ''(z) R(z), with σ''(z)R(z) = −2a R(a) for tanh, 0 for ReLU;
    // R(∇K_ℓ) = R(δ_ℓ) ⋆ a_{ℓ−1} + δ_ℓ ⋆ R(a_{ℓ−1}); R(g_{ℓ−1}) = K_ℓᵀ R(δ_ℓ) + V_ℓᵀ δ_ℓ.
    for (let l = m - 1; l >= 0; l--) {
      const s = conv[l];
      const gl = g[l];
      const rgl = rg[l];
      const a = act[l];
      const ra = rAct[l];
      if (activation === 'tanh') {
        for (let q = 0; q < gl.length; q++) {
          const aq = a[q];
          const ds = 1 - aq * aq;
          rgl[q] = rgl[q] * ds - 2 * gl[q] * aq * ra[q];
          gl[q] *= ds;
        }
      } else if (activation === 'relu') {
        for (let q = 0; q < gl.length; q++) {
          if (!(a[q] > 0)) {
            gl[q] = 0;
            rgl[q] = 0;
          }
        }
      }
      kernelGradient(rgl, inputOf(l, x), s.inChannels, s.inHeight, s.inWidth, s.outChannels, k, out, s.weightOffset);
      if (l > 0) kernelGradient(gl, rAct[l - 1], s.inChannels, s.inHeight, s.inWidth, s.outChannels, k, out, s.weightOffset);
      biasGradient(rgl, s.outChannels, s.outHeight * s.outWidth, out, s.biasOffset);
      if (l > 0) {
        correlateTransposed(gl, theta, s.weightOffset, s.inChannels, s.inHeight, s.inWidth, s.outChannels, k, g[l - 1], false);
        correlateTransposed(rgl, theta, s.weightOffset, s.inChannels, s.inHeight, s.inWidth, s.outChannels, k, rg[l - 1], false);
        correlateTransposed(gl, v, s.weightOffset, s.inChannels, s.inHeight, s.inWidth, s.outChannels, k, rg[l - 1], true);
      }
    }
  }

  return {
    dim: layout.dim,
    loss(theta: Float64Array): number {
      let total = 0;
      for (let i = 0; i < n; i++) {
        forward(theta, xs[i]);
        total += exampleLoss(i, false);
      }
      return total * invN;
    },
    lossAndGrad(theta: Float64Array, gradOut: Float64Array): number {
      gradOut.fill(0);
      let total = 0;
      for (let i = 0; i < n; i++) {
        forward(theta, xs[i]);
        total += exampleLoss(i, true);
        backward(theta, xs[i], gradOut);
      }
      return total * invN;
    },
    hvp(theta: Float64Array, v: Float64Array, out: Float64Array): void {
      out.fill(0);
      for (let i = 0; i < n; i++) hvpExample(theta, v, i, out);
    },
    outputs(theta: Float64Array, out: Float64Array): number {
      let total = 0;
      for (let i = 0; i < n; i++) {
        forward(theta, xs[i]);
        total += exampleLoss(i, false);
        out.set(f, i * K);
      }
      return total * invN;
    },
  };
}
