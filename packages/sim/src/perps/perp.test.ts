// Perpetual and dated futures, worked by hand: funding, liquidation through the book, the insurance
// fund, auto-deleveraging, cross-margin collateral priced on a thin pool, expiry, bad input.
import { buildModel, validateScenario, type ScenarioInput } from '@contagion/core';
import { scenarioError } from '../../../core/src/internal/testing.js';
import { describe, expect, it } from 'vitest';
import { createRunner, eventAccount } from '../run/simulate.js';
import { CHANNELS, CLOSED_IN_BOOK, SETTLED, VENUE_ENGINE } from '../events/event-log.js';
import { fundingRate, type PerpState } from './perp.js';

type Venue = Record<string, unknown>;
type Position = Record<string, unknown>;

/**
 * ETH at 2000, USDT and USDe at 1; one perpetual venue `perp` and the given accounts. Funding is off
 * (interest 0 with no premium gives a zero rate) unless a test sets it, or the venue has an expiry.
 */
function scenario(
  perp: Venue,
  accounts: { id: string; positions: Position[] }[],
  extra: Partial<ScenarioInput> = {},
): ScenarioInput {
  return {
    version: 1,
    name: 'perp test',
    steps: 2,
    assets: [
      { id: 'ETH', kind: 'base', price: 2000 },
      { id: 'USDT', kind: 'stable', price: 1 },
      { id: 'USDe', kind: 'stable', price: 1 },
    ],
    venues: [
      {
        id: 'perp',
        kind: 'perp',
        asset: 'ETH',
        quote: 'USDT',
        initialMargin: 0.05,
        maintenanceMargin: 0.025,
        ...('expiry' in perp ? {} : { funding: { interestRate: 0 } }),
        ...perp,
      } as ScenarioInput['venues'] extends (infer V)[] | undefined ? V : never,
    ],
    accounts: accounts as ScenarioInput['accounts'],
    ...extra,
  };
}

function run(input: ScenarioInput) {
  const model = buildModel(validateScenario(input, 'perp.yaml'), 'perp.yaml');
  const runner = createRunner(model);
  const result = runner.run({ auditEachStep: true });
  const ps = runner.state.perps[0]!;
  const row = (id: string) => model.explicitIds.indexOf(id);
  const equity = (id: string) => ps.cash[row(id)]! + ps.size[row(id)]! * ps.mark;
  return { result, ps, row, equity };
}

const long = (id: string, margin: number, contracts: number) => ({
  id,
  positions: [{ venue: 'perp', margin: { USDT: margin }, long: contracts }],
});
const short = (id: string, margin: number, contracts: number) => ({
  id,
  positions: [{ venue: 'perp', margin: { USDT: margin }, short: contracts }],
});
const drop = (change: number) => ({ ETH: { shocks: [{ step: 1, change }] } });

describe('funding', () => {
  it('follows premium + clamp(interest - premium, -clamp, clamp), capped', () => {
    const { ps } = run(scenario({ funding: {} }, [long('a', 1000, 1)]));
    const at = (premium: number) => fundingRate({ ...ps, premium } as PerpState);
    // Premium 0: the interest rate 0.01% (inside the clamp).
    expect(at(0)).toBeCloseTo(0.0001, 15);
    // Premium 0.1%: 0.001 + clamp(0.0001 - 0.001 = -0.0009) = 0.001 - 0.0005 = 0.0005.
    expect(at(Math.log(1.001))).toBeCloseTo(0.0005, 12);
    // Premium -2%: -0.02 + 0.0005 = -0.0195, capped at -0.75%.
    expect(at(Math.log(0.98))).toBeCloseTo(-0.0075, 15);
  });

  it('longs pay shorts size x mark x rate x step / interval every step', () => {
    // 8 steps of 1h on an 8h interval: one whole interval at 0.01% on 2000 x 1 contract = 0.2.
    const { result, equity } = run(
      scenario({ funding: {} }, [long('a', 1000, 1), short('b', 1000, 1)], { steps: 8 }),
    );
    expect(equity('a')).toBeCloseTo(999.8, 9);
    expect(equity('b')).toBeCloseTo(1000.2, 9);
    expect(result.summary.perps.perp!.fundingPaid).toBeCloseTo(0.2, 12);
    expect(result.summary.conservation.ok).toBe(true);
  });

  it('makers holding the net position pay or receive the rest', () => {
    // Only a long: the makers are short 1 and receive its 0.2.
    const { result, ps } = run(scenario({ funding: {} }, [long('a', 1000, 1)], { steps: 8 }));
    expect(ps.makerSize).toBe(-1);
    expect(ps.makerCash).toBeCloseTo(2000.2, 9);
    expect(result.summary.perps.perp!.fundingPaid).toBeCloseTo(0.2, 12);
  });
});

describe('liquidation', () => {
  it('closes in the book at the mark and pays the fee from what is left', () => {
    // Margin 100 on 1 contract at 2000. At 1940 (-3%): equity 100 - 60 = 40 < 2.5% x 1940 = 48.5.
    // Closed at 1940: balance 40; fee 1% x 1940 = 19.4 to the fund; 20.6 back to the account.
    const { result, ps, row } = run(
      scenario({ liquidationFee: 0.01, insuranceFund: 1000 }, [long('a', 100, 1)], {
        prices: drop(-0.03),
      }),
    );
    const m = result.summary.perps.perp!;
    expect(m.liquidations.count).toBe(1);
    expect(m.liquidations.notional).toBeCloseTo(1940, 9);
    expect(ps.cash[row('a')]).toBeCloseTo(20.6, 9);
    expect(ps.size[row('a')]).toBe(0);
    expect(m.insuranceFund.fees).toBeCloseTo(19.4, 9);
    expect(m.insuranceFund.end).toBeCloseTo(1019.4, 9);
    expect(result.summary.liquidations.byVenue.perp!.count).toBe(1);
    // The event: venue after the (no) markets, the contracts, the fee, the notional at the mark,
    // the quote raised in the book, closed in the book, the shock channel (ETH's own move).
    const e = result.events.get(0);
    expect(result.events.length).toBe(1);
    expect(e.market).toBe(0);
    expect(eventAccount(result, 0)).toBe(row('a'));
    expect(e.liquidator).toBe(VENUE_ENGINE);
    expect(e.soldTo).toBe(CLOSED_IN_BOOK);
    expect(e.seized).toBe(1);
    expect(e.fee).toBeCloseTo(19.4, 9);
    expect(e.repaid).toBeCloseTo(1940, 9);
    expect(e.collPrice).toBeCloseTo(1940, 9);
    expect(e.proceeds).toBeCloseTo(1940, 9);
    expect(e.healthBefore).toBeCloseTo(40 / 48.5, 12);
    expect(CHANNELS[e.channel]).toBe('shock');
  });

  it('stays open above maintenance margin', () => {
    // At 1950: equity 50 >= 2.5% x 1950 = 48.75.
    const { result } = run(scenario({}, [long('a', 100, 1)], { prices: drop(-0.025) }));
    expect(result.summary.perps.perp!.liquidations.count).toBe(0);
  });

  it('a thin book fills below the mark and moves the premium, the mark within its band', () => {
    // Depth 100 contracts: selling 1 raises 1940 x 100 x (1 - e^-0.01) = 1930.3322...; the book
    // falls by e^-0.01; the mark follows it only to the default band, 0.5% below the index.
    const { ps, row } = run(
      scenario({ book: { depth: 100, premiumDecay: 0.5 } }, [long('a', 100, 1)], {
        prices: drop(-0.03),
        steps: 1,
      }),
    );
    const fill = 1940 * 100 * -Math.expm1(-0.01);
    expect(ps.cash[row('a')]).toBeCloseTo(100 - 2000 + fill, 9);
    expect(ps.premium).toBeCloseTo(-0.01, 15);
    expect(ps.bookMid).toBeCloseTo(1940 * Math.exp(-0.01), 9);
    expect(ps.mark).toBeCloseTo(1940 / 1.005, 9);
  });

  it('with a wide band the mark is the book', () => {
    const { ps } = run(
      scenario({ book: { depth: 100, markBand: 0.5 } }, [long('a', 100, 1)], {
        prices: drop(-0.03),
        steps: 1,
      }),
    );
    expect(ps.mark).toBeCloseTo(1940 * Math.exp(-0.01), 9);
  });

  it('the premium decays by premiumDecay each step', () => {
    // After step 1 the premium is -0.01; step 2 keeps 0.3 of it.
    const { ps } = run(
      scenario({ book: { depth: 100, premiumDecay: 0.3 } }, [long('a', 100, 1)], {
        prices: drop(-0.03),
        steps: 2,
      }),
    );
    expect(ps.premium).toBeCloseTo(-0.003, 15);
  });

  it('the insurance fund pays a bankruptcy it can cover', () => {
    // At 1800 the account is worth 100 - 200 = -100: the fund pays 100, nothing is left.
    const { result, ps, row } = run(
      scenario({ insuranceFund: 1000, liquidationFee: 0.01 }, [long('a', 100, 1)], {
        prices: drop(-0.1),
      }),
    );
    const m = result.summary.perps.perp!;
    expect(m.insuranceFund.drawn).toBeCloseTo(100, 9);
    expect(m.insuranceFund.end).toBeCloseTo(900, 9);
    expect(m.adl.count).toBe(0);
    expect(m.deficit).toBe(0);
    expect(ps.cash[row('a')]).toBe(0);
  });

  it('without ADL, what the fund cannot pay is the deficit', () => {
    const { result } = run(
      scenario({ insuranceFund: 30, adl: false }, [long('a', 100, 1)], { prices: drop(-0.1) }),
    );
    const m = result.summary.perps.perp!;
    expect(m.insuranceFund.drawn).toBeCloseTo(30, 9);
    expect(m.deficit).toBeCloseTo(70, 9);
    expect(result.summary.badDebt.byVenue.perp).toBeCloseTo(70, 9);
    expect(result.summary.conservation.ok).toBe(true);
  });
});

describe('auto-deleveraging', () => {
  // The long is worth -100 at 1800 and the fund holds only 30. Shorts b (margin 1000) and c (margin
  // 200) each hold 1 contract, both up 200: b has equity 1200, leverage 1800 / 1200 = 1.5, PnL share
  // 10%, rank 0.15; c has equity 400, leverage 4.5, rank 0.45: c is deleveraged first, at the long's
  // bankruptcy price: cash 100 - 2000 = -1900 = -1 x p, p = 1900. c buys the contract back at 1900
  // rather than 1800: it gives up 100, ending with 200 + 2000 - 1900 = 300; the fund is untouched.
  const setup = () =>
    run(
      scenario(
        { insuranceFund: 30 },
        [long('a', 100, 1), short('b', 1000, 1), short('c', 200, 1)],
        { prices: drop(-0.1) },
      ),
    );

  it('closes the bankrupt position against the top-ranked opposite one at the bankruptcy price', () => {
    const { result, ps, row, equity } = setup();
    const m = result.summary.perps.perp!;
    expect(m.insuranceFund.drawn).toBe(0);
    expect(m.insuranceFund.end).toBe(30);
    expect(m.adl.count).toBe(1);
    expect(m.adl.notional).toBeCloseTo(1800, 9);
    expect(m.adl.lossVsMark).toBeCloseTo(100, 9);
    expect(m.deficit).toBe(0);
    expect(ps.size[row('c')]).toBe(0);
    expect(ps.cash[row('c')]).toBeCloseTo(300, 9);
    expect(ps.size[row('b')]).toBe(-1);
    expect(equity('b')).toBeCloseTo(1200, 9);
    expect(ps.cash[row('a')]).toBe(0);
    expect(ps.size[row('a')]).toBe(0);
    expect(result.summary.conservation.ok).toBe(true);
  });

  it('takes from several positions when one is not enough, the rest closing in the book', () => {
    // A long of 3 contracts on margin 300 at 1800 is worth -300; the fund (0) cannot pay. Shorts:
    // c (1 contract, ranked first) then b (1 contract); the third contract closes in the book at
    // 1800 and its shortfall is the deficit. Bankruptcy price: -(300 - 6000) / 3 = 1900.
    // a: 300 - 6000 + 1900 + 1900 + 1800 = -100, the deficit.
    const { result, ps, row } = run(
      scenario({}, [long('a', 300, 3), short('b', 1000, 1), short('c', 200, 1)], {
        prices: drop(-0.1),
      }),
    );
    const m = result.summary.perps.perp!;
    expect(m.adl.count).toBe(2);
    expect(m.adl.lossVsMark).toBeCloseTo(200, 9);
    expect(m.deficit).toBeCloseTo(100, 9);
    expect(ps.size[row('b')]).toBe(0);
    expect(ps.cash[row('b')]).toBeCloseTo(1000 + 2000 - 1900, 9);
    expect(result.summary.conservation.ok).toBe(true);
  });
});

describe('ADL when the book, not the mark, makes the loss', () => {
  it('fills at the bankruptcy price without touching the fund', () => {
    // a: margin 100, long 1; at 1940 its equity is 40 (liquidatable). The book (depth 2) would fill
    // 1 contract at 1940 x 2 x (1 - e^-0.5) = 1526.6: -373 owed, more than the fund's 100. ADL
    // instead: a's bankruptcy price 1900 (cash -1900), so short b buys at 1900, 40 below the mark:
    // b takes a's last 40; nobody pays more than a had, the fund stays whole.
    const { result, ps, row } = run(
      scenario(
        { book: { depth: 2 }, insuranceFund: 100 },
        [long('a', 100, 1), short('b', 500, 1)],
        {
          prices: drop(-0.03),
          steps: 1,
        },
      ),
    );
    const m = result.summary.perps.perp!;
    expect(m.adl.count).toBe(1);
    expect(m.adl.lossVsMark).toBeCloseTo(-40, 9);
    expect(m.insuranceFund.drawn).toBe(0);
    expect(ps.cash[row('a')]).toBeCloseTo(0, 9);
    expect(ps.cash[row('b')]).toBeCloseTo(500 + 2000 - 1900, 9);
  });

  it('stays finite when a large short buys back against a thin book', () => {
    // 1,000 contracts against a depth of 1: the book's move is capped at e^20.
    const { result } = run(
      scenario({ book: { depth: 1 }, insuranceFund: 0 }, [short('a', 100000, 1000)], {
        prices: { ETH: { shocks: [{ step: 1, change: 0.2 }] } },
        steps: 1,
      }),
    );
    const m = result.summary.perps.perp!;
    expect(m.liquidations.count).toBe(1);
    expect(Number.isFinite(m.deficit)).toBe(true);
    expect(result.summary.conservation.ok).toBe(true);
  });
});

describe('ADL of the makers', () => {
  // The long alone is worth -100 at 1800 with no fund; the makers hold the short side (1 contract).
  // Taking the makers' side, ADL closes it at the bankruptcy price 2000 - 100 = 1900: the makers
  // give up 100 against the mark and nothing is left unpaid.
  const input = (adlMakers: string) =>
    scenario({ adlMakers }, [long('a', 100, 1)], { prices: drop(-0.1) });

  it('takes the makers when allowed, leaving no deficit', () => {
    const { result, ps } = run(input('last'));
    const m = result.summary.perps.perp!;
    expect(m.adl.count).toBe(1);
    expect(m.adl.lossVsMark).toBeCloseTo(100, 9);
    expect(m.deficit).toBe(0);
    expect(ps.makerSize).toBe(0);
    expect(ps.makerCash).toBeCloseTo(2000 - 1900, 9);
  });

  it('leaves the loss as the deficit when the makers are never deleveraged', () => {
    const { result } = run(input('never'));
    expect(result.summary.perps.perp!.adl.count).toBe(0);
    expect(result.summary.perps.perp!.deficit).toBeCloseTo(100, 9);
  });

  it('takes the makers before ranked accounts with `first`', () => {
    // A profitable short (margin 200, 1 contract) would be ranked; with makers first, the makers'
    // own short (1 contract, the net of 2 longs and 1 short) takes the fill and the account keeps
    // its position.
    const { ps, row } = run(
      scenario(
        { adlMakers: 'first' },
        [long('a', 100, 1), long('z', 1000, 1), short('b', 200, 1)],
        {
          prices: drop(-0.1),
        },
      ),
    );
    expect(ps.size[row('b')]).toBe(-1);
    expect(ps.makerSize).toBe(0);
  });
});

describe('cross-margin collateral priced on a thin pool', () => {
  // USDe margin is valued at the USDe/USDT pool's spot less a 10% haircut; ETH falls 20% to 1600.
  // a: 1000 USDe (900 after haircut), long 2.25: equity 900 - 2.25 x 400 = 0 < 2.5% x 2.25 x 1600
  // = 90, liquidated. Its 1000 USDe sell into the 10000/10000 pool for 10000 x 1000 / 11000 =
  // 909.09 USDT, and USDe's spot falls to 9090.91 / 11000 = 0.8264.
  // b: 10000 USDe, long 20: at USDe = 1, equity 9000 - 8000 = 1000 >= 2.5% x 20 x 1600 = 800, so the
  // ETH move alone leaves it open; at 0.8264, 10000 x 0.8264 x 0.9 - 8000 = -562: liquidated in the
  // next round.
  const input = (withA: boolean, bLong: number): ScenarioInput => {
    const s = scenario(
      { collateral: { USDe: { haircut: 0.1, priceFrom: 'usde' } } },
      [
        ...(withA
          ? [{ id: 'a', positions: [{ venue: 'perp', margin: { USDe: 1000 }, long: 2.25 }] }]
          : []),
        { id: 'b', positions: [{ venue: 'perp', margin: { USDe: 10000 }, long: bLong }] },
      ],
      { prices: drop(-0.2), steps: 1 },
    );
    return {
      ...s,
      venues: [
        { id: 'usde', kind: 'constant-product', holdings: { USDe: 10000, USDT: 10000 } },
        ...s.venues!,
      ],
    };
  };

  it('sells the collateral into the pool, depegging it, which liquidates the next account', () => {
    const { result, ps, row } = run(input(true, 20));
    const m = result.summary.perps.perp!;
    expect(m.liquidations.count).toBe(2);
    expect(m.collateralSold.USDe!.amount).toBe(11000);
    expect(result.summary.rounds).toBeGreaterThanOrEqual(2);
    expect(ps.size[row('a')]).toBe(0);
    expect(ps.size[row('b')]).toBe(0);
    expect(result.summary.conservation.ok).toBe(true);
  });

  it('the same account survives the ETH move when its collateral keeps its peg', () => {
    const { result } = run(input(false, 20));
    expect(result.summary.perps.perp!.liquidations.count).toBe(0);
  });

  it('values the first sale at the constant-product output', () => {
    const { result } = run(input(true, 1));
    const m = result.summary.perps.perp!;
    expect(m.liquidations.count).toBe(1);
    expect(m.collateralSold.USDe!.proceeds).toBeCloseTo((10000 * 1000) / 11000, 9);
  });
});

describe('dated futures', () => {
  it('open at the carried price and settle at the index at expiry, without funding', () => {
    // Basis 10% a year, expiry after 24 steps of 1h: 2000 x e^(0.1 x 24 / 8760) = 2000.5480...
    const { result, equity, ps } = run(
      scenario({ expiry: { atStep: 24, basis: 0.1 } }, [long('a', 200, 1), short('b', 200, 1)], {
        steps: 24,
      }),
    );
    const f0 = 2000 * Math.exp((0.1 * 24) / 8760);
    expect(result.summary.perps.perp!.mark.start).toBeCloseTo(f0, 9);
    expect(ps.expired).toBe(true);
    expect(ps.mark).toBeCloseTo(2000, 9);
    expect(equity('a')).toBeCloseTo(200 + 2000 - f0, 9);
    expect(equity('b')).toBeCloseTo(200 - 2000 + f0, 9);
    expect(result.summary.perps.perp!.fundingPaid).toBe(0);
  });
});

describe('expiry short of margin', () => {
  it('settles at the index, the fund and the deficit take the shortfall, and it is logged', () => {
    // Expiry at step 1, when ETH falls 10%: the long settles at 1800, owing 100 - 2000 + 1800 =
    // -100; the fund (30) pays 30, 70 is the deficit. One liquidation, on the shock channel.
    const { result } = run(
      scenario({ expiry: { atStep: 1 }, insuranceFund: 30 }, [long('a', 100, 1)], {
        prices: drop(-0.1),
        steps: 1,
      }),
    );
    const m = result.summary.perps.perp!;
    expect(m.liquidations.count).toBe(1);
    expect(m.insuranceFund.drawn).toBeCloseTo(30, 9);
    expect(m.deficit).toBeCloseTo(70, 9);
    expect(result.summary.byChannel.perp!.shock!.badDebt).toBeCloseTo(70, 9);
    expect(result.events.length).toBe(1);
    expect(result.events.get(0).soldTo).toBe(SETTLED);
  });
});

describe('one round loop with lending', () => {
  // A lending position that survives the shock alone is liquidated in the same step when perp
  // liquidations' spot hedges push ETH further down the market.
  const input = (withPerps: boolean): ScenarioInput => ({
    version: 1,
    name: 'perp and lending',
    steps: 1,
    assets: [
      { id: 'ETH', kind: 'base', price: 2000 },
      { id: 'USDT', kind: 'stable', price: 1 },
    ],
    venues: [
      {
        id: 'lend',
        kind: 'lending',
        assets: {
          ETH: { ltv: 0.8, liquidationThreshold: 0.85, liquidationBonus: 0.05 },
          USDT: { borrowable: true },
        },
      },
      {
        id: 'perp',
        kind: 'perp',
        asset: 'ETH',
        quote: 'USDT',
        initialMargin: 0.05,
        maintenanceMargin: 0.025,
        spotHedge: 1,
        insuranceFund: 1e9,
      },
    ],
    liquidators: [{ id: 'liq', capitalEach: 'unlimited' }],
    accounts: [
      { id: 'lp', positions: [{ venue: 'lend', supply: { USDT: 1e6 } }] },
      // Health at 1900: 10 x 1900 x 0.85 / 16000 = 1.009; liquidatable below 1882.35.
      {
        id: 'borrower',
        positions: [{ venue: 'lend', deposit: { ETH: 10 }, borrow: { USDT: 16000 } }],
      },
      ...(withPerps
        ? [{ id: 'trader', positions: [{ venue: 'perp', margin: { USDT: 5000 }, long: 50 }] }]
        : []),
    ],
    // Depth 1000 ETH: the trader's 50 contracts hedged move ETH by e^-0.05: 1900 -> 1807.
    impact: { ETH: { kind: 'exponential', depth: 1000 } },
    prices: drop(-0.05),
  });

  it('reaches the lending market in the same step', () => {
    const alone = run(input(false)).result.summary;
    expect(alone.liquidations.byVenue.lend!.count).toBe(0);
    const both = run(input(true)).result.summary;
    expect(both.perps.perp!.liquidations.count).toBe(1);
    expect(both.liquidations.byVenue.lend!.count).toBeGreaterThan(0);
    // The hedge alone takes ETH to 1900 x e^-0.05; the liquidator's sale of seized ETH goes lower.
    expect(both.prices.ETH!.realisedTrough).toBeLessThanOrEqual(1900 * Math.exp(-0.05) + 1e-9);
    expect(both.conservation.ok).toBe(true);
  });
});

describe('bad input', () => {
  const check = (input: ScenarioInput) =>
    scenarioError(() => buildModel(validateScenario(input, 'perp.yaml'), 'perp.yaml')).message;

  it('names the path and the value', () => {
    expect(check(scenario({ maintenanceMargin: 0.06 }, []))).toMatch(
      /venues\.perp\.maintenanceMargin.*below initialMargin \(0\.05\), got 0\.06/s,
    );
    expect(check(scenario({ initialMargin: -0.1 }, []))).toMatch(/initialMargin.*\(0, 1\]/s);
    expect(check(scenario({ asset: 'BTC' }, []))).toMatch(/venues\.perp\.asset.*"BTC"/s);
    expect(check(scenario({ quote: 'ETH' }, []))).toMatch(/venues\.perp\.quote.*stablecoin/s);
    expect(
      check(scenario({ collateral: { USDe: { haircut: 0.1, priceFrom: 'nowhere' } } }, [])),
    ).toMatch(/collateral\.USDe\.priceFrom.*"nowhere"/s);
    expect(check(scenario({ funding: {}, expiry: { atStep: 1 } }, []))).toMatch(
      /funding.*no funding/s,
    );
  });

  it('refuses a position above the initial margin, naming the account', () => {
    // 1 contract at 2000 needs 100 at 5%.
    expect(check(scenario({}, [long('a', 99, 1)]))).toMatch(
      /accounts\.a\.positions\[0\].*initial margin worth 100 USDT.*99 USDT/s,
    );
  });

  it('refuses margin in an asset the venue does not take', () => {
    expect(
      check(
        scenario({}, [
          { id: 'a', positions: [{ venue: 'perp', margin: { USDe: 100 }, long: 0.01 }] },
        ]),
      ),
    ).toMatch(/margin\.USDe.*takes margin in "USDT"/s);
  });
});
