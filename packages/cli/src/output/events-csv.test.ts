// events.csv of a small simulated run: columns, one row per liquidation and per bad-debt booking.
import { buildModel, validateScenario } from '@contagion/core';
import { simulate, type SimulationResult } from '@contagion/sim';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, EVENTS_HEADER, eventsCsv, eventsCsvChunks } from './events-csv.js';

/** Accounts in the population: enough for three chunks of 512 events. */
const POP = 1100;

/**
 * ETH 2000 -> 1500 at step 1, threshold 0.825, bonus 5%, no impact, one unlimited liquidator.
 * `sunk`: 1 ETH against 1600 USDC. At 1500: health 1500 x 0.825 / 1600 = 0.7734375 < 0.95, so all
 * of it, but 1600 x 1.05 / 1500 = 1.12 ETH > 1: collateral exhausted, repay 1500 / 1.05 = 1428.571...,
 * bad debt 1600 - 1428.571 = 171.428... USDC.
 * `pop#k`: 1 ETH at health 1.3 (debt 1650 / 1.3 = 1269.23). At 1500: health 0.975, half repaid,
 * 634.6 x 1.05 / 1500 = 0.444 ETH seized, health after 1.08: one liquidation each, no bad debt.
 */
function run(): SimulationResult {
  const model = buildModel(
    validateScenario(
      {
        version: 1,
        name: 'events',
        steps: 1,
        assets: [
          { id: 'ETH', kind: 'base', price: 2000 },
          { id: 'USDC', kind: 'stable', price: 1 },
        ],
        venues: [
          {
            id: 'lend',
            kind: 'lending',
            assets: {
              ETH: { ltv: 0.8, liquidationThreshold: 0.825, liquidationBonus: 0.05 },
              USDC: { borrowable: true, rateModel: { base: 0, slope1: 0, kink: 0.8, slope2: 0 } },
            },
          },
        ],
        liquidators: [{ id: 'keeper', capitalEach: 'unlimited' }],
        accounts: [
          { id: 'lender', positions: [{ venue: 'lend', supply: { USDC: 1e7 } }] },
          {
            id: 'sunk',
            positions: [{ venue: 'lend', deposit: { ETH: 1 }, borrow: { USDC: 1600 } }],
          },
        ],
        populations: [
          {
            name: 'pop',
            count: POP,
            positions: [{ venue: 'lend', deposit: 'ETH', borrow: 'USDC' }],
            size: { fixed: 1 },
            healthFactor: { fixed: 1.3 },
          },
        ],
        prices: { ETH: { shocks: [{ step: 1, change: -0.25 }] } },
      },
      'events',
    ),
  );
  return simulate(model);
}

let result: SimulationResult;
let csv: string;
let rows: Array<Record<string, string>>;
beforeAll(() => {
  result = run();
  csv = eventsCsv(result);
  // No field needs quoting (ids cannot hold commas): a plain split is exact.
  rows = csv
    .slice(EVENTS_HEADER.length, -1)
    .split('\n')
    .map((line) => {
      const f = line.split(',');
      expect(f.length).toBe(EVENT_COLUMNS.length);
      return Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, f[i]!]));
    });
});

describe('eventsCsv', () => {
  it('starts with a header of exactly EVENT_COLUMNS and ends with a newline', () => {
    expect(csv.split('\n')[0]!.split(',')).toEqual([...EVENT_COLUMNS]);
    expect(csv.endsWith('\n')).toBe(true);
  });

  it('has one row per liquidation plus one per bad-debt booking', () => {
    expect(result.events.length).toBe(POP + 1);
    const liquidations = rows.filter((r) => r['kind'] === 'liquidation');
    const bad = rows.filter((r) => r['kind'] === 'bad-debt');
    expect(liquidations.length).toBe(result.events.length);
    expect(bad.length).toBe(1);
    expect(rows.length).toBe(POP + 2);
  });

  it('resolves account ids: listed accounts by id, population accounts as name#k', () => {
    const accounts = rows.filter((r) => r['kind'] === 'liquidation').map((r) => r['account']);
    const expected = ['sunk', ...Array.from({ length: POP }, (_, k) => `pop#${k}`)];
    expect(new Set(accounts)).toEqual(new Set(expected));
    expect(rows.every((r) => r['venue'] === 'lend')).toBe(true);
  });

  it('writes the hand-worked exhausted liquidation and its bad-debt row right after it', () => {
    const i = rows.findIndex((r) => r['account'] === 'sunk');
    const liq = rows[i]!;
    const bad = rows[i + 1]!;
    expect(liq).toMatchObject({
      step: '1',
      kind: 'liquidation',
      liquidator: 'keeper',
      collateralAsset: 'ETH',
      collateralSeized: '1',
      protocolFee: '0',
      debtAsset: 'USDC',
      collateralPrice: '1500',
      debtPrice: '1',
      priceSource: 'oracle:market',
      soldTo: 'market',
      priceAfterSource: 'market',
      unredeemed: '0',
      channel: 'shock',
    });
    expect(Number(liq['debtRepaid'])).toBeCloseTo(1500 / 1.05, 9);
    expect(liq['value']).toBe(liq['debtRepaid']);
    expect(Number(liq['proceeds'])).toBeCloseTo(1500, 9);
    expect(Number(liq['healthBefore'])).toBeCloseTo(0.7734375, 12);
    expect(bad).toMatchObject({
      step: liq['step'],
      round: liq['round'],
      kind: 'bad-debt',
      account: 'sunk',
      venue: 'lend',
      liquidator: '',
      collateralAsset: '',
      debtAsset: 'USDC',
      debtRepaid: '',
      debtPrice: '1',
      priceSource: 'oracle:market',
      soldTo: '',
      channel: 'shock',
    });
    expect(Number(bad['value'])).toBeCloseTo(1600 - 1500 / 1.05, 9);
  });

  it('writes a partial liquidation of a population account as worked', () => {
    const r = rows.find((x) => x['account'] === 'pop#0')!;
    const debt = 1650 / 1.3;
    expect(Number(r['debtRepaid'])).toBeCloseTo(debt / 2, 9);
    expect(Number(r['collateralSeized'])).toBeCloseTo((debt / 2) * (1.05 / 1500), 12);
    expect(Number(r['healthBefore'])).toBeCloseTo(0.975, 12);
  });

  it('is the same bytes as joining eventsCsvChunks, which yield the header first', () => {
    const chunks = [...eventsCsvChunks(result)];
    expect(chunks[0]).toBe(EVENTS_HEADER);
    // 1101 events at 512 a chunk: three chunks of rows after the header.
    expect(chunks.length).toBe(4);
    expect(chunks.join('')).toBe(csv);
  });
});

describe('events.csv of a perpetual venue', () => {
  // One long: margin 100 USDT on 1 contract at 2000; ETH -3% to 1940: equity 40 < 48.5, closed in
  // the book at 1940 (no book depth), fee 1% x 1940 = 19.4 to the fund.
  it('writes a perp-liquidation row with the venue as liquidator and the book as the sale', () => {
    const result = simulate(
      buildModel(
        validateScenario(
          {
            version: 1,
            name: 'perp events',
            steps: 1,
            assets: [
              { id: 'ETH', kind: 'base', price: 2000 },
              { id: 'USDT', kind: 'stable', price: 1 },
            ],
            venues: [
              {
                id: 'perp',
                kind: 'perp',
                asset: 'ETH',
                quote: 'USDT',
                initialMargin: 0.05,
                maintenanceMargin: 0.025,
                liquidationFee: 0.01,
                insuranceFund: 1000,
              },
            ],
            accounts: [{ id: 'a', positions: [{ venue: 'perp', margin: { USDT: 100 }, long: 1 }] }],
            prices: { ETH: { shocks: [{ step: 1, change: -0.03 }] } },
          },
          'perp',
        ),
      ),
    );
    const lines = eventsCsv(result).trim().split('\n');
    expect(lines).toHaveLength(2);
    const row = Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, lines[1]!.split(',')[i]]));
    expect(row).toMatchObject({
      step: '1',
      round: '1',
      kind: 'perp-liquidation',
      account: 'a',
      venue: 'perp',
      liquidator: 'perp',
      collateralAsset: 'ETH',
      collateralSeized: '1',
      debtAsset: 'USDT',
      priceSource: 'mark:perp',
      soldTo: 'book',
      priceAfterSource: 'book',
      channel: 'shock',
    });
    expect(Number(row['protocolFee'])).toBeCloseTo(19.4, 9);
    expect(Number(row['debtRepaid'])).toBeCloseTo(1940, 9);
  });
});
