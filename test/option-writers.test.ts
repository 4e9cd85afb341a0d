// Option writers' margin and liquidation, worked with the Black-Scholes values the venue uses.
import { blackScholes } from '@contagion/core';
import { describe, expect, it } from 'vitest';
import { runDoc } from './helpers.js';

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
  // A cash-secured-style put vault: 10,000 USDC, puts 10% out of the money, a week's tenor, rolled
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

  it('pays out, and loses, when a gap move goes through the strike', () => {
    // A 30% fall on day 10: the second week's puts are liquidated or settle deep in the money.
    const s = runDoc(vault({ ETH: { shocks: [{ step: 240, change: -0.3 }] } })).summary;
    const w = s.options['opt']!.writers;
    expect(w.payouts).toBeGreaterThan(w.premiums);
    expect(w.netIncome).toBeLessThan(0);
    expect(s.conservation.ok).toBe(true);
  });
});
