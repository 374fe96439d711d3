/**
 * Diagonal linear networks for binary classification ([Conflicting biases, App. F]): the linear predictor
 * ⟨x, β(θ)⟩ with β = w^{⊙L} (`'shared'`) or u^{⊙L} − v^{⊙L} (`'difference'`), trained by the mean logistic or
 * exponential loss of the margins. Depth 1 is the linear classifier of [Conflicting biases, Thm F.1]. The
 * `LossModel` with exact, allocation-free gradient, Hessian-vector product and third-order contraction.
 *
 * @module
 */
import type { NdArray } from 'ndarray';
import { EosLabError } from '../../core/errors.js';
import type { LossModel, ModelSpec } from '../../core/loss-model.js';
import { registerBuiltInModel, specKeys } from '../../core/registry.js';
import { integerInRange, oneOf, optionKeys, optionsObject } from '../../core/validate.js';
import { denseHessianFromHvps } from '../../linalg/hessian-from-hvps.js';
import { MAX_DEPTH, readInputs, type DiagonalNetParametrization } from './model.js';

/**
 * The loss ℓ of a margin m = sᵢ⟨xᵢ, β⟩ (sᵢ = 2yᵢ − 1 = ±1): `'logistic'` ℓ(m) = ln(1 + e^{−m}) (the cross-entropy
 * of the sigmoid g(z) = 1/(1 + e^{−z})), or `'exponential'` ℓ(m) = e^{−m}.
 *
 * @since 0.2.0
 */
export type ClassificationLoss = 'logistic' | 'exponential';

/**
 * Options of {@link createClassifier}.
 *
 * @since 0.2.0
 */
export interface DiagonalNetClassifierOptions {
  /**
   * The inputs x₁ … x_n as the rows of an n×d matrix: a 2-d `NdArray` [n, d] or `number[][]` (finite, n ≥ 1,
   * d ≥ 1; copied). For a bias, append a constant 1 to every row: [Conflicting biases, App. F] writes
   * x = (x̃, 1) and β = (w̃, b). Required.
   */
  inputs: NdArray | readonly (readonly number[])[];
  /** The labels y₁ … y_n, each 0 or 1 (length n; copied). Required. */
  labels: ArrayLike<number>;
  /**
   * The depth L (the power in w^{⊙L}): an integer in [1, 64]; L = 1 is the linear classifier β = θ.
   * @defaultValue 1
   */
  depth?: number;
  /**
   * `'shared'` (θ = w, β = w^{⊙L}) or `'difference'` (θ = (u, v), β = u^{⊙L} − v^{⊙L}).
   * @defaultValue 'shared'
   */
  parametrization?: DiagonalNetParametrization;
  /**
   * The loss of a margin: `'logistic'` ln(1 + e^{−m}) or `'exponential'` e^{−m}.
   * @defaultValue 'logistic'
   */
  loss?: ClassificationLoss;
}

/**
 * The JSON-serializable recipe of a diagonal-network classifier: `createModel(spec)` rebuilds it.
 *
 * @since 0.2.0
 */
export interface DiagonalNetClassifierSpec extends ModelSpec {
  readonly kind: 'diagonal-net-classifier';
  readonly inputs: readonly (readonly number[])[];
  readonly labels: readonly number[];
  readonly depth: number;
  readonly parametrization: DiagonalNetParametrization;
  readonly loss: ClassificationLoss;
}

/**
 * A diagonal-network classifier: a {@link LossModel} with `thirdOrder`, a dense `hessian`, the predictor β(θ)
 * and the margins.
 *
 * @since 0.2.0
 */
export interface DiagonalNetClassifierModel extends LossModel {
  readonly spec: DiagonalNetClassifierSpec;
  /** Number of data points n. */
  readonly samples: number;
  /** Input dimension d (`dim` is d for `'shared'`, 2d for `'difference'`). */
  readonly inputDim: number;
  hessian(theta: Float64Array): NdArray<Float64Array>;
  thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void;
  /** Writes β(θ) (length d) into `out` and returns it. Allocation-free. */
  predictor(theta: Float64Array, out: Float64Array): Float64Array;
  /** Writes the margins mᵢ = sᵢ⟨xᵢ, β(θ)⟩, sᵢ = 2yᵢ − 1 (length n), into `out` and returns it. Allocation-free. */
  margins(theta: Float64Array, out: Float64Array): Float64Array;
}

/**
 * Creates the classification loss of a diagonal linear network on n labelled points (xᵢ, yᵢ) ∈ ℝ^d × {0, 1}:
 * L(θ) = (1/n) Σᵢ ℓ(mᵢ), mᵢ = sᵢ⟨xᵢ, β(θ)⟩, sᵢ = 2yᵢ − 1, with ℓ(m) = ln(1 + e^{−m}) (logistic; the
 * cross-entropy −yᵢ ln g(zᵢ) − (1 − yᵢ) ln(1 − g(zᵢ)) of [Conflicting biases, App. F] with zᵢ = ⟨xᵢ, β⟩) or e^{−m}
 * (exponential), and β = w^{⊙L} (`'shared'`) or u^{⊙L} − v^{⊙L} (`'difference'`). Depth 1 is the linear classifier of
 * [Conflicting biases, Thm F.1], whose Hessian is ½(g′(⟨w, x₁⟩)x₁x₁ᵀ + g′(⟨w, x₂⟩)x₂x₂ᵀ) for its two points.
 *
 * Each parameter θₖ enters one coordinate j(k) of β through φₖ(θₖ) = σₖθₖᴸ (σₖ = −1 on the v-block); with
 * fₖ = φₖ′, c = ∇_βL = (1/n) Σᵢ ℓ′(mᵢ)sᵢxᵢ, H = ∇²_βL = (1/n) Σᵢ ℓ″(mᵢ)xᵢxᵢᵀ, T = ∇³_βL = (1/n) Σᵢ ℓ‴(mᵢ)sᵢ xᵢ⊗xᵢ⊗xᵢ
 * and P summing the blocks into β-space: ∇L = f ⊙ Pᵀc; ∇²L v = f ⊙ PᵀH P(f⊙v) + f′ ⊙ Pᵀc ⊙ v; and
 * ∇³L[u, v]ₖ = fₖ T[P(f⊙u), P(f⊙v)]_{j(k)} + fₖ′uₖ (H P(f⊙v))_{j(k)} + fₖ′vₖ (H P(f⊙u))_{j(k)}
 * + fₖ (H P(f′⊙u⊙v))_{j(k)} + fₖ″uₖvₖ c_{j(k)} (the chain rule through a separable reparametrization).
 * For the logistic loss, with p = g(m): ℓ′ = −(1 − p), ℓ″ = p(1 − p), ℓ‴ = p(1 − p)(1 − 2p); for the exponential
 * loss ℓ′ = −e^{−m}, ℓ″ = e^{−m}, ℓ‴ = −e^{−m}.
 *
 * @remarks
 * Conventions: the loss is the **mean** over the n points, without a ½; labels are 0/1 as in the paper. The paper's
 * display of the logistic loss omits the minus sign (it is the log-likelihood): its Hessian is the negative of
 * this one, and its sharpness, the operator norm, is this model's λ_max. No bias is added: append a constant-1
 * feature. Sigmoids and ln(1 + e^{−m}) are evaluated without overflow for any finite margin; the exponential loss
 * overflows to +∞ for margins below about −709 (a drivers' divergence, not an error). Powers θᴸ by repeated
 * multiplication, so odd depths keep signs.
 *
 * Cost: `loss`, `lossAndGrad` and `hvp` O(nd + dL) (two or four passes over X), `thirdOrder` O(nd + dL) (eight
 * passes), `hessian` p HVPs (p = `dim`). The kernels allocate nothing (scratch allocated here; one model object must
 * not be used re-entrantly); `hessian` allocates the returned matrix. Kernels do not validate (`LossModel` contract).
 * Registered under `'diagonal-net-classifier'`: `createModel(model.spec)` rebuilds it.
 *
 * @param options - the data (`inputs`, `labels`), `depth`, `parametrization` and `loss`.
 * @returns the model; `dim` = d (`'shared'`) or 2d (`'difference'`).
 * @throws EosLabError `E_BAD_OPTION` for a missing or malformed `inputs`/`labels`, a label other than 0 or 1, a
 *   `depth` not an integer in [1, 64], an unknown `parametrization` or `loss`, or an unknown option key;
 *   `E_DIM_MISMATCH` for ragged rows or `labels.length` ≠ n; `E_EMPTY` for no rows or empty rows; `E_NONFINITE` for
 *   NaN/±Infinity in the inputs.
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * // [Conflicting biases, Thm F.1]: x̃₁ = 0 (label 0), x̃₂ = (1, 0) (label 1), a bias feature 1; w = (w̃, b).
 * const model = diagonalNet.createClassifier({ inputs: [[0, 0, 1], [1, 0, 1]], labels: [0, 1] });
 * const s = Array.from(model.hessian(new Float64Array([1, 0, 0])).data); // at w̃ = x̃₂, b = 0
 * // ½(g′(0)x₁x₁ᵀ + g′(1)x₂x₂ᵀ), g′(z) = g(z)(1 − g(z)); its largest eigenvalue is the paper's min S ≈ 0.277.
 * console.log(s[0].toFixed(4)); // 0.0983 = g′(1)/2
 * ```
 * @since 0.2.0
 */
export function createClassifier(options: DiagonalNetClassifierOptions): DiagonalNetClassifierModel {
  const fn = 'diagonalNet.createClassifier';
  if (options === undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options', value: options, expected: 'an options object with inputs and labels' });
  }
  const o = optionsObject(fn, options, optionKeys<DiagonalNetClassifierOptions>({ inputs: true, labels: true, depth: true, parametrization: true, loss: true }));
  if (o.inputs === undefined) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.inputs', value: undefined, expected: 'an NdArray [n, d] or number[][]' });
  const { data, n, d } = readInputs(fn, 'options.inputs', o.inputs);
  const labels = readLabels(fn, o.labels, n);
  const depth = integerInRange(fn, 'options.depth', o.depth ?? 1, 1, MAX_DEPTH);
  const parametrization = oneOf(fn, 'options.parametrization', o.parametrization ?? 'shared', ['shared', 'difference'] as const);
  const loss = oneOf(fn, 'options.loss', o.loss ?? 'logistic', ['logistic', 'exponential'] as const);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(data.subarray(i * d, (i + 1) * d)));
  const spec: DiagonalNetClassifierSpec = Object.freeze({
    kind: 'diagonal-net-classifier',
    inputs: Object.freeze(rows.map((r) => Object.freeze(r))),
    labels: Object.freeze(Array.from(labels)),
    depth,
    parametrization,
    loss,
  });
  return build(spec, data, labels, n, d);
}

function readLabels(fn: string, v: unknown, n: number): Float64Array {
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.labels', value: v, expected: 'an array of labels 0 or 1' });
  }
  const a = v as ArrayLike<number>;
  if (a.length !== n) throw new EosLabError('E_DIM_MISMATCH', fn, { argument: 'options.labels.length', value: a.length, expected: `${n} (one label per row of inputs)` });
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (a[i] !== 0 && a[i] !== 1) throw new EosLabError('E_BAD_OPTION', fn, { argument: `options.labels[${i}]`, value: a[i], expected: '0 or 1' });
    out[i] = a[i];
  }
  return out;
}

/** The sigmoid g(m) = 1/(1 + e^{−m}) without overflow. */
function sigmoid(m: number): number {
  if (m >= 0) return 1 / (1 + Math.exp(-m));
  const e = Math.exp(m);
  return e / (1 + e);
}

function build(spec: DiagonalNetClassifierSpec, X: Float64Array, y: Float64Array, n: number, d: number): DiagonalNetClassifierModel {
  const L = spec.depth;
  const diff = spec.parametrization === 'difference';
  const logistic = spec.loss === 'logistic';
  const dim = diff ? 2 * d : d;
  const invN = 1 / n;
  const sign = new Float64Array(n);
  for (let i = 0; i < n; i++) sign[i] = 2 * y[i] - 1;
  // Scratch, allocated once per model.
  const f = new Float64Array(dim); // φₖ′ = σₖ L θₖ^{L−1}
  const fp = new Float64Array(dim); // φₖ″ = σₖ L(L−1) θₖ^{L−2}
  const fpp = new Float64Array(dim); // φₖ‴ = σₖ L(L−1)(L−2) θₖ^{L−3}
  const beta = new Float64Array(d);
  const m = new Float64Array(n); // margins
  const d1 = new Float64Array(n); // ℓ′(mᵢ)
  const d2 = new Float64Array(n); // ℓ″(mᵢ)
  const d3 = new Float64Array(n); // ℓ‴(mᵢ)
  const c = new Float64Array(d); // ∇_β L
  const z = new Float64Array(n);
  const t1 = new Float64Array(d);
  const t2 = new Float64Array(d);
  const t3 = new Float64Array(d);
  const q1 = new Float64Array(d);
  const q2 = new Float64Array(d);
  const q3 = new Float64Array(d);
  const q4 = new Float64Array(d);
  const a1 = new Float64Array(n);
  const a2 = new Float64Array(n);

  /** β and the φ-derivatives f, f′, f″ at θ (powers by repeated multiplication; no division). */
  function powers(theta: Float64Array): void {
    beta.fill(0);
    for (let k = 0; k < dim; k++) {
      const a = theta[k];
      const s = k < d ? 1 : -1;
      let p3 = 1; // a^{L−3} (used only when L ≥ 3)
      for (let e = 3; e < L; e++) p3 *= a;
      const p2 = L >= 3 ? p3 * a : 1; // a^{L−2} (L ≥ 2)
      const p1 = L >= 2 ? p2 * a : 1; // a^{L−1}
      f[k] = s * L * p1;
      fp[k] = L >= 2 ? s * L * (L - 1) * p2 : 0;
      fpp[k] = L >= 3 ? s * L * (L - 1) * (L - 2) * p3 : 0;
      beta[k < d ? k : k - d] += s * (p1 * a);
    }
  }

  /** Margins, the loss sum and ℓ′ (and ℓ″, ℓ‴ when `order` ≥ 2, 3). */
  function margins(order: number): number {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const row = i * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += X[row + j] * beta[j];
      const mi = sign[i] * s;
      m[i] = mi;
      if (logistic) {
        // ln(1 + e^{−m}) without overflow; q = 1 − g(m) = g(−m) computed directly (no cancellation).
        sum += mi >= 0 ? Math.log1p(Math.exp(-mi)) : -mi + Math.log1p(Math.exp(mi));
        const p = sigmoid(mi);
        const q = sigmoid(-mi);
        d1[i] = -q;
        if (order >= 2) d2[i] = p * q;
        if (order >= 3) d3[i] = p * q * (q - p);
      } else {
        const e = Math.exp(-mi);
        sum += e;
        d1[i] = -e;
        if (order >= 2) d2[i] = e;
        if (order >= 3) d3[i] = -e;
      }
    }
    return sum;
  }

  /** out = Xᵀ src. */
  function backProject(src: Float64Array, out: Float64Array): void {
    out.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * d;
      const si = src[i];
      for (let j = 0; j < d; j++) out[j] += X[row + j] * si;
    }
  }

  /** out = X src. */
  function project(src: Float64Array, out: Float64Array): void {
    for (let i = 0; i < n; i++) {
      const row = i * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += X[row + j] * src[j];
      out[i] = s;
    }
  }

  /** c = ∇_β L = (1/n) Xᵀ(ℓ′(m) ⊙ s). */
  function betaGradient(): void {
    for (let i = 0; i < n; i++) z[i] = invN * d1[i] * sign[i];
    backProject(z, c);
  }

  /** out = P(w ⊙ a) (w ⊙ a ⊙ b when b is given). */
  function collapse(w: Float64Array, a: Float64Array, out: Float64Array, b?: Float64Array): void {
    out.fill(0);
    for (let k = 0; k < dim; k++) out[k < d ? k : k - d] += b === undefined ? w[k] * a[k] : w[k] * (a[k] * b[k]);
  }

  /** out = H t = (1/n) Xᵀ(ℓ″(m) ⊙ X t). */
  function betaHessian(t: Float64Array, out: Float64Array): void {
    project(t, z);
    for (let i = 0; i < n; i++) z[i] *= invN * d2[i];
    backProject(z, out);
  }

  const model: DiagonalNetClassifierModel = {
    spec,
    dim,
    samples: n,
    inputDim: d,
    loss(theta: Float64Array): number {
      powers(theta);
      return invN * margins(1);
    },
    lossAndGrad(theta: Float64Array, gradOut: Float64Array): number {
      powers(theta);
      const sum = margins(1);
      betaGradient();
      for (let k = 0; k < dim; k++) gradOut[k] = f[k] * c[k < d ? k : k - d];
      return invN * sum;
    },
    hvp(theta: Float64Array, v: Float64Array, out: Float64Array): void {
      powers(theta);
      margins(2);
      betaGradient();
      collapse(f, v, t1);
      betaHessian(t1, q1);
      for (let k = 0; k < dim; k++) {
        const j = k < d ? k : k - d;
        out[k] = f[k] * q1[j] + fp[k] * c[j] * v[k];
      }
    },
    thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void {
      powers(theta);
      margins(3);
      betaGradient();
      collapse(f, u, t1); // P(f⊙u)
      collapse(f, v, t2); // P(f⊙v)
      collapse(fp, u, t3, v); // P(f′⊙u⊙v)
      // T[t1, t2] = (1/n) Xᵀ(ℓ‴(m) ⊙ s ⊙ (X t1) ⊙ (X t2)).
      project(t1, a1);
      project(t2, a2);
      for (let i = 0; i < n; i++) z[i] = invN * d3[i] * sign[i] * (a1[i] * a2[i]);
      backProject(z, q4);
      betaHessian(t2, q2); // H P(f⊙v)
      betaHessian(t1, q1); // H P(f⊙u)
      betaHessian(t3, q3); // H P(f′⊙u⊙v)
      for (let k = 0; k < dim; k++) {
        const j = k < d ? k : k - d;
        out[k] = f[k] * (q4[j] + q3[j]) + fp[k] * (u[k] * q2[j] + v[k] * q1[j]) + fpp[k] * (u[k] * v[k]) * c[j];
      }
    },
    hessian(theta: Float64Array): NdArray<Float64Array> {
      return denseHessianFromHvps('diagonalNet classifier hessian', dim, model.hvp, theta);
    },
    predictor(theta: Float64Array, out: Float64Array): Float64Array {
      powers(theta);
      out.set(beta);
      return out;
    },
    margins(theta: Float64Array, out: Float64Array): Float64Array {
      powers(theta);
      margins(1);
      out.set(m);
      return out;
    },
  };
  return model;
}

registerBuiltInModel('diagonal-net-classifier', (spec: ModelSpec) =>
  specKeys(spec, ['inputs', 'labels', 'depth', 'parametrization', 'loss']) && createClassifier({
    inputs: spec.inputs as number[][],
    labels: spec.labels as number[],
    depth: spec.depth as number,
    parametrization: spec.parametrization as DiagonalNetParametrization,
    loss: spec.loss as ClassificationLoss,
  }),
);
