// The standard metric suite of one run, computed the same way for every venue.
import type { Model } from '@contagion/core';
import { CHANNELS } from '../events/event-log.js';
import type { ConservationAudit } from '../audit/conservation.js';
import type { VenueReach } from './reach.js';
import type { WriterGroupMetrics } from '../options/options.js';
import type { NetworkMeasures } from '../networks/defi.js';

/** Drawdowns of one base asset (fractions of the starting price). */
export interface PriceMetrics {
  readonly start: number;
  readonly exogenousTrough: number;
  readonly realisedTrough: number;
  /** 1 - exogenous trough / start. */
  readonly exogenousDrawdown: number;
  /** 1 - market-price trough / start: the shock plus the impact of every sale to the market. */
  readonly realisedDrawdown: number;
  /** realised / exogenous drawdown (null when the exogenous path never fell). */
  readonly amplification: number | null;
  /** Drawdown of each pool's spot price of the asset, by pool id. */
  readonly pools: Readonly<Record<string, number>>;
  /** Drawdown of the price each lending market's oracle read, by market id. */
  readonly oracles: Readonly<Record<string, number>>;
}

/** How far the pools pairing a pegged asset with its peg moved it from par. */
export interface PegMetrics {
  /** The asset it is a claim on (`USD` for a stablecoin). */
  readonly peg: string;
  /**
   * Per pool pairing it with its peg (a stablecoin: with another stablecoin): its spot in units of
   * the other pool asset (1 = par).
   */
  readonly pools: Readonly<
    Record<string, { readonly start: number; readonly trough: number; readonly depth: number }>
  >;
}

/** Bad debt of one reserve, split by who bore it (token units of the borrowed asset). */
export interface ReserveBadDebt {
  readonly booked: number;
  readonly coveredByTreasury: number;
  readonly socialised: number;
  readonly deficit: number;
  readonly latent: number;
}

/** Liquidated value and bad debt attributed to one channel (USD). */
export interface ChannelMetrics {
  readonly liquidated: number;
  readonly badDebt: number;
}

/** summary.json (the metric suite plus provenance). Keys are stable. */
/**
 * One perpetual (or dated-futures) venue over the run. Amounts in its quote asset; prices in quote
 * units per contract.
 */
export interface PerpMetrics {
  readonly asset: string;
  readonly quote: string;
  /** Positions liquidated and their notional at the mark. */
  readonly liquidations: { readonly count: number; readonly notional: number };
  /** The fund at the start and end, what it paid for bankruptcies, and fees it took in. */
  readonly insuranceFund: {
    readonly start: number;
    readonly end: number;
    readonly drawn: number;
    readonly fees: number;
  };
  /** Auto-deleveraging: opposite positions reduced, their notional at the mark, and what they gave up against the mark. */
  readonly adl: { readonly count: number; readonly notional: number; readonly lossVsMark: number };
  /** Funding paid by the paying side (makers included). */
  readonly fundingPaid: number;
  /** Losses neither the account, the fund nor ADL covered. */
  readonly deficit: number;
  /** Open interest (contracts held long x mark). */
  readonly openInterest: { readonly start: number; readonly end: number };
  readonly mark: { readonly start: number; readonly trough: number; readonly end: number };
  readonly index: { readonly start: number; readonly trough: number; readonly end: number };
  /** Cross-margin collateral sold in liquidations: tokens and the quote they raised. */
  readonly collateralSold: Readonly<
    Record<string, { readonly amount: number; readonly proceeds: number }>
  >;
}

/** One options venue over the run: its dealers' exposures and hedging (USD unless named). */
export interface OptionsMetrics {
  readonly asset: string;
  readonly dealers: number;
  /** Dealers' dollar gamma per 1% move (negative: short gamma): at step 0, at the end, the lowest. */
  readonly gammaExposure: { readonly start: number; readonly end: number; readonly min: number };
  /** Dealers' vega per vol point, at step 0 and at the end. */
  readonly vegaExposure: { readonly start: number; readonly end: number };
  /** The smile's ATM volatility at step 0 and at the end (it moves with the spot). */
  readonly atmVol: { readonly start: number; readonly end: number };
  /** Dealers' theta per day (USD; what their options gain (> 0) or lose in a day at unchanged spot and vol). */
  readonly thetaPerDay: { readonly start: number; readonly end: number };
  /** Realised volatility of the spot (annualised EWMA; starts at the ATM level). */
  readonly realisedVol: { readonly start: number; readonly end: number; readonly max: number };
  /** Hedge trades: USD traded in all, and asset units bought net (negative: sold). */
  readonly hedgeVolume: number;
  readonly hedgeNet: number;
  /** The share of the asset's market price the hedges' net sales took: at the end, and the most. */
  readonly hedgeImpact: { readonly end: number; readonly max: number };
  /**
   * Accounts writing options: how many positions, how many were liquidated (bought back), the value
   * bought back and what margin did not cover (with expiry settlements), in the quote asset.
   */
  readonly writers: {
    readonly positions: number;
    readonly liquidations: number;
    readonly boughtBack: number;
    readonly deficit: number;
    /** Premiums collected, payouts made (settlements and buy-backs), their difference, and rolls. */
    readonly premiums: number;
    readonly payouts: number;
    readonly netIncome: number;
    readonly rolls: number;
    /** Writers' dollar gamma per 1% move and vega per vol point (USD, short: negative), at step 0 and at the end. */
    readonly gammaExposure: { readonly start: number; readonly end: number };
    readonly vegaExposure: { readonly start: number; readonly end: number };
    /** Writers' theta per day (USD; the time decay short options earn, > 0). */
    readonly thetaPerDay: { readonly start: number; readonly end: number };
    /** The same per population (or listed accounts), with capital at the start and the yield on it. */
    readonly byGroup: Readonly<Record<string, WriterGroupMetrics>>;
  };
}

/** One CDP over the run, in units of its stablecoin. */
export interface CdpMetrics {
  readonly stablecoin: string;
  /** Stablecoin owed by the vaults (with the stability fee accrued) at step 0 and at the end. */
  readonly debt: { readonly start: number; readonly end: number };
  /** The sum of the collateral debt ceilings. */
  readonly debtCeiling: number;
  /** Liquidation penalties the auctions raised. */
  readonly penaltyIncome: number;
  /** The surplus at the start (the buffer) and at the end (plus penalties, less bad debt covered). */
  readonly surplus: { readonly start: number; readonly end: number };
  /** System debt the auctions left (debt the collateral could not raise), and what the surplus covered. */
  readonly auctionShortfall: number;
  readonly coveredBySurplus: number;
  /** System debt left after the surplus: Maker's debt auctions would mint governance tokens for it. */
  readonly deficit: number;
}

export interface Summary {
  readonly scenario: { readonly name: string; readonly hash: string };
  readonly seed: number;
  readonly version: string;
  readonly nodeMajor: number;
  readonly steps: number;
  readonly stepLength: string;
  readonly accounts: number;
  readonly positions: number;
  readonly liquidations: {
    readonly count: number;
    /** Debt repaid by liquidators, USD at the oracle price of each call. */
    readonly notional: number;
    /** Collateral seized per asset: tokens and USD value at the oracle price. */
    readonly collateralSold: Readonly<
      Record<string, { readonly amount: number; readonly value: number }>
    >;
    readonly byVenue: Readonly<
      Record<string, { readonly count: number; readonly notional: number }>
    >;
    /** Gas liquidators paid for the calls they took (USD; a cost to them, outside the ledger). */
    readonly gasUsd: number;
    /** Positions (account and market) still eligible when the last step's rounds ended, untaken. */
    readonly untakenAtEnd: number;
  };
  readonly rounds: number;
  readonly waves: number;
  readonly roundCapHits: number;
  readonly maxRoundsInStep: number;
  readonly prices: Readonly<Record<string, PriceMetrics>>;
  /**
   * What accounts with a strategy did: sales that repaid debt and the debt repaid; borrows that
   * bought collateral and the amount borrowed (USD at the oracle).
   */
  readonly agents: {
    readonly sells: number;
    readonly repaidUsd: number;
    readonly levers: number;
    readonly borrowedUsd: number;
  };
  /** Per perpetual or dated-futures venue. */
  readonly perps: Readonly<Record<string, PerpMetrics>>;
  /** Per CDP. */
  readonly cdps: Readonly<Record<string, CdpMetrics>>;
  /** Per options venue. */
  readonly options: Readonly<Record<string, OptionsMetrics>>;
  /** Per pegged asset: depeg in the pools that pair it with its peg. */
  readonly pegs: Readonly<Record<string, PegMetrics>>;
  /** Per lending market with circuit breakers: steps with liquidations halted, and the first. */
  readonly circuitBreakers: Readonly<
    Record<string, { readonly haltedSteps: number; readonly firstHalt: number | null }>
  >;
  readonly badDebt: {
    /** Booked bad debt over all venues (USD at the oracle price when booked). */
    readonly total: number;
    readonly byVenue: Readonly<Record<string, number>>;
    /** Uncovered debt of open positions at the end (USD), per venue. */
    readonly latent: Readonly<Record<string, number>>;
    /** Per venue, per borrowed asset: who bore it (token units). */
    readonly byReserve: Readonly<Record<string, Readonly<Record<string, ReserveBadDebt>>>>;
  };
  readonly byChannel: Readonly<Record<string, Readonly<Record<string, ChannelMetrics>>>>;
  readonly reach: {
    readonly venuesReached: readonly string[];
    readonly contagionDepth: number;
    readonly materiality: number;
    readonly venues: readonly VenueReach[];
  };
  readonly leverage: {
    readonly system: { readonly start: number; readonly end: number; readonly peak: number };
    /** Gross leverage across lending and perp venues (steps.csv's system `grossLeverage`). */
    readonly gross: { readonly start: number; readonly end: number; readonly peak: number };
    /**
     * USD delta to base and pegged assets through leveraged positions and dealers (`deltaExposure`),
     * and dealers' vega per vol point, at step 0 and at the end.
     */
    readonly delta: { readonly start: number; readonly end: number };
    readonly vega: { readonly start: number; readonly end: number };
    readonly rehypothecation: { readonly start: number; readonly end: number };
  };
  readonly liquidity: {
    /** Seized receipt tokens their issuer could not redeem, per token (held by liquidators). */
    readonly unredeemed: Readonly<Record<string, number>>;
  };
  /** Underlying per receipt token at the start and the end (end null when no token is left). */
  readonly receiptRates: Readonly<
    Record<string, { readonly start: number; readonly end: number | null }>
  >;
  readonly conservation: ConservationAudit;
  /** With `networkMeasures`: the literature's measures on the collateral graph. */
  readonly networkMeasures?: NetworkMeasures;
}

/** Empty per-channel table for every market. */
export function channelTable(
  model: Model,
  liq: Float64Array,
  bad: Float64Array,
): Record<string, Record<string, ChannelMetrics>> {
  const out: Record<string, Record<string, ChannelMetrics>> = {};
  model.markets.forEach((m, mi) => {
    const row: Record<string, ChannelMetrics> = {};
    CHANNELS.forEach((c, k) => {
      row[c] = {
        liquidated: liq[mi * CHANNELS.length + k]!,
        badDebt: bad[mi * CHANNELS.length + k]!,
      };
    });
    out[m.id] = row;
  });
  return out;
}
