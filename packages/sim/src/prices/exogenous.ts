// Exogenous price paths per base asset: scheduled shocks, seeded processes (GBM, GJR-GARCH, Merton
// jump-diffusion, regime switching, optionally correlated), historical replay and block bootstrap.
import {
  InvalidArgumentError,
  normal,
  parseDuration,
  stream,
  yearFraction,
  type Model,
  type PricePathSpec,
  type Uniform,
} from '@contagion/core';

type ProcessSpec = Extract<PricePathSpec, { process: string }>;

/** One asset's process as it steps: its own stream, and the state a process carries. */
interface Stepper {
  readonly asset: number;
  readonly spec: ProcessSpec;
  readonly u: Uniform;
  /** GJR-GARCH: this step's variance of the log return; regimes: the current regime. */
  variance: number;
  regime: number;
}

/** Poisson draw with mean `lambda` (Knuth's product of uniforms; lambda is small per step). */
function poisson(u: Uniform, lambda: number): number {
  if (lambda <= 0) return 0;
  // e^-lambda underflows past about 745: draw large means as sums of smaller ones.
  if (lambda > 500) return poisson(u, 500) + poisson(u, lambda - 500);
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = u();
  while (p > limit) {
    k++;
    p *= u();
  }
  return k;
}

/** Lower-triangular Cholesky factor of a correlation matrix (rows), or undefined if not positive definite. */
export function cholesky(c: readonly (readonly number[])[]): number[][] | undefined {
  const n = c.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = c[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(s > 1e-12)) return undefined;
        l[i]![i] = Math.sqrt(s);
      } else l[i]![j] = s / l[j]![j]!;
    }
  }
  return l;
}

/**
 * The log return of one step for a process, given its standard normal shock `z` (correlated across
 * assets or not); updates the stepper's state. Convention for every diffusion: the log return is
 * (drift - vol^2 / 2) dt + vol sqrt(dt) z, so the price's expected growth is e^(drift t).
 */
function logReturn(st: Stepper, z: number, dt: number, stepSeconds: number): number {
  const spec = st.spec;
  switch (spec.process) {
    case 'gbm': {
      const s = spec.volatility;
      return (spec.drift - (s * s) / 2) * dt + s * Math.sqrt(dt) * z;
    }
    case 'gjr-garch': {
      // Per-step variance h: h' = omega + (alpha + gamma [e < 0]) e^2 + beta h.
      const h = st.variance;
      const e = Math.sqrt(h) * z;
      const longRun = spec.volatility * spec.volatility * dt;
      const omega = longRun * (1 - spec.alpha - spec.gamma / 2 - spec.beta);
      st.variance = omega + (spec.alpha + (e < 0 ? spec.gamma : 0)) * e * e + spec.beta * h;
      return spec.drift * dt - h / 2 + e;
    }
    case 'merton': {
      const s = spec.volatility;
      const { intensity, mean, sigma } = spec.jumps;
      const kappa = Math.exp(mean + (sigma * sigma) / 2) - 1;
      let r = (spec.drift - (s * s) / 2 - intensity * kappa) * dt + s * Math.sqrt(dt) * z;
      const n = poisson(st.u, intensity * dt);
      for (let k = 0; k < n; k++) r += mean + sigma * normal(st.u);
      return r;
    }
    case 'regimes': {
      const g = spec.regimes[st.regime]!;
      const s = g.volatility;
      const r = (g.drift - (s * s) / 2) * dt + s * Math.sqrt(dt) * z;
      // Leave the regime with probability 1 - e^(-step / mean duration) (a constant hazard), for
      // another at random.
      const leave = -Math.expm1(-stepSeconds / (parseDuration(g.meanDuration) as number));
      if (st.u() < leave) {
        const others = spec.regimes.length - 1;
        const pick = Math.min(others - 1, Math.floor(st.u() * others));
        st.regime = pick >= st.regime ? pick + 1 : pick;
      }
      return r;
    }
  }
}

/** The prices of a replay or bootstrap spec (resolved: the CLI reads files into `prices`). */
function seriesOf(
  spec: { prices?: readonly number[] | undefined },
  asset: string,
): readonly number[] {
  if (spec.prices === undefined)
    throw new InvalidArgumentError(
      'a replay or bootstrap needs its prices: the CLI reads `file` into them; a program resolves the file first',
      `prices.${asset}`,
    );
  return spec.prices;
}

/**
 * Exogenous price of every asset at every step 0..steps: row t, column a at [t * nAssets + a].
 * Stablecoins stay at their price; receipt tokens get NaN (their value comes from their issuer);
 * a pegged asset follows its peg, times its starting price over the peg's.
 * Each asset's draws come from its own stream `prices/<asset id>` of (seed, replicate), step by
 * step, so a path's first steps do not depend on how many steps run or on which other assets exist;
 * with `correlations`, the normal shocks of every asset with a process come from one stream
 * `prices/correlated`, mixed by the Cholesky factor (jumps and regime switches stay per asset).
 */
export function exogenousPaths(model: Model, steps: number, replicate = 0): Float64Array {
  const nA = model.assets.length;
  const out = new Float64Array((steps + 1) * nA);
  const dt = yearFraction(model.stepSeconds);
  const scenario = model.scenario;
  const steppers: Stepper[] = [];
  const path = new Float64Array(steps + 1);
  model.assets.forEach((a, ai) => {
    const spec = scenario.prices[a.id];
    out[ai] = a.kind === 'receipt' ? NaN : a.price;
    if (a.kind === 'pegged') return; // below, once its peg's path is known
    if (a.kind === 'receipt') {
      // A receipt token's value comes from its issuer: no exogenous price at any step.
      for (let t = 1; t <= steps; t++) out[t * nA + ai] = NaN;
      return;
    }
    const shocks = spec !== undefined && 'shocks' in spec ? spec.shocks : [];
    path.fill(NaN);
    path[0] = out[ai]!;
    if (spec !== undefined && 'process' in spec) {
      const start = spec.process === 'gjr-garch' ? (spec.startVolatility ?? spec.volatility) : 0;
      steppers.push({
        asset: ai,
        spec,
        u: stream(scenario.seed, `prices/${a.id}`, replicate),
        variance: start * start * dt,
        regime: 0,
      });
      return; // below, all processes step together
    }
    if (spec !== undefined && ('replay' in spec || 'bootstrap' in spec)) {
      fillSeries(
        spec,
        a.id,
        a.price,
        steps,
        stream(scenario.seed, `prices/${a.id}`, replicate),
        path,
      );
    } else {
      let p = a.price;
      for (let t = 1; t <= steps; t++) {
        for (const sh of shocks) if (sh.step === t) p *= 1 + sh.change;
        path[t] = p;
      }
    }
    for (let t = 1; t <= steps; t++) out[t * nA + ai] = check(path[t]!, a.kind, a.id, t);
  });
  stepProcesses(model, steppers, steps, dt, replicate, out);
  // A pegged asset's fundamental: its peg's path scaled by their starting prices.
  model.assets.forEach((a, ai) => {
    if (a.kind !== 'pegged') return;
    const peg = a.peg!;
    const k = a.price / model.assets[peg]!.price;
    for (let t = 0; t <= steps; t++) out[t * nA + ai] = out[t * nA + peg]! * k;
  });
  return out;
}

function check(p: number, kind: string, id: string, t: number): number {
  if (kind !== 'receipt' && !(Number.isFinite(p) && p > 0)) {
    throw new InvalidArgumentError(
      `the exogenous price leaves the positive finite numbers at step ${t}, got ${p}`,
      `prices.${id}`,
    );
  }
  return p;
}

/** Replay or bootstrap `spec` from `start` into `path[1..steps]`. */
function fillSeries(
  spec: Extract<PricePathSpec, { replay: unknown } | { bootstrap: unknown }>,
  id: string,
  start: number,
  steps: number,
  u: Uniform,
  path: Float64Array,
): void {
  if ('replay' in spec) {
    const s = seriesOf(spec.replay, id);
    if (steps > s.length - 1)
      throw new InvalidArgumentError(
        `the replay holds ${s.length} prices, ${steps} steps need ${steps + 1}`,
        `prices.${id}.replay`,
      );
    for (let t = 1; t <= steps; t++) path[t] = (start * s[t]!) / s[0]!;
    return;
  }
  const s = seriesOf(spec.bootstrap, id);
  const returns = s.slice(1).map((x, i) => Math.log(x / s[i]!));
  const L = spec.bootstrap.blockLength;
  if (L > returns.length)
    throw new InvalidArgumentError(
      `blockLength ${L} is longer than the ${returns.length} returns of the series`,
      `prices.${id}.bootstrap.blockLength`,
    );
  let p = start;
  let t = 1;
  while (t <= steps) {
    const from = Math.floor(u() * (returns.length - L + 1));
    for (let k = 0; k < L && t <= steps; k++, t++) {
      p *= Math.exp(returns[from + k]!);
      path[t] = p;
    }
  }
}

/** Step every asset with a process, with correlated normal shocks when the scenario asks. */
function stepProcesses(
  model: Model,
  steppers: Stepper[],
  steps: number,
  dt: number,
  replicate: number,
  out: Float64Array,
): void {
  if (steppers.length === 0) return;
  const nA = model.assets.length;
  const scenario = model.scenario;
  const correlated = scenario.correlations.length > 0;
  const chol = correlated ? choleskyOf(model, steppers) : undefined;
  const shared = correlated ? stream(scenario.seed, 'prices/correlated', replicate) : undefined;
  const zRaw = new Float64Array(steppers.length);
  const price = Float64Array.from(steppers, (s) => model.assets[s.asset]!.price);
  for (let t = 1; t <= steps; t++) {
    for (let i = 0; i < steppers.length; i++) zRaw[i] = normal(shared ?? steppers[i]!.u);
    steppers.forEach((st, i) => {
      let z = zRaw[i]!;
      if (chol !== undefined) {
        z = 0;
        for (let k = 0; k <= i; k++) z += chol[i]![k]! * zRaw[k]!;
      }
      price[i] = price[i]! * Math.exp(logReturn(st, z, dt, model.stepSeconds));
      const a = model.assets[st.asset]!;
      out[t * nA + st.asset] = check(price[i]!, a.kind, a.id, t);
    });
  }
}

function choleskyOf(model: Model, steppers: Stepper[]): number[][] {
  const ids = steppers.map((s) => model.assets[s.asset]!.id);
  const c: number[][] = ids.map((_, i) => ids.map((__, j) => (i === j ? 1 : 0)));
  for (const x of model.scenario.correlations) {
    const i = ids.indexOf(x.assets[0]);
    const j = ids.indexOf(x.assets[1]);
    c[i]![j] = x.rho;
    c[j]![i] = x.rho;
  }
  const l = cholesky(c);
  if (l === undefined)
    throw new InvalidArgumentError(
      'the correlations do not form a positive definite matrix',
      'correlations',
    );
  return l;
}
