import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { EosLabError } from './errors.js';
import { finiteNumber, integerInRange } from './validate.js';

/** Throws unless a and b are finite with a < b (`E_NONFINITE` for NaN/±∞, `E_BAD_OPTION` for b ≤ a). */
function checkInterval(fn: string, a: number, b: number): void {
  finiteNumber(fn, 'a', a);
  finiteNumber(fn, 'b', b);
  if (!(b > a)) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'b', value: b, expected: `a finite number > a = ${a}` });
}

/** Throws `E_BAD_OPTION` unless `out` is a Float64Array. */
function checkOut(fn: string, out: unknown): void {
  if (!(out instanceof Float64Array)) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'out', value: out, expected: 'a Float64Array' });
}

/**
 * A seeded source of random numbers (xoroshiro128+ from `pure-rand`). The same seed gives the same
 * sequence on every platform, bit for bit. Every random choice in eos-lab goes through one of these.
 *
 * @since 0.1.0
 */
export interface Rng {
  /** The seed this generator was created with. */
  readonly seed: number;
  /** A uniform draw in [0, 1) with 53 random bits. */
  uniform(): number;
  /** A uniform draw in [a, b) (a < b finite; else `E_BAD_OPTION`, or `E_NONFINITE` for NaN/±∞). */
  uniformIn(a: number, b: number): number;
  /** A standard normal draw N(0, 1) (Box–Muller, one value per call; the second value is cached). */
  normal(): number;
  /** Fills `out` (a `Float64Array`, else `E_BAD_OPTION`) with N(0, 1) draws and returns it. */
  fillNormal(out: Float64Array): Float64Array;
  /** Fills `out` (a `Float64Array`) with uniform draws in [a, b) (checked as in `uniformIn`) and returns it. */
  fillUniform(out: Float64Array, a: number, b: number): Float64Array;
  /** A uniform integer in [0, n) (n an integer in [1, 2⁵³]; else `E_BAD_OPTION`, or `E_NONFINITE` for NaN/±∞). */
  int(n: number): number;
}

/**
 * Creates a seeded random number generator.
 *
 * Normal draws use the Box–Muller transform z = √(−2 ln u₁) cos(2π u₂) (and the sine partner on the next call),
 * with u₁ ∈ (0, 1] so the logarithm is finite.
 *
 * @param seed - an integer in [−2³¹, 2³¹ − 1].
 * @returns a generator whose sequence depends only on `seed`.
 * @throws EosLabError `E_BAD_OPTION` if `seed` is not a 32-bit integer (`E_NONFINITE` for NaN/±∞). The methods
 *   validate their arguments too (since 0.2.0): `int(n)` needs an integer n ≥ 1, `uniformIn`/`fillUniform` finite
 *   a < b, the `fill…` methods a `Float64Array`.
 * @example
 * ```ts
 * import { rng } from 'eos-lab';
 * const r = rng(42);
 * const v = r.fillNormal(new Float64Array(3)); // the same three numbers for seed 42, everywhere
 * ```
 * @since 0.1.0
 */
export function rng(seed: number): Rng {
  integerInRange('rng', 'seed', seed, -0x80000000, 0x7fffffff);
  const gen = xoroshiro128plus(seed);
  let spare = NaN;
  const uniform = (): number => uniformFloat64(gen);
  const normal = (): number => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = NaN;
      return z;
    }
    const u1 = 1 - uniform(); // (0, 1]
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
  return {
    seed,
    uniform,
    uniformIn(a, b) {
      checkInterval('rng.uniformIn', a, b);
      return a + (b - a) * uniform();
    },
    normal,
    fillNormal(out) {
      checkOut('rng.fillNormal', out);
      for (let i = 0; i < out.length; i++) out[i] = normal();
      return out;
    },
    fillUniform(out, a, b) {
      checkOut('rng.fillUniform', out);
      checkInterval('rng.fillUniform', a, b);
      for (let i = 0; i < out.length; i++) out[i] = a + (b - a) * uniform();
      return out;
    },
    int(n) {
      integerInRange('rng.int', 'n', n, 1, 2 ** 53);
      return Math.floor(uniform() * n);
    },
  };
}
