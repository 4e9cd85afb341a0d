// Accounts that act on their positions during a run, by the strategy their population names.
import { InvalidArgumentError } from '@contagion/core';
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
 * The rows agents act on (rows in mixed groups are left out), with each population's strategy
 * looked up and its parameters checked. Throws InvalidArgumentError naming the scenario path of an
 * unknown strategy or a bad parameter.
 */
export function agentTables(state: SimState): AgentTables {
  const model = state.model;
  const strategies = model.accountGroups.map((g) => {
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
    return s;
  });
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
 * Each agent's position, in book order: ask its strategy how much collateral to sell, then sell it
 * (to the market, or into the agent's pool) and repay debt with the proceeds; a surplus goes to the
 * accounts' wallets. A sale that would lower the collateral/debt ratio is skipped: the book's
 * bounded scans rely on untouched rows' ratios only rising.
 */
export function actAgents(ctx: RunContext, tables: AgentTables): void {
  const { state } = ctx;
  const groups = state.model.accountGroups;
  for (const ms of state.markets) {
    const rows = tables.rows[ms.index]!;
    for (let j = 0; j < rows.length; j++) {
      const i = rows[j]!;
      const cSlot = tables.cSlot[ms.index]![j]!;
      const dSlot = tables.dSlot[ms.index]![j]!;
      const gi = tables.group[ms.index]![j]!;
      const agent = groups[gi]!.agent!;
      const strategy = tables.strategies[gi]!;
      const c = ms.coll[cSlot]![i]!;
      const s = ms.debt[dSlot]![i]!;
      if (!(c > 0 && s > 0)) continue;
      const cRes = ms.info.collReserves[cSlot]!;
      const dRes = ms.info.debtReserves[dSlot]!;
      const cAsset = ms.info.reserves[cRes]!.asset;
      const dAsset = ms.info.reserves[dRes]!.asset;
      const index = ms.borrowIndex[dRes]!;
      const owed = s * index;
      const cw = ms.collW[cSlot]!;
      const dw = ms.debtW[dSlot]!;
      const side = agent.sellTo >= 0 ? poolSide(state, agent.sellTo, cAsset) : -1;
      const proceeds = (q: number): number =>
        side >= 0
          ? poolQuote(state, agent.sellTo, side, q)
          : marketQuote(state, cAsset, q) / state.marketPrice[dAsset]!;
      const healthAfter = (q: number): number => {
        const left = s - Math.min(proceeds(q), owed) / index;
        return left <= 0 ? Infinity : ((c - q) * cw) / (left * dw);
      };
      const sellAll = largestBelow((q) => proceeds(q) - owed, c);
      // Buying collateral with b debt tokens: into the pool, or from the market at its impact.
      const dSide = side >= 0 ? poolSide(state, agent.sellTo, dAsset) : -1;
      const bought = (b: number): number =>
        b <= 0
          ? 0
          : dSide >= 0
            ? poolQuote(state, agent.sellTo, dSide, b)
            : largestBelow(
                (x) => -marketQuote(state, cAsset, -x) - b * state.marketPrice[dAsset]!,
                b * 1e6,
              );
      const healthAfterLever = (b: number): number =>
        ((c + bought(b)) * cw) / ((s + b / index) * dw);
      const r = ms.info.reserves;
      const ltv = r[cRes]!.ltv;
      const pc = ms.price[cRes]!;
      const pd = ms.price[dRes]!;
      const room = Math.max(
        0,
        Math.min(ms.cash[dRes]!, r[dRes]!.borrowCap - reserveDebt(ms, dRes)),
      );
      const maxLever = largestBelow((b) => (owed + b) * pd - ltv * (c + bought(b)) * pc, room);
      const view: PositionView = {
        step: ctx.step,
        collateral: c,
        debt: owed,
        collateralPrice: pc,
        debtPrice: pd,
        startCollateralPrice: ctx.oracleHist[ms.index]![cRes]!,
        threshold: r[cRes]!.liquidationThreshold,
        health: (c * cw) / (s * dw),
        proceeds,
        healthAfter,
        sellAll,
        healthAfterLever,
        maxLever,
      };
      const q = Math.min(sellAll, Math.max(0, strategy.sell(view, agent.params)));
      if (!(q > 0)) {
        const b = Math.min(maxLever, Math.max(0, strategy.lever?.(view, agent.params) ?? 0));
        if (b > 0)
          lever(
            ctx,
            ms,
            tables.bookGroup[ms.index]![j]!,
            i,
            cSlot,
            dSlot,
            agent.sellTo,
            dSide,
            bought(b),
          );
        continue;
      }
      const repaid = Math.min(proceeds(q), owed);
      if ((c - q) * s < c * (s - repaid / index)) continue; // the ratio would fall
      ms.coll[cSlot]![i] = c - q;
      ms.custody[cSlot] = ms.custody[cSlot]! - q;
      const got =
        side >= 0 ? poolSwap(state, agent.sellTo, side, q) : marketTrade(state, cAsset, q, dAsset);
      const repay = Math.min(got, owed);
      const scaled = repay / index;
      const left = s - scaled;
      ms.debt[dSlot]![i] = Math.abs(left) <= s * 1e-12 ? 0 : left;
      ms.scaledDebt[dRes] = ms.scaledDebt[dRes]! - scaled;
      ms.cash[dRes] = ms.cash[dRes]! + repay;
      state.wallets[dAsset] = state.wallets[dAsset]! + (got - repay);
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
  ms.debt[dSlot]![i] = ms.debt[dSlot]![i]! + scaled;
  ms.scaledDebt[dRes] = ms.scaledDebt[dRes]! + scaled;
  ms.coll[cSlot]![i] = ms.coll[cSlot]![i]! + got;
  ms.custody[cSlot] = ms.custody[cSlot]! + got;
  ms.reach[gi] = Math.max(ms.reach[gi]!, i + 1);
  ms.dirty = true;
  ctx.tally.agentLevers++;
  ctx.tally.agentBorrowedUsd += paid * ms.price[dRes]!;
}
