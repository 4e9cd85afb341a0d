// Reserve accounting of a lending market: interest, exchange rate, redemptions and bad debt.
import { borrowRate } from '@contagion/core';
import type { MarketState, SimState } from '../state/state.js';

/** Total debt of reserve `r` (underlying units). */
export function reserveDebt(ms: MarketState, r: number): number {
  return ms.scaledDebt[r]! * ms.borrowIndex[r]!;
}

/**
 * Underlying per receipt token: (cash + debt + booked deficit) / supply. Under the `deficit` loss
 * model the deficit stays counted, so the token stays at par while claims exceed assets; under
 * `socialise` bad debt leaves the debt and lowers the rate; under `latent` the debt stays on the books.
 */
export function exchangeRate(ms: MarketState, r: number): number {
  const supply = ms.receiptSupply[r]!;
  if (supply <= 0) return 1;
  return (ms.cash[r]! + reserveDebt(ms, r) + ms.deficit[r]!) / supply;
}

/** Utilisation = debt / (cash + debt). */
export function utilisation(ms: MarketState, r: number): number {
  const d = reserveDebt(ms, r);
  const total = ms.cash[r]! + d;
  return total > 0 ? d / total : 0;
}

/**
 * Accrue one step of interest on every borrowable reserve: the borrow index grows by rate x dt
 * (annual rate from the kinked model at current utilisation); the treasury receives receipt tokens
 * worth reserveFactor x interest, minted at the post-accrual rate.
 */
export function accrueInterest(state: SimState, ms: MarketState, dt: number): void {
  for (const ri of ms.info.debtReserves) {
    const res = ms.info.reserves[ri]!;
    const before = reserveDebt(ms, ri);
    if (before <= 0) continue;
    const rate = borrowRate(res.rateModel, utilisation(ms, ri));
    ms.borrowIndex[ri] = ms.borrowIndex[ri]! * (1 + rate * dt);
    const interest = reserveDebt(ms, ri) - before;
    const toTreasury = interest * res.reserveFactor;
    if (toTreasury > 0) {
      // Shares s such that the rate after minting equals (assets) / (supply + s) with the treasury's
      // claim worth toTreasury: s = toTreasury x supply / (assets - toTreasury).
      const assets = ms.cash[ri]! + reserveDebt(ms, ri) + ms.deficit[ri]!;
      const shares = (toTreasury * ms.receiptSupply[ri]!) / (assets - toTreasury);
      ms.receiptSupply[ri] = ms.receiptSupply[ri]! + shares;
      ms.treasuryShares[ri] = ms.treasuryShares[ri]! + shares;
      state.minted[res.receipt] = state.minted[res.receipt]! + shares;
    }
  }
}

/**
 * Redeem `shares` receipt tokens of reserve `r` for underlying, limited by the reserve's cash.
 * Returns the underlying paid; the shares burned are paid / rate (the rest stay with the holder).
 */
export function redeem(state: SimState, ms: MarketState, r: number, shares: number): number {
  const rate = exchangeRate(ms, r);
  const paid = Math.min(shares * rate, ms.cash[r]!);
  if (paid <= 0) return 0;
  const burned = Math.min(shares, paid / rate);
  ms.cash[r] = ms.cash[r]! - paid;
  ms.receiptSupply[r] = ms.receiptSupply[r]! - burned;
  const rec = ms.info.reserves[r]!.receipt;
  state.burned[rec] = state.burned[rec]! + burned;
  return paid;
}

/** Underlying obtainable now for `shares` (what {@link redeem} would pay). */
export function redeemQuote(ms: MarketState, r: number, shares: number): number {
  return Math.min(shares * exchangeRate(ms, r), Math.max(0, ms.cash[r]!));
}

/**
 * A CDP's surplus and deficit cancel (Maker's vow heals them): whatever of each is there at once
 * is taken from both, the deficit's share moving to what the surplus covered.
 */
export function healCdp(ms: MarketState, r: number): void {
  const h = Math.min(ms.surplus[r]!, ms.deficit[r]!);
  if (!(h > 0)) return;
  ms.surplus[r] = ms.surplus[r]! - h;
  ms.deficit[r] = ms.deficit[r]! - h;
  ms.badDebtCovered[r] = ms.badDebtCovered[r]! + h;
}

/**
 * Book `amount` of bad debt (underlying) on reserve `r` for a row whose collateral is exhausted.
 * The treasury's receipt tokens cover first where the market says so (burned at the current rate);
 * a CDP's surplus covers first in a CDP;
 * the rest follows the loss model: socialise (debt written off, the rate falls), deficit (written
 * off and booked as a deficit, the rate holds) or latent (left as debt on the row). Returns the
 * amount that stays on the row as debt (latent), in underlying.
 */
export function bookBadDebt(state: SimState, ms: MarketState, r: number, amount: number): number {
  ms.badDebtBooked[r] = ms.badDebtBooked[r]! + amount;
  let cover = 0;
  if (ms.info.cdp !== undefined) {
    // A CDP's surplus (its buffer and the penalties raised) absorbs system debt first.
    cover = Math.min(amount, ms.surplus[r]!);
    ms.surplus[r] = ms.surplus[r]! - cover;
    ms.badDebtCovered[r] = ms.badDebtCovered[r]! + cover;
  } else if (ms.info.coverFromTreasury && ms.treasuryShares[r]! > 0) {
    const rate = exchangeRate(ms, r);
    cover = Math.min(amount, ms.treasuryShares[r]! * rate);
    const shares = Math.min(ms.treasuryShares[r]!, cover / rate);
    ms.treasuryShares[r] = ms.treasuryShares[r]! - shares;
    ms.receiptSupply[r] = ms.receiptSupply[r]! - shares;
    const rec = ms.info.reserves[r]!.receipt;
    state.burned[rec] = state.burned[rec]! + shares;
    ms.badDebtCovered[r] = ms.badDebtCovered[r]! + cover;
  }
  const rest = amount - cover;
  switch (ms.info.lossModel) {
    case 'socialise': {
      ms.badDebtSocialised[r] = ms.badDebtSocialised[r]! + rest;
      // The write-off (by the caller) lowers the rate by rest / (assets left after the cover).
      const assets = ms.cash[r]! + reserveDebt(ms, r) + ms.deficit[r]! - cover;
      if (assets > 0) ms.lossFactor[r] = ms.lossFactor[r]! * Math.max(0, (assets - rest) / assets);
      return 0;
    }
    case 'deficit':
      ms.deficit[r] = ms.deficit[r]! + rest;
      return 0;
    case 'latent':
      ms.badDebtLatent[r] = ms.badDebtLatent[r]! + rest;
      return rest;
  }
}
