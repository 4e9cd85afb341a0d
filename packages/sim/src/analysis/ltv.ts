// Risk-adjusted leverage: the highest liquidation threshold (and LTV) for one asset in one market
// whose bad debt stays under a budget at a confidence, over seeded paths, per volatility level.
import {
  buildModel,
  InvalidArgumentError,
  ScenarioError,
  validateScenario,
  type PricePathSpec,
  type Scenario,
} from '@contagion/core';
import { createRunner } from '../run/simulate.js';

/** Options of {@link ltvFrontier}. */
export interface LtvOptions {
  /** The lending market and the collateral asset whose parameters vary. */
  readonly venue: string;
  readonly asset: string;
  /** Bad debt (USD, at the market) the venue may take at the confidence level. */
  readonly budget: number;
  /** Confidence of the value at risk, in (0, 1) (default 0.95). */
  readonly confidence?: number;
  /** Seeded paths per cell (replicates 0..paths-1; default 200). */
  readonly paths: number;
  /** Annual volatilities of the asset's price process. */
  readonly volatilities: readonly number[];
  /** Liquidation thresholds to try; the LTV keeps the scenario's spread below each. */
  readonly thresholds: readonly number[];
  /** Called after each cell (for progress). */
  readonly onCell?: (done: number, total: number) => void;
}

/** One cell of the frontier: a volatility and a threshold, with the bad debt over the paths. */
export interface LtvCell {
  readonly volatility: number;
  readonly threshold: number;
  readonly ltv: number;
  /**
   * False when the threshold breaks the protocol rule threshold x (1 + bonus) <= 1, or another
   * rule of the scenario (not run; `reason` says which).
   */
  readonly feasible: boolean;
  readonly reason: string;
  readonly meanBadDebt: number;
  /** The confidence quantile of bad debt over the paths, and the mean beyond it (CVaR). */
  readonly varBadDebt: number;
  readonly cvarBadDebt: number;
  /** Share of paths with any bad debt at the venue. */
  readonly lossProbability: number;
  readonly meanLiquidations: number;
}

/** The frontier and, per volatility, the highest threshold within the budget (null: none). */
export interface LtvFrontier {
  readonly cells: readonly LtvCell[];
  readonly recommended: readonly {
    readonly volatility: number;
    readonly threshold: number | null;
    readonly ltv: number | null;
  }[];
}

/**
 * The asset's price process with its volatility set to `vol`: the same process (a GJR-GARCH starts
 * at the new level), or a GBM without drift where the file has shocks, a replay or regimes.
 */
function withVolatility(path: PricePathSpec | undefined, vol: number): PricePathSpec {
  if (path !== undefined && 'process' in path && path.process !== 'regimes') {
    const rest: Record<string, unknown> = { ...path };
    delete rest['startVolatility'];
    return { ...rest, volatility: vol } as PricePathSpec;
  }
  return { process: 'gbm', drift: 0, volatility: vol };
}

/**
 * The value at risk of `xs` at `q`: the smallest value with at least q of the paths at or below it
 * (the ceil(q n)-th smallest), and the expected shortfall (CVaR): the mean of the worst
 * ceil((1 - q) n) values.
 */
export function valueAtRisk(xs: readonly number[], q: number): { var: number; cvar: number } {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  // A tolerance: q n that rounding puts just above a whole number is that number.
  const k = Math.min(n - 1, Math.max(0, Math.ceil(q * n - 1e-9) - 1));
  // Expected shortfall: the mean of the worst ceil((1 - q) n) paths.
  const worst = Math.max(1, Math.ceil((1 - q) * n - 1e-9));
  const tail = s.slice(n - worst);
  return { var: s[k]!, cvar: tail.reduce((a, b) => a + b, 0) / tail.length };
}

function infeasible(volatility: number, threshold: number, ltv: number): LtvCell {
  return {
    volatility,
    threshold,
    ltv,
    feasible: false,
    reason: '',
    meanBadDebt: NaN,
    varBadDebt: NaN,
    cvarBadDebt: NaN,
    lossProbability: NaN,
    meanLiquidations: NaN,
  };
}

/**
 * Run every (volatility, threshold) cell over `paths` seeded paths (the same replicates in every
 * cell: common random numbers) and report the bad debt at the venue. Positions follow the scenario
 * with the cell's parameters (a population drawn at a health factor borrows more under a higher
 * threshold, as borrowers do up to a limit).
 */
export function ltvFrontier(scenario: Scenario, file: string, o: LtvOptions): LtvFrontier {
  const q = o.confidence ?? 0.95;
  if (!(q > 0 && q < 1)) throw new InvalidArgumentError(`confidence must be in (0, 1), got ${q}`);
  if (!(Number.isInteger(o.paths) && o.paths >= 1))
    throw new InvalidArgumentError(`paths must be a whole number >= 1, got ${o.paths}`);
  const v = scenario.venues.find((x) => x.id === o.venue);
  if (v === undefined || v.kind !== 'lending')
    throw new InvalidArgumentError(`${o.venue} is not a lending market of ${file}`, 'venue');
  const reserve = v.assets[o.asset];
  if (reserve?.liquidationThreshold === undefined)
    throw new InvalidArgumentError(`${o.asset} is not collateral in ${o.venue}`, 'asset');
  const kind = scenario.assets.find((a) => a.id === o.asset)?.kind;
  if (kind !== 'base')
    throw new InvalidArgumentError(
      `${o.asset} is ${kind ?? 'not an asset'}: the frontier varies the volatility of a base asset's own price path`,
      'asset',
    );
  if (o.volatilities.length === 0 || o.thresholds.length === 0)
    throw new InvalidArgumentError('give at least one volatility and one threshold');
  const spread = reserve.liquidationThreshold - (reserve.ltv ?? 0);
  const bonus = reserve.liquidationBonus ?? 0;
  const cells: LtvCell[] = [];
  const total = o.volatilities.length * o.thresholds.length;
  for (const vol of o.volatilities) {
    for (const threshold of o.thresholds) {
      const ltv = Math.max(0, threshold - spread);
      const feasible = threshold > 0 && threshold <= 1 && threshold * (1 + bonus) <= 1 + 1e-12;
      if (!feasible) {
        cells.push({ ...infeasible(vol, threshold, ltv), reason: 'threshold x (1 + bonus) > 1' });
        o.onCell?.(cells.length, total);
        continue;
      }
      const doc = {
        ...scenario,
        prices: { ...scenario.prices, [o.asset]: withVolatility(scenario.prices[o.asset], vol) },
        venues: scenario.venues.map((x) =>
          x.id !== o.venue || x.kind !== 'lending'
            ? x
            : {
                ...x,
                assets: {
                  ...x.assets,
                  [o.asset]: { ...reserve, liquidationThreshold: threshold, ltv },
                },
              },
        ),
      };
      let runner: ReturnType<typeof createRunner>;
      try {
        runner = createRunner(buildModel(validateScenario(doc, file), file));
      } catch (e) {
        // A threshold the scenario's other rules refuse (a loop's leverage past the new LTV, a
        // borrow past the reserve's cash): not run, like one past 1 / (1 + bonus).
        if (!(e instanceof ScenarioError)) throw e;
        cells.push({ ...infeasible(vol, threshold, ltv), reason: e.issues[0]?.message ?? '' });
        o.onCell?.(cells.length, total);
        continue;
      }
      const bad: number[] = [];
      let liquidations = 0;
      for (let i = 0; i < o.paths; i++) {
        const s = runner.run({ replicate: i, record: false }).summary;
        bad.push(s.badDebt.byVenue[o.venue] ?? 0);
        liquidations += s.liquidations.byVenue[o.venue]?.count ?? 0;
      }
      const risk = valueAtRisk(bad, q);
      cells.push({
        volatility: vol,
        threshold,
        ltv,
        feasible,
        meanBadDebt: bad.reduce((a, b) => a + b, 0) / bad.length,
        varBadDebt: risk.var,
        cvarBadDebt: risk.cvar,
        lossProbability: bad.filter((x) => x > 0).length / bad.length,
        meanLiquidations: liquidations / o.paths,
        reason: '',
      });
      o.onCell?.(cells.length, total);
    }
  }
  const recommended = o.volatilities.map((vol) => {
    const ok = cells.filter((c) => c.volatility === vol && c.feasible && c.varBadDebt <= o.budget);
    const best = ok.reduce<LtvCell | undefined>(
      (b, c) => (b === undefined || c.threshold > b.threshold ? c : b),
      undefined,
    );
    return {
      volatility: vol,
      threshold: best?.threshold ?? null,
      ltv: best?.ltv ?? null,
    };
  });
  return { cells, recommended };
}
