// Checks that need the whole scenario: references between ids, protocol parameter rules, feasibility.
import { quote } from '../errors.js';
import { maxLeverageExact } from '../math/leverage.js';
import { dec } from '../numeric/decimal.js';
import { receiptId } from '../model/ids.js';
import { parseDuration } from '../numeric/duration.js';
import type { RawPath } from './paths.js';
import type {
  CdpSpec,
  LendingSpec,
  OptionsSpec,
  PerpSpec,
  ReserveSpec,
  Scenario,
} from './schema.js';
import { cdpAsLending } from './cdp.js';

/** Venue ids that outputs use for other things (price sources in prices.csv). */
export const RESERVED_VENUE_IDS: readonly string[] = ['exogenous', 'market'];

/** A problem with its raw path (formatted by the loader). */
export interface RawIssue {
  readonly path: RawPath;
  readonly message: string;
}

interface Known {
  readonly assets: Map<string, 'base' | 'stable' | 'pegged' | 'receipt'>;
  /** Lending markets, and CDPs as the lending markets they run as. */
  readonly lending: Map<string, LendingSpec>;
  readonly cdps: Map<string, CdpSpec>;
  readonly options: Map<string, OptionsSpec>;
  readonly perps: Map<string, PerpSpec>;
  readonly pools: Set<string>;
  /** pool id -> the two assets it holds */
  readonly poolHoldings: Map<string, readonly string[]>;
  /** receipt id -> [issuing venue, underlying asset] */
  readonly receipts: Map<string, readonly [string, string]>;
}

function collect(s: Scenario, out: RawIssue[]): Known {
  const assets = new Map<string, 'base' | 'stable' | 'pegged' | 'receipt'>();
  s.assets.forEach((a, i) => {
    if (assets.has(a.id))
      out.push({
        path: ['assets', i, 'id'],
        message: `duplicate asset id ${quote(a.id)} (entry ${i})`,
      });
    assets.set(a.id, a.kind);
  });
  const venueIds = new Set<string>();
  const lending = new Map<string, LendingSpec>();
  const perps = new Map<string, PerpSpec>();
  const cdps = new Map<string, CdpSpec>();
  const options = new Map<string, OptionsSpec>();
  const pools = new Set<string>();
  const receipts = new Map<string, readonly [string, string]>();
  s.venues.forEach((v, i) => {
    if (venueIds.has(v.id) || assets.has(v.id)) {
      out.push({ path: ['venues', i, 'id'], message: `duplicate id ${quote(v.id)} (entry ${i})` });
    }
    // prices.csv names its sources by venue id beside these two words; a venue may not take them.
    if (RESERVED_VENUE_IDS.includes(v.id)) {
      out.push({
        path: ['venues', i, 'id'],
        message: `${quote(v.id)} is reserved (a price source in the outputs): choose another venue id`,
      });
    }
    venueIds.add(v.id);
    if (v.kind === 'lending') {
      lending.set(v.id, v);
      for (const [a, r] of Object.entries(v.assets)) {
        if (!r.borrowable) continue;
        const rid = receiptId(a, v.id);
        if (assets.has(rid)) {
          out.push({
            path: ['venues', i, 'assets', a],
            message: `receipt token ${quote(rid)} clashes with an asset id`,
          });
        }
        receipts.set(rid, [v.id, a]);
      }
    } else if (v.kind === 'perp') perps.set(v.id, v);
    else if (v.kind === 'options') options.set(v.id, v);
    else if (v.kind === 'cdp') {
      cdps.set(v.id, v);
      lending.set(v.id, cdpAsLending(v));
    } else pools.add(v.id);
  });
  for (const rid of receipts.keys()) assets.set(rid, 'receipt');
  checkPegs(s, assets, out);
  const poolHoldings = new Map<string, readonly string[]>();
  for (const v of s.venues)
    if (v.kind === 'constant-product' || v.kind === 'stableswap')
      poolHoldings.set(v.id, Object.keys(v.holdings));
  return { assets, lending, cdps, options, perps, pools, receipts, poolHoldings };
}

/** A pegged asset names the base or stable asset it is a claim on; no other asset names one. */
function checkPegs(s: Scenario, assets: Known['assets'], out: RawIssue[]): void {
  s.assets.forEach((a, i) => {
    if (a.kind !== 'pegged') {
      if (a.peg !== undefined)
        out.push({
          path: ['assets', i, 'peg'],
          message: `only a pegged asset has a peg (this one is ${a.kind})`,
        });
      return;
    }
    const peg = a.peg === undefined ? undefined : assets.get(a.peg);
    if (a.peg === undefined)
      out.push({ path: ['assets', i, 'peg'], message: 'a pegged asset names its peg asset' });
    else if (peg !== 'base' && peg !== 'stable')
      out.push({
        path: ['assets', i, 'peg'],
        message: `must name a base or stable asset, got ${quote(a.peg)}`,
      });
  });
}

/**
 * A stableswap pool trades at par in token units: its two assets must be worth the same at the
 * start (a pegged asset and its peg at the peg's price, two stablecoins, two claims on one asset).
 */
function checkParPair(
  s: Scenario,
  v: Extract<Scenario['venues'][number], { kind: 'stableswap' }>,
  vi: number,
  k: Known,
  out: RawIssue[],
): void {
  const ids = Object.keys(v.holdings);
  if (ids.some((a) => !k.assets.has(a) || k.assets.get(a) === 'receipt')) return;
  const spec = (a: string) => s.assets.find((x) => x.id === a)!;
  const [a, b] = ids.map(spec) as [Scenario['assets'][number], Scenario['assets'][number]];
  const root = (x: Scenario['assets'][number]) => (x.kind === 'pegged' ? x.peg : x.id);
  const par =
    a.price === b.price &&
    ((a.kind === 'stable' && b.kind === 'stable') ||
      (root(a) === root(b) && (a.kind === 'pegged' || b.kind === 'pegged')));
  if (!par)
    out.push({
      path: ['venues', vi, 'holdings'],
      message: `a stableswap pool pairs assets that trade 1:1 (two stablecoins, or a pegged asset with its peg or another claim on it, at one price), got ${quote(a.id)} (${a.kind}, ${a.price}) and ${quote(b.id)} (${b.kind}, ${b.price})`,
    });
}

function checkReserve(
  vi: number,
  v: LendingSpec,
  a: string,
  r: ReserveSpec,
  k: Known,
  out: RawIssue[],
): void {
  const at = (...p: PropertyKey[]): RawPath => ['venues', vi, 'assets', a, ...p];
  const kind = k.assets.get(a);
  if (kind === undefined) {
    out.push({ path: ['venues', vi, 'assets', a], message: `unknown asset ${quote(a)}` });
    return;
  }
  const collateral = r.liquidationThreshold !== undefined;
  if (!collateral && !r.borrowable) {
    out.push({
      path: at(),
      message: 'is neither collateral (liquidationThreshold) nor borrowable',
    });
  }
  if (collateral) {
    if (r.ltv === undefined)
      out.push({ path: at('ltv'), message: 'is required for a collateral asset' });
    if (r.liquidationBonus === undefined) {
      out.push({ path: at('liquidationBonus'), message: 'is required for a collateral asset' });
    }
    const lt = r.liquidationThreshold as number;
    if (r.ltv !== undefined && r.ltv > lt) {
      out.push({
        path: at('ltv'),
        message: `must be <= liquidationThreshold (${lt}), got ${r.ltv}`,
      });
    }
    if (r.liquidationBonus !== undefined && lt * (1 + r.liquidationBonus) > 1 + 1e-12) {
      out.push({
        path: at('liquidationBonus'),
        message: `liquidationThreshold x (1 + liquidationBonus) must be <= 1 (else liquidation cannot pay the bonus before the position is underwater), got ${lt} x ${1 + r.liquidationBonus}`,
      });
    }
  } else {
    for (const f of ['ltv', 'liquidationBonus'] as const) {
      if (r[f] !== undefined)
        out.push({ path: at(f), message: 'needs liquidationThreshold (a collateral asset)' });
    }
  }
  if (r.borrowable && kind === 'receipt') {
    out.push({
      path: at('borrowable'),
      message: `a receipt token cannot be borrowed, got ${quote(a)}`,
    });
  }
  const issuer = k.receipts.get(a);
  if (issuer !== undefined && issuer[0] === v.id) {
    out.push({
      path: at(),
      message: `a market cannot take its own receipt token ${quote(a)} as collateral`,
    });
  }
}

function checkHoldings(
  h: Readonly<Record<string, number>>,
  path: RawPath,
  k: Known,
  out: RawIssue[],
  allowReceipt = false,
): void {
  for (const a of Object.keys(h)) {
    const kind = k.assets.get(a);
    if (kind === undefined || (!allowReceipt && kind === 'receipt')) {
      out.push({ path: [...path, a], message: `unknown asset ${quote(a)}` });
    }
  }
}

function lendingAt(
  k: Known,
  venue: string,
  path: RawPath,
  out: RawIssue[],
): LendingSpec | undefined {
  const m = k.lending.get(venue);
  if (m === undefined) {
    out.push({ path, message: `must name a lending market, got ${quote(venue)}` });
  }
  return m;
}

function reserveIs(
  m: LendingSpec,
  asset: string,
  role: 'collateral' | 'borrowable',
  path: RawPath,
  out: RawIssue[],
): boolean {
  const r = m.assets[asset];
  const ok =
    r !== undefined &&
    (role === 'borrowable' ? r.borrowable : r.liquidationThreshold !== undefined);
  if (!ok) out.push({ path, message: `${quote(asset)} is not a ${role} asset of ${quote(m.id)}` });
  return ok;
}

/** Every cross-reference and protocol rule the schema alone cannot express. */
/** An oracle is a push feed or a TWAP, not both; a TWAP window is a whole number of steps. */
function checkOracle(s: Scenario, vi: number, v: LendingSpec, out: RawIssue[]): void {
  const o = v.oracle;
  if (o.push !== undefined && o.twap !== undefined) {
    out.push({
      path: ['venues', vi, 'oracle'],
      message: 'give `push` or `twap`, not both',
    });
  }
  if (v.auction !== undefined && v.auction.floor > v.auction.start)
    out.push({
      path: ['venues', vi, 'auction', 'floor'],
      message: `must be at most start (${v.auction.start}), got ${v.auction.floor}`,
    });
  (v.circuitBreakers ?? []).forEach((c, ci) => {
    const at = (...p: PropertyKey[]): RawPath => ['venues', vi, 'circuitBreakers', ci, ...p];
    const whole = (d: string | undefined, path: RawPath) => {
      if (d === undefined) return;
      const w = parseDuration(d)!;
      const step = parseDuration(s.step)!;
      if (w < step || Math.abs(w / step - Math.round(w / step)) > 1e-9)
        out.push({ path, message: `must be a whole number of steps (${s.step}), got ${quote(d)}` });
    };
    if ('drop' in c.when) whole(c.when.within, at('when', 'within'));
    else {
      if (c.for !== undefined)
        out.push({
          path: at('for'),
          message: 'a scheduled halt lasts fromStep..toStep: drop `for`',
        });
      if (c.when.toStep < c.when.fromStep)
        out.push({
          path: at('when', 'toStep'),
          message: `must be >= fromStep (${c.when.fromStep}), got ${c.when.toStep}`,
        });
    }
    whole(c.for, at('for'));
  });
  if (o.twap !== undefined) {
    const w = parseDuration(o.twap.window)!;
    const step = parseDuration(s.step)!;
    if (w < step || Math.abs(w / step - Math.round(w / step)) > 1e-9) {
      out.push({
        path: ['venues', vi, 'oracle', 'twap', 'window'],
        message: `must be a whole number of steps (${s.step}), got ${quote(o.twap.window)}`,
      });
    }
  }
}

export function checkReferences(s: Scenario): RawIssue[] {
  const out: RawIssue[] = [];
  const k = collect(s, out);
  (s.gas?.spikes ?? []).forEach((sp, i) => {
    if (sp.toStep < sp.fromStep)
      out.push({
        path: ['gas', 'spikes', i, 'toStep'],
        message: `must be >= fromStep (${sp.fromStep}), got ${sp.toStep}`,
      });
    if (sp.fromStep > s.steps)
      out.push({
        path: ['gas', 'spikes', i, 'fromStep'],
        message: `is after the last step (${s.steps}), got ${sp.fromStep}`,
      });
  });
  s.venues.forEach((v, vi) => {
    if (v.kind === 'constant-product' || v.kind === 'stableswap') {
      checkHoldings(v.holdings, ['venues', vi, 'holdings'], k, out);
      if (v.kind === 'stableswap') checkParPair(s, v, vi, k, out);
      return;
    }
    if (v.kind === 'perp') {
      checkPerp(s, v, vi, k, out);
      return;
    }
    if (v.kind === 'cdp') {
      checkCdp(s, v, vi, k, out);
      return;
    }
    if (v.kind === 'options') {
      checkOptions(s, v, vi, k, out);
      return;
    }
    for (const [a, r] of Object.entries(v.assets)) checkReserve(vi, v, a, r, k, out);
    if (v.oracle.source !== 'market' && !k.pools.has(v.oracle.source)) {
      out.push({
        path: ['venues', vi, 'oracle', 'source'],
        message: `must be "market" or a pool id, got ${quote(v.oracle.source)}`,
      });
    }
    checkOracle(s, vi, v, out);
    const full = v.closeFactor.full;
    if (full !== false && full.belowHealth > 1) {
      out.push({
        path: ['venues', vi, 'closeFactor', 'full', 'belowHealth'],
        message: `must be in (0, 1], got ${full.belowHealth}`,
      });
    }
  });
  s.arbitrageurs.forEach((a, i) => {
    if (a.capital !== 'unlimited') checkHoldings(a.capital, ['arbitrageurs', i, 'capital'], k, out);
  });
  s.liquidators.forEach((l, i) => {
    if (l.capitalEach !== 'unlimited')
      checkHoldings(l.capitalEach, ['liquidators', i, 'capitalEach'], k, out);
    if (l.sellTo !== 'market' && !k.pools.has(l.sellTo)) {
      out.push({
        path: ['liquidators', i, 'sellTo'],
        message: `must be "market" or a pool id, got ${quote(l.sellTo)}`,
      });
    }
    if (l.fundFrom !== undefined && !k.pools.has(l.fundFrom)) {
      out.push({
        path: ['liquidators', i, 'fundFrom'],
        message: `must be a pool id, got ${quote(l.fundFrom)}`,
      });
    }
    // Sales to the market (and to a pool that lacks the seized asset, which fall back to it) are
    // paid in a stablecoin.
    if (![...k.assets.values()].includes('stable')) {
      out.push({
        path: ['liquidators', i, 'sellTo'],
        message: 'liquidators are paid in a stablecoin: list one among the assets',
      });
    }
  });
  const accountIds = new Set<string>();
  s.accounts.forEach((acc, ai) => {
    if (accountIds.has(acc.id)) {
      out.push({
        path: ['accounts', ai, 'id'],
        message: `duplicate account id ${quote(acc.id)} (entry ${ai})`,
      });
    }
    accountIds.add(acc.id);
    acc.positions.forEach((p, pi) => {
      const at: RawPath = ['accounts', ai, 'positions', pi];
      if (k.perps.has(p.venue)) {
        checkPerpAccount(p, k.perps.get(p.venue)!, at, k, out);
        return;
      }
      for (const f of ['margin', 'long', 'short'] as const)
        if (p[f] !== undefined)
          out.push({
            path: [...at, f],
            message: `is for a perpetual venue; ${quote(p.venue)} is not one`,
          });
      const m = lendingAt(k, p.venue, [...at, 'venue'], out);
      if (m === undefined) return;
      if (k.cdps.has(p.venue)) checkVault(p, at, k.cdps.get(p.venue)!, out);
      for (const a of Object.keys(p.supply ?? {}))
        reserveIs(m, a, 'borrowable', [...at, 'supply', a], out);
      for (const a of Object.keys(p.deposit ?? {}))
        reserveIs(m, a, 'collateral', [...at, 'deposit', a], out);
      for (const a of Object.keys(p.borrow ?? {}))
        reserveIs(m, a, 'borrowable', [...at, 'borrow', a], out);
      const borrows = Object.values(p.borrow ?? {}).some((x) => x > 0);
      const pledges = acc.positions.some(
        (q) => q.venue === p.venue && Object.values(q.deposit ?? {}).some((x) => x > 0),
      );
      if (borrows && !pledges) {
        out.push({
          path: [...at, 'borrow'],
          message: `borrows from ${quote(p.venue)} without pledging collateral there`,
        });
      }
    });
  });
  const populationNames = new Set<string>();
  s.populations.forEach((pop, pi) => {
    if (populationNames.has(pop.name)) {
      out.push({
        path: ['populations', pi, 'name'],
        message: `duplicate population name ${quote(pop.name)} (entry ${pi}): a name seeds the population's stream and its account ids`,
      });
    }
    populationNames.add(pop.name);
    checkPopulation(pop, pi, k, out);
  });
  for (const [a, path] of Object.entries(s.prices)) {
    if (k.assets.get(a) !== 'base')
      out.push({ path: ['prices', a], message: `must name a base asset, got ${quote(a)}` });
    for (const key of ['replay', 'bootstrap'] as const) {
      if (!(key in path)) continue;
      const spec = (
        path as unknown as Record<typeof key, { prices?: number[]; blockLength?: number }>
      )[key];
      if (spec.prices === undefined) {
        out.push({
          path: ['prices', a, key, 'prices'],
          message: 'is required: the CLI reads `file` into it; a program resolves the file first',
        });
        continue;
      }
      if (key === 'replay' && spec.prices.length < s.steps + 1)
        out.push({
          path: ['prices', a, key, 'prices'],
          message: `holds ${spec.prices.length} prices, the ${s.steps} steps need ${s.steps + 1}`,
        });
      if (key === 'bootstrap' && (spec.blockLength ?? 1) > spec.prices.length - 1)
        out.push({
          path: ['prices', a, key, 'blockLength'],
          message: `is longer than the ${spec.prices.length - 1} returns of the series, got ${spec.blockLength}`,
        });
    }
    if ('shocks' in path) {
      path.shocks.forEach((sh, i) => {
        if (sh.step > s.steps) {
          out.push({
            path: ['prices', a, 'shocks', i, 'step'],
            message: `is after the last step (${s.steps}), got ${sh.step}`,
          });
        }
      });
    }
  }
  s.correlations.forEach((c, i) => {
    c.assets.forEach((a, j) => {
      const p = s.prices[a];
      if (p === undefined || !('process' in p))
        out.push({
          path: ['correlations', i, 'assets', j],
          message: `must name an asset whose price follows a process, got ${quote(a)}`,
        });
    });
    if (c.assets[0] === c.assets[1])
      out.push({ path: ['correlations', i, 'assets'], message: 'must name two different assets' });
  });
  for (const a of Object.keys(s.impact)) {
    const kind = k.assets.get(a);
    if (kind !== 'base' && kind !== 'pegged')
      out.push({
        path: ['impact', a],
        message: `must name a base or pegged asset, got ${quote(a)}`,
      });
  }
  return out;
}

/** An agent sells where each position's debt asset is paid: the market, or a pool of both assets. */
function checkAgent(
  pop: Scenario['populations'][number],
  pi: number,
  k: Known,
  out: RawIssue[],
): void {
  const d = pop.agent!;
  const at = (...p: PropertyKey[]): RawPath => ['populations', pi, 'agent', ...p];
  if (d.sellTo === 'market') return;
  const pool = k.poolHoldings.get(d.sellTo);
  if (pool === undefined) {
    out.push({
      path: at('sellTo'),
      message: `must be "market" or a pool id, got ${quote(d.sellTo)}`,
    });
    return;
  }
  pop.positions.forEach((p, i) => {
    if (!('deposit' in p)) return;
    if (!pool.includes(p.deposit) || !pool.includes(p.borrow))
      out.push({
        path: at('sellTo'),
        message: `pool ${quote(d.sellTo)} must hold ${quote(p.deposit)} and ${quote(p.borrow)} (positions[${i}]) to sell one for the other`,
      });
  });
}

function checkPopulation(
  pop: Scenario['populations'][number],
  pi: number,
  k: Known,
  out: RawIssue[],
): void {
  const at = (...p: PropertyKey[]): RawPath => ['populations', pi, ...p];
  let borrows = false;
  // One position per account on a perp venue (cross margin is per account) or a CDP (a vault
  // locks one collateral).
  const once = new Set<string>();
  pop.positions.forEach((p, i) => {
    if (k.perps.has(p.venue) || k.cdps.has(p.venue)) {
      if (once.has(p.venue))
        out.push({
          path: at('positions', i, 'venue'),
          message: `a second position on ${quote(p.venue)}: an account holds one position on a ${k.perps.has(p.venue) ? 'perp venue (cross margin is per account)' : 'CDP (a vault locks one collateral)'}`,
        });
      once.add(p.venue);
    }
  });
  let borrowedAt = -1;
  pop.positions.forEach((p, i) => {
    if ('write' in p && p.from === 'borrowed') {
      if (borrowedAt >= 0)
        out.push({
          path: at('positions', i, 'from'),
          message: `positions[${borrowedAt}] already posts what the account borrowed; one write position per population may`,
        });
      else borrowedAt = i;
    }
  });
  pop.positions.forEach((p, i) => {
    if ('write' in p) {
      const v = k.options.get(p.venue);
      if (v === undefined)
        out.push({
          path: at('positions', i, 'venue'),
          message: `must name an options venue, got ${quote(p.venue)}`,
        });
      else if (p.margin === v.asset) {
        if (p.write.kind !== 'call')
          out.push({
            path: at('positions', i, 'write', 'kind'),
            message: `margin in ${quote(v.asset)} covers calls only (a covered call); puts post the quote asset ${quote(v.quote)}`,
          });
        if (p.from === 'borrowed')
          out.push({
            path: at('positions', i, 'from'),
            message: `covered calls hold ${quote(v.asset)}; what is borrowed is the quote asset ${quote(v.quote)}: post it with margin: ${v.quote}`,
          });
      } else if (p.margin !== v.quote)
        out.push({
          path: at('positions', i, 'margin'),
          message: `writers post ${quote(p.venue)}'s quote asset ${quote(v.quote)} (or ${quote(v.asset)} for covered calls), got ${quote(p.margin)}`,
        });
      else if (
        p.from === 'borrowed' &&
        !pop.positions.some((q) => 'borrow' in q && q.borrow === v.quote)
      )
        out.push({
          path: at('positions', i, 'from'),
          message: `posts what the account borrowed of ${quote(v.quote)}, but no position of this population borrows it`,
        });
    }
  });
  pop.positions.forEach((p, i) => {
    if ('write' in p) return;
    if ('supply' in p && k.cdps.has(p.venue))
      out.push({
        path: at('positions', i, 'supply'),
        message: `${quote(p.venue)} is a CDP: vaults deposit collateral and mint its stablecoin; nothing is supplied`,
      });
    if ('side' in p) {
      const v = k.perps.get(p.venue);
      if (v === undefined)
        out.push({
          path: at('positions', i, 'venue'),
          message: `must name a perpetual venue, got ${quote(p.venue)}`,
        });
      else if (p.margin !== v.quote && v.collateral[p.margin] === undefined)
        out.push({
          path: at('positions', i, 'margin'),
          message: `${quote(p.venue)} takes margin in ${[v.quote, ...Object.keys(v.collateral)].map(quote).join(', ')}, got ${quote(p.margin)}`,
        });
      return;
    }
    const m = lendingAt(k, p.venue, at('positions', i, 'venue'), out);
    if (m === undefined) return;
    if ('supply' in p) reserveIs(m, p.supply, 'borrowable', at('positions', i, 'supply'), out);
    else {
      borrows = true;
      reserveIs(m, p.deposit, 'collateral', at('positions', i, 'deposit'), out);
      reserveIs(m, p.borrow, 'borrowable', at('positions', i, 'borrow'), out);
    }
  });
  if (pop.agent !== undefined) checkAgent(pop, pi, k, out);
  if (borrows && pop.healthFactor === undefined) {
    out.push({ path: at('healthFactor'), message: 'is required for a population that borrows' });
  }
  const loop = pop.strategy?.loop;
  if (loop?.supply !== undefined && k.cdps.has(loop.supply.venue))
    out.push({
      path: at('strategy', 'loop', 'supply', 'venue'),
      message: `${quote(loop.supply.venue)} is a CDP: nothing is supplied to it`,
    });
  if (loop === undefined) {
    if (pop.positions.length === 0)
      out.push({ path: at('positions'), message: 'must list a position or give a strategy' });
    return;
  }
  if (pop.positions.length > 0)
    out.push({
      path: at('positions'),
      message: 'must be empty when a loop strategy builds the positions',
    });
  if ((loop.targetLeverage === undefined) === (loop.loops === undefined)) {
    out.push({
      path: at('strategy', 'loop'),
      message: 'must give exactly one of targetLeverage or loops',
    });
  }
  const receipt = loop.supply !== undefined || loop.pledgeIn !== undefined;
  const swap = loop.deposit !== undefined || loop.borrow !== undefined;
  if (
    receipt === swap ||
    (receipt && (loop.supply === undefined || loop.pledgeIn === undefined)) ||
    (swap && (loop.deposit === undefined || loop.borrow === undefined))
  ) {
    out.push({
      path: at('strategy', 'loop'),
      message: 'must be a receipt loop (supply and pledgeIn) or a swap loop (deposit and borrow)',
    });
    return;
  }
  if (loop.deposit !== undefined && loop.borrow !== undefined) {
    const m = lendingAt(k, loop.deposit.venue, at('strategy', 'loop', 'deposit', 'venue'), out);
    if (m === undefined) return;
    if (
      !reserveIs(
        m,
        loop.deposit.asset,
        'collateral',
        at('strategy', 'loop', 'deposit', 'asset'),
        out,
      )
    )
      return;
    if (!reserveIs(m, loop.borrow, 'borrowable', at('strategy', 'loop', 'borrow'), out)) return;
    checkLeverage(
      loop.targetLeverage,
      m.assets[loop.deposit.asset]?.ltv ?? 0,
      `${loop.deposit.asset} in ${m.id}`,
      at('strategy', 'loop', 'targetLeverage'),
      out,
    );
    return;
  }
  if (loop.supply === undefined || loop.pledgeIn === undefined) return;
  const src = lendingAt(k, loop.supply.venue, at('strategy', 'loop', 'supply', 'venue'), out);
  const dst = lendingAt(k, loop.pledgeIn, at('strategy', 'loop', 'pledgeIn'), out);
  if (src === undefined || dst === undefined) return;
  if (
    !reserveIs(src, loop.supply.asset, 'borrowable', at('strategy', 'loop', 'supply', 'asset'), out)
  )
    return;
  const rid = receiptId(loop.supply.asset, src.id);
  if (!reserveIs(dst, rid, 'collateral', at('strategy', 'loop', 'pledgeIn'), out)) return;
  if (!reserveIs(dst, loop.supply.asset, 'borrowable', at('strategy', 'loop', 'pledgeIn'), out))
    return;
  checkLeverage(
    loop.targetLeverage,
    dst.assets[rid]?.ltv ?? 0,
    `${rid} in ${dst.id}`,
    at('strategy', 'loop', 'targetLeverage'),
    out,
  );
}

/**
 * A target leverage must stay below 1 / (1 - LTV), the limit of infinitely many loops. Compared in
 * exact decimals: in floats 1 / (1 - 0.8) is 5.000000000000001 and would let 5 through.
 */
function checkLeverage(
  target: number | undefined,
  ltv: number,
  what: string,
  path: RawPath,
  out: RawIssue[],
): void {
  const max = maxLeverageExact(ltv);
  if (target !== undefined && dec(target).gte(max)) {
    out.push({
      path,
      message: `must be below 1 / (1 - LTV) = ${max.toSignificantDigits(6).toString()} for ${what}, got ${target}`,
    });
  }
}

/** A price source for a perpetual venue: `market` or a pool holding the asset. */
function checkSource(
  src: string,
  asset: string,
  path: RawPath,
  k: Known,
  out: RawIssue[],
  pairedWith?: string,
): void {
  if (src === 'market') return;
  const held = k.poolHoldings.get(src);
  if (held === undefined) {
    out.push({ path, message: `must be "market" or a pool id, got ${quote(src)}` });
    return;
  }
  if (!held.includes(asset) || (pairedWith !== undefined && !held.includes(pairedWith)))
    out.push({
      path,
      message: `pool ${quote(src)} must hold ${quote(asset)}${pairedWith === undefined ? '' : ` and ${quote(pairedWith)}`}, it holds ${held.map(quote).join(' and ')}`,
    });
}

function checkPerp(s: Scenario, v: PerpSpec, vi: number, k: Known, out: RawIssue[]): void {
  const at = (...p: PropertyKey[]): RawPath => ['venues', vi, ...p];
  const kind = k.assets.get(v.asset);
  if (kind !== 'base' && kind !== 'pegged')
    out.push({
      path: at('asset'),
      message: `must name a base or pegged asset, got ${quote(v.asset)}`,
    });
  if (k.assets.get(v.quote) !== 'stable')
    out.push({ path: at('quote'), message: `must name a stablecoin, got ${quote(v.quote)}` });
  if (v.maintenanceMargin >= v.initialMargin)
    out.push({
      path: at('maintenanceMargin'),
      message: `must be below initialMargin (${v.initialMargin}), got ${v.maintenanceMargin}`,
    });
  checkSource(v.index, v.asset, at('index'), k, out);
  for (const [a, c] of Object.entries(v.collateral)) {
    const ck = k.assets.get(a);
    if (ck === undefined || ck === 'receipt' || a === v.quote) {
      out.push({
        path: at('collateral', a),
        message:
          a === v.quote
            ? 'the quote asset is margin already: list only other collateral'
            : `unknown asset ${quote(a)}`,
      });
      continue;
    }
    // Liquidation sells the collateral for the quote asset where it is priced.
    checkSource(c.priceFrom, a, at('collateral', a, 'priceFrom'), k, out, v.quote);
  }
  if (v.expiry !== undefined) {
    if (v.funding !== undefined)
      out.push({ path: at('funding'), message: 'dated futures (with expiry) pay no funding' });
    if (v.expiry.atStep > s.steps)
      out.push({
        path: at('expiry', 'atStep'),
        message: `is after the last step (${s.steps}), got ${v.expiry.atStep}`,
      });
  }
}

function checkPerpAccount(
  p: Scenario['accounts'][number]['positions'][number],
  v: PerpSpec,
  at: RawPath,
  k: Known,
  out: RawIssue[],
): void {
  for (const f of ['supply', 'deposit', 'borrow'] as const)
    if (p[f] !== undefined)
      out.push({
        path: [...at, f],
        message: `${quote(p.venue)} is a perpetual venue: post margin and open a long or short`,
      });
  if (p.long !== undefined && p.short !== undefined)
    out.push({ path: [...at, 'short'], message: 'a position is long or short, not both' });
  for (const a of Object.keys(p.margin ?? {}))
    if (a !== v.quote && v.collateral[a] === undefined)
      out.push({
        path: [...at, 'margin', a],
        message: `${quote(p.venue)} takes margin in ${[v.quote, ...Object.keys(v.collateral)].map(quote).join(', ')}, got ${quote(a)}`,
      });
  void k;
}

/** A CDP: a stablecoin to mint, known collateral that is not it, the lending checks of its form. */
function checkCdp(s: Scenario, v: CdpSpec, vi: number, k: Known, out: RawIssue[]): void {
  const at = (...p: PropertyKey[]): RawPath => ['venues', vi, ...p];
  if (k.assets.get(v.stablecoin) !== 'stable')
    out.push({
      path: at('stablecoin'),
      message: `must name a stablecoin, got ${quote(v.stablecoin)}`,
    });
  if (Object.keys(v.collateral).length === 0)
    out.push({ path: at('collateral'), message: 'must list at least one collateral asset' });
  for (const a of Object.keys(v.collateral)) {
    const kind = k.assets.get(a);
    if (a === v.stablecoin)
      out.push({ path: at('collateral', a), message: 'the stablecoin cannot back itself' });
    else if (kind === undefined || kind === 'receipt')
      out.push({ path: at('collateral', a), message: `unknown asset ${quote(a)}` });
  }
  const m = k.lending.get(v.id)!;
  if (v.oracle.source !== 'market' && !k.pools.has(v.oracle.source))
    out.push({
      path: at('oracle', 'source'),
      message: `must be "market" or a pool id, got ${quote(v.oracle.source)}`,
    });
  checkOracle(s, vi, m, out);
}

/** A vault locks one collateral asset and mints only the CDP's stablecoin, and supplies nothing. */
function checkVault(
  p: Scenario['accounts'][number]['positions'][number],
  at: RawPath,
  v: CdpSpec,
  out: RawIssue[],
): void {
  if (p.supply !== undefined)
    out.push({
      path: [...at, 'supply'],
      message: `${quote(v.id)} is a CDP: vaults deposit collateral and mint ${quote(v.stablecoin)}; nothing is supplied`,
    });
  if (Object.keys(p.deposit ?? {}).length > 1)
    out.push({
      path: [...at, 'deposit'],
      message: `a vault of ${quote(v.id)} locks one collateral asset, got ${Object.keys(
        p.deposit ?? {},
      )
        .map(quote)
        .join(', ')}`,
    });
}

/** An options venue: a base or pegged asset, a stablecoin, hedges where the asset trades. */
function checkOptions(s: Scenario, v: OptionsSpec, vi: number, k: Known, out: RawIssue[]): void {
  const at = (...p: PropertyKey[]): RawPath => ['venues', vi, ...p];
  const kind = k.assets.get(v.asset);
  if (kind !== 'base' && kind !== 'pegged')
    out.push({
      path: at('asset'),
      message: `must name a base or pegged asset, got ${quote(v.asset)}`,
    });
  if (k.assets.get(v.quote) !== 'stable')
    out.push({ path: at('quote'), message: `must name a stablecoin, got ${quote(v.quote)}` });
  checkSource(v.hedge.to, v.asset, at('hedge', 'to'), k, out);
  v.positions.forEach((p, i) => {
    if (!((parseDuration(p.expiry) ?? 0) > 0))
      out.push({
        path: at('positions', i, 'expiry'),
        message: `must be after step 0 (a duration > 0), got ${quote(p.expiry)}`,
      });
  });
  void s;
}
