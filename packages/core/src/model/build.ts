// Build the model from a validated scenario: index everything and expand populations into columns.
import { ScenarioError, type ScenarioIssue } from '../errors.js';
import { parseDuration } from '../numeric/duration.js';
import { lognormal, stream, type Uniform } from '../numeric/random.js';
import { formatPath, type RawPath } from '../scenario/paths.js';
import type {
  DistributionSpec,
  CdpSpec,
  LendingSpec,
  PerpSpec,
  PopulationSpec,
  Scenario,
} from '../scenario/schema.js';
import { GrowableColumn } from './growable.js';
import { populationAccountId, receiptId } from './ids.js';
import type {
  AccountGroup,
  AssetInfo,
  LiquidatorInfo,
  CircuitBreaker,
  MarketInfo,
  Model,
  OracleMode,
  OptionsInfo,
  PerpInfo,
  PoolInfo,
  ReserveInfo,
} from './model.js';
import { loopLeverage } from '../math/leverage.js';
import { stableswapSpot } from '../math/stableswap.js';
import { smileGreeks } from '../math/options.js';
import { orderBook } from './book-order.js';
import { cdpAsLending } from '../scenario/cdp.js';

interface MarketBuilder {
  readonly index: number;
  readonly info: MarketInfo;
  readonly account: GrowableColumn<Int32Array>;
  readonly coll: GrowableColumn<Float64Array>[];
  readonly debt: GrowableColumn<Float64Array>[];
  /** Row of the account currently being built, or -1. */
  currentAccount: number;
  currentRow: number;
  readonly cash: Float64Array;
  readonly totalDebt: Float64Array;
  readonly receiptSupply: Float64Array;
  readonly custody: Float64Array;
}

interface PerpBuilder {
  readonly info: PerpInfo;
  readonly account: GrowableColumn<Int32Array>;
  readonly size: GrowableColumn<Float64Array>;
  readonly cash: GrowableColumn<Float64Array>;
  readonly coll: GrowableColumn<Float64Array>[];
  /** Start prices of the quote asset and of each collateral slot (after haircut). */
  readonly quotePrice: number;
  readonly collValue: readonly number[];
}

/** Seconds in the year that annual rates refer to (365 days). */
const YEAR_SECONDS = 365 * 86400;

class Builder {
  readonly assets: AssetInfo[] = [];
  readonly assetIndex = new Map<string, number>();
  readonly pools: PoolInfo[] = [];
  readonly poolIndex = new Map<string, number>();
  readonly markets: MarketBuilder[] = [];
  readonly marketIndex = new Map<string, number>();
  readonly perps: PerpBuilder[] = [];
  readonly perpIndex = new Map<string, number>();
  readonly supplies = {
    account: new GrowableColumn((k) => new Int32Array(k)),
    market: new GrowableColumn((k) => new Int32Array(k)),
    reserve: new GrowableColumn((k) => new Int32Array(k)),
    amount: new GrowableColumn((k) => new Float64Array(k)),
  };
  wallets: Float64Array;

  constructor(
    readonly s: Scenario,
    readonly file: string,
    /** Replicate the populations draw from: (seed, replicate); 0 unless a sweep resamples them. */
    readonly populationReplicate = 0,
  ) {
    s.assets.forEach((a) => this.addAsset({ id: a.id, kind: a.kind, price: a.price }));
    s.assets.forEach((a, i) => {
      if (a.peg !== undefined) this.assets[i] = { ...this.assets[i]!, peg: this.asset(a.peg) };
    });
    for (const v of s.venues) {
      if (v.kind !== 'lending') continue;
      for (const [a, r] of Object.entries(v.assets)) {
        if (!r.borrowable) continue;
        const u = this.asset(a);
        this.addAsset({
          id: receiptId(a, v.id),
          kind: 'receipt',
          price: (this.assets[u] as AssetInfo).price,
          issuer: countLendingBefore(s, v.id),
          underlying: u,
        });
      }
    }
    this.wallets = new Float64Array(this.assets.length);
    s.venues.forEach((v) => {
      if (v.kind === 'constant-product' || v.kind === 'stableswap') {
        const [a, b] = Object.keys(v.holdings) as [string, string];
        this.poolIndex.set(v.id, this.pools.length);
        this.pools.push({
          id: v.id,
          kind: v.kind,
          amp: v.kind === 'stableswap' ? v.amplification : 0,
          assets: [this.asset(a), this.asset(b)],
          reserves: [v.holdings[a] as number, v.holdings[b] as number],
          fee: v.fee,
        });
      }
    });
    s.venues.forEach((v) => {
      if (v.kind === 'lending') this.addMarket(v);
      else if (v.kind === 'cdp') this.addMarket(cdpAsLending(v), v);
    });
    s.venues.forEach((v) => {
      if (v.kind === 'perp') this.addPerp(v);
    });
    // Receipt tokens learn their issuer's reserve index now that markets exist.
    this.assets.forEach((a, i) => {
      if (a.kind !== 'receipt') return;
      const m = this.markets[a.issuer as number] as MarketBuilder;
      const r = m.info.reserves.findIndex((x) => x.receipt === i);
      this.assets[i] = { ...a, issuerReserve: r };
    });
  }

  asset(id: string): number {
    const i = this.assetIndex.get(id);
    if (i === undefined) throw new Error(`unknown asset ${id} (validation should have caught it)`);
    return i;
  }

  private addAsset(a: AssetInfo): void {
    this.assetIndex.set(a.id, this.assets.length);
    this.assets.push(a);
  }

  private addMarket(v: LendingSpec, cdp?: CdpSpec): void {
    const reserves: ReserveInfo[] = [];
    const collReserves: number[] = [];
    const debtReserves: number[] = [];
    for (const [a, r] of Object.entries(v.assets)) {
      const isColl = r.liquidationThreshold !== undefined;
      const ri = reserves.length;
      if (isColl) collReserves.push(ri);
      if (r.borrowable) debtReserves.push(ri);
      reserves.push({
        asset: this.asset(a),
        collSlot: isColl ? collReserves.length - 1 : -1,
        debtSlot: r.borrowable ? debtReserves.length - 1 : -1,
        ltv: r.ltv ?? 0,
        liquidationThreshold: r.liquidationThreshold ?? 0,
        liquidationBonus: r.liquidationBonus ?? 0,
        protocolFee: r.protocolFee,
        supplyCap: r.supplyCap ?? Infinity,
        borrowCap: r.borrowCap ?? Infinity,
        reserveFactor: r.reserveFactor,
        rateModel: r.rateModel,
        receipt: r.borrowable && cdp === undefined ? this.asset(receiptId(a, v.id)) : -1,
        penalty: cdp?.collateral[a]?.penalty ?? 0,
      });
    }
    const info: MarketInfo = {
      id: v.id,
      oracleSource:
        v.oracle.source === 'market' ? -1 : (this.poolIndex.get(v.oracle.source) as number),
      oracleLag: v.oracle.lag,
      oracle: oracleMode(v.oracle, parseDuration(this.s.step) as number),
      oracleMaxMove: v.oracle.maxMove ?? NaN,
      circuitBreakers: (v.circuitBreakers ?? []).map((c) =>
        breaker(c, parseDuration(this.s.step) as number),
      ),
      reserves,
      collReserves,
      debtReserves,
      closeFactor: v.closeFactor.default,
      fullCloseBelow: v.closeFactor.full === false ? 0 : v.closeFactor.full.belowHealth,
      ...(v.auction === undefined ? {} : { auction: v.auction }),
      coverFromTreasury: v.badDebt.coverFrom === 'treasury',
      lossModel: v.badDebt.then,
      ...(cdp === undefined
        ? {}
        : {
            cdp: {
              stableReserve: reserves.findIndex((r) => r.asset === this.asset(cdp.stablecoin)),
              surplusBuffer: cdp.surplusBuffer,
              debtCeiling: reserves.map(
                (r) => cdp.collateral[this.assets[r.asset]!.id]?.debtCeiling ?? Infinity,
              ),
            },
          }),
    };
    const n = reserves.length;
    this.marketIndex.set(v.id, this.markets.length);
    this.markets.push({
      index: this.markets.length,
      info,
      account: new GrowableColumn((k) => new Int32Array(k)),
      coll: collReserves.map(() => new GrowableColumn((k) => new Float64Array(k))),
      debt: debtReserves.map(() => new GrowableColumn((k) => new Float64Array(k))),
      currentAccount: -1,
      currentRow: -1,
      cash: new Float64Array(n),
      totalDebt: new Float64Array(n),
      receiptSupply: new Float64Array(n),
      custody: new Float64Array(collReserves.length),
    });
    // A CDP's stablecoin reserve starts with the room under its ceilings as cash: minting draws it.
    if (info.cdp !== undefined) {
      const m = this.markets[this.markets.length - 1]!;
      m.cash[info.cdp.stableReserve] = reserves[info.cdp.stableReserve]!.borrowCap;
    }
  }

  /** Price of asset `a` at the start as `source` reads it (-1: the market, else a pool's spot). */
  sourcePrice(source: number, a: number): number {
    if (source < 0) return this.assets[a]!.price;
    const p = this.pools[source]!;
    const k = p.assets.indexOf(a);
    return poolSpotOf(p, k) * this.assets[p.assets[1 - k]!]!.price;
  }

  private addPerp(v: PerpSpec): void {
    const source = (id: string) => (id === 'market' ? -1 : (this.poolIndex.get(id) as number));
    const asset = this.asset(v.asset);
    const quote = this.asset(v.quote);
    const indexSource = source(v.index);
    const collateral = Object.entries(v.collateral).map(([a, c]) => ({
      asset: this.asset(a),
      haircut: c.haircut,
      priceFrom: source(c.priceFrom),
    }));
    const stepSeconds = parseDuration(this.s.step) as number;
    const carry =
      v.expiry === undefined
        ? 1
        : Math.exp((v.expiry.basis * v.expiry.atStep * stepSeconds) / YEAR_SECONDS);
    const info: PerpInfo = {
      id: v.id,
      asset,
      quote,
      indexSource,
      initialMargin: v.initialMargin,
      maintenanceMargin: v.maintenanceMargin,
      ...(v.funding === undefined && v.expiry !== undefined
        ? {}
        : {
            funding: {
              intervalSeconds: parseDuration(v.funding?.interval ?? '8h') as number,
              interestRate: v.funding?.interestRate ?? 0.0001,
              clamp: v.funding?.clamp ?? 0.0005,
              cap: v.funding?.cap ?? 0.0075,
            },
          }),
      depth: v.book?.depth ?? Infinity,
      premiumDecay: v.book?.premiumDecay ?? 0.5,
      markBandLog: Math.log1p(v.book?.markBand ?? 0.005),
      spotHedge: v.spotHedge,
      liquidationFee: v.liquidationFee,
      insuranceFund: v.insuranceFund,
      adl: v.adl,
      adlMakers: v.adlMakers,
      collateral,
      ...(v.expiry === undefined ? {} : { expiry: v.expiry }),
      // Prices on the venue are in units of its quote asset.
      startMark: (this.sourcePrice(indexSource, asset) / this.assets[quote]!.price) * carry,
    };
    this.perpIndex.set(v.id, this.perps.length);
    this.perps.push({
      info,
      account: new GrowableColumn((k) => new Int32Array(k)),
      size: new GrowableColumn((k) => new Float64Array(k)),
      cash: new GrowableColumn((k) => new Float64Array(k)),
      coll: collateral.map(() => new GrowableColumn((k) => new Float64Array(k))),
      quotePrice: this.assets[info.quote]!.price,
      collValue: collateral.map((c) => this.sourcePrice(c.priceFrom, c.asset) * (1 - c.haircut)),
    });
  }

  perp(id: string): PerpBuilder | undefined {
    const i = this.perpIndex.get(id);
    return i === undefined ? undefined : this.perps[i];
  }

  /**
   * Open a position of `size` contracts (signed) for `account` in perp `p` with `margin` posted
   * (token amount per asset index), checked against the initial margin at the starting mark.
   */
  openPerp(
    p: PerpBuilder,
    account: number,
    margin: ReadonlyMap<number, number>,
    size: number,
    where: RawPath,
  ): void {
    const mark = p.info.startMark;
    const q = this.assets[p.info.quote]!.id;
    let equity = margin.get(p.info.quote) ?? 0;
    const colls = p.info.collateral.map((c, k) => {
      const x = margin.get(c.asset) ?? 0;
      equity += (x * p.collValue[k]!) / p.quotePrice;
      return x;
    });
    const need = Math.abs(size) * mark * p.info.initialMargin;
    if (equity < need * (1 - 1e-12)) {
      this.fail(
        where,
        `opening ${fmt(Math.abs(size))} contracts on ${p.info.id} needs initial margin worth ${fmt(need)} ${q} (${fmt(p.info.initialMargin)} of ${fmt(Math.abs(size) * mark)} at the mark ${fmt(mark)}), the margin posted is worth ${fmt(equity)} ${q} after haircuts`,
      );
    }
    p.account.push(account);
    p.size.push(size);
    // Quote balance less the contracts' cost at the starting mark.
    p.cash.push((margin.get(p.info.quote) ?? 0) - size * mark);
    colls.forEach((x, k) => p.coll[k]!.push(x));
  }

  market(id: string): MarketBuilder {
    return this.markets[this.marketIndex.get(id) as number] as MarketBuilder;
  }

  /** The row of `account` in market `m`, created on first use. */
  row(m: MarketBuilder, account: number): number {
    if (m.currentAccount !== account) {
      m.currentAccount = account;
      m.currentRow = m.account.push(account);
      for (const c of m.coll) c.push(0);
      for (const d of m.debt) d.push(0);
    }
    return m.currentRow;
  }

  reserveOf(m: MarketBuilder, asset: string): [number, ReserveInfo] {
    const a = this.asset(asset);
    const ri = m.info.reserves.findIndex((r) => r.asset === a);
    return [ri, m.info.reserves[ri] as ReserveInfo];
  }

  supply(m: MarketBuilder, account: number, asset: string, amount: number, where: RawPath): number {
    return this.supplyAt(m, account, this.reserveOf(m, asset)[0], amount, where);
  }

  /** Supply `amount` to reserve `ri` of `m` for `account`; returns the receipt token's index. */
  supplyAt(m: MarketBuilder, account: number, ri: number, amount: number, where: RawPath): number {
    const r = m.info.reserves[ri] as ReserveInfo;
    if (m.receiptSupply[ri]! + amount > r.supplyCap) {
      this.fail(
        where,
        `supplying ${fmt(amount)} ${this.assets[r.asset]!.id} passes ${m.info.id}'s supply cap of ${fmt(r.supplyCap)}`,
      );
    }
    m.cash[ri]! += amount;
    m.receiptSupply[ri]! += amount;
    this.supplies.account.push(account);
    this.supplies.market.push(m.index);
    this.supplies.reserve.push(ri);
    this.supplies.amount.push(amount);
    return r.receipt;
  }

  deposit(m: MarketBuilder, account: number, asset: string, amount: number, where: RawPath): void {
    this.depositAt(m, account, this.reserveOf(m, asset)[0], amount, where);
  }

  /** Pledge `amount` of reserve `ri`'s asset in `m` for `account`. */
  depositAt(m: MarketBuilder, account: number, ri: number, amount: number, where: RawPath): void {
    const r = m.info.reserves[ri] as ReserveInfo;
    const slot = r.collSlot;
    if (m.custody[slot]! + amount > r.supplyCap) {
      this.fail(
        where,
        `depositing ${fmt(amount)} ${this.assets[r.asset]!.id} passes ${m.info.id}'s supply cap of ${fmt(r.supplyCap)}`,
      );
    }
    m.coll[slot]!.add(this.row(m, account), amount);
    m.custody[slot]! += amount;
  }

  borrow(m: MarketBuilder, account: number, asset: string, amount: number, where: RawPath): void {
    this.borrowAt(m, account, this.reserveOf(m, asset)[0], amount, where);
  }

  /** Borrow `amount` from reserve `ri` of `m` for `account`, from the cash suppliers put there. */
  borrowAt(m: MarketBuilder, account: number, ri: number, amount: number, where: RawPath): void {
    const r = m.info.reserves[ri] as ReserveInfo;
    const asset = this.assets[r.asset]!.id;
    if (amount > m.cash[ri]! * (1 + 1e-12) && m.info.cdp !== undefined) {
      this.fail(
        where,
        `minting ${fmt(amount)} ${asset} from ${m.info.id} passes its debt ceilings (${fmt(m.cash[ri]!)} left)`,
      );
    }
    if (amount > m.cash[ri]! * (1 + 1e-12)) {
      this.fail(
        where,
        `borrowing ${fmt(amount)} ${asset} from ${m.info.id} needs cash the reserve does not have (${fmt(m.cash[ri]!)} left): a borrow needs suppliers listed before it`,
      );
    }
    if (m.totalDebt[ri]! + amount > r.borrowCap) {
      this.fail(
        where,
        `borrowing ${fmt(amount)} ${asset} passes ${m.info.id}'s borrow cap of ${fmt(r.borrowCap)}`,
      );
    }
    m.debt[r.debtSlot]!.add(this.row(m, account), amount);
    m.cash[ri] = Math.max(0, m.cash[ri]! - amount);
    m.totalDebt[ri]! += amount;
  }

  /** Oracle price of asset `a` in market `m` at the start (pool spot or the asset's price). */
  startPrice(m: MarketBuilder, a: number): number {
    const info = this.assets[a] as AssetInfo;
    if (info.kind === 'receipt') return (this.assets[info.underlying as number] as AssetInfo).price;
    if (m.info.oracleSource >= 0 && (info.kind === 'base' || info.kind === 'pegged')) {
      const p = this.pools[m.info.oracleSource] as PoolInfo;
      const k = poolPricedSide(p, this.assets, a);
      if (k >= 0) {
        const other = p.assets[1 - k] as number;
        return poolSpotOf(p, k) * (this.assets[other] as AssetInfo).price;
      }
    }
    return info.price;
  }

  fail(where: RawPath, message: string): never {
    const issue: ScenarioIssue = { path: formatPath(this.s, where), message };
    throw new ScenarioError(this.file, [issue]);
  }
}

/** Index of market `id` among the markets (lending markets and CDPs, in file order). */
function countLendingBefore(s: Scenario, id: string): number {
  let n = 0;
  for (const v of s.venues) {
    if (v.id === id) return n;
    if (v.kind === 'lending' || v.kind === 'cdp') n++;
  }
  return n;
}

/**
 * Each CDP collateral's vaults owe at most its debt ceiling (vaults hold one collateral; book rows
 * are the vaults).
 */
function checkCeilings(b: Builder): void {
  b.markets.forEach((m) => {
    const cdp = m.info.cdp;
    if (cdp === undefined) return;
    const dSlot = m.info.reserves[cdp.stableReserve]!.debtSlot;
    const debt = m.debt[dSlot]!.finishView();
    m.info.collReserves.forEach((ri, slot) => {
      const coll = m.coll[slot]!.finishView();
      let owed = 0;
      for (let r = 0; r < debt.length; r++) if (coll[r]! > 0) owed += debt[r]!;
      const ceiling = cdp.debtCeiling[ri]!;
      if (owed > ceiling * (1 + 1e-12)) {
        const a = b.assets[m.info.reserves[ri]!.asset]!.id;
        b.fail(
          [
            'venues',
            b.s.venues.findIndex((v) => v.id === m.info.id),
            'collateral',
            a,
            'debtCeiling',
          ],
          `vaults locking ${a} mint ${fmt(owed)} ${b.assets[m.info.reserves[cdp.stableReserve]!.asset]!.id}, above the ceiling of ${fmt(ceiling)}`,
        );
      }
    });
  });
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(10)).toString() : String(x);
}

function draw(d: DistributionSpec, u: Uniform): number {
  if ('fixed' in d) return d.fixed;
  if ('uniform' in d) return d.uniform.min + (d.uniform.max - d.uniform.min) * u();
  return lognormal(u, d.lognormal.median, d.lognormal.sigma);
}

function drawHealth(h: NonNullable<PopulationSpec['healthFactor']>, u: Uniform): number {
  if ('fixed' in h) return h.fixed;
  const floor = h.resampleBelow ?? 0;
  for (let tries = 0; tries < 1000; tries++) {
    const x = lognormal(u, h.lognormal.median, h.lognormal.sigma);
    if (x >= floor) return x;
  }
  return floor;
}

function buildExplicit(b: Builder, groups: AccountGroup[], ids: string[]): void {
  b.s.accounts.forEach((acc, ai) => {
    ids.push(acc.id);
    const held = new Map<number, number>();
    const onPerp = new Set<string>();
    acc.positions.forEach((p, pi) => {
      const at: RawPath = ['accounts', ai, 'positions', pi];
      const v = b.perp(p.venue);
      if (v !== undefined) {
        if (onPerp.has(p.venue))
          b.fail(
            [...at, 'venue'],
            `one position per account on ${p.venue} (cross margin is per account)`,
          );
        onPerp.add(p.venue);
        const margin = new Map<number, number>();
        for (const [a, x] of Object.entries(p.margin ?? {})) margin.set(b.asset(a), x);
        b.openPerp(v, ai, margin, (p.long ?? 0) - (p.short ?? 0), at);
        return;
      }
      const m = b.market(p.venue);
      for (const [a, x] of Object.entries(p.supply ?? {})) {
        const rec = b.supply(m, ai, a, x, [...at, 'supply', a]);
        held.set(rec, (held.get(rec) ?? 0) + x);
      }
      for (const [a, x] of Object.entries(p.deposit ?? {})) {
        const ai2 = b.asset(a);
        if (b.assets[ai2]?.kind === 'receipt') {
          const have = held.get(ai2) ?? 0;
          if (x > have * (1 + 1e-12)) {
            b.fail(
              [...at, 'deposit', a],
              `pledges ${fmt(x)} ${a} but the account holds ${fmt(have)} (supply it in an earlier position)`,
            );
          }
          held.set(ai2, Math.max(0, have - x));
        }
        b.deposit(m, ai, a, x, [...at, 'deposit', a]);
      }
      for (const [a, x] of Object.entries(p.borrow ?? {})) {
        b.borrow(m, ai, a, x, [...at, 'borrow', a]);
        b.wallets[b.asset(a)]! += x;
      }
    });
    for (const [a, x] of held) b.wallets[a]! += x;
  });
  if (b.s.accounts.length > 0)
    groups.push({ name: 'accounts', start: 0, count: b.s.accounts.length, explicit: true });
}

/** One population position resolved once: market, reserves, start prices and error paths. */
interface ResolvedPosition {
  readonly m: MarketBuilder;
  /** Supply: reserve index; deposit/borrow: collateral and debt reserve indices. */
  readonly supplyRes: number;
  readonly collRes: number;
  readonly debtRes: number;
  /** Start prices of the collateral and debt assets and the collateral's threshold. */
  readonly collPrice: number;
  readonly threshold: number;
  readonly debtPrice: number;
  readonly receipt: number;
  readonly debtAsset: number;
  readonly atSupply: RawPath;
  readonly atDeposit: RawPath;
  readonly atBorrow: RawPath;
}

function resolvePositions(b: Builder, pop: PopulationSpec, pi: number): ResolvedPosition[] {
  return pop.positions.flatMap((p, k) => {
    if ('side' in p || 'write' in p) return [];
    const m = b.market(p.venue);
    const at: RawPath = ['populations', pi, 'positions', k];
    const paths = {
      atSupply: [...at, 'supply'],
      atDeposit: [...at, 'deposit'],
      atBorrow: [...at, 'borrow'],
    };
    if ('supply' in p) {
      const [ri, r] = b.reserveOf(m, p.supply);
      return {
        m,
        supplyRes: ri,
        collRes: -1,
        debtRes: -1,
        collPrice: 0,
        threshold: 0,
        debtPrice: 0,
        receipt: r.receipt,
        debtAsset: -1,
        ...paths,
      };
    }
    const [ci, cr] = b.reserveOf(m, p.deposit);
    const [di, dr] = b.reserveOf(m, p.borrow);
    return {
      m,
      supplyRes: -1,
      collRes: ci,
      debtRes: di,
      collPrice: b.startPrice(m, cr.asset),
      threshold: cr.liquidationThreshold,
      debtPrice: b.startPrice(m, dr.asset),
      receipt: -1,
      debtAsset: dr.asset,
      ...paths,
    };
  });
}

/** Columns of an options venue's writers, as they are built. */
interface WriterColumns {
  readonly account: GrowableColumn<Int32Array>;
  readonly put: GrowableColumn<Int32Array>;
  readonly roll: GrowableColumn<Int32Array>;
  readonly tenorYears: GrowableColumn<Float64Array>;
  readonly utilisation: GrowableColumn<Float64Array>;
  readonly strike: GrowableColumn<Float64Array>;
  readonly expiryYears: GrowableColumn<Float64Array>;
  readonly contracts: GrowableColumn<Float64Array>;
  readonly margin: GrowableColumn<Float64Array>;
  readonly underlying: GrowableColumn<Float64Array>;
}

/** Writers' columns per options venue id (filled as populations expand). */
const writerColumns = new WeakMap<Builder, Map<string, WriterColumns>>();

function writersOf(b: Builder, venue: string): WriterColumns {
  let m = writerColumns.get(b);
  if (m === undefined) writerColumns.set(b, (m = new Map()));
  let w = m.get(venue);
  if (w === undefined) {
    const f = () => new GrowableColumn((k) => new Float64Array(k));
    w = {
      account: new GrowableColumn((k) => new Int32Array(k)),
      put: new GrowableColumn((k) => new Int32Array(k)),
      roll: new GrowableColumn((k) => new Int32Array(k)),
      tenorYears: f(),
      utilisation: f(),
      strike: f(),
      expiryYears: f(),
      contracts: f(),
      margin: f(),
      underlying: f(),
    };
    m.set(venue, w);
  }
  return w;
}

/** Margin one short contract needs under the venue's rule at spot `s` (quote units). */
export function writerRequirement(
  rule: { readonly stress: number; readonly floor: number },
  put: boolean,
  strike: number,
  spot: number,
  value: number,
): number {
  const otm = put ? Math.max(0, spot - strike) : Math.max(0, strike - spot);
  return value + Math.max(rule.stress * spot - otm, rule.floor * (put ? strike : spot));
}

/** A population's option writing, resolved once: the contract and its margin at the start. */
function resolveWrites(b: Builder, pop: PopulationSpec) {
  return pop.positions.flatMap((p) => {
    if (!('write' in p)) return [];
    const v = b.s.venues.find((x) => x.id === p.venue);
    if (v === undefined || v.kind !== 'options') return [];
    const spot = b.assets[b.asset(v.asset)]!.price / b.assets[b.asset(v.quote)]!.price;
    const expiryYears = (parseDuration(p.write.expiry) as number) / (365 * 86400);
    const put = p.write.kind === 'put';
    const value = smileGreeks(
      { kind: p.write.kind, spot, strike: p.write.strike, expiry: expiryYears, rate: v.rate },
      v.smile,
    ).price;
    return [
      {
        cols: writersOf(b, v.id),
        put,
        roll: p.roll,
        strike: p.write.strike,
        expiryYears,
        utilisation: p.utilisation,
        perContract: writerRequirement(v.writing, put, p.write.strike, spot, value),
        covered: p.margin === v.asset,
        borrowed: p.from === 'borrowed' ? b.asset(v.quote) : -1,
      },
    ];
  });
}

/** A population's perpetual positions, resolved once. */
function resolvePerps(b: Builder, pop: PopulationSpec, pi: number) {
  return pop.positions.flatMap((p, k) => {
    if (!('side' in p)) return [];
    const v = b.perp(p.venue)!;
    const margin = b.asset(p.margin);
    const slot = v.info.collateral.findIndex((c) => c.asset === margin);
    // Value of one token of margin in quote units, after haircut.
    const value = slot < 0 ? 1 : v.collValue[slot]! / v.quotePrice;
    return [
      {
        v,
        margin,
        value,
        sign: p.side === 'long' ? 1 : -1,
        leverage: p.leverage,
        at: ['populations', pi, 'positions', k] as RawPath,
      },
    ];
  });
}

function buildPopulation(b: Builder, pop: PopulationSpec, pi: number, start: number): void {
  const u = stream(b.s.seed, `population/${pop.name}`, b.populationReplicate);
  const loop = pop.strategy?.loop;
  const where: RawPath = ['populations', pi, 'strategy', 'loop'];
  if (loop?.deposit !== undefined && loop.borrow !== undefined) {
    // Swap loop: L x equity of collateral, the borrowed asset swapped at starting prices.
    const m = b.market(loop.deposit.venue);
    const [ci, cr] = b.reserveOf(m, loop.deposit.asset);
    const [di, dr] = b.reserveOf(m, loop.borrow);
    const lev = loop.targetLeverage ?? loopLeverage(cr.ltv, loop.loops ?? 0);
    const pc = b.startPrice(m, cr.asset);
    const pd = b.startPrice(m, dr.asset);
    const atDeposit: RawPath = [...where, 'deposit'];
    const atBorrow: RawPath = [...where, 'borrow'];
    for (let i = 0; i < pop.count; i++) {
      const size = draw(pop.size, u);
      b.depositAt(m, start + i, ci, lev * size, atDeposit);
      if (lev > 1) b.borrowAt(m, start + i, di, ((lev - 1) * size * pc) / pd, atBorrow);
    }
    return;
  }
  if (loop?.supply !== undefined && loop.pledgeIn !== undefined) {
    const src = b.market(loop.supply.venue);
    const dst = b.market(loop.pledgeIn);
    const [si] = b.reserveOf(src, loop.supply.asset);
    const [ri, rr] = b.reserveOf(dst, receiptId(loop.supply.asset, src.info.id));
    const [di] = b.reserveOf(dst, loop.supply.asset);
    const lev = loop.targetLeverage ?? loopLeverage(rr.ltv, loop.loops ?? 0);
    const atSupply: RawPath = [...where, 'supply'];
    const atPledge: RawPath = [...where, 'pledgeIn'];
    for (let i = 0; i < pop.count; i++) {
      const size = draw(pop.size, u);
      b.supplyAt(src, start + i, si, lev * size, atSupply);
      b.depositAt(dst, start + i, ri, lev * size, atPledge);
      if (lev > 1) b.borrowAt(dst, start + i, di, (lev - 1) * size, atPledge);
    }
    return;
  }
  const positions = resolvePositions(b, pop, pi);
  const perps = resolvePerps(b, pop, pi);
  const writes = resolveWrites(b, pop);
  // What each account borrowed, per asset (a levered vault posts it as option margin).
  const borrowed = new Float64Array(b.assets.length);
  for (let i = 0; i < pop.count; i++) {
    const acct = start + i;
    borrowed.fill(0);
    const size = draw(pop.size, u);
    const hf = pop.healthFactor !== undefined ? drawHealth(pop.healthFactor, u) : 0;
    for (const p of perps) {
      // Leverage = notional / margin value after haircut, capped at the venue's maximum.
      const lev = Math.min(draw(p.leverage, u), 1 / p.v.info.initialMargin);
      const contracts = (size * p.value * lev) / p.v.info.startMark;
      b.openPerp(p.v, acct, new Map([[p.margin, size]]), p.sign * contracts, p.at);
    }
    for (const p of positions) {
      if (p.supplyRes >= 0) {
        b.supplyAt(p.m, acct, p.supplyRes, size, p.atSupply);
        b.wallets[p.receipt]! += size;
        continue;
      }
      b.depositAt(p.m, acct, p.collRes, size, p.atDeposit);
      const debt = (size * p.collPrice * p.threshold) / (hf * p.debtPrice);
      b.borrowAt(p.m, acct, p.debtRes, debt, p.atBorrow);
      b.wallets[p.debtAsset]! += debt;
      borrowed[p.debtAsset]! += debt;
    }
    for (const w of writes) {
      // Covered calls: `size` units held, utilisation x that many calls. Otherwise as many
      // contracts as use `utilisation` of the margin at the start: `size`, or what the account
      // just borrowed of the quote, moved from its wallet to the venue (a levered vault).
      let margin = w.covered ? 0 : size;
      if (w.borrowed >= 0) {
        margin = borrowed[w.borrowed]!;
        b.wallets[w.borrowed]! -= margin;
        borrowed[w.borrowed] = 0;
      }
      w.cols.account.push(acct);
      w.cols.put.push(w.put ? 1 : 0);
      w.cols.roll.push(w.roll ? 1 : 0);
      w.cols.tenorYears.push(w.expiryYears);
      w.cols.utilisation.push(w.utilisation);
      w.cols.strike.push(w.strike);
      w.cols.expiryYears.push(w.expiryYears);
      w.cols.contracts.push(
        w.covered ? w.utilisation * size : (w.utilisation * margin) / w.perContract,
      );
      w.cols.margin.push(margin);
      w.cols.underlying.push(w.covered ? size : 0);
    }
  }
}

function expandCapital(b: Builder, c: 'unlimited' | Record<string, number>): Float64Array {
  const out = new Float64Array(b.assets.length);
  if (c === 'unlimited') out.fill(Infinity);
  else for (const [a, x] of Object.entries(c)) out[b.asset(a)] = x;
  return out;
}

/**
 * Build the model of `scenario` (validated). Populations expand in file order from per-population
 * seeded streams, so editing one population leaves the others' draws unchanged; the streams are
 * (seed, `population/<name>`, `populationReplicate`), replicate 0 unless a sweep resamples the
 * population. Throws a ScenarioError (naming `file` and the population) when a borrow needs cash no
 * supplier provided.
 */
export function buildModel(
  scenario: Scenario,
  file = 'scenario',
  options: { readonly populationReplicate?: number } = {},
): Model {
  const b = new Builder(scenario, file, options.populationReplicate ?? 0);
  const groups: AccountGroup[] = [];
  const explicitIds: string[] = [];
  buildExplicit(b, groups, explicitIds);
  let next = scenario.accounts.length;
  scenario.populations.forEach((pop, pi) => {
    groups.push({
      name: pop.name,
      start: next,
      count: pop.count,
      explicit: false,
      ...(pop.agent === undefined
        ? {}
        : {
            agent: {
              kind: pop.agent.kind,
              params: pop.agent.params,
              sellTo:
                pop.agent.sellTo === 'market' ? -1 : (b.poolIndex.get(pop.agent.sellTo) as number),
            },
          }),
    });
    buildPopulation(b, pop, pi, next);
    next += pop.count;
  });
  checkCeilings(b);
  const liquidators: LiquidatorInfo[] = [];
  scenario.liquidators.forEach((l, gi) => {
    for (let i = 0; i < l.count; i++) {
      const base = l.id ?? `liquidator${gi === 0 ? '' : `-${gi}`}`;
      liquidators.push({
        id: l.count === 1 && l.id !== undefined ? l.id : `${base}#${i}`,
        capital: expandCapital(b, l.capitalEach),
        minProfitUsd: l.minProfitUsd,
        sellTo: l.sellTo === 'market' ? -1 : (b.poolIndex.get(l.sellTo) as number),
        fundFrom: l.fundFrom === undefined ? -1 : (b.poolIndex.get(l.fundFrom) as number),
      });
    }
  });
  return {
    scenario,
    stepSeconds: parseDuration(scenario.step) as number,
    assets: b.assets,
    assetIndex: b.assetIndex,
    pools: b.pools,
    markets: b.markets.map((m) => m.info),
    books: b.markets.map((m) => ({
      rows: m.account.length,
      ...orderBook({
        account: m.account.finish(),
        coll: m.coll.map((c) => c.finish()),
        debt: m.debt.map((d) => d.finish()),
      }),
    })),
    reserveBalances: b.markets.map((m) =>
      m.info.reserves.map((_, ri) => ({
        cash: m.cash[ri]!,
        debt: m.totalDebt[ri]!,
        receiptSupply: m.receiptSupply[ri]!,
      })),
    ),
    custody: b.markets.map((m) => m.custody),
    supplies: {
      rows: b.supplies.account.length,
      account: b.supplies.account.finish(),
      market: b.supplies.market.finish(),
      reserve: b.supplies.reserve.finish(),
      amount: b.supplies.amount.finish(),
    },
    wallets: b.wallets,
    accountGroups: groups,
    accountCount: next,
    explicitIds,
    liquidators,
    gas: { usd: scenario.gas?.usd ?? 0, spikes: scenario.gas?.spikes ?? [] },
    perps: b.perps.map((p) => p.info),
    options: scenario.venues.flatMap((v): OptionsInfo[] => {
      if (v.kind !== 'options') return [];
      const dealers = [...new Set(v.positions.map((p) => p.dealer))];
      return [
        {
          id: v.id,
          asset: b.asset(v.asset),
          quote: b.asset(v.quote),
          rate: v.rate,
          smile: {
            ...v.smile,
            realisedHalfLife: parseDuration(v.smile.realisedHalfLife) as number,
          },
          delta: v.delta,
          hedgeEvery: v.hedge.every,
          hedgeBand: v.hedge.band,
          hedgeTo: v.hedge.to === 'market' ? -1 : (b.poolIndex.get(v.hedge.to) as number),
          dealers,
          positions: v.positions.map((p) => ({
            dealer: dealers.indexOf(p.dealer),
            kind: p.kind,
            strike: p.strike,
            expiryYears: (parseDuration(p.expiry) as number) / (365 * 86400),
            contracts: p.contracts,
          })),
          writing: v.writing,
          writers: (() => {
            const w = writersOf(b, v.id);
            return {
              rows: w.account.length,
              account: w.account.finish(),
              put: Uint8Array.from(w.put.finish()),
              roll: Uint8Array.from(w.roll.finish()),
              tenorYears: w.tenorYears.finish(),
              utilisation: w.utilisation.finish(),
              strike: w.strike.finish(),
              expiryYears: w.expiryYears.finish(),
              contracts: w.contracts.finish(),
              margin: w.margin.finish(),
              underlying: w.underlying.finish(),
            };
          })(),
        },
      ];
    }),
    perpBooks: b.perps.map((p) => ({
      rows: p.account.length,
      account: p.account.finish(),
      size: p.size.finish(),
      entry: new Float64Array(p.account.length).fill(p.info.startMark),
      cash: p.cash.finish(),
      coll: p.coll.map((c) => c.finish()),
    })),
    arbitrageurs: scenario.arbitrageurs.map((a, i) => ({
      id: a.id ?? `arbitrageur#${i}`,
      capital: expandCapital(b, a.capital),
      pegDiscount: a.pegDiscount ?? NaN,
    })),
  };
}

/** Id of account `i` of `model`. */
const PRICE_RANK: Readonly<Record<string, number>> = { stable: 0, base: 1, pegged: 2, receipt: -1 };

/**
 * The side of pool `p` whose price the pool sets for asset `a` (an oracle reading the pool prices
 * `a` as the pool's spot times the other asset's price), or -1. A pool prices the asset that ranks
 * above the other: a pegged asset against its peg, a base asset against a stablecoin; it does not
 * price ETH off a stETH/ETH pool, nor the stablecoin off an ETH/USDC pool.
 */
export function poolPricedSide(p: PoolInfo, assets: readonly AssetInfo[], a: number): number {
  const k = p.assets.indexOf(a);
  if (k < 0) return -1;
  const mine = PRICE_RANK[assets[a]!.kind]!;
  const other = PRICE_RANK[assets[p.assets[1 - k]!]!.kind]!;
  return mine > other ? k : -1;
}

/** Spot price of side `k` of pool `p` at its starting reserves, in units of the other side. */
export function poolSpotOf(p: PoolInfo, k: number): number {
  const x = p.reserves[k] as number;
  const y = p.reserves[1 - k] as number;
  return p.kind === 'stableswap' ? stableswapSpot(x, y, p.amp) : y / x;
}

/** A circuit breaker of a validated spec (checks ran: durations are whole steps). */
function breaker(
  c: NonNullable<LendingSpec['circuitBreakers']>[number],
  stepSeconds: number,
): CircuitBreaker {
  const steps = (d: string | undefined, dflt: number) =>
    d === undefined ? dflt : Math.round((parseDuration(d) as number) / stepSeconds);
  if ('drop' in c.when)
    return {
      kind: 'drop',
      drop: c.when.drop,
      withinSteps: steps(c.when.within, 1),
      forSteps: steps(c.for, 1),
    };
  return { kind: 'window', fromStep: c.when.fromStep, toStep: c.when.toStep };
}

/** The oracle mode of a validated `oracle` spec (checks ran: a TWAP window is whole steps). */
function oracleMode(o: LendingSpec['oracle'], stepSeconds: number): OracleMode {
  if (o.push !== undefined)
    return {
      kind: 'push',
      deviation: o.push.deviation,
      heartbeatSeconds: parseDuration(o.push.heartbeat) as number,
    };
  if (o.twap !== undefined)
    return {
      kind: 'twap',
      windowSteps: Math.round((parseDuration(o.twap.window) as number) / stepSeconds),
      mean: o.twap.mean,
    };
  return { kind: 'read' };
}

export function accountId(model: Pick<Model, 'explicitIds' | 'accountGroups'>, i: number): string {
  if (i < model.explicitIds.length) return model.explicitIds[i] as string;
  for (const g of model.accountGroups) {
    if (!g.explicit && i >= g.start && i < g.start + g.count)
      return populationAccountId(g.name, i - g.start);
  }
  return `#${i}`;
}
