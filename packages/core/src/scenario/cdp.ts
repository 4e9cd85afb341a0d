// A CDP venue as the lending market the engine runs: the same custody, scan, auctions and loss
// accounting, with the CDP's rules in place of a lending market's.
import type { CdpSpec, LendingSpec, ReserveSpec } from './schema.js';

const FLAT = (rate: number) => ({ base: rate, slope1: 0, kink: 0.8, slope2: 0 });

/**
 * The lending market a CDP runs as. Each collateral is a reserve whose threshold and LTV are
 * 1 / liquidationRatio (a vault at exactly the ratio has health 1) with no bonus (keepers earn the
 * auction's discount, the penalty goes to the system); the stablecoin is the one borrowable
 * reserve, its cash the unminted room under the debt ceilings (minting draws it, repaying returns
 * it), its borrow cap the ceilings' sum, its rate the stability fee at any utilisation. Whole
 * vaults are auctioned (close factor 1) and bad debt is system debt (`deficit`). The penalty,
 * per-collateral ceilings and the surplus buffer are the engine's CDP rules (MarketInfo.cdp).
 */
export function cdpAsLending(v: CdpSpec): LendingSpec {
  const assets: Record<string, ReserveSpec> = {};
  let ceiling = 0;
  for (const [a, c] of Object.entries(v.collateral)) {
    ceiling += c.debtCeiling;
    assets[a] = {
      ltv: 1 / c.liquidationRatio,
      liquidationThreshold: 1 / c.liquidationRatio,
      liquidationBonus: 0,
      protocolFee: 0,
      borrowable: false,
      reserveFactor: 0,
      rateModel: FLAT(0),
    };
  }
  assets[v.stablecoin] = {
    borrowable: true,
    borrowCap: ceiling,
    protocolFee: 0,
    reserveFactor: 0,
    rateModel: FLAT(v.stabilityFee),
  };
  return {
    id: v.id,
    kind: 'lending',
    oracle: v.oracle,
    ...(v.circuitBreakers === undefined ? {} : { circuitBreakers: v.circuitBreakers }),
    assets,
    closeFactor: { default: 1, full: false },
    auction: v.auction,
    badDebt: { coverFrom: 'none', then: 'deficit' },
  };
}
