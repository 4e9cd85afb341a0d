// Running counters a run keeps for the metric suite (per market, per channel, per asset).
import { CHANNELS } from '../events/event-log.js';

/**
 * Counters updated by the liquidation engine. Calls add to the per-step fields; `commitStepTally`
 * adds a finished step into the cumulative ones.
 */
export interface Tally {
  readonly nMarkets: number;
  /** Per market, cumulative: liquidation calls, repaid value (USD), seized value (USD), bad debt booked (USD). */
  readonly liqCount: Float64Array;
  readonly liqNotional: Float64Array;
  readonly seizedValue: Float64Array;
  readonly badDebtValue: Float64Array;
  /** Per market, this step only. */
  readonly stepLiqCount: Float64Array;
  readonly stepLiqNotional: Float64Array;
  readonly stepSeizedValue: Float64Array;
  readonly stepBadDebt: Float64Array;
  /** Per market x channel: repaid value and bad debt booked (USD). */
  readonly channelLiq: Float64Array;
  readonly channelBad: Float64Array;
  /** Per asset: collateral tokens seized and their value at the oracle price (USD). */
  readonly seizedTokens: Float64Array;
  readonly seizedTokenValue: Float64Array;
  /** Per asset: receipt tokens seized that their issuer could not redeem (held by liquidators). */
  readonly unredeemed: Float64Array;
  /** Gas paid by liquidators over the run (USD). */
  gasUsd: number;
  /** Agents: sales that repaid debt and the debt repaid; borrows that bought collateral and what was borrowed (USD at the oracle). */
  agentSells: number;
  agentRepaidUsd: number;
  agentLevers: number;
  agentBorrowedUsd: number;
  rounds: number;
  waves: number;
  roundCapHits: number;
  maxRoundsInStep: number;
  stepRounds: number;
  stepWaves: number;
  /** Eligible rows nobody would take when a step's rounds ended (that step). */
  stepUntaken: number;
}

/** A zeroed tally for `nMarkets` markets and `nAssets` assets. */
export function createTally(nMarkets: number, nAssets: number): Tally {
  const m = () => new Float64Array(nMarkets);
  return {
    nMarkets,
    liqCount: m(),
    liqNotional: m(),
    seizedValue: m(),
    badDebtValue: m(),
    stepLiqCount: m(),
    stepLiqNotional: m(),
    stepSeizedValue: m(),
    stepBadDebt: m(),
    channelLiq: new Float64Array(nMarkets * CHANNELS.length),
    channelBad: new Float64Array(nMarkets * CHANNELS.length),
    seizedTokens: new Float64Array(nAssets),
    seizedTokenValue: new Float64Array(nAssets),
    unredeemed: new Float64Array(nAssets),
    gasUsd: 0,
    agentSells: 0,
    agentRepaidUsd: 0,
    agentLevers: 0,
    agentBorrowedUsd: 0,
    rounds: 0,
    waves: 0,
    roundCapHits: 0,
    maxRoundsInStep: 0,
    stepRounds: 0,
    stepWaves: 0,
    stepUntaken: 0,
  };
}

/** Add the step's counters into the cumulative ones (at the end of each step). */
export function commitStepTally(t: Tally): void {
  const add = (into: Float64Array, from: Float64Array) => {
    for (let i = 0; i < into.length; i++) into[i] = into[i]! + from[i]!;
  };
  add(t.liqCount, t.stepLiqCount);
  add(t.liqNotional, t.stepLiqNotional);
  add(t.seizedValue, t.stepSeizedValue);
  add(t.badDebtValue, t.stepBadDebt);
  t.rounds += t.stepRounds;
  t.waves += t.stepWaves;
  t.maxRoundsInStep = Math.max(t.maxRoundsInStep, t.stepRounds);
}

/** Clear the per-step counters. */
export function resetStepTally(t: Tally): void {
  t.stepLiqCount.fill(0);
  t.stepLiqNotional.fill(0);
  t.stepSeizedValue.fill(0);
  t.stepBadDebt.fill(0);
  t.stepRounds = 0;
  t.stepWaves = 0;
  t.stepUntaken = 0;
}
