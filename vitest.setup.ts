import fc from 'fast-check';

// Property tests are reproducible: the seed comes from FC_SEED when set (to replay a failure), else a fixed
// value in CI and a fresh one locally, printed on failure by fast-check either way.
const envSeed = process.env.FC_SEED;
const seed = envSeed !== undefined ? Number(envSeed) : process.env.CI ? 20261123 : Date.now() % 2 ** 31;
fc.configureGlobal({ seed });
