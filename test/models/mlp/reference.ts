/**
 * An independent, per-example MLP forward pass in plain loops (no matrix kernels, no batching), used by the tests
 * as a reference for outputs and losses and to measure how far pre-activations are from ReLU's kink. It reads θ
 * in the documented layout: per layer W [out, in] row-major, then b [out].
 */
export type Act = 'tanh' | 'relu' | 'identity';

export interface ForwardResult {
  /** Outputs f(xᵢ), n rows of k. */
  outputs: number[][];
  /** Smallest |z| over all hidden pre-activations of all examples (Infinity without hidden layers). */
  minAbsHiddenPreactivation: number;
  /** The input of the last layer for each example (the last hidden activations, or xᵢ without hidden layers). */
  lastLayerInputs: number[][];
  /** The pre-activations of the last hidden layer for each example (empty without hidden layers). */
  lastHiddenPreactivations: number[][];
}

export function referenceForward(layers: readonly number[], activation: Act, theta: ArrayLike<number>, inputs: readonly (readonly number[])[]): ForwardResult {
  let minAbs = Infinity;
  const lastLayerInputs: number[][] = [];
  const lastHiddenPreactivations: number[][] = [];
  const outputs = inputs.map((x) => {
    let a: number[] = Array.from(x);
    let off = 0;
    for (let l = 1; l < layers.length; l++) {
      if (l === layers.length - 1) lastLayerInputs.push(a.slice());
      const fanIn = layers[l - 1];
      const fanOut = layers[l];
      const z: number[] = [];
      for (let i = 0; i < fanOut; i++) {
        let s = 0;
        for (let j = 0; j < fanIn; j++) s += theta[off + i * fanIn + j] * a[j];
        z.push(s + theta[off + fanOut * fanIn + i]);
      }
      off += fanOut * (fanIn + 1);
      const hidden = l < layers.length - 1;
      if (hidden) for (const zi of z) minAbs = Math.min(minAbs, Math.abs(zi));
      if (l === layers.length - 2) lastHiddenPreactivations.push(z.slice());
      a = !hidden || activation === 'identity' ? z : z.map((zi) => (activation === 'tanh' ? Math.tanh(zi) : Math.max(zi, 0)));
    }
    return a;
  });
  return { outputs, minAbsHiddenPreactivation: minAbs, lastLayerInputs, lastHiddenPreactivations };
}

/** ½·mean over examples of the squared error summed over outputs. */
export function referenceMse(outputs: number[][], targets: readonly (readonly number[])[]): number {
  let s = 0;
  outputs.forEach((f, i) => f.forEach((fc, c) => (s += (fc - targets[i][c]) ** 2)));
  return s / (2 * outputs.length);
}

/** Mean softmax cross-entropy −(1/n) Σᵢ Σ_c y_ic log softmax(fᵢ)_c, by the max-shifted log-sum-exp. */
export function referenceCrossEntropy(outputs: number[][], targets: readonly (readonly number[])[]): number {
  let s = 0;
  outputs.forEach((f, i) => {
    const m = Math.max(...f);
    const lse = m + Math.log(f.reduce((acc, v) => acc + Math.exp(v - m), 0));
    f.forEach((fc, c) => (s += targets[i][c] * (lse - fc)));
  });
  return s / outputs.length;
}
