// Conservation of every asset over every holder: start + minted = end + burned, no catch-all bucket.
import { Dec } from '@contagion/core';
import type { SimState } from '../state/state.js';
import { perpTotals } from '../perps/perp.js';

/** Holdings of one asset by holder (token units), summed exactly. */
export type Ledger = Map<string, number>;

/**
 * Every holder's balance of every asset: accounts (wallets), each market's cash, custody and
 * treasury, each pool, each liquidator and arbitrageur, and the outside `market`. Returns one row per
 * asset: holder -> amount.
 */
export function ledger(state: SimState): Ledger[] {
  const { model } = state;
  const out: Ledger[] = model.assets.map(() => new Map<string, number>());
  const add = (a: number, holder: string, x: number) => {
    if (x !== 0) out[a]!.set(holder, (out[a]!.get(holder) ?? 0) + x);
  };
  model.assets.forEach((_, a) => add(a, 'accounts', state.wallets[a]!));
  for (const ms of state.markets) {
    const id = ms.info.id;
    ms.info.reserves.forEach((r, ri) => {
      // A CDP's stablecoin "cash" is the room left to mint, not tokens: minting and repaying show
      // as minted and burned instead.
      if (r.debtSlot >= 0 && ms.info.cdp?.stableReserve !== ri) {
        add(r.asset, `${id}:cash`, ms.cash[ri]!);
        add(r.receipt, `${id}:treasury`, ms.treasuryShares[ri]!);
      }
      if (r.collSlot >= 0) {
        add(r.asset, `${id}:custody`, ms.custody[r.collSlot]!);
        add(r.asset, `${id}:treasury`, ms.treasuryColl[r.collSlot]!);
      }
    });
  }
  for (const ps of state.perps) {
    const { id, quote } = ps.info;
    // Accounts' cash is the quote balance less contracts' cost (negative for most longs); the
    // makers hold the other side. Balances of either sign are summed apart, so the audit's scale
    // (the gross holdings) is the scale of the rounding in the sums.
    const t = perpTotals(ps);
    add(quote, `${id}:accounts`, t.positiveCash);
    add(quote, `${id}:accounts-owing`, t.cash - t.positiveCash);
    add(quote, `${id}:makers`, ps.makerCash);
    add(quote, `${id}:insurance`, ps.insurance);
    // Losses nobody covered: the venue holds them as a negative balance.
    add(quote, `${id}:deficit`, -ps.deficit);
    ps.info.collateral.forEach((c, k) => add(c.asset, `${id}:custody`, ps.custody[k]!));
    ps.makerSpot.forEach((x, a) => add(a, `${id}:makers`, x));
  }
  for (const os of state.options) {
    os.holdings.forEach((x, a) => add(a, `${os.info.id}:dealers`, x));
    let margin = 0;
    for (const m of os.writerMargin) margin += m;
    add(os.info.quote, `${os.info.id}:writers`, margin);
    let units = 0;
    for (const u of os.writerUnderlying) units += u;
    add(os.info.asset, `${os.info.id}:writers`, units);
    add(os.info.quote, `${os.info.id}:deficit`, -os.deficit);
  }
  model.pools.forEach((p, i) => {
    add(p.assets[0], p.id, state.poolReserves[2 * i]!);
    add(p.assets[1], p.id, state.poolReserves[2 * i + 1]!);
  });
  model.liquidators.forEach((l, i) =>
    model.assets.forEach((_, a) => add(a, l.id, state.liquidatorHoldings[i]![a]!)),
  );
  model.arbitrageurs.forEach((x, i) =>
    model.assets.forEach((_, a) => add(a, x.id, state.arbHoldings[i]![a]!)),
  );
  model.assets.forEach((_, a) => add(a, 'market', state.marketHoldings[a]!));
  return out;
}

/**
 * A ledger row's sum in floats, compensated (Neumaier): the rounding of the running sum is carried
 * and added back, so the error stays about one unit in the last place of the gross holdings.
 */
function ledgerTotalFloat(row: Ledger): number {
  let s = 0;
  let c = 0;
  for (const x of row.values()) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

/** Exact sum of a ledger row. */
export function ledgerTotal(row: Ledger): InstanceType<typeof Dec> {
  let s = new Dec(0);
  for (const x of row.values()) s = s.plus(x);
  return s;
}

/** One asset's audit line (token units). */
export interface AssetAudit {
  readonly start: number;
  readonly minted: number;
  readonly end: number;
  readonly burned: number;
  /** |start + minted - end - burned| / max(1, gross holdings at the start or the end), gross = sum of |balance|. */
  readonly relativeError: number;
}

/** The audit of a run. */
export interface ConservationAudit {
  readonly ok: boolean;
  /** Largest relative error across assets; the tolerance below is what `ok` compares it with. */
  readonly maxRelativeError: number;
  readonly tolerance: number;
  /** The step this audit was taken after (the worst step with a per-step audit). */
  readonly step: number;
  readonly assets: Readonly<Record<string, AssetAudit>>;
}

/** Relative tolerance of the float engine's ledger (accumulated rounding over many operations). */
export const CONSERVATION_TOLERANCE = 1e-9;

/** Largest relative gap between a market's custody total and the sum of its positions' column. */
function custodySums(state: SimState): number {
  let worst = 0;
  for (const ms of state.markets) {
    ms.coll.forEach((col, k) => {
      let s = 0;
      for (let i = 0; i < ms.rows; i++) s += col[i]!;
      // Scale by the larger of the start and end totals: a drained custody is judged by what it held.
      const ref = Math.max(1, Math.abs(ms.custody[k]!), state.model.custody[ms.index]![k]!);
      worst = Math.max(worst, Math.abs(s - ms.custody[k]!) / ref);
    });
  }
  return worst;
}

/**
 * Perpetual venues: contracts held by accounts and makers sum to zero, and custody equals the sum
 * of the accounts' collateral columns. Largest relative gap.
 */
function perpSums(state: SimState): number {
  let worst = 0;
  for (const ps of state.perps) {
    const t = perpTotals(ps);
    const gross = Math.max(1, t.gross + Math.abs(ps.makerSize));
    worst = Math.max(worst, Math.abs(t.size + ps.makerSize) / gross);
    ps.coll.forEach((col, k) => {
      let s = 0;
      for (let i = 0; i < ps.rows; i++) s += col[i]!;
      const ref = Math.max(1, s, ps.custody[k]!, ps.startCustody[k]!);
      worst = Math.max(worst, Math.abs(s - ps.custody[k]!) / ref);
    });
  }
  return worst;
}

/**
 * The debt side: each reserve's total scaled debt against the sum of its rows' column, and its bad
 * debt booked against who bore it (covered + socialised + deficit + latent). Largest relative gap.
 */
function debtSums(state: SimState): number {
  let worst = 0;
  for (const ms of state.markets) {
    const start = state.model.reserveBalances[ms.index]!;
    ms.info.debtReserves.forEach((ri, k) => {
      let s = 0;
      const col = ms.debt[k]!;
      for (let i = 0; i < ms.rows; i++) s += col[i]!;
      const ref = Math.max(1, start[ri]!.debt, Math.abs(ms.scaledDebt[ri]!));
      worst = Math.max(worst, Math.abs(s - ms.scaledDebt[ri]!) / ref);
      const split =
        ms.badDebtCovered[ri]! +
        ms.badDebtSocialised[ri]! +
        ms.deficit[ri]! +
        ms.badDebtLatent[ri]!;
      worst = Math.max(
        worst,
        Math.abs(ms.badDebtBooked[ri]! - split) / Math.max(1, ms.badDebtBooked[ri]!),
      );
    });
  }
  return worst;
}

/**
 * Compare the ledger at the start with the ledger now: for every asset, start + minted must equal
 * end + burned, summed exactly (decimal) over every holder, within {@link CONSERVATION_TOLERANCE}.
 * Custody totals are also checked against the sum of the positions' columns.
 */
export function auditConservation(
  start: readonly Ledger[],
  state: SimState,
  step = 0,
  exact = true,
): ConservationAudit {
  const end = ledger(state);
  const assets: Record<string, AssetAudit> = {};
  let worst = Math.max(custodySums(state), debtSums(state), perpSums(state));
  // A balance that is not a finite number is a broken ledger, whatever the sums say.
  for (const row of end) for (const x of row.values()) if (!Number.isFinite(x)) worst = Infinity;
  state.model.assets.forEach((info, a) => {
    const minted = state.minted[a]!;
    const burned = state.burned[a]!;
    // Rounding grows with the largest balances involved (a holder can go far negative while another
    // goes far positive), so errors are relative to the gross holdings, not only the net totals.
    const gross = (row: Ledger) => {
      let g = 0;
      for (const x of row.values()) g += Math.abs(x);
      return g;
    };
    const scale = Math.max(1, gross(start[a]!), gross(end[a]!));
    const supply =
      info.kind === 'receipt'
        ? state.markets[info.issuer!]!.receiptSupply[info.issuerReserve!]!
        : NaN;
    let sN: number;
    let eN: number;
    let rel: number;
    let supplyGap = 0;
    if (exact) {
      const sD = ledgerTotal(start[a]!);
      const eD = ledgerTotal(end[a]!);
      rel = sD.plus(minted).minus(eD).minus(burned).abs().div(scale).toNumber();
      if (info.kind === 'receipt') supplyGap = eD.minus(supply).abs().div(scale).toNumber();
      sN = sD.toNumber();
      eN = eD.toNumber();
    } else {
      // Sweeps: compensated float sums, within about 1e-16 of the gross holdings (far inside the
      // tolerance), at a fraction of the decimals' cost.
      sN = ledgerTotalFloat(start[a]!);
      eN = ledgerTotalFloat(end[a]!);
      rel = Math.abs(sN + minted - eN - burned) / scale;
      if (info.kind === 'receipt') supplyGap = Math.abs(eN - supply) / scale;
    }
    worst = Math.max(worst, rel, supplyGap);
    assets[info.id] = { start: sN, minted, end: eN, burned, relativeError: rel };
  });
  return {
    ok: worst <= CONSERVATION_TOLERANCE,
    maxRelativeError: worst,
    tolerance: CONSERVATION_TOLERANCE,
    step,
    assets,
  };
}
