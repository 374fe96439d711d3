/**
 * Type-level tests of the public API (checked by `npm run typecheck`, which covers test/): a change to a public
 * signature that would break users' code fails the build here. At run time they only check that the values exist.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { NdArray } from 'ndarray';
import {
  type GdResult,
  type GradientFlowResult,
  type LanczosResult,
  type LossModel,
  type SharpnessEstimate,
  createModel,
  gd,
  gdStep,
  gradientFlow,
  lanczos,
  rk4Step,
  scalarFactorization,
  sharpness,
  sharpnessEstimate,
  stepSize,
  symmetricEigen,
  clipCoordinates,
  chain,
  type GradientTransform,
  EosLabError,
  type ErrorCode,
  topEigenpairs,
  hessianTrace,
  spectralDensity,
  type TopEigenpairs,
  type HessianTraceEstimate,
  type SpectralDensity,
  type TopKTrace,
} from '../../src/index.js';
import { checkGradient, type DerivativeCheck, finiteVector } from '../../src/testing/index.js';
import type fc from 'fast-check';

describe('public API types', () => {
  it('models are LossModels whose spec rebuilds them', () => {
    const m = scalarFactorization.create({ depth: 3 });
    expectTypeOf(m).toExtend<LossModel>();
    expectTypeOf(createModel).returns.toEqualTypeOf<LossModel>();
    expectTypeOf(m.hessian).toEqualTypeOf<(theta: Float64Array) => NdArray<Float64Array>>();
  });

  it('drivers return their result types and take Float64Array parameters', () => {
    expectTypeOf(gd).returns.toEqualTypeOf<GdResult>();
    expectTypeOf(gd).parameter(1).toEqualTypeOf<Float64Array>();
    expectTypeOf(gradientFlow).returns.toEqualTypeOf<GradientFlowResult>();
    expectTypeOf<GdResult['status']>().toEqualTypeOf<'converged' | 'diverged' | 'max-steps'>();
    expectTypeOf<GdResult['trace']['step']>().toEqualTypeOf<Int32Array>();
    expectTypeOf<GradientFlowResult['maxSharpness']>().toEqualTypeOf<number | null>();
    expectTypeOf(gdStep).returns.toEqualTypeOf<number>();
    expectTypeOf(rk4Step).returns.toEqualTypeOf<number>();
    expectTypeOf(stepSize.fixed).returns.toExtend<{ kind: 'fixed'; dt: number }>();
  });

  it('sharpness and eigen-solvers', () => {
    expectTypeOf(sharpness).returns.toEqualTypeOf<number>();
    expectTypeOf(sharpnessEstimate).returns.toEqualTypeOf<SharpnessEstimate>();
    expectTypeOf<SharpnessEstimate['which']>().toEqualTypeOf<'max' | 'abs'>();
    expectTypeOf(lanczos).returns.toEqualTypeOf<LanczosResult>();
    expectTypeOf<LanczosResult['vectors']>().toEqualTypeOf<Float64Array[]>();
    expectTypeOf(symmetricEigen).returns.toExtend<{ values: Float64Array; vectors: NdArray<Float64Array> }>();
  });

  it('spectra: top-k tracking in the traces, trace and density estimates', () => {
    expectTypeOf(topEigenpairs).returns.toEqualTypeOf<TopEigenpairs>();
    expectTypeOf(hessianTrace).returns.toEqualTypeOf<HessianTraceEstimate>();
    expectTypeOf(spectralDensity).returns.toEqualTypeOf<SpectralDensity>();
    expectTypeOf<GdResult['trace']['topK']>().toEqualTypeOf<TopKTrace | undefined>();
    expectTypeOf<GradientFlowResult['trace']['topK']>().toEqualTypeOf<TopKTrace | undefined>();
    expectTypeOf<import('../../src/index.js').TrainResult['trace']['topK']>().toEqualTypeOf<TopKTrace | undefined>();
    // gd's trace: η_k and 2/η_k only under a schedule
    expectTypeOf<GdResult['trace']['learningRate']>().toEqualTypeOf<Float64Array | undefined>();
    expectTypeOf<GdResult['trace']['stabilityLimit']>().toEqualTypeOf<Float64Array | undefined>();
    expectTypeOf<TopKTrace['vectors']>().toEqualTypeOf<Float64Array[][] | null>();
  });

  it('transforms compose', () => {
    expectTypeOf(chain(clipCoordinates({ max: 1 }))).toExtend<GradientTransform<unknown>>();
  });

  it('errors carry a stable code', () => {
    expectTypeOf<EosLabError['code']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<'E_DIM_MISMATCH'>().toExtend<ErrorCode>();
  });

  it('eos-lab/testing', () => {
    expectTypeOf(checkGradient).returns.toEqualTypeOf<DerivativeCheck>();
    expectTypeOf(finiteVector).returns.toEqualTypeOf<fc.Arbitrary<Float64Array>>();
  });
});

describe('public API types: automatic derivatives', () => {
  it('fromFunction returns a LossModel with hessian and thirdOrder; operations map operands to tensors', async () => {
    const { fromFunction, autodiff } = await import('../../src/index.js');
    type FunctionModel = import('../../src/index.js').FunctionModel;
    // two overloads: without data a FunctionModel, with data a DataFunctionModel (also a BatchableModel)
    expectTypeOf(fromFunction(2, (w) => autodiff.sum(w))).toEqualTypeOf<FunctionModel>();
    const withData = fromFunction(2, (w, d) => autodiff.mul(d.x, autodiff.sum(w)), { data: { x: [1, 2, 3] } });
    expectTypeOf(withData).toEqualTypeOf<import('../../src/index.js').DataFunctionModel>();
    expectTypeOf(withData).toExtend<import('../../src/index.js').BatchableModel>();
    expectTypeOf<FunctionModel>().toExtend<LossModel>();
    expectTypeOf<FunctionModel['thirdOrder']>().toEqualTypeOf<(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array) => void>();
    type Ad = typeof import('../../src/autodiff/index.js');
    expectTypeOf(autodiff.add).parameters.toEqualTypeOf<[import('../../src/autodiff/index.js').Operand, import('../../src/autodiff/index.js').Operand]>();
    expectTypeOf(autodiff.matmul).returns.toEqualTypeOf<InstanceType<Ad['Tensor']>>();
  });
});
