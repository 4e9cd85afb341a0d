// Accounts that act on their positions during a run, by the strategy their population names.
import { InvalidArgumentError, yearFraction, type AccountGroup, type Model } from '@contagion/core';
import type { RunContext } from '../run/context.js';
import { marketQuote, marketTrade } from '../prices/market.js';
import { reserveDebt } from '../lending/reserve.js';
import { poolInputFor, poolQuote, poolSide, poolSwap } from '../pools/pool.js';
import type { MarketState, SimState } from '../state/state.js';
import {
  largestBelow,
  strategyNamed,
  strategyNames,
  type PositionView,
  type Strategy,
} from './strategy.js';

/** Per market: the book rows of agents (single collateral and debt), their slots and strategy. */
export interface AgentTables {
  readonly rows: Int32Array[];
  readonly cSlot: Int32Array[];
  readonly dSlot: Int32Array[];
  /** Per listed row: the account group, which names the strategy and its parameters. */
  readonly group: Int32Array[];
  /** Per listed row: its book group (whose scan reach a re-levered row extends). */
  readonly bookGroup: Int32Array[];
  /** Per account group: its strategy (undefined without an agent). */
  readonly strategies: (Strategy | undefined)[];
}

/**
 * Each population's strategy, looked up and checked against the model: a registered name, valid
 * parameters, and positions an agent can act on (collateral that is not a receipt token, and a
 * `sellTo` pool that holds both the collateral and the debt asset). Returns the strategy per
 * account group; throws InvalidArgumentError at the scenario path of the first problem. `validate`
 * runs it too.
 */
export function checkAgents(model: Model): (Strategy | undefined)[] {
  return model.accountGroups.map((g) => {
    if (g.agent === undefined) return undefined;
    const s = strategyNamed(g.agent.kind);
    const pi = model.scenario.populations.findIndex((p) => p.name === g.name);
    const at = `populations[${pi}].agent`;
    if (s === undefined)
      throw new InvalidArgumentError(
        `unknown strategy "${g.agent.kind}" (registered: ${strategyNames().join(', ')})`,
        `${at}.kind`,
      );
    const problems = s.check(g.agent.params);
    if (problems.length > 0) {
      // Messages read "<param>: <what is wrong>".
      const [param, ...rest] = problems[0]!.split(': ');
      throw new InvalidArgumentError(rest.join(': '), `${at}.params.${param}`);
    }
    checkPositions(model, g, at);
    return s;
  });
}

/** The group's single-collateral single-debt positions: collateral an agent can price and sell. */
function checkPositions(model: Model, g: AccountGroup, at: string): void {
  const agent = g.agent!;
  const pool = agent.sellTo >= 0 ? model.pools[agent.sellTo]! : undefined;
  model.markets.forEach((m, mi) => {
    const book = model.books[mi]!;
    for (const bg of book.groups) {
      if (bg.collSlot < 0 || bg.debtSlot < 0) continue;
      let mine = false;
      for (let r = bg.start; r < bg.end && !mine; r++) {
        const acct = book.account[r]!;
        mine = acct >= g.start && acct < g.start + g.count;
      }
      if (!mine) continue;
      const c = m.reserves[m.collReserves[bg.collSlot]!]!.asset;
      const d = m.reserves[m.debtReserves[bg.debtSlot]!]!.asset;
      const cId = model.assets[c]!.id;
      const dId = model.assets[d]!.id;
      if (model.assets[c]!.kind === 'receipt')
        throw new InvalidArgumentError(
          `agents act on collateral they can sell; ${m.id} positions pledge the receipt token ${JSON.stringify(cId)}`,
          `${at}.kind`,
        );
      if (pool !== undefined && (!pool.assets.includes(c) || !pool.assets.includes(d)))
        throw new InvalidArgumentError(
          `pool ${JSON.stringify(pool.id)} must hold ${JSON.stringify(cId)} and ${JSON.stringify(dId)} to sell one for the other (${m.id} positions)`,
          `${at}.sellTo`,
        );
    }
  });
}

/** The rows agents act on (rows in mixed groups are left out), with their checked strategies. */
export function agentTables(state: SimState): AgentTables {
  const model = state.model;
  const strategies = checkAgents(model);
  const groupOf = new Int32Array(model.accountCount).fill(-1);
  model.accountGroups.forEach((g, gi) => {
    if (g.agent !== undefined) groupOf.fill(gi, g.start, g.start + g.count);
  });
  const out: AgentTables = { rows: [], cSlot: [], dSlot: [], group: [], bookGroup: [], strategies };
  for (const ms of state.markets) {
    const rows: number[] = [];
    const cs: number[] = [];
    const ds: number[] = [];
    const gs: number[] = [];
    const bg: number[] = [];
    ms.groups.forEach((g, bgi) => {
      if (g.collSlot < 0 || g.debtSlot < 0) return;
      for (let i = g.start; i < g.end; i++) {
        const grp = groupOf[ms.account[i]!]!;
        if (grp < 0) continue;
        rows.push(i);
        cs.push(g.collSlot);
        ds.push(g.debtSlot);
        gs.push(grp);
        bg.push(bgi);
      }
    });
    out.rows.push(Int32Array.from(rows));
    out.cSlot.push(Int32Array.from(cs));
    out.dSlot.push(Int32Array.from(ds));
    out.group.push(Int32Array.from(gs));
    out.bookGroup.push(Int32Array.from(bg));
  }
  return out;
}

/**
 * The position a strategy is shown, reused row after row (no object or closure per row: most rows
 * ask for nothing, and a population may have a million of them). `sellAll` and `maxLever` are
 * searched only when read.
 */
class RowView implements PositionView {
  step = 0;
  collateral = 0;
  debt = 0;
  collateralPrice = 0;
  debtPrice = 0;
  startCollateralPrice = 0;
  stepYears = 0;
  /** This row's oracle history: the market's per-step prices, the reserve and how many per step. */
  hist: Float64Array = new Float64Array(0);
  cRes = 0;
  nR = 1;
  threshold = 0;
  health = 0;
  /** Scaled debt, borrow index, health weights, where it sells (pool, sides), and the assets. */
  scaled = 0;
  index = 1;
  cw = 0;
  dw = 0;
  pool = -1;
  side = -1;
  dSide = -1;
  cAsset = 0;
  dAsset = 0;
  ltv = 0;
  /** Most it may borrow (cash, borrow cap) and pledge (supply cap) now. */
  room = 0;
  capRoom = 0;
  private sellAllMemo = NaN;
  private maxLeverMemo = NaN;

  constructor(private readonly state: SimState) {}

  reset(): void {
    this.sellAllMemo = NaN;
    this.maxLeverMemo = NaN;
  }

  proceeds(q: number): number {
    const st = this.state;
    return this.side >= 0
      ? poolQuote(st, this.pool, this.side, q)
      : marketQuote(st, this.cAsset, q) / st.marketPrice[this.dAsset]!;
  }

  healthAfter(q: number): number {
    const left = this.scaled - Math.min(this.proceeds(q), this.debt) / this.index;
    return left <= 0 ? Infinity : ((this.collateral - q) * this.cw) / (left * this.dw);
  }

  /** Collateral that `b` debt tokens buy: into the pool, or from the market at its impact. */
  bought(b: number): number {
    if (b <= 0) return 0;
    const st = this.state;
    if (this.dSide >= 0) return poolQuote(st, this.pool, this.dSide, b);
    // Buying lifts the price, so b x debt price / collateral price bounds what b buys.
    const usd = b * st.marketPrice[this.dAsset]!;
    return largestBelow(
      (x) => -marketQuote(st, this.cAsset, -x) - usd,
      usd / st.marketPrice[this.cAsset]!,
    );
  }

  collateralPriceAgo(k: number): number {
    const u = Math.max(0, this.step - k);
    return this.hist[u * this.nR + this.cRes]!;
  }

  boughtFor(b: number): number {
    return this.bought(b);
  }

  healthAfterLever(b: number): number {
    return (
      ((this.collateral + this.bought(b)) * this.cw) / ((this.scaled + b / this.index) * this.dw)
    );
  }

  get sellAll(): number {
    if (Number.isNaN(this.sellAllMemo))
      this.sellAllMemo = largestBelow((q) => this.proceeds(q) - this.debt, this.collateral);
    return this.sellAllMemo;
  }

  get maxLever(): number {
    if (Number.isNaN(this.maxLeverMemo))
      this.maxLeverMemo = largestBelow((b) => {
        const x = this.bought(b);
        const overLtv =
          (this.debt + b) * this.debtPrice -
          this.ltv * (this.collateral + x) * this.collateralPrice;
        return Math.max(overLtv, x - this.capRoom);
      }, this.room);
    return this.maxLeverMemo;
  }
}

/**
 * Each agent's position, in book order: ask its strategy how much collateral to sell, then sell it
 * (to the market, or into the agent's pool) and repay debt with the proceeds (a surplus goes to the
 * accounts' wallets); when it sells nothing, ask how much to borrow and spend on more collateral.
 * A sale that would lower the collateral/debt ratio is skipped: the book's bounded scans rely on
 * untouched rows' ratios only rising (a re-levered row extends its group's scan reach instead).
 */
export function actAgents(ctx: RunContext, tables: AgentTables): void {
  const { state } = ctx;
  const groups = state.model.accountGroups;
  const v = new RowView(state);
  v.step = ctx.step;
  v.stepYears = yearFraction(state.model.stepSeconds);
  for (const ms of state.markets) {
    const rows = tables.rows[ms.index]!;
    const r = ms.info.reserves;
    for (let j = 0; j < rows.length; j++) {
      const i = rows[j]!;
      const cSlot = tables.cSlot[ms.index]![j]!;
      const dSlot = tables.dSlot[ms.index]![j]!;
      const c = ms.coll[cSlot]![i]!;
      const s = ms.debt[dSlot]![i]!;
      if (!(c > 0 && s > 0)) continue;
      const gi = tables.group[ms.index]![j]!;
      const agent = groups[gi]!.agent!;
      const strategy = tables.strategies[gi]!;
      const cRes = ms.info.collReserves[cSlot]!;
      const dRes = ms.info.debtReserves[dSlot]!;
      v.reset();
      v.cAsset = r[cRes]!.asset;
      v.dAsset = r[dRes]!.asset;
      v.index = ms.borrowIndex[dRes]!;
      v.scaled = s;
      v.collateral = c;
      v.debt = s * v.index;
      v.cw = ms.collW[cSlot]!;
      v.dw = ms.debtW[dSlot]!;
      v.health = (c * v.cw) / (s * v.dw);
      v.collateralPrice = ms.price[cRes]!;
      v.debtPrice = ms.price[dRes]!;
      v.startCollateralPrice = ctx.oracleHist[ms.index]![cRes]!;
      v.hist = ctx.oracleHist[ms.index]!;
      v.cRes = cRes;
      v.nR = r.length;
      v.threshold = r[cRes]!.liquidationThreshold;
      v.ltv = r[cRes]!.ltv;
      v.pool = agent.sellTo;
      v.side = agent.sellTo >= 0 ? poolSide(state, agent.sellTo, v.cAsset) : -1;
      v.dSide = agent.sellTo >= 0 ? poolSide(state, agent.sellTo, v.dAsset) : -1;
      const asked = strategy.sell(v, agent.params);
      const q = asked > 0 ? Math.min(v.sellAll, asked) : 0;
      if (!(q > 0)) {
        v.room = Math.max(0, Math.min(ms.cash[dRes]!, r[dRes]!.borrowCap - reserveDebt(ms, dRes)));
        v.capRoom = r[cRes]!.supplyCap - ms.custody[cSlot]!;
        const wants = strategy.lever?.(v, agent.params) ?? 0;
        const b = wants > 0 ? Math.min(v.maxLever, wants) : 0;
        if (b > 0)
          lever(
            ctx,
            ms,
            tables.bookGroup[ms.index]![j]!,
            i,
            cSlot,
            dSlot,
            agent.sellTo,
            v.dSide,
            v.bought(b),
          );
        continue;
      }
      const owed = v.debt;
      const index = v.index;
      const repaid = Math.min(v.proceeds(q), owed);
      if ((c - q) * s < c * (s - repaid / index)) continue; // the ratio would fall
      ms.coll[cSlot]![i] = c - q;
      ms.custody[cSlot] = ms.custody[cSlot]! - q;
      const got =
        v.side >= 0
          ? poolSwap(state, agent.sellTo, v.side, q)
          : marketTrade(state, v.cAsset, q, v.dAsset);
      const repay = Math.min(got, owed);
      const scaled = repay / index;
      const left = s - scaled;
      ms.debt[dSlot]![i] = Math.abs(left) <= s * 1e-12 ? 0 : left;
      ms.scaledDebt[dRes] = ms.scaledDebt[dRes]! - scaled;
      ms.cash[dRes] = ms.cash[dRes]! + repay;
      if (ms.info.cdp !== undefined) state.burned[v.dAsset] = state.burned[v.dAsset]! + repay;
      state.wallets[v.dAsset] = state.wallets[v.dAsset]! + (got - repay);
      ctx.tally.agentSells++;
      ctx.tally.agentRepaidUsd += repay * ms.price[dRes]!;
    }
  }
}

/**
 * Buy `x` collateral for row `i` with newly borrowed debt tokens (exactly what the purchase costs)
 * and pledge it. The row's collateral/debt ratio falls, so its group's scan reach is extended past
 * it: bounded scans then read it row by row.
 */
function lever(
  ctx: RunContext,
  ms: MarketState,
  gi: number,
  i: number,
  cSlot: number,
  dSlot: number,
  pool: number,
  dSide: number,
  x: number,
): void {
  const { state } = ctx;
  const cRes = ms.info.collReserves[cSlot]!;
  const dRes = ms.info.debtReserves[dSlot]!;
  const cAsset = ms.info.reserves[cRes]!.asset;
  const dAsset = ms.info.reserves[dRes]!.asset;
  if (!(x > 0)) return;
  let paid: number;
  let got: number;
  if (dSide >= 0) {
    // Into the pool: spend b where b buys x (the quote's inverse), receive the output.
    paid = poolInputFor(state, pool, dSide, x);
    if (!Number.isFinite(paid) || paid > ms.cash[dRes]!) return;
    got = poolSwap(state, pool, dSide, paid);
  } else {
    paid = -marketTrade(state, cAsset, -x, dAsset);
    got = x;
  }
  const scaled = paid / ms.borrowIndex[dRes]!;
  ms.cash[dRes] = ms.cash[dRes]! - paid;
  // A CDP mints what it lends.
  if (ms.info.cdp !== undefined) state.minted[dAsset] = state.minted[dAsset]! + paid;
  ms.debt[dSlot]![i] = ms.debt[dSlot]![i]! + scaled;
  ms.scaledDebt[dRes] = ms.scaledDebt[dRes]! + scaled;
  ms.coll[cSlot]![i] = ms.coll[cSlot]![i]! + got;
  ms.custody[cSlot] = ms.custody[cSlot]! + got;
  ms.reach[gi] = Math.max(ms.reach[gi]!, i + 1);
  ms.dirty = true;
  ctx.tally.agentLevers++;
  ctx.tally.agentBorrowedUsd += paid * ms.price[dRes]!;
}
