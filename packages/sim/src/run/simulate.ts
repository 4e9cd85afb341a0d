// Run a model: reset the state, advance step by step, record rows and events, compute the summary.
import {
  collateralGraph,
  InvalidArgumentError,
  poolPricedSide,
  poolSpotOf,
  stream,
  type Model,
} from '@contagion/core';
import { auditConservation, ledger, type ConservationAudit } from '../audit/conservation.js';
import { CHANNELS, EventLog } from '../events/event-log.js';
import { exchangeRate, reserveDebt } from '../lending/reserve.js';
import { refreshWeights } from '../oracles/oracle.js';
import { exogenousPaths } from '../prices/exogenous.js';
import { refreshMarketPrice } from '../prices/market.js';
import { createTally } from '../metrics/tally.js';
import {
  priceRows,
  stepRows,
  systemLeverage,
  type PriceRow,
  type StepRow,
} from '../metrics/steps.js';
import {
  channelTable,
  type CdpMetrics,
  type OptionsMetrics,
  type ChannelMetrics,
  type PegMetrics,
  type PerpMetrics,
  type PriceMetrics,
  type ReserveBadDebt,
  type Summary,
} from '../metrics/summary.js';
import { reach } from '../metrics/reach.js';
import {
  networkRows,
  networkTables,
  type NetworkRow,
  type NetworkTables,
} from '../metrics/network.js';
import { compile, resetState, type SimState } from '../state/state.js';
import type { RunContext } from './context.js';
import { advance, closeOracles, recordHistory, refreshReceiptPrices } from './step.js';
import { Troughs } from './troughs.js';
import { agentTables } from '../agents/agents.js';
import { networkMeasures } from '../networks/defi.js';
import { openInterest, refreshPerp, type PerpState } from '../perps/perp.js';
import {
  hedgeImpact,
  startOptions,
  writersByGroup,
  writersExposure,
  type OptionsState,
} from '../options/options.js';

/** The engine's version, recorded in every output. */
export const ENGINE_VERSION = '0.1.0';

/** Options of a run. */
export interface SimulateOptions {
  /** Steps to run (default: the scenario's). */
  readonly steps?: number;
  /** Replicate number: price and agent streams derive from (seed, replicate). Default 0. */
  readonly replicate?: number;
  /** Hash of the resolved scenario, recorded in the summary (default empty). */
  readonly scenarioHash?: string;
  /** Audit conservation after every step too (throws nothing; the worst step is reported). */
  readonly auditEachStep?: boolean;
  /**
   * Sum the audit's ledgers exactly in decimals (default true); false sums them in compensated
   * floats, within about 1e-16 of the gross holdings, which sweeps use for speed.
   */
  readonly exactAudit?: boolean;
  /**
   * Add the literature's measures on the collateral graph to the summary: DebtRank per venue and
   * the clearing vector at the shocked prices (default false).
   */
  readonly networkMeasures?: boolean;
  /** Keep per-step rows and price rows (default true; sweeps turn it off). */
  readonly record?: boolean;
  /** Materiality of reach: share of a venue's starting value (default 0.001). */
  readonly materiality?: number;
  /**
   * Also keep network rows (network.csv, for pictures): a pass over every position per step.
   * Default false; needs `record`.
   */
  readonly network?: boolean;
  /**
   * Network rows list accounts one by one up to this many accounts, else clusters of a group per
   * market, like graph.json (default 50).
   */
  readonly individualAccountsUpTo?: number;
  /** Called after each step. */
  readonly onStep?: (step: number, steps: number) => void;
}

/** What a run returns. */
export interface SimulationResult {
  readonly model: Model;
  readonly summary: Summary;
  readonly steps: readonly StepRow[];
  readonly prices: readonly PriceRow[];
  /** Per step from 0: the graph's account nodes by market and health band (empty unless `network`). */
  readonly network: readonly NetworkRow[];
  /**
   * The liquidation events. A runner reuses its log: the next `run()` of the same runner clears it,
   * so read (or copy) a result's events before running again.
   */
  readonly events: EventLog;
  /** Worst conservation audit over steps when `auditEachStep`, else the final one. */
  readonly worstStepAudit: ConservationAudit;
}

/** Index of the account behind event `e` of a result (the log stores the market and book row). */
export function eventAccount(result: SimulationResult, e: number): number {
  const log = result.events;
  const m = log.int.market[e]!;
  const { books, perpBooks } = result.model;
  const book = m < books.length ? books[m]! : perpBooks[m - books.length]!;
  return book.account[log.int.row[e]!]!;
}

/** Venue ids as event `market` numbers name them: lending markets and CDPs, then perp venues. */
export function eventVenues(model: Model): string[] {
  return [...model.markets.map((m) => m.id), ...model.perps.map((p) => p.id)];
}

/**
 * A reusable runner: compiles once, resets its buffers for each run. After `run()`, `state` holds
 * the end state of that run; a result's `events` stay valid until the next `run()`.
 */
export interface Runner {
  readonly state: SimState;
  run(options?: SimulateOptions): SimulationResult;
}

interface Resolved extends SimulateOptions {
  readonly replicate: number;
  readonly scenarioHash: string;
  readonly auditEachStep: boolean;
  readonly exactAudit: boolean;
  readonly record: boolean;
  readonly materiality: number;
}

const DEFAULTS: Readonly<Resolved> = Object.freeze({
  replicate: 0,
  scenarioHash: '',
  auditEachStep: false,
  exactAudit: true,
  record: true,
  materiality: 0.001,
});

function nodeMajor(): number {
  const v = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  return v === undefined ? 0 : Number(v.split('.')[0]);
}

/** The buffers of a context for `steps` steps; `startRun` then sets what each run draws afresh. */
function makeContext(state: SimState, steps: number): RunContext {
  const model = state.model;
  const rows = state.markets.reduce((s, m) => s + m.rows, 0);
  const nA = model.assets.length;
  const stable = model.assets.findIndex((a) => a.kind === 'stable');
  return {
    state,
    steps,
    step: 0,
    round: 0,
    exoPath: new Float64Array(0),
    marketHist: new Float64Array((steps + 1) * nA),
    poolHist: new Float64Array((steps + 1) * model.pools.length),
    oracleHist: state.markets.map((m) => new Float64Array((steps + 1) * m.info.reserves.length)),
    // A stableswap spot takes a Newton solve: the starting ones are read often, so once here.
    poolStartSpot: Float64Array.from(
      model.pools.flatMap((p) => [poolSpotOf(p, 0), poolSpotOf(p, 1)]),
    ),
    agents: () => 0,
    log: new EventLog(Math.min(1 << 20, Math.max(1024, rows))),
    exoCollW: state.markets.map((m) => new Float64Array(m.info.collReserves.length)),
    exoDebtW: state.markets.map((m) => new Float64Array(m.info.debtReserves.length)),
    pxCollW: state.markets.map((m) => new Float64Array(m.info.collReserves.length)),
    pxDebtW: state.markets.map((m) => new Float64Array(m.info.debtReserves.length)),
    ...groupTable(state),
    venueGraph: collateralGraph(model, { venuesOnly: true }),
    liquidatorOrder: Int32Array.from(model.liquidators, (_, i) => i),
    liquidatorCursor: 0,
    numeraireStable: stable,
    tally: createTally(model.markets.length, nA),
    afterRound: () => {},
    gasUsd: 0,
    agentRows: agentTables(state),
  };
}

function groupTable(state: SimState): Pick<RunContext, 'groupMarket' | 'groupIndex' | 'groupBase'> {
  const market: number[] = [];
  const index: number[] = [];
  const base = state.markets.map((ms) => {
    const first = market.length;
    ms.groups.forEach((_, gi) => {
      market.push(ms.index);
      index.push(gi);
    });
    return first;
  });
  return {
    groupMarket: Int32Array.from(market),
    groupIndex: Int32Array.from(index),
    groupBase: Int32Array.from(base),
  };
}

/** Compile `model` once and return a runner that can run it many times. */
export function createRunner(model: Model): Runner {
  const state = compile(model);
  let ctx: RunContext | undefined;
  // Row -> node tables of network rows: the book's rows do not move between runs, so build once.
  let tables: { upTo: number | undefined; tables: NetworkTables } | undefined;
  const tablesFor = (upTo: number | undefined): NetworkTables => {
    if (tables === undefined || tables.upTo !== upTo)
      tables = { upTo, tables: networkTables(state, upTo) };
    return tables.tables;
  };
  return {
    state,
    run(options: SimulateOptions = {}): SimulationResult {
      const o: Resolved = { ...DEFAULTS, ...options };
      const steps = o.steps ?? model.scenario.steps;
      for (const [name, x] of [
        ['steps', steps],
        ['replicate', o.replicate],
      ] as const) {
        if (!Number.isInteger(x) || x < 0) {
          throw new InvalidArgumentError(`${name} must be a whole number >= 0, got ${String(x)}`);
        }
      }
      resetState(state);
      if (ctx === undefined || ctx.steps !== steps) ctx = makeContext(state, steps);
      startRun(ctx, o.replicate);
      const net = o.record && o.network === true ? tablesFor(o.individualAccountsUpTo) : undefined;
      return execute(ctx, o, steps, net);
    },
  };
}

/** Per-run fields of a context: the replicate's price paths and agent stream, a clear log and tally. */
function startRun(ctx: RunContext, replicate: number): void {
  const model = ctx.state.model;
  ctx.exoPath = exogenousPaths(model, ctx.steps, replicate);
  ctx.agents = stream(model.scenario.seed, 'agents', replicate);
  ctx.log.clear();
  ctx.step = 0;
  ctx.round = 0;
  ctx.liquidatorOrder.forEach((_, i) => (ctx.liquidatorOrder[i] = i));
  ctx.liquidatorCursor = 0;
  ctx.tally = createTally(model.markets.length, model.assets.length);
}

/** Run `model` once (compiles a fresh state). */
export function simulate(model: Model, options: SimulateOptions = {}): SimulationResult {
  return createRunner(model).run(options);
}

function execute(
  ctx: RunContext,
  o: Resolved,
  steps: number,
  tables: NetworkTables | undefined,
): SimulationResult {
  const { state } = ctx;
  const model = state.model;
  const nA = model.assets.length;
  for (let a = 0; a < nA; a++)
    if (model.assets[a]!.kind !== 'receipt') refreshMarketPrice(state, a);
  refreshReceiptPrices(ctx);
  recordHistory(ctx);
  for (const ms of state.markets) refreshWeights(ctx, ms);
  closeOracles(ctx);
  for (const ps of state.perps) refreshPerp(state, ps, 0);
  for (const os of state.options) startOptions(state, os);
  const startLedger = ledger(state);
  const troughs = new Troughs(ctx);
  troughs.observe(ctx);
  ctx.afterRound = () => troughs.observe(ctx);
  const rows: StepRow[] = [];
  const prices: PriceRow[] = [];
  const network: NetworkRow[] = [];
  const step0 = stepRows(ctx);
  if (o.record) {
    rows.push(...step0);
    prices.push(...priceRows(ctx));
  }
  if (tables !== undefined) network.push(...networkRows(state, tables, 0));
  const start: Start = {
    values: startValues(state),
    rates: receiptRates(state),
    oracle: state.markets.map((ms) => Float64Array.from(ms.price)),
    system: step0[step0.length - 1]!,
    cdpDebt: state.markets.map((ms) =>
      ms.info.cdp === undefined ? 0 : reserveDebt(ms, ms.info.cdp.stableReserve),
    ),
    perps: state.perps.map((ps) => ({
      openInterest: openInterest(ps),
      mark: ps.mark,
      index: ps.indexPrice,
    })),
  };
  let peak = start.system.systemLeverage;
  // Gross leverage is measured on kept rows (it needs a pass over perp positions) and at the end.
  let grossPeak = start.system.grossLeverage;
  let worst: ConservationAudit | undefined;
  let last = step0;
  for (let t = 1; t <= steps; t++) {
    ctx.step = t;
    advance(ctx, troughs);
    // The latent figure needs a pass over the scan region: only for kept rows and the last step.
    // Steps whose rows are not kept feed only the leverage peaks.
    let sysLev: number;
    let grossLev: number;
    if (o.record || t === steps) {
      last = stepRows(ctx, true);
      const sys = last[last.length - 1]!;
      sysLev = sys.systemLeverage;
      grossLev = sys.grossLeverage;
    } else ({ system: sysLev, gross: grossLev } = systemLeverage(ctx));
    if (sysLev > peak) peak = sysLev;
    if (grossLev > grossPeak || Number.isNaN(grossPeak)) grossPeak = grossLev;
    if (o.record) {
      rows.push(...last);
      prices.push(...priceRows(ctx));
    }
    if (tables !== undefined) network.push(...networkRows(state, tables, t));
    if (o.auditEachStep) {
      const a = auditConservation(startLedger, state, t, o.exactAudit);
      if (worst === undefined || a.maxRelativeError > worst.maxRelativeError) worst = a;
    }
    o.onStep?.(t, steps);
  }
  const final = auditConservation(startLedger, state, steps, o.exactAudit);
  // With a per-step audit, the summary reports the worst step (the final audit when none is worse).
  const audit =
    worst !== undefined && worst.maxRelativeError > final.maxRelativeError ? worst : final;
  const base = summarise(ctx, o, steps, troughs, audit, start, last, peak, grossPeak);
  const summary =
    o.networkMeasures === true
      ? {
          ...base,
          networkMeasures: networkMeasures(
            model,
            model.assets.map((a) => a.price),
            ctx.exoPath.subarray(steps * nA, (steps + 1) * nA),
          ),
        }
      : base;
  return {
    model,
    summary,
    steps: rows,
    prices,
    network,
    events: ctx.log,
    worstStepAudit: audit,
  };
}

/** What the summary compares the end with, taken at step 0. */
interface Start {
  /** Per market: supplied plus pledged value (USD), the base of the materiality threshold. */
  readonly values: number[];
  /** Receipt token id -> exchange rate. */
  readonly rates: Map<string, number>;
  /** Per market, per reserve: the oracle price. */
  readonly oracle: Float64Array[];
  /** The `system` row of step 0. */
  readonly system: StepRow;
  /** Per market: a CDP's stablecoin debt at step 0 (0 for lending markets). */
  readonly cdpDebt: readonly number[];
  /** Per perpetual venue: open interest, mark and index at step 0. */
  readonly perps: readonly { openInterest: number; mark: number; index: number }[];
}

/** Per market: value supplied (receipt tokens) plus collateral pledged, USD at the start. */
function startValues(state: SimState): number[] {
  return state.markets.map((ms) => {
    let v = 0;
    ms.info.reserves.forEach((r, ri) => {
      if (r.debtSlot >= 0) v += ms.receiptSupply[ri]! * exchangeRate(ms, ri) * ms.price[ri]!;
      if (r.collSlot >= 0) v += ms.custody[r.collSlot]! * ms.price[ri]!;
    });
    return v;
  });
}

function receiptRates(state: SimState): Map<string, number> {
  const out = new Map<string, number>();
  state.model.assets.forEach((a) => {
    if (a.kind === 'receipt')
      out.set(a.id, exchangeRate(state.markets[a.issuer!]!, a.issuerReserve!));
  });
  return out;
}

function drawdown(start: number, trough: number): number {
  return start > 0 ? Math.max(0, 1 - trough / start) : 0;
}

function summarise(
  ctx: RunContext,
  o: Resolved,
  steps: number,
  troughs: Troughs,
  audit: ConservationAudit,
  start0: Start,
  last: StepRow[],
  peak: number,
  grossPeak: number,
): Summary {
  const { state, tally: t } = ctx;
  const model = state.model;
  const nA = model.assets.length;
  const prices: Record<string, PriceMetrics> = {};
  const shocked: number[] = [];
  model.assets.forEach((a, ai) => {
    if (a.kind !== 'base' && a.kind !== 'pegged') return;
    const start = ctx.exoPath[ai]!;
    let exoTrough = start;
    for (let s = 0; s <= steps; s++) exoTrough = Math.min(exoTrough, ctx.exoPath[s * nA + ai]!);
    const exoDD = drawdown(start, exoTrough);
    if (exoDD > 0) shocked.push(ai);
    const realDD = drawdown(start, troughs.market[ai]!);
    const pools: Record<string, number> = {};
    model.pools.forEach((p, pi) => {
      const side = poolPricedSide(p, model.assets, ai);
      if (side >= 0)
        pools[p.id] = drawdown(
          ctx.poolStartSpot[2 * pi + side]! * model.assets[p.assets[1 - side]!]!.price,
          troughs.pool[2 * pi + side]!,
        );
    });
    const oracles: Record<string, number> = {};
    state.markets.forEach((ms, mi) => {
      const ri = ms.info.reserves.findIndex((r) => r.asset === ai);
      if (ri >= 0)
        oracles[ms.info.id] = drawdown(start0.oracle[mi]![ri]!, troughs.oracle[mi]![ri]!);
    });
    prices[a.id] = {
      start,
      exogenousTrough: exoTrough,
      realisedTrough: troughs.market[ai]!,
      exogenousDrawdown: exoDD,
      realisedDrawdown: realDD,
      amplification: exoDD > 0 ? realDD / exoDD : null,
      pools,
      oracles,
    };
  });
  const pegs: Record<string, PegMetrics> = {};
  model.assets.forEach((a, ai) => {
    if (a.kind !== 'pegged' && a.kind !== 'stable') return;
    // A pegged asset against its peg (or another claim on it); a stablecoin against another
    // stablecoin (its peg is the dollar).
    const root = (x: number) => model.assets[x]!.peg ?? x;
    const pairs = (other: number) =>
      a.kind === 'pegged' ? root(other) === a.peg : model.assets[other]!.kind === 'stable';
    const pools: Record<string, { start: number; trough: number; depth: number }> = {};
    model.pools.forEach((p, pi) => {
      const side = p.assets.indexOf(ai);
      if (side < 0 || !pairs(p.assets[1 - side]!)) return;
      const trough = troughs.ratio[2 * pi + side]!;
      const start = ctx.poolStartSpot[2 * pi + side]!;
      pools[p.id] = { start, trough, depth: Math.max(0, 1 - trough) };
    });
    if (a.kind === 'stable' && Object.keys(pools).length === 0) return;
    pegs[a.id] = { peg: a.kind === 'pegged' ? model.assets[a.peg!]!.id : 'USD', pools };
  });
  const breakers: Record<string, { haltedSteps: number; firstHalt: number | null }> = {};
  for (const ms of state.markets)
    if (ms.info.circuitBreakers.length > 0)
      breakers[ms.info.id] = {
        haltedSteps: ms.haltedSteps,
        firstHalt: ms.firstHalt < 0 ? null : ms.firstHalt,
      };
  // Every asset some market takes as collateral, sold or not: the summary's keys do not depend on
  // what happened in the run (sweeps rely on it for their columns).
  const collateralSold: Record<string, { amount: number; value: number }> = {};
  const pledged = new Set(
    model.markets.flatMap((m) => m.collReserves.map((r) => m.reserves[r]!.asset)),
  );
  model.assets.forEach((a, ai) => {
    if (pledged.has(ai) || t.seizedTokens[ai]! > 0)
      collateralSold[a.id] = { amount: t.seizedTokens[ai]!, value: t.seizedTokenValue[ai]! };
  });
  const byVenue: Record<string, { count: number; notional: number }> = {};
  const badByVenue: Record<string, number> = {};
  const latent: Record<string, number> = {};
  const byReserve: Record<string, Record<string, ReserveBadDebt>> = {};
  state.markets.forEach((ms, mi) => {
    const id = ms.info.id;
    byVenue[id] = { count: t.liqCount[mi]!, notional: t.liqNotional[mi]! };
    badByVenue[id] = t.badDebtValue[mi]!;
    latent[id] = last.find((r) => r.venue === id)?.latentBadDebt ?? 0;
    const res: Record<string, ReserveBadDebt> = {};
    for (const ri of ms.info.debtReserves) {
      res[model.assets[ms.info.reserves[ri]!.asset]!.id] = {
        booked: ms.badDebtBooked[ri]!,
        coveredByTreasury: ms.badDebtCovered[ri]!,
        socialised: ms.badDebtSocialised[ri]!,
        deficit: ms.deficit[ri]!,
        latent: ms.badDebtLatent[ri]!,
      };
    }
    byReserve[id] = res;
  });
  for (const os of state.options) {
    if (os.info.writers.rows === 0) continue;
    const q = state.marketPrice[os.info.quote]!;
    byVenue[os.info.id] = { count: os.writerLiquidations, notional: os.writerBoughtBack * q };
    badByVenue[os.info.id] = os.deficit * q;
  }
  const perps: Record<string, PerpMetrics> = {};
  state.perps.forEach((ps, pi) => {
    const q = state.marketPrice[ps.info.quote]!;
    const m = perpMetrics(state, ps, start0.perps[pi]!);
    perps[ps.info.id] = m;
    byVenue[ps.info.id] = { count: m.liquidations.count, notional: m.liquidations.notional * q };
    badByVenue[ps.info.id] = m.deficit * q;
  });
  const nM = model.markets.length;
  const reached = reach(
    model,
    shocked,
    (m, c) =>
      m < nM
        ? t.channelLiq[m * 3 + c]! + t.channelBad[m * 3 + c]!
        : state.perps[m - nM]!.total.channelLiq[c]! + state.perps[m - nM]!.total.channelBad[c]!,
    Array.from(t.badDebtValue),
    [
      ...start0.values,
      ...state.perps.map(
        (ps, pi) => start0.perps[pi]!.openInterest * state.marketPrice[ps.info.quote]!,
      ),
    ],
    o.materiality,
    ctx.venueGraph,
  );
  const unredeemed: Record<string, number> = {};
  model.assets.forEach((a, ai) => {
    if (a.kind === 'receipt') unredeemed[a.id] = t.unredeemed[ai]!;
  });
  const rates: Record<string, { start: number; end: number | null }> = {};
  for (const [id, r] of start0.rates) {
    const a = model.assets[model.assetIndex.get(id)!]!;
    // With every token redeemed there is no rate left to report (the formula's 1 would mislead).
    const issuer = state.markets[a.issuer!]!;
    const left = issuer.receiptSupply[a.issuerReserve!]! > 0;
    rates[id] = { start: r, end: left ? exchangeRate(issuer, a.issuerReserve!) : null };
  }
  const sysEnd = last[last.length - 1]!;
  return {
    scenario: { name: model.scenario.name, hash: o.scenarioHash },
    seed: model.scenario.seed,
    version: ENGINE_VERSION,
    nodeMajor: nodeMajor(),
    steps,
    stepLength: model.scenario.step,
    accounts: model.accountCount,
    positions: state.markets.reduce((s, m) => s + m.rows, 0) + perpSum(state, (ps) => ps.rows),
    liquidations: {
      count:
        sum(t.liqCount) +
        perpSum(state, (ps) => ps.total.liquidations) +
        state.options.reduce((x, os) => x + os.writerLiquidations, 0),
      notional:
        sum(t.liqNotional) +
        perpSum(state, (ps) => ps.total.liquidatedNotional * state.marketPrice[ps.info.quote]!) +
        state.options.reduce(
          (x, os) => x + os.writerBoughtBack * state.marketPrice[os.info.quote]!,
          0,
        ),
      collateralSold,
      byVenue,
      untakenAtEnd: sysEnd.untaken,
      gasUsd: t.gasUsd,
    },
    rounds: t.rounds,
    waves: t.waves,
    roundCapHits: t.roundCapHits,
    maxRoundsInStep: t.maxRoundsInStep,
    agents: {
      sells: t.agentSells,
      repaidUsd: t.agentRepaidUsd,
      levers: t.agentLevers,
      borrowedUsd: t.agentBorrowedUsd,
    },
    prices,
    perps,
    cdps: cdpMetrics(state, start0),
    options: Object.fromEntries(state.options.map((os) => [os.info.id, optionsMetrics(state, os)])),
    pegs,
    circuitBreakers: breakers,
    badDebt: {
      total:
        sum(t.badDebtValue) +
        perpSum(state, (ps) => ps.total.deficit * state.marketPrice[ps.info.quote]!) +
        state.options.reduce((x, os) => x + os.deficit * state.marketPrice[os.info.quote]!, 0),
      byVenue: badByVenue,
      latent,
      byReserve,
    },
    byChannel: { ...channelTable(model, t.channelLiq, t.channelBad), ...perpChannels(state) },
    reach: {
      venuesReached: reached.map((r) => r.venue),
      contagionDepth: reached.reduce((d, r) => Math.max(d, r.depth), 0),
      materiality: o.materiality,
      venues: reached,
    },
    leverage: {
      system: { start: start0.system.systemLeverage, end: sysEnd.systemLeverage, peak },
      gross: {
        start: start0.system.grossLeverage,
        end: sysEnd.grossLeverage,
        peak: grossPeak,
      },
      delta: { start: start0.system.deltaExposure, end: sysEnd.deltaExposure },
      vega: { start: start0.system.vegaExposure, end: sysEnd.vegaExposure },
      rehypothecation: {
        start: start0.system.rehypothecationMultiplier,
        end: sysEnd.rehypothecationMultiplier,
      },
    },
    liquidity: { unredeemed },
    receiptRates: rates,
    conservation: audit,
  };
}

/** One options venue over the run (USD unless named). */
function optionsMetrics(state: SimState, os: OptionsState): OptionsMetrics {
  const [wGamma, wVega, wTheta] = writersExposure(state, os, state.model.scenario.steps);
  return {
    asset: state.model.assets[os.info.asset]!.id,
    dealers: os.info.dealers.length,
    gammaExposure: { start: os.startGammaUsd, end: os.gammaUsd, min: os.minGammaUsd },
    vegaExposure: { start: os.startVegaUsd, end: os.vegaUsd },
    thetaPerDay: { start: os.startThetaUsd, end: os.thetaUsd },
    atmVol: { start: os.info.smile.atm, end: os.atm },
    realisedVol: { start: os.info.smile.atm, end: os.realisedVol, max: os.maxRealisedVol },
    hedgeVolume: os.hedgeVolumeUsd,
    hedgeNet: os.hedgeNet,
    hedgeImpact: { end: hedgeImpact(state, os), max: os.maxHedgeImpact },
    writers: {
      positions: os.info.writers.rows,
      liquidations: os.writerLiquidations,
      boughtBack: os.writerBoughtBack,
      deficit: os.deficit,
      premiums: os.premiums,
      payouts: os.payouts,
      netIncome: os.premiums - os.payouts,
      rolls: os.rolls,
      gammaExposure: { start: os.writersStartGammaUsd, end: wGamma },
      vegaExposure: { start: os.writersStartVegaUsd, end: wVega },
      thetaPerDay: { start: os.writersStartThetaUsd, end: wTheta },
      byGroup: writersByGroup(state, os),
    },
  };
}

/** Per CDP: debt, penalties, surplus and what the auctions left short (stablecoin units). */
function cdpMetrics(state: SimState, start: Start): Record<string, CdpMetrics> {
  const out: Record<string, CdpMetrics> = {};
  for (const ms of state.markets) {
    const cdp = ms.info.cdp;
    if (cdp === undefined) continue;
    const r = cdp.stableReserve;
    out[ms.info.id] = {
      stablecoin: state.model.assets[ms.info.reserves[r]!.asset]!.id,
      debt: { start: start.cdpDebt[ms.index]!, end: reserveDebt(ms, r) },
      debtCeiling: ms.info.reserves[r]!.borrowCap,
      penaltyIncome: ms.penaltyIncome[r]!,
      surplus: { start: cdp.surplusBuffer, end: ms.surplus[r]! },
      auctionShortfall: ms.badDebtBooked[r]!,
      coveredBySurplus: ms.badDebtCovered[r]!,
      deficit: ms.deficit[r]!,
    };
  }
  return out;
}

/** byChannel rows of the perpetual venues (USD). */
function perpChannels(state: SimState): Record<string, Record<string, ChannelMetrics>> {
  const out: Record<string, Record<string, ChannelMetrics>> = {};
  for (const ps of state.perps) {
    const row: Record<string, ChannelMetrics> = {};
    CHANNELS.forEach((c, k) => {
      row[c] = { liquidated: ps.total.channelLiq[k]!, badDebt: ps.total.channelBad[k]! };
    });
    out[ps.info.id] = row;
  }
  return out;
}

function perpSum(state: SimState, f: (ps: PerpState) => number): number {
  let s = 0;
  for (const ps of state.perps) s += f(ps);
  return s;
}

function perpMetrics(
  state: SimState,
  ps: PerpState,
  start: { openInterest: number; mark: number; index: number },
): PerpMetrics {
  const t = ps.total;
  const assets = state.model.assets;
  const collateralSold: Record<string, { amount: number; proceeds: number }> = {};
  ps.info.collateral.forEach((c, k) => {
    collateralSold[assets[c.asset]!.id] = {
      amount: t.collSold[k]!,
      proceeds: t.collProceeds[k]!,
    };
  });
  return {
    asset: assets[ps.info.asset]!.id,
    quote: assets[ps.info.quote]!.id,
    liquidations: { count: t.liquidations, notional: t.liquidatedNotional },
    insuranceFund: {
      start: ps.info.insuranceFund,
      end: ps.insurance,
      drawn: t.insuranceDrawn,
      fees: t.insuranceFees,
    },
    adl: { count: t.adlCount, notional: t.adlNotional, lossVsMark: t.adlLoss },
    fundingPaid: t.fundingPaid,
    deficit: t.deficit,
    openInterest: { start: start.openInterest, end: openInterest(ps) },
    mark: { start: start.mark, trough: ps.markTrough, end: ps.mark },
    index: { start: start.index, trough: ps.indexTrough, end: ps.indexPrice },
    collateralSold,
  };
}

function sum(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
