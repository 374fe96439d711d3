// Preloaded by the worker threads of test-bundle/parallel.cjs: registers a user model through the package's
// CommonJS entry, which the CommonJS workers share (one registry per thread).
const { registerModel } = require('eos-lab');

// L(x, y) = ½(a·x² + y²), a user model of dim 2.
registerModel('bundle-quadratic-cjs', (spec) => {
  const a = spec.a;
  return {
    spec,
    dim: 2,
    loss: (t) => 0.5 * (a * t[0] * t[0] + t[1] * t[1]),
    lossAndGrad: (t, g) => {
      g[0] = a * t[0];
      g[1] = t[1];
      return 0.5 * (a * t[0] * t[0] + t[1] * t[1]);
    },
    hvp: (_t, v, out) => {
      out[0] = a * v[0];
      out[1] = v[1];
    },
  };
});
