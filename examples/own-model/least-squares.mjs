// least-squares.mjs — your model, registered under its own kind so that worker threads can rebuild it from its spec.
import { autodiff, fromFunction, registerModel } from 'eos-lab';
const { mul, sub, pow, mean, matvec } = autodiff;

// A depth-2 diagonal linear network β = w ⊙ w on data (x, y): L(w) = 1/(2n) Σᵢ (⟨xᵢ, w ⊙ w⟩ − yᵢ)².
export const leastSquares = (spec) =>
  fromFunction(spec.x[0].length, (w) => mul(0.5, mean(pow(sub(matvec(spec.x, pow(w, 2)), spec.y), 2))), { spec });

registerModel('least-squares', leastSquares);
