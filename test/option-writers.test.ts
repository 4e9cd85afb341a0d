// Option writers' margin and liquidation, worked with the Black-Scholes values the venue uses.
import { blackScholes, buildModel, ScenarioError, validateScenario } from '@contagion/core';
import { describe, expect, it } from 'vitest';
import { ethMarket, runDoc } from './helpers.js';

const YEAR = 365 * 86400;

/** ETH 2000; one account writes puts struck at 1800, 7 days, with 10,000 USDC at 50% use. */
const doc = (change: number, steps = 1) => ({
  version: 1,
  name: 'writers',
  steps,
  assets: [
    { id: 'ETH', kind: 'base', price: 2000 },
    { id: 'USDC', kind: 'stable', price: 1 },
  ],
  venues: [
    {
      id: 'opt',
      kind: 'options',
      asset: 'ETH',
      quote: 'USDC',
      smile: { atm: 0.6 },
      positions: [{ dealer: 'd', kind: 'call', strike: 2000, expiry: '7d', contracts: 0 }],
    },
  ],
  populations: [
    {
      name: 'w',
      count: 1,
      positions: [
        {
          venue: 'opt',
          margin: 'USDC',
          write: { kind: 'put', strike: 1800, expiry: '7d' },
          utilisation: 0.5,
        },
      ],
      size: { fixed: 10000 },
    },
  ],
  prices: { ETH: { shocks: [{ step: 1, change }] } },
});

const put = (spot: number, years: number) =>
  blackScholes({ kind: 'put', spot, strike: 1800, expiry: years, vol: 0.6 }).price;

describe('option writers', () => {
  // Writers collect the premium when they write; the figures below include it.
  // At the start a contract needs its value plus max(0.15 x 2000 - 200 out of the money, 0.1 x
  // 1800) = value + 180; half the margin buys n = 5,000 / (value + 180) contracts.
  const n = 5000 / (put(2000, 7 / 365) + 180);
  const T1 = 7 / 365 - 3600 / YEAR;

  it('stay open while the margin covers the requirement', () => {
    // At 1800 (-10%): n x (value + max(0.15 x 1800, 180)) = n x (value + 270) < 10,000.
    expect(n * (put(1800, T1) + 270)).toBeLessThan(10000);
    expect(runDoc(doc(-0.1)).summary.options['opt']!.writers.liquidations).toBe(0);
  });

  it('are bought back at the smile value when below it, paying from their margin', () => {
    // At 1600 (-20%): n x (value + 240) > 10,000: the n puts are bought back at their value.
    const v = put(1600, T1);
    expect(n * (v + 240)).toBeGreaterThan(10000);
    const s = runDoc(doc(-0.2)).summary;
    const w = s.options['opt']!.writers;
    expect(w.liquidations).toBe(1);
    expect(w.boughtBack).toBeCloseTo(n * v, 6);
    expect(w.deficit).toBe(0);
    expect(s.liquidations.byVenue['opt']!.count).toBe(1);
    expect(s.conservation.ok).toBe(true);
  });

  it('leave a deficit when the value passes the margin', () => {
    // A 60% fall: the puts are worth about 1000 each; the writer's margin is its 10,000 plus the
    // premiums it collected when it wrote them (n x their value at the start).
    const v = put(800, T1);
    const premium = n * put(2000, 7 / 365);
    expect(n * v).toBeGreaterThan(10000 + premium);
    const w = runDoc(doc(-0.6)).summary.options['opt']!.writers;
    expect(w.premiums).toBeCloseTo(premium, 9);
    expect(w.deficit).toBeCloseTo(n * v - 10000 - premium, 6);
  });

  it('settle at expiry at the intrinsic value', () => {
    // 7 days of 1h steps = 168 steps; at -5% (1900) the puts expire worthless: nothing owed.
    const w = runDoc({ ...doc(-0.05, 170) }).summary.options['opt']!.writers;
    expect(w.liquidations).toBe(0);
    expect(w.deficit).toBe(0);
  });
});

describe('option-selling vaults', () => {
  // A put vault: 10,000 USDC, puts 10% out of the money, a week's tenor, rolled
  // at each expiry at 50% use of its margin. 24 days of 1h steps: written at the start and rolled
  // after 7, 14 and 21 days.
  const vault = (prices: Record<string, unknown>) => ({
    ...doc(0, 24 * 24),
    populations: [
      {
        name: 'vault',
        count: 1,
        positions: [
          {
            venue: 'opt',
            margin: 'USDC',
            write: { kind: 'put', strike: 1800, expiry: '7d' },
            utilisation: 0.5,
            roll: true,
          },
        ],
        size: { fixed: 10000 },
      },
    ],
    prices,
  });

  it('earns the premiums when the puts expire worthless', () => {
    // ETH flat at 2000: every put expires out of the money; the first premium is n x put value.
    const w = runDoc(vault({})).summary.options['opt']!.writers;
    expect(w.rolls).toBe(3);
    expect(w.payouts).toBe(0);
    // n = 5,000 / (value + 180) contracts at the start, more at each roll as premiums add margin.
    const n0 = 5000 / (put(2000, 7 / 365) + 180);
    expect(w.premiums).toBeGreaterThan(4 * n0 * put(2000, 7 / 365));
    expect(w.netIncome).toBe(w.premiums);
  });

  it('rolls at every expiry, on time, over many tenors', () => {
    // Daily steps, a 7-day tenor, 35 days: series expire on days 7, 14, 21, 28 and 35. A rolled
    // expiry is start + tenor in floats; it must still fall on its day.
    const d = { ...vault({}), step: '1d', steps: 35 };
    expect(runDoc(d).summary.options['opt']!.writers.rolls).toBe(5);
  });

  it('writes again at the next expiry after being bought back', () => {
    // A 20% fall on day 3 (hour 72) liquidates the first week's puts; on day 7 the vault, with
    // what margin it has left, sells the next series at 10% below the new spot.
    const s = runDoc(vault({ ETH: { shocks: [{ step: 72, change: -0.2 }] } })).summary;
    const w = s.options['opt']!.writers;
    expect(w.liquidations).toBe(1);
    expect(w.rolls).toBe(3);
    expect(s.conservation.ok).toBe(true);
  });

  it('pays out, and loses, when a gap move goes through the strike', () => {
    // A 30% fall on day 10: the second week's puts are liquidated or settle deep in the money.
    const s = runDoc(vault({ ETH: { shocks: [{ step: 240, change: -0.3 }] } })).summary;
    const w = s.options['opt']!.writers;
    expect(w.payouts).toBeGreaterThan(w.premiums);
    expect(w.netIncome).toBeLessThan(0);
    expect(s.conservation.ok).toBe(true);
  });
});

describe("option writers' exposure", () => {
  it('is short gamma and short vega: n x the Black-Scholes Greeks, per 1% and per vol point', () => {
    // Flat smile at 60%: the smile-consistent Greeks are Black-Scholes'. At the start the writer
    // holds n = 5,000 / (value + 180) short puts; dollar gamma per 1% = -n x gamma x S^2 / 100,
    // vega per vol point = -n x vega / 100 (USDC at 1).
    const g = blackScholes({ kind: 'put', spot: 2000, strike: 1800, expiry: 7 / 365, vol: 0.6 });
    const n = 5000 / (g.price + 180);
    const w = runDoc(doc(-0.1)).summary.options['opt']!.writers;
    expect(w.gammaExposure.start).toBeCloseTo((-n * g.gamma * 2000 * 2000) / 100, 6);
    expect(w.vegaExposure.start).toBeCloseTo((-n * g.vega) / 100, 6);
    // Theta per year / 365: the long put loses value each day; the writer earns it.
    expect(g.theta).toBeLessThan(0);
    expect(w.thetaPerDay.start).toBeCloseTo((-n * g.theta) / 365, 6);
    // After a 10% fall towards the strike, the short put's gamma grows in size.
    expect(w.gammaExposure.end).toBeLessThan(w.gammaExposure.start);
  });

  it('is zero once the options are bought back', () => {
    const w = runDoc(doc(-0.2)).summary.options['opt']!.writers;
    expect(w.liquidations).toBe(1);
    expect(w.gammaExposure.end).toBe(0);
    expect(w.vegaExposure.end).toBe(0);
  });
});

describe('a covered-call vault', () => {
  // 10 ETH held, 10 calls struck at 2200 for 7 days (utilisation 1): each call covered by a unit.
  const covered = (change: number, margin = 'ETH', size = 10) => ({
    ...doc(change, 170),
    populations: [
      {
        name: 'cc',
        count: 1,
        positions: [
          {
            venue: 'opt',
            margin,
            write: { kind: 'call', strike: 2200, expiry: '7d' },
            utilisation: 1,
          },
        ],
        size: { fixed: size },
      },
    ],
  });
  const call = (spot: number, years: number) =>
    blackScholes({ kind: 'call', spot, strike: 2200, expiry: years, vol: 0.6 }).price;

  it('is never called, and delivers (S - K) / S units per call in the money at expiry', () => {
    // +30% to 2600 at step 1: the calls are 400 in the money. The vault keeps them to expiry (168
    // steps) and pays 10 x 400 = 4,000 USDC of value as 10 x 400 / 2600 = 1.538 ETH.
    const s = runDoc(covered(0.3)).summary;
    const w = s.options['opt']!.writers;
    expect(w.liquidations).toBe(0);
    expect(w.deficit).toBe(0);
    expect(w.premiums).toBeCloseTo(10 * call(2000, 7 / 365), 9);
    expect(w.payouts).toBeCloseTo(4000, 9);
    expect(w.netIncome).toBeCloseTo(10 * call(2000, 7 / 365) - 4000, 9);
    expect(s.conservation.ok).toBe(true);
    expect(s.conservation.assets['ETH']!.relativeError).toBeLessThan(1e-12);
  });

  it('while the same calls written against USDC are bought back', () => {
    // 20,000 USDC at utilisation 1: n = 20,000 / (value + max(0.15 x 2000 - 200, 0.1 x 2000)).
    // At 2600: need n x (value' + 390) > 20,000 + premium.
    const w = runDoc(covered(0.3, 'USDC', 20000)).summary.options['opt']!.writers;
    expect(w.liquidations).toBe(1);
  });

  it('rolls on the units it has left', () => {
    // The next series: 8.46 calls struck at 2600 x 1.1 = 2860, after 1.538 ETH delivered.
    const d = covered(0.3);
    const pos = d.populations[0]!.positions[0]!;
    const s = runDoc({
      ...d,
      populations: [{ ...d.populations[0]!, positions: [{ ...pos, roll: true }] }],
    }).summary;
    const w = s.options['opt']!.writers;
    expect(w.rolls).toBe(1);
    const left = 10 - 4000 / 2600;
    const second = blackScholes({
      kind: 'call',
      spot: 2600,
      strike: 2860,
      expiry: 7 / 365,
      vol: 0.6,
    });
    expect(w.premiums).toBeCloseTo(10 * call(2000, 7 / 365) + left * second.price, 6);
  });
});

describe('a levered put vault (borrows against its ETH, writes puts with the USDC)', () => {
  // 10 ETH pledged in a lending market (threshold 0.825) at health 1.5: it borrows
  // 10 x 2000 x 0.825 / 1.5 = 11,000 USDC and posts it all as margin for puts struck at 1800.
  const levered = (change: number) => ({
    ...doc(change),
    venues: [...doc(change).venues, ethMarket('lend')],
    liquidators: [{ id: 'keeper', capitalEach: 'unlimited' }],
    accounts: [{ id: 'lender', positions: [{ venue: 'lend', supply: { USDC: 1e6 } }] }],
    populations: [
      {
        name: 'vault',
        count: 1,
        positions: [
          { venue: 'lend', deposit: 'ETH', borrow: 'USDC' },
          {
            venue: 'opt',
            margin: 'USDC',
            write: { kind: 'put', strike: 1800, expiry: '7d' },
            utilisation: 0.5,
            from: 'borrowed',
          },
        ],
        size: { fixed: 10 },
        healthFactor: { fixed: 1.5 },
      },
    ],
  });
  const n = 5500 / (put(2000, 7 / 365) + 180);

  it('posts what it borrowed as margin', () => {
    const w = runDoc(levered(0)).summary.options['opt']!.writers;
    expect(w.premiums).toBeCloseTo(n * put(2000, 7 / 365), 9);
    expect(w.liquidations).toBe(0);
  });

  it('is hit twice by a fall: the puts are bought back and the loan is liquidated', () => {
    // -35% to 1300: health 1.5 x 0.65 = 0.975 < 1, and n x (put + 0.1 x 1800) passes the margin.
    expect(n * (put(1300, 7 / 365 - 3600 / YEAR) + 180)).toBeGreaterThan(11000);
    const s = runDoc(levered(-0.35)).summary;
    expect(s.liquidations.byVenue['opt']!.count).toBe(1);
    expect(s.liquidations.byVenue['lend']!.count).toBe(1);
    expect(s.conservation.ok).toBe(true);
    // At -20% the loan holds (health 1.2) though the puts are bought back.
    const mild = runDoc(levered(-0.2)).summary;
    expect(mild.liquidations.byVenue['opt']!.count).toBe(1);
    expect(mild.liquidations.byVenue['lend']?.count ?? 0).toBe(0);
  });
});

describe('option writers: bad input', () => {
  const issue = (positions: unknown[]): string => {
    const d = { ...doc(0), populations: [{ name: 'w', count: 1, positions, size: { fixed: 1 } }] };
    try {
      buildModel(validateScenario(d, 'w.yaml'), 'w.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };
  const write = (kind: string) => ({ kind, strike: 1800, expiry: '7d' });

  it('names a covered put, margin in another asset and borrowed margin with no loan', () => {
    expect(issue([{ venue: 'opt', margin: 'ETH', write: write('put') }])).toMatch(
      /populations\[0\]\.positions\[0\]\.write\.kind: margin in "ETH" covers calls only/,
    );
    expect(issue([{ venue: 'opt', margin: 'BTC', write: write('put') }])).toMatch(
      /populations\[0\]\.positions\[0\]\.margin: writers post "opt"'s quote asset "USDC".*got "BTC"/,
    );
    expect(
      issue([{ venue: 'opt', margin: 'USDC', write: write('put'), from: 'borrowed' }]),
    ).toMatch(/positions\[0\]\.from: posts what the account borrowed of "USDC", but no position/);
    const loan = { venue: 'lend', deposit: 'ETH', borrow: 'USDC' };
    const lent = { venue: 'opt', margin: 'USDC', write: write('put'), from: 'borrowed' };
    expect(issue([loan, lent, lent])).toMatch(
      /positions\[2\]\.from: positions\[1\] already posts what the account borrowed/,
    );
  });
});

describe('the smile follows realised volatility', () => {
  // Daily steps, half-life one day (lambda = 1/2), realisedVolBeta 1: a 10% fall on day 1 gives
  // r^2 = ln(0.9)^2 = 0.011101; rv^2 = 0.5 x 0.36 + 0.5 x 0.011101 x 365 = 2.20597, rv = 1.48525;
  // the ATM level = 0.6 + 1 x (rv - 0.6) = rv. Day 2 is flat: rv^2 = 0.5 x 2.20597, rv = 1.05023.
  const daily = (beta: number) => {
    const d = doc(-0.1, 2);
    const v = d.venues[0]!;
    return {
      ...d,
      step: '1d',
      venues: [{ ...v, smile: { atm: 0.6, realisedVolBeta: beta, realisedHalfLife: '1d' } }],
    };
  };
  const rows = (beta: number) => runDoc(daily(beta)).steps.filter((r) => r.venue === 'opt');

  it('raises the ATM level by beta x (rv - atm) after a fall, and decays with the half-life', () => {
    const r = rows(1);
    const rv1 = Math.sqrt(0.18 + 0.5 * Math.log(0.9) ** 2 * 365);
    expect(r.map((x) => x.step)).toEqual([0, 1, 2]);
    expect(r[0]!.realisedVol).toBe(0.6);
    expect(r[1]!.realisedVol).toBeCloseTo(rv1, 12);
    expect(r[1]!.atmVol).toBeCloseTo(rv1, 12);
    expect(r[2]!.realisedVol).toBeCloseTo(Math.sqrt(0.5 * rv1 * rv1), 12);
    const s = runDoc(daily(1)).summary.options['opt']!;
    expect(s.realisedVol.max).toBeCloseTo(rv1, 12);
  });

  it('leaves the smile alone with beta 0, though realised volatility is still measured', () => {
    const r = rows(0);
    expect(r[1]!.atmVol).toBe(0.6);
    expect(r[1]!.realisedVol).toBeGreaterThan(1.4);
  });
});

describe("writers' results by population", () => {
  it('splits premiums, payouts and yield between a covered-call and a put vault', () => {
    // +30% on step 1: the covered calls (strike 2200) pay 10 x 400 at expiry; the puts (1800)
    // expire worthless, so the put vault keeps its premium: yield = premium / 10,000.
    const d = {
      ...doc(0.3, 170),
      populations: [
        {
          name: 'calls',
          count: 1,
          positions: [
            {
              venue: 'opt',
              margin: 'ETH',
              write: { kind: 'call', strike: 2200, expiry: '7d' },
              utilisation: 1,
            },
          ],
          size: { fixed: 10 },
        },
        { ...doc(0).populations[0]!, name: 'puts' },
      ],
    };
    const g = runDoc(d).summary.options['opt']!.writers.byGroup;
    const c = blackScholes({ kind: 'call', spot: 2000, strike: 2200, expiry: 7 / 365, vol: 0.6 });
    expect(Object.keys(g)).toEqual(['calls', 'puts']);
    expect(g['calls']!.posted).toBe(20000);
    expect(g['calls']!.payouts).toBeCloseTo(4000, 9);
    expect(g['calls']!.netIncome).toBeCloseTo(10 * c.price - 4000, 9);
    const premium = (5000 / (put(2000, 7 / 365) + 180)) * put(2000, 7 / 365);
    expect(g['puts']!.premiums).toBeCloseTo(premium, 9);
    expect(g['puts']!.payouts).toBe(0);
    expect(g['puts']!.yield).toBeCloseTo(premium / 10000, 12);
  });
});
