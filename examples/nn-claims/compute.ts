/**
 * The computation and the verdicts of the `nn-claims` example. Every threshold is fixed here, before any run, and
 * printed with the verdict; a claim that does not reproduce is reported as such.
 */
import type { LossModel } from '../../src/core/loss-model.js';
import { sharpness } from '../../src/sharpness/sharpness.js';
import { configs, type DataSettings } from './configs.js';
import { traceRuns, type TraceRun, type TraceRunSettings } from './dynamics.js';
import { probe, type ProbeResult, type ProbeSettings } from './probe.js';

export interface NnClaimsSettings {
  data: DataSettings;
  probe: ProbeSettings;
  seeds: number[];
  /** Configuration ids to run (the claims use those present). */
  configs: string[];
  /** Cross-entropy and MSE (`ce`, `base`) at η = m/s₀ (claims 3a, 3b); run when `ce` is in `configs`. */
  crossEntropyRuns: TraceRunSettings;
  /** The ×10 initialization at η = m·2/s₀(×10) (claim 4b); run when `scale10` is in `configs`. */
  largeInitRuns: TraceRunSettings;
}

export const DEFAULT_SETTINGS: NnClaimsSettings = {
  data: { perClass: 10, testPerClass: 30, classes: [0, 1, 7], cnnPerClass: 4 },
  // fine grid around η_c (0.5–1.5) and a coarse one beyond it (2–6), as the paper's fine and coarse panels
  probe: { lossGoal: 0.01, smallerGoals: [], ratios: [0.5, 0.75, 0.9, 1.1, 1.25, 1.5, 2, 2.5, 4, 6], maxSteps: 2000, flowMaxSteps: 20000, lanczosTol: 1e-4, flowSharpnessEvery: 20 },
  seeds: [0, 1, 2],
  configs: ['base', 'wide', 'shallow', 'tanh', 'ce', 'scale5', 'scale10', 'mup16', 'mup32', 'ntk16', 'ntk64', 'cnn'],
  crossEntropyRuns: { multiples: [0.5, 0.9, 1.25, 1.5, 1.75], lossGoal: 0.01, maxSteps: 1000, sharpnessEvery: 5, lanczosTol: 1e-4 },
  // ε = 0.1 for ×10 (the paper's coarsest goal): from L(θ₀) ≈ 6·10³ the ×10 net does not reach 0.01 in 20,000 steps
  largeInitRuns: { multiples: [0.5, 1, 1.5, 1.9], lossGoal: 0.1, maxSteps: 20000, sharpnessEvery: 0, lanczosTol: 1e-4 },
};

/** `--quick`: two configurations, three seeds, three ratios (seconds). */
export const QUICK_SETTINGS: NnClaimsSettings = {
  data: { perClass: 6, testPerClass: 10, classes: [0, 1, 7], cnnPerClass: 2 },
  probe: { ...DEFAULT_SETTINGS.probe, lossGoal: 0.02, ratios: [0.5, 0.9, 2.5], maxSteps: 1500, flowMaxSteps: 2000 },
  seeds: [0, 1, 2],
  configs: ['base', 'mup16', 'ce'],
  crossEntropyRuns: { ...DEFAULT_SETTINGS.crossEntropyRuns, multiples: [0.9, 1.5], maxSteps: 300 },
  largeInitRuns: DEFAULT_SETTINGS.largeInitRuns,
};

/** Thresholds, stated before running (never tuned to the outcome). */
export const THRESHOLDS = {
  /** A flow-aligned run (η ≤ η_c) matches the flow when |S/s_GF − 1| ≤ this. */
  flowAlignedSharpness: 0.15,
  /** An EoS run (η > η_c) sits at the edge when |S/(2/η) − 1| ≤ this. */
  eosSharpness: 0.15,
  /** A regime claim holds when at least this fraction of its converged runs qualify. */
  fraction: 0.8,
  /** "η_c depends on the seed" when (max − min)/mean of η_c over seeds is at least this. */
  seedSpread: 0.05,
  /** μP's s_GF is "width-independent" when the two widths' mean s_GF differ by at most this (relative). */
  widthIndependence: 0.25,
  /** The distance to the GF solution below η_c is "non-negligible" when ‖θ − θ_GF‖₂/‖θ_GF − θ₀‖₂ ≥ this. */
  flowDistance: 0.01,
  /** "The ℓ1 distance to init tracks the norm" when the Spearman correlation over ratios is at least this. */
  tracking: 0.8,
  /** 3a: a CE run "reached the edge" when max_k S_k·η/2 ≥ this along the run. */
  ceEdge: 0.85,
  /** 3a: the sharpness "drops again" when S_end ≤ this × the run's peak sharpness. */
  ceDrop: 0.5,
  /** 3a/3b: a run "trained" when L_end ≤ this × L(θ₀) (else it stalled). */
  trained: 0.5,
  /** 3b: CE "often fails" below 1/s₀ when at least this fraction of its runs at η < 1/s₀ miss ε (diverge or stall). */
  ceFailFraction: 0.5,
  /** 4b: the ×10 norm "decreases with η" when Spearman(η, ‖θ‖₁) ≤ this in every seed (≥ 3 converged runs). */
  largeInitDecrease: -0.8,
  /** 2b: the ℓ1 rise "flattens" when its slope over the upper half of the EoS ratios is ≤ this × the lower half's. */
  flattening: 0.5,
  /** 7b: "in proportion to layer size" when the per-parameter increases Δ_ℓ/n_ℓ agree within this factor. */
  layerProportionality: 3,
  /** 10: steps ∝ 1/η in the flow-aligned regime when the log-log slope of steps against η is within this of −1. */
  iterationsSlope: 0.2,
};

export interface MeanSd {
  mean: number;
  sd: number;
  n: number;
}

export function meanSd(xs: readonly number[]): MeanSd {
  const v = xs.filter((x) => Number.isFinite(x));
  const n = v.length;
  const mean = n ? v.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  return { mean, sd, n };
}

/** Spearman's rank correlation (no ties expected); NaN for fewer than 3 points. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length < 3) return NaN;
  const rank = (v: readonly number[]) => {
    const order = v.map((a, i) => [a, i] as const).sort((a, b) => a[0] - b[0]);
    const r = new Array<number>(v.length);
    order.forEach(([, i], k) => (r[i] = k + 1));
    return r;
  };
  const rx = rank(x);
  const ry = rank(y);
  const m = (x.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (rx[i] - m) * (ry[i] - m);
    sxx += (rx[i] - m) ** 2;
    syy += (ry[i] - m) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

export interface ConfigResult {
  id: string;
  label: string;
  dim: number;
  examples: number;
  probes: ProbeResult[];
}

export interface Verdict {
  claim: string;
  status: 'reproduces' | 'does not reproduce' | 'partly' | 'not run';
  numbers: string;
}

export interface NnClaimsSummary {
  settings: NnClaimsSettings;
  thresholds: typeof THRESHOLDS;
  results: ConfigResult[];
  /** Claims 3a/3b: per seed, CE and MSE runs at η = m/s₀ (empty when `ce` is not run). */
  crossEntropy: { seed: number; s0: number; criticalLearningRate: number; ce: TraceRun[]; mse: TraceRun[] }[];
  /** Claim 4b: per seed, the ×10 runs at η = m·2/s₀ (empty when `scale10` is not run). */
  largeInit: { seed: number; s0: number; runs: TraceRun[] }[];
  /** Claim 9: per configuration and ratio, the regimes over seeds and the mean S/(2/η). */
  phase: { config: string; ratio: number; regimes: string[]; sharpnessOverLimit: MeanSd }[];
  verdicts: Verdict[];
}

export function computeNnClaims(settings: NnClaimsSettings, progress: (m: string) => void = () => {}): NnClaimsSummary {
  const all = configs(settings.data);
  const results: ConfigResult[] = [];
  const builds = new Map<string, ReturnType<(typeof all)[string]['build']>>();
  for (const id of settings.configs) {
    const c = all[id];
    const built = c.build();
    builds.set(id, built);
    const base = results.find((r) => r.id === 'base');
    const unit = c.baseLearningRates && base ? meanSd(base.probes.map((p) => p.criticalLearningRate)).mean : undefined;
    const probeSettings = { ...settings.probe, ...c.probe, ...(unit === undefined ? {} : { learningRateUnit: unit }) };
    const probes = settings.seeds.map((seed) => probe(built.model, built.test, built.init(seed), seed, probeSettings));
    results.push({ id, label: c.label, dim: built.model.dim, examples: (built.model as unknown as { examples: number }).examples, probes });
    const p0 = probes[0];
    progress(`${c.label}: p = ${built.model.dim}; η_c = ${fmtMs(meanSd(probes.map((p) => p.criticalLearningRate)))}; seed 0 runs: ${p0.runs.map((r) => `${r.ratio}:${r.regime}`).join(', ')}`);
  }
  const crossEntropy: NnClaimsSummary['crossEntropy'] = [];
  const ce = results.find((r) => r.id === 'ce');
  const ceBuilt = builds.get('ce');
  if (ce && ceBuilt) {
    const mseBuilt = builds.get('base') ?? all.base.build();
    for (const p of ce.probes) {
      const mse0 = mseBuilt.init(p.seed);
      const mseS0 = results.find((r) => r.id === 'base')?.probes.find((q) => q.seed === p.seed)?.initialSharpness ?? sharpnessAt(mseBuilt.model, mse0);
      crossEntropy.push({
        seed: p.seed,
        s0: p.initialSharpness,
        criticalLearningRate: p.criticalLearningRate,
        ce: traceRuns(ceBuilt.model, ceBuilt.init(p.seed), 1 / p.initialSharpness, settings.crossEntropyRuns),
        mse: traceRuns(mseBuilt.model, mse0, 1 / mseS0, { ...settings.crossEntropyRuns, sharpnessEvery: 0 }),
      });
    }
    progress(`cross-entropy at η = m/s₀, m ∈ {${settings.crossEntropyRuns.multiples.join(', ')}}: ${crossEntropy.map((c) => c.ce.map((r) => `${r.multiple}:${r.status}`).join(' ')).join(' | ')}`);
  }
  const largeInit: NnClaimsSummary['largeInit'] = [];
  const s10 = results.find((r) => r.id === 'scale10');
  const s10Built = builds.get('scale10');
  if (s10 && s10Built) {
    for (const p of s10.probes) largeInit.push({ seed: p.seed, s0: p.initialSharpness, runs: traceRuns(s10Built.model, s10Built.init(p.seed), 2 / p.initialSharpness, settings.largeInitRuns) });
    progress(`init ×10 at η = m·2/s₀, m ∈ {${settings.largeInitRuns.multiples.join(', ')}}, ε = ${settings.largeInitRuns.lossGoal}: ${largeInit.map((c) => c.runs.map((r) => `${r.multiple}:${r.status}`).join(' ')).join(' | ')}`);
  }
  const phase = results.flatMap((r) =>
    settings.probe.ratios.map((ratio, i) => ({
      config: r.id,
      ratio,
      regimes: r.probes.map((p) => p.runs[i].regime),
      sharpnessOverLimit: meanSd(r.probes.map((p) => p.runs[i].sharpnessOverLimit ?? NaN)),
    })),
  );
  return { settings, thresholds: THRESHOLDS, results, crossEntropy, largeInit, phase, verdicts: judge(results, crossEntropy, largeInit, settings) };
}

function sharpnessAt(model: LossModel, theta: Float64Array): number {
  return sharpness(model, theta, { method: 'lanczos', tol: 1e-4, which: 'abs' });
}

export function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : '–';
}

export function fmtMs(m: MeanSd, digits = 3): string {
  return `${fmt(m.mean, digits)} ± ${fmt(m.sd, 2)} (n = ${m.n})`;
}

const T = THRESHOLDS;

function regimes(r: ConfigResult) {
  const runs = r.probes.flatMap((p) => p.runs.map((run) => ({ run, p })));
  const aligned = runs.filter(({ run }) => run.regime === 'flow-aligned');
  const eos = runs.filter(({ run }) => run.regime === 'eos');
  const alignedOk = aligned.filter(({ run, p }) => Math.abs((run.sharpness as number) / p.flowSharpness - 1) <= T.flowAlignedSharpness).length;
  const eosOk = eos.filter(({ run }) => Math.abs((run.sharpnessOverLimit as number) - 1) <= T.eosSharpness).length;
  // the norm at the largest converged ratio above 1, relative to the flow's, per seed
  const rise = r.probes.map((p) => {
    const conv = p.runs.filter((x) => x.regime === 'eos');
    return conv.length ? conv[conv.length - 1].norm2 / p.flow.norm2 - 1 : NaN;
  });
  const rise1 = r.probes.map((p) => {
    const conv = p.runs.filter((x) => x.regime === 'eos');
    return conv.length ? conv[conv.length - 1].norm1 / p.flow.norm1 - 1 : NaN;
  });
  return { aligned: aligned.length, alignedOk, eos: eos.length, eosOk, rise: meanSd(rise), rise1: meanSd(rise1) };
}

function frac(ok: number, n: number): string {
  return `${ok}/${n}`;
}

export function judge(
  results: ConfigResult[],
  crossEntropy: NnClaimsSummary['crossEntropy'] = [],
  largeInit: NnClaimsSummary['largeInit'] = [],
  settings: Pick<NnClaimsSettings, 'crossEntropyRuns' | 'largeInitRuns'> = DEFAULT_SETTINGS,
): Verdict[] {
  const by = (id: string) => results.find((r) => r.id === id);
  const v: Verdict[] = [];
  const notRun = (claim: string, ids: string[]) => v.push({ claim, status: 'not run', numbers: `needs configurations ${ids.join(', ')} (not in this mode)` });

  // Claim 1: smaller ε → larger s_GF, smaller η_c.
  const base = by('base');
  if (base && base.probes[0].smallerGoals.length) {
    const monotone = base.probes.every((p) => {
      const s = [p.flowSharpness, ...p.smallerGoals.map((g) => g.flowSharpness)];
      return s.every((x, i) => i === 0 || x > s[i - 1]);
    });
    const eps = base.probes[0].smallerGoals.map((g) => g.lossGoal);
    const cols = [meanSd(base.probes.map((p) => p.flowSharpness)), ...base.probes[0].smallerGoals.map((_, i) => meanSd(base.probes.map((p) => p.smallerGoals[i].flowSharpness)))];
    const ends = [meanSd(base.probes.map((p) => p.flowEndSharpness)), ...base.probes[0].smallerGoals.map((_, i) => meanSd(base.probes.map((p) => p.smallerGoals[i].endSharpness)))];
    v.push({
      claim: '1. smaller loss goal ε → larger s_GF, smaller η_c = 2/s_GF (Fig. 2, H.5)',
      status: monotone ? 'reproduces' : 'does not reproduce',
      numbers: `${base.label}: s_GF at ε = ${[base.probes[0].lossGoal, ...eps].join(', ')}: ${cols.map((c) => fmtMs(c)).join(' → ')}; strictly increasing in every seed: ${monotone} (s_GF = max along the flow, App. G); sharpness at the flow's end point θ_GF(ε): ${ends.map((c) => fmtMs(c)).join(' → ')}`,
    });
  } else notRun('1. smaller ε → larger s_GF', ['base']);

  // Claim 2: two regimes across widths and depths; width and the norm trend; the CNN.
  const c2 = ['base', 'wide', 'shallow', 'cnn'].map(by).filter((r): r is ConfigResult => r !== undefined);
  if (c2.length) {
    const parts = c2.map((r) => {
      const g = regimes(r);
      const ok = g.alignedOk >= T.fraction * g.aligned && g.eosOk >= T.fraction * g.eos && g.aligned > 0 && g.eos > 0 && g.rise.mean - g.rise.sd > 0;
      return { r, g, ok };
    });
    const wide = parts.find((x) => x.r.id === 'wide');
    const narrow = parts.find((x) => x.r.id === 'base');
    const dissolves = wide && narrow ? wide.g.rise.mean <= 0.25 * narrow.g.rise.mean : undefined;
    v.push({
      claim: '2. two regimes (S ≈ s_GF below η_c; S ≈ 2/η and the norm above the flow\'s above η_c) across widths, depths and a CNN (H.2, Fig. 5)',
      status: parts.every((x) => x.ok) ? 'reproduces' : parts.some((x) => x.ok) ? 'partly' : 'does not reproduce',
      numbers:
        parts
          .map(({ r, g, ok }) => `${r.id}: flow-aligned S within ${T.flowAlignedSharpness * 100}% of s_GF in ${frac(g.alignedOk, g.aligned)}, EoS S/(2/η) within ${T.eosSharpness * 100}% in ${frac(g.eosOk, g.eos)}, ‖θ‖₂/‖θ_GF‖₂ − 1 at the largest converged η ${fmtMs(g.rise, 2)}, ‖θ‖₁/‖θ_GF‖₁ − 1 ${fmtMs(g.rise1, 2)} → ${ok ? 'yes' : 'no'}`)
          .join('; ') +
        (dissolves === undefined ? '' : `; width ×4 dissolves the norm trend (rise ≤ ¼ of the narrow net's): ${dissolves}`) +
        (by('cnn') ? `; CNN ℓ1 by ratio (seed mean): ${cnnL1(by('cnn') as ConfigResult)} (flattening: 2b)` : ''),
    });
  } else notRun('2. two regimes', ['base', 'wide', 'shallow', 'cnn']);
  v.push(flatteningVerdict(results));

  // Claim 3: ReLU vs tanh; cross-entropy.
  const tanh = by('tanh');
  const ce = by('ce');
  if (tanh && ce) {
    const g = regimes(tanh);
    const tanhOk = g.alignedOk >= T.fraction * g.aligned && g.eosOk >= T.fraction * g.eos && g.rise.mean - g.rise.sd > 0;
    const ceRuns = ce.probes.flatMap((p) => p.runs.filter((r) => r.regime === 'eos').map((r) => ({ r, p })));
    const below = ceRuns.filter(({ r, p }) => (r.sharpness as number) < p.flowSharpness && (r.sharpnessOverLimit as number) < 1).length;
    const ceOk = ceRuns.length > 0 && below >= T.fraction * ceRuns.length;
    v.push({
      claim: '3. tanh behaves like ReLU; cross-entropy ends below s_GF and below 2/η above η_c (H.3, H.4)',
      status: tanhOk && ceOk ? 'reproduces' : tanhOk || ceOk ? 'partly' : 'does not reproduce',
      numbers: `tanh: flow-aligned ${frac(g.alignedOk, g.aligned)}, EoS ${frac(g.eosOk, g.eos)}, norm rise ${fmtMs(g.rise, 2)} → ${tanhOk}; cross-entropy EoS runs with S < s_GF and S < 2/η: ${frac(below, ceRuns.length)} (S/(2/η) ${fmtMs(meanSd(ceRuns.map(({ r }) => r.sharpnessOverLimit as number)), 2)}) → ${ceOk} (the CE sharpness drop and CE failing at η < 1/s₀: 3a, 3b)`,
    });
  } else notRun('3. tanh and cross-entropy', ['tanh', 'ce']);
  v.push(...crossEntropyVerdicts(crossEntropy, settings.crossEntropyRuns));

  // Claim 4: seeds shift η_c; init scale.
  const s10 = by('scale10');
  if (base && s10) {
    const etas = meanSd(base.probes.map((p) => p.criticalLearningRate));
    const all = base.probes.map((p) => p.criticalLearningRate);
    const spread = (Math.max(...all) - Math.min(...all)) / etas.mean;
    const s5 = by('scale5');
    const atInit = (r: ConfigResult) => r.probes.filter((p) => p.initialSharpness >= 0.95 * p.flowSharpness).length;
    const divergedSmall = (r: ConfigResult) => r.probes.flatMap((p) => p.runs.filter((x) => x.ratio <= 1)).filter((x) => x.regime === 'diverged').length;
    const smallRuns = (r: ConfigResult) => r.probes.flatMap((p) => p.runs.filter((x) => x.ratio <= 1)).length;
    const rho = meanSd(s10.probes.map((p) => { const c = p.runs.filter((x) => x.status === 'converged'); return spearman(c.map((x) => x.learningRate), c.map((x) => x.norm2)); }));
    const s0ratio = meanSd(s10.probes.map((p, i) => p.initialSharpness / base.probes[i].initialSharpness));
    const ok = spread >= T.seedSpread && atInit(s10) === s10.probes.length && rho.mean < 0;
    v.push({
      claim: '4. initialization seeds shift η_c; ×5/×10 scale: largest sharpness at init, norm decreasing with η at ×10 (H.6, Fig. 6)',
      status: ok ? 'reproduces' : spread >= T.seedSpread || atInit(s10) > 0 || rho.mean < 0 ? 'partly' : 'does not reproduce',
      numbers: `base η_c over seeds ${fmtMs(etas)}, relative spread ${fmt(spread, 2)} (threshold ${T.seedSpread}); s_0(×10)/s_0(×1) ${fmtMs(s0ratio)}; s_0 ≥ 0.95·s_GF in ${atInit(s10)}/${s10.probes.length} seeds at ×10${s5 ? `, ${atInit(s5)}/${s5.probes.length} at ×5` : ''}; runs diverging at η ≤ η_c(×1) (η in units of the ×1 net's η_c): ${divergedSmall(s10)}/${smallRuns(s10)} at ×10${s5 ? `, ${divergedSmall(s5)}/${smallRuns(s5)} at ×5` : ''}; Spearman(η, ‖θ‖₂) over converged ×10 runs ${fmtMs(rho, 2)} (norm decreasing if < 0; on the ×10 net's own η grid: 4b)`,
    });
  } else notRun('4. seeds and init scale', ['base', 'scale10']);
  v.push(largeInitVerdict(largeInit, settings.largeInitRuns));

  // Claim 5: μP and NTK.
  const m16 = by('mup16');
  const m64 = by('mup32') ?? by('mup64');
  const n16 = by('ntk16');
  const n64 = by('ntk32') ?? by('ntk64');
  if (m16) {
    const a = meanSd(m16.probes.map((p) => p.flowSharpness));
    const b = m64 ? meanSd(m64.probes.map((p) => p.flowSharpness)) : undefined;
    const widthIndep = b ? Math.abs(b.mean / a.mean - 1) <= T.widthIndependence : undefined;
    const gm = regimes(m16);
    const ntkAtInit = [n16, n64].filter((r): r is ConfigResult => r !== undefined).map((r) => `${r.id}: s_0 ≥ 0.95·s_GF in ${r.probes.filter((p) => p.initialSharpness >= 0.95 * p.flowSharpness).length}/${r.probes.length}, norm rise ${fmtMs(regimes(r).rise1, 2)} (ℓ1)`);
    // the kernel parameterization's part of the claim counts too when it ran (max sharpness = sharpness at init)
    const ntks = [n16, n64].filter((r): r is ConfigResult => r !== undefined);
    const ntkOk = ntks.every((r) => r.probes.filter((p) => p.initialSharpness >= 0.95 * p.flowSharpness).length >= T.fraction * r.probes.length);
    const ok = widthIndep === true && gm.rise1.mean - gm.rise1.sd > 0 && ntkOk;
    v.push({
      claim: '5. μP: s_GF similar across widths, ℓ1 rises above η_c; kernel/NTK: largest sharpness at init (H.7, Figs. 7–8)',
      status: b === undefined ? 'partly' : ok ? 'reproduces' : 'partly',
      numbers: `μP s_GF width 16 ${fmtMs(a)}${b ? `, ${m64?.id} ${fmtMs(b)} → width-independent within ${T.widthIndependence * 100}%: ${widthIndep}` : ' (a second width is not run in this mode)'}; μP-16 ℓ1 rise ${fmtMs(gm.rise1, 2)}, EoS S/(2/η) within 15% in ${frac(gm.eosOk, gm.eos)}; ${ntkAtInit.join('; ') || 'NTK not run in this mode'}${ntks.length ? ` (NTK at-init holds if in ≥ ${T.fraction * 100}% of seeds: ${ntkOk})` : ''}`,
    });
  } else notRun('5. μP / NTK', ['mup16', 'mup64', 'ntk16', 'ntk64']);
  v.push(mupRiseVerdict(results));

  // Claim 6: U-shaped test loss (base, MSE) over seeds.
  if (base) {
    const ratios = base.probes[0].runs.map((r) => r.ratio);
    const cols = ratios.map((_, i) => meanSd(base.probes.map((p) => (p.runs[i].status === 'converged' ? (p.runs[i].testLoss as number) : NaN))));
    const flowT = meanSd(base.probes.map((p) => p.flow.testLoss as number));
    const finite = cols.map((c, i) => ({ c, i })).filter(({ c }) => c.n === base.probes.length);
    const best = finite.reduce((a, b) => (b.c.mean < a.c.mean ? b : a), finite[0]);
    const u = finite.length >= 3 && best.i !== finite[0].i && best.i !== finite[finite.length - 1].i && best.c.mean + best.c.sd < Math.min(finite[0].c.mean, finite[finite.length - 1].c.mean);
    v.push({
      claim: '6. U-shaped test loss against η with MSE on MNIST, over seeds (Fig. 3)',
      status: u ? 'reproduces' : 'does not reproduce',
      numbers: `test loss (mean ± sd over ${base.probes.length} seeds): flow ${fmtMs(flowT)}; ${ratios.map((r, i) => `η/η_c = ${r}: ${fmtMs(cols[i])}`).join(', ')}; U-shape (best interior and its mean + sd below both ends): ${u}; nuclear norms per layer are in summary.json`,
    });
  }

  // Claim 7: per-layer norms all increase, in proportion to layer size.
  if (base) {
    const perSeed = base.probes.map((p) => {
      const eos = p.runs.filter((r) => r.regime === 'eos');
      if (!eos.length) return null;
      const last = eos[eos.length - 1];
      return last.layerFrobenius.map((f, l) => f ** 2 - p.flow.layerFrobenius[l] ** 2);
    });
    const ok = perSeed.filter((d): d is number[] => d !== null);
    const allUp = ok.length > 0 && ok.every((d) => d.every((x) => x > 0));
    v.push({
      claim: '7. per-layer norms all increase above η_c, in proportion to layer size (H.12, Fig. 14)',
      status: allUp ? 'partly' : 'does not reproduce',
      numbers: `Δ‖W_ℓ‖_F² from the flow to the largest converged EoS run (per seed, layers input first): ${ok.map((d) => `[${d.map((x) => fmt(x, 2)).join(', ')}]`).join(' ')}; all layers increase in every seed: ${allUp}; proportionality to layer size: 7b`,
    });
  }

  v.push(layerProportionVerdict(results));

  // Claim 8: distances to the GF solution and to init.
  if (base) {
    const below = base.probes.flatMap((p) => p.runs.filter((r) => r.regime === 'flow-aligned').map((r) => r.distanceToFlow2 / p.flow.distanceToInit2));
    const grows = base.probes.filter((p) => {
      const a = p.runs.filter((r) => r.regime === 'flow-aligned');
      const e = p.runs.filter((r) => r.regime === 'eos');
      return a.length > 0 && e.length > 0 && e[e.length - 1].distanceToFlow2 > a[a.length - 1].distanceToFlow2;
    }).length;
    const track = meanSd(base.probes.map((p) => { const c = p.runs.filter((r) => r.status === 'converged'); return spearman(c.map((r) => r.norm1), c.map((r) => r.distanceToInit1)); }));
    const nonNeg = below.length > 0 && below.every((x) => x >= T.flowDistance);
    const ok = nonNeg && grows === base.probes.length && track.mean >= T.tracking;
    v.push({
      claim: '8. distance to the GF solution non-negligible below η_c and growing in EoS; ℓ1 distance to init tracks the norm (H.10, Figs. 11–12)',
      status: ok ? 'reproduces' : nonNeg || grows > 0 || track.mean >= T.tracking ? 'partly' : 'does not reproduce',
      numbers: `‖θ − θ_GF‖₂/‖θ_GF − θ₀‖₂ below η_c: ${fmtMs(meanSd(below))} (min ${fmt(Math.min(...below), 2)}; non-negligible if ≥ ${T.flowDistance}: ${nonNeg}); larger at the largest EoS η than at the largest flow-aligned η in ${grows}/${base.probes.length} seeds; Spearman(‖θ‖₁, ‖θ − θ₀‖₁) over converged runs ${fmtMs(track, 2)} (threshold ${T.tracking})`,
    });
  }

  // Claim 9: the phase diagram.
  const rows = results.map((r) => {
    const g = regimes(r);
    return { id: r.id, ok: g.eos > 0 && g.eosOk >= T.fraction * g.eos && g.alignedOk >= T.fraction * g.aligned, g };
  });
  const okRows = rows.filter((x) => x.ok).length;
  v.push({
    claim: '9. phase transition at η_c across configurations: S ≈ s_GF below, S ≈ 2/η above (phase diagram (η/η_c) × configuration)',
    status: rows.length === 0 ? 'not run' : okRows === rows.length ? 'reproduces' : okRows > 0 ? 'partly' : 'does not reproduce',
    numbers: `${okRows}/${rows.length} configurations show both regimes (≥ ${T.fraction * 100}% of runs within ${T.eosSharpness * 100}%): ${rows.map((x) => `${x.id} ${x.ok ? '✓' : '✗'}`).join(', ')}; the table is summary.json (phase) and phase.svg`,
  });
  v.push(iterationsVerdict(results));
  return v;
}

function cnnL1(r: ConfigResult): string {
  return r.probes[0].runs.map((_, i) => `${r.probes[0].runs[i].ratio}: ${fmt(meanSd(r.probes.map((p) => (p.runs[i].status === 'converged' ? p.runs[i].norm1 : NaN))).mean, 4)}`).join(', ');
}

/** Least-squares slope of log y against log x (NaN for fewer than 2 points). */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  if (x.length < 2) return NaN;
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/**
 * 2b: the flattening index of ‖θ‖₁ over the converged EoS runs of one seed: the slope of ‖θ‖₁ against η/η_c from the
 * median EoS ratio to the largest, over the slope from the smallest to the median (NaN for fewer than 3 runs or a
 * non-positive lower slope). < 1: the increase flattens at large η.
 */
export function flatteningIndex(p: ProbeResult): number {
  const eos = p.runs.filter((r) => r.regime === 'eos');
  if (eos.length < 3) return NaN;
  const lo = eos[0];
  const mid = eos[Math.floor((eos.length - 1) / 2)];
  const hi = eos[eos.length - 1];
  const lower = (mid.norm1 - lo.norm1) / (mid.ratio - lo.ratio);
  const upper = (hi.norm1 - mid.norm1) / (hi.ratio - mid.ratio);
  return lower > 0 ? upper / lower : NaN;
}

function flatteningVerdict(results: ConfigResult[]): Verdict {
  const claim = '2b. the CNN\'s ℓ1 increase flattens at large η, more than the FCN\'s (Fig. 5, H.2)';
  const cnnR = results.find((r) => r.id === 'cnn');
  const baseR = results.find((r) => r.id === 'base');
  if (!cnnR || !baseR) return { claim, status: 'not run', numbers: 'needs configurations cnn and base (not in this mode)' };
  const c = meanSd(cnnR.probes.map(flatteningIndex));
  const b = meanSd(baseR.probes.map(flatteningIndex));
  const flattens = c.n > 0 && c.mean <= T.flattening;
  const more = c.n > 0 && b.n > 0 && c.mean < b.mean;
  return {
    claim,
    status: flattens && more ? 'reproduces' : flattens || more ? 'partly' : 'does not reproduce',
    numbers: `flattening index (slope of ‖θ‖₁ against η/η_c from the median to the largest converged EoS ratio ÷ the slope from the smallest to the median; < 1 = flattening): CNN ${fmtMs(c, 2)}, FCN base ${fmtMs(b, 2)}; CNN flattens (≤ ${T.flattening}): ${flattens}; more than the FCN: ${more}; CNN ℓ1 by ratio (seed mean): ${cnnL1(cnnR)}`,
  };
}

function crossEntropyVerdicts(ce: NnClaimsSummary['crossEntropy'], rs: TraceRunSettings): Verdict[] {
  const a = '3a. cross-entropy: after reaching 2/η the sharpness drops again, to ≤ ½ of its peak (H.4, Fig. 13; the share of samples at 2/η is reported, not judged)';
  const b = '3b. cross-entropy often fails to reach the loss goal even at η < 1/s₀, where MSE converges (H.4)';
  if (!ce.length) return [a, b].map((claim) => ({ claim, status: 'not run', numbers: 'needs configuration ce (not in this mode)' }));
  const trained = (r: TraceRun) => r.status !== 'diverged' && r.finalLoss <= T.trained * r.initialLoss;
  const eos = ce.flatMap((c) => c.ce.filter((r) => r.learningRate > c.criticalLearningRate));
  const edge = eos.filter((r) => r.peakOverLimit >= T.ceEdge && trained(r));
  const dropped = edge.filter((r) => r.finalOverLimit <= T.ceDrop * r.peakOverLimit);
  const stalled = eos.filter((r) => !trained(r));
  const aOk = edge.length >= 3 && dropped.length >= T.fraction * edge.length;
  // reported, not judged: the share of recorded samples within ±eosSharpness of 2/η (the oscillation at the edge)
  const atEdge = (r: TraceRun) => r.trace.filter((x) => Math.abs(x - 1) <= T.eosSharpness).length / Math.max(1, r.trace.length);
  const verdictA: Verdict = {
    claim: a,
    status: aOk ? 'reproduces' : dropped.length > 0 ? 'partly' : 'does not reproduce',
    numbers: `CE runs above η_c at η = m/s₀, m ∈ {${ce[0].ce.map((r) => r.multiple).join(', ')}}, ε = ${rs.lossGoal}, at most ${rs.maxSteps} steps, S every ${rs.sharpnessEvery} steps: ${eos.length} runs; ${stalled.length} stalled or diverged (L_end > ${T.trained}·L(θ₀), e.g. dead ReLUs at L = log 3); ${edge.length} trained and reached the edge (max S·η/2 ≥ ${T.ceEdge}); of these ${dropped.length} end with S ≤ ${T.ceDrop}·peak (peak → final S·η/2 [share of samples within ${T.eosSharpness * 100}% of 2/η]: ${edge.map((r) => `${fmt(r.peakOverLimit, 2)}→${fmt(r.finalOverLimit, 2)} [${fmt(atEdge(r), 2)}]`).join(', ') || '–'}); needs ≥ 3 edge runs and ≥ ${T.fraction * 100}% dropping`,
  };
  const below = (runs: (c: NnClaimsSummary['crossEntropy'][number]) => TraceRun[]) => ce.flatMap((c) => runs(c).filter((r) => r.multiple < 1));
  const ceBelow = below((c) => c.ce);
  const mseBelow = below((c) => c.mse);
  const fail = (rs: TraceRun[]) => rs.filter((r) => r.status !== 'converged').length;
  const ceFail = fail(ceBelow) / Math.max(1, ceBelow.length);
  const mseFail = fail(mseBelow) / Math.max(1, mseBelow.length);
  const bOk = ceBelow.length > 0 && ceFail >= T.ceFailFraction && mseFail < ceFail;
  const byMultiple = ce[0].ce.map((_, i) => `m = ${ce[0].ce[i].multiple}: CE ${ce.filter((c) => c.ce[i].status === 'converged').length}/${ce.length}, MSE ${ce.filter((c) => c.mse[i].status === 'converged').length}/${ce.length}`);
  const verdictB: Verdict = {
    claim: b,
    status: bOk ? 'reproduces' : 'does not reproduce',
    numbers: `runs missing ε = ${rs.lossGoal} within ${rs.maxSteps} steps at η < 1/s₀: CE ${fail(ceBelow)}/${ceBelow.length}, MSE ${fail(mseBelow)}/${mseBelow.length} (CE "often fails" if ≥ ${T.ceFailFraction * 100}% and more than MSE); converged by m = η·s₀: ${byMultiple.join('; ')}; CE s₀ ${fmtMs(meanSd(ce.map((c) => c.s0)))}, η_c·s₀ ${fmtMs(meanSd(ce.map((c) => c.criticalLearningRate * c.s0)), 2)}`,
  };
  return [verdictA, verdictB];
}

function largeInitVerdict(li: NnClaimsSummary['largeInit'], rs: TraceRunSettings): Verdict {
  const claim = '4b. at init ×10 the final ℓ1 norm is very large and decreases as η grows (H.6, Fig. 6)';
  if (!li.length) return { claim, status: 'not run', numbers: 'needs configuration scale10 (not in this mode)' };
  const rhos = li.map((c) => {
    const conv = c.runs.filter((r) => r.status === 'converged');
    return conv.length >= 3 ? spearman(conv.map((r) => r.learningRate), conv.map((r) => r.norm1)) : NaN;
  });
  const judged = rhos.filter(Number.isFinite);
  const ok = judged.length === li.length && judged.every((r) => r <= T.largeInitDecrease);
  const change = meanSd(li.map((c) => {
    const conv = c.runs.filter((r) => r.status === 'converged');
    return conv.length >= 2 ? conv[conv.length - 1].norm1 / conv[0].norm1 - 1 : NaN;
  }));
  return {
    claim,
    status: ok ? 'reproduces' : judged.some((r) => r <= T.largeInitDecrease) ? 'partly' : 'does not reproduce',
    numbers: `η = m·2/s₀(×10), m ∈ {${li[0].runs.map((r) => r.multiple).join(', ')}}, to ε = ${rs.lossGoal} (at most ${rs.maxSteps} steps): converged ${li.map((c) => c.runs.filter((r) => r.status === 'converged').length).join(', ')} of ${li[0].runs.length} per seed (final losses of the others: ${li.flatMap((c) => c.runs.filter((r) => r.status !== 'converged').map((r) => `${r.status === 'diverged' ? 'diverged' : fmt(r.finalLoss, 2)}`)).join(', ') || '–'}); ‖θ‖₁ of the converged runs by m: ${li[0].runs.map((_, i) => `${li[0].runs[i].multiple}: ${fmtMs(meanSd(li.map((c) => (c.runs[i].status === 'converged' ? c.runs[i].norm1 : NaN))), 5)}`).join(', ')}; Spearman(η, ‖θ‖₁) per seed ${rhos.map((r) => fmt(r, 2)).join(', ')} (decreasing if ≤ ${T.largeInitDecrease} in every seed); relative change from the smallest to the largest converged η ${fmtMs(change, 2)}`,
  };
}

function mupRiseVerdict(results: ConfigResult[]): Verdict {
  const claim = '5b. μP: the ℓ1 norm rises with η above η_c at each width (H.7, Fig. 7)';
  const rs = results.filter((r) => r.id.startsWith('mup'));
  if (!rs.length) return { claim, status: 'not run', numbers: 'needs configurations mup16, mup32 (not in this mode)' };
  const parts = rs.map((r) => {
    const g = regimes(r);
    const rho = meanSd(r.probes.map((p) => {
      const c = p.runs.filter((x) => x.status === 'converged');
      return spearman(c.map((x) => x.ratio), c.map((x) => x.norm1));
    }));
    return { r, g, rho, ok: g.eos > 0 && g.rise1.mean - g.rise1.sd > 0 };
  });
  return {
    claim,
    status: parts.every((x) => x.ok) ? 'reproduces' : parts.some((x) => x.ok) ? 'partly' : 'does not reproduce',
    numbers: parts.map(({ r, g, rho, ok }) => `${r.id}: ${g.eos} converged EoS runs, ‖θ‖₁/‖θ_GF‖₁ − 1 at the largest converged EoS η ${fmtMs(g.rise1, 2)} (rises if mean − sd > 0) → ${ok}; Spearman(η, ‖θ‖₁) over converged runs ${fmtMs(rho, 2)}; largest converged ratio per seed ${r.probes.map((p) => p.runs.filter((x) => x.status === 'converged').at(-1)?.ratio ?? '–').join(', ')}`).join('; '),
  };
}

function layerProportionVerdict(results: ConfigResult[]): Verdict {
  const claim = '7b. per-layer ℓ1 norms (relative to the smallest η) all increase, in proportion to the layer\'s parameter count (H.12, Fig. 14)';
  const rs = ['base', 'wide'].map((id) => results.find((r) => r.id === id)).filter((r): r is ConfigResult => r !== undefined);
  if (!rs.length) return { claim, status: 'not run', numbers: 'needs configuration base (not in this mode)' };
  let ok = 0;
  let n = 0;
  const text = rs.map((r) => {
    const seeds = r.probes.map((p) => {
      const conv = p.runs.filter((x) => x.status === 'converged');
      const eos = conv.filter((x) => x.regime === 'eos');
      if (conv.length < 2 || !eos.length) return null;
      const lo = conv[0];
      const hi = eos[eos.length - 1];
      const delta = hi.layerL1.map((v, l) => v - lo.layerL1[l]);
      const perParam = delta.map((d, l) => d / hi.layerParameters[l]);
      const allUp = delta.every((d) => d > 0);
      const ordered = spearman(hi.layerParameters, delta) === 1 || hi.layerParameters.length < 3;
      const factor = allUp ? Math.max(...perParam) / Math.min(...perParam) : NaN;
      const pass = allUp && ordered && factor <= T.layerProportionality;
      n++;
      if (pass) ok++;
      return `[Δ ${delta.map((d) => fmt(d, 2)).join(', ')}; per parameter ×10³ ${perParam.map((d) => fmt(1e3 * d, 2)).join(', ')}; all up ${allUp}, order of n_ℓ ${ordered}, max/min ${fmt(factor, 2)}]`;
    });
    return `${r.id} (n_ℓ = ${r.probes[0].runs[0].layerParameters.join(', ')}, Δ from η/η_c = ${r.probes[0].runs[0].ratio} to the largest converged EoS η): ${seeds.map((x) => x ?? '–').join(' ')}`;
  });
  return {
    claim,
    status: n > 0 && ok >= T.fraction * n ? 'reproduces' : ok > 0 ? 'partly' : 'does not reproduce',
    numbers: `${text.join('; ')}; a seed passes when every layer increases, the increases are ordered as the parameter counts and Δ_ℓ/n_ℓ agree within a factor ${T.layerProportionality}: ${ok}/${n}`,
  };
}

function iterationsVerdict(results: ConfigResult[]): Verdict {
  const claim = '10. steps to ε fall as ≈ 1/η in the flow-aligned regime, faster than in the EoS regime (H.8)';
  const rows = results
    .filter((r) => !r.id.startsWith('scale') && r.id !== 'ce')
    .map((r) => {
      const fa = meanSd(r.probes.map((p) => { const c = p.runs.filter((x) => x.regime === 'flow-aligned'); return logLogSlope(c.map((x) => x.learningRate), c.map((x) => x.steps)); }));
      const eosSlopes = r.probes.map((p) => { const c = p.runs.filter((x) => x.regime === 'eos'); return logLogSlope(c.map((x) => x.learningRate), c.map((x) => x.steps)); });
      const faSlopes = r.probes.map((p) => { const c = p.runs.filter((x) => x.regime === 'flow-aligned'); return logLogSlope(c.map((x) => x.learningRate), c.map((x) => x.steps)); });
      const eos = meanSd(eosSlopes);
      const faster = faSlopes.filter((s, i) => Number.isFinite(s) && Number.isFinite(eosSlopes[i]) && s < eosSlopes[i]).length;
      const time = meanSd(r.probes.map((p) => (p.runs[0].status === 'converged' ? p.runs[0].time / p.flowTime : NaN)));
      const ok = fa.n > 0 && Math.abs(fa.mean + 1) <= T.iterationsSlope && eos.n > 0 && faster >= T.fraction * r.probes.length;
      return { r, fa, eos, faster, time, ok };
    })
    .filter((x) => x.fa.n > 0);
  if (!rows.length) return { claim, status: 'not run', numbers: 'no configuration with flow-aligned runs' };
  const ok = rows.filter((x) => x.ok).length;
  return {
    claim,
    status: ok === rows.length ? 'reproduces' : ok > 0 ? 'partly' : 'does not reproduce',
    numbers: `log-log slope of steps against η (least squares per seed; −1 is steps ∝ 1/η): ${rows.map((x) => `${x.r.id} flow-aligned ${fmtMs(x.fa, 2)}, EoS ${fmtMs(x.eos, 2)}, flow-aligned steeper in ${x.faster}/${x.r.probes.length}, steps·η/t_GF at η/η_c = ${x.r.probes[0].runs[0].ratio} ${fmtMs(x.time, 3)} → ${x.ok ? '✓' : '✗'}`).join('; ')}; holds (|slope + 1| ≤ ${T.iterationsSlope} and steeper than EoS in ≥ ${T.fraction * 100}% of seeds) in ${ok}/${rows.length} configurations`,
  };
}
