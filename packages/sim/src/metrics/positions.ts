// Per-account final state: every position's collateral and debt, its health and what happened to it.
import { accountId } from '@contagion/core';
import { FLAG_BAD_DEBT, FLAG_LIQUIDATED, type SimState } from '../state/state.js';
import { rowHealth } from '../liquidation/scan.js';

/** One holding of one position: an asset pledged or owed by an account in a market. */
export interface PositionRow {
  readonly account: string;
  readonly venue: string;
  readonly asset: string;
  /** `closed` for a position left with nothing (its one row keeps what happened to it). */
  readonly role: 'collateral' | 'debt' | 'closed';
  /** Token units (debt includes accrued interest). */
  readonly amount: number;
  /** USD at the market's last oracle prices. */
  readonly value: number;
  /** The position's health factor at those prices (Infinity without debt). */
  readonly health: number;
  readonly liquidated: boolean;
  readonly badDebt: boolean;
}

/**
 * The positions of `state` as it stands (after a run: the end of it), one row per non-zero holding
 * (one `closed` row for a position left with nothing), in market and book order. Oracle prices are
 * the ones the run last read.
 */
export function positionRows(state: SimState): PositionRow[] {
  const out: PositionRow[] = [];
  const { model } = state;
  for (const ms of state.markets) {
    const venue = ms.info.id;
    for (let i = 0; i < ms.rows; i++) {
      const account = accountId(model, ms.account[i]!);
      const health = rowHealth(ms, i);
      const liquidated = (ms.flags[i]! & FLAG_LIQUIDATED) !== 0;
      const badDebt = (ms.flags[i]! & FLAG_BAD_DEBT) !== 0;
      const base = { account, venue, health, liquidated, badDebt };
      const before = out.length;
      ms.info.collReserves.forEach((ri, k) => {
        const amount = ms.coll[k]![i]!;
        if (amount === 0) return;
        const asset = model.assets[ms.info.reserves[ri]!.asset]!.id;
        out.push({ ...base, asset, role: 'collateral', amount, value: amount * ms.price[ri]! });
      });
      ms.info.debtReserves.forEach((ri, k) => {
        const amount = ms.debt[k]![i]! * ms.borrowIndex[ri]!;
        if (amount === 0) return;
        const asset = model.assets[ms.info.reserves[ri]!.asset]!.id;
        out.push({ ...base, asset, role: 'debt', amount, value: amount * ms.price[ri]! });
      });
      if (out.length === before)
        out.push({ ...base, asset: '', role: 'closed', amount: 0, value: 0 });
    }
  }
  return out;
}
