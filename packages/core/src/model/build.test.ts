import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioError } from '../internal/testing.js';
import { healthFactorExact } from '../math/health.js';
import { loopLeverage } from '../math/leverage.js';
import { Dec } from '../numeric/decimal.js';
import { loadScenario } from '../scenario/load.js';
import { accountId, buildModel } from './build.js';
import { populationAccountId, receiptId } from './ids.js';
import type { Model } from './model.js';

const VENUES = `
version: 1
name: build fixture
seed: 42
step: 30m
assets:
  - { id: ETH, kind: base, price: 2000 }
  - { id: USDC, kind: stable, price: 1 }
venues:
  - { id: pool, kind: constant-product, holdings: { ETH: 100, USDC: 150000 } }
  - id: lendA
    kind: lending
    assets:
      ETH: { ltv: 0.8, liquidationThreshold: 0.825, liquidationBonus: 0.05, protocolFee: 0.1 }
      USDC: { borrowable: true }
    badDebt: { coverFrom: treasury, then: deficit }
  - id: lendB
    kind: lending
    assets:
      aUSDC-lendA: { ltv: 0.93, liquidationThreshold: 0.95, liquidationBonus: 0.01 }
      ETH: { ltv: 0.8, liquidationThreshold: 0.83, liquidationBonus: 0.05 }
      USDC: { borrowable: true }
    closeFactor: { default: 0.4, full: { belowHealth: 0.9 } }
`;
const POPS = `
populations:
  - { name: suppliers-A, count: 20, positions: [{ venue: lendA, supply: USDC }], size: { lognormal: { median: 1000000, sigma: 0.5 } } }
  - { name: suppliers-B, count: 20, positions: [{ venue: lendB, supply: USDC }], size: { lognormal: { median: 1000000, sigma: 0.5 } } }
  - name: borrowers-A
    count: 300
    positions: [{ venue: lendA, deposit: ETH, borrow: USDC }]
    size: { lognormal: { median: 5, sigma: 1.2 } }
    healthFactor: { lognormal: { median: 1.1, sigma: 0.3 }, resampleBelow: 1.04 }
`;

function model(text: string, file = 'fixture.yaml'): Model {
  return buildModel(loadScenario(text, file), file);
}

const assetIds = (m: Model) => m.assets.map((a) => a.id);
const idx = (m: Model, id: string) => m.assetIndex.get(id) as number;

/** Exact health factor of row `r` of market `mi`, at oracle prices `price(assetIndex)`. */
function rowHealth(m: Model, mi: number, r: number, price: (a: number) => number): Dec {
  const mk = m.markets[mi]!;
  const book = m.books[mi]!;
  return healthFactorExact(
    mk.collReserves.map((ri, slot) => ({
      amount: book.coll[slot]![r]!,
      price: price(mk.reserves[ri]!.asset),
      liquidationThreshold: mk.reserves[ri]!.liquidationThreshold,
    })),
    mk.debtReserves.map((ri, slot) => ({
      amount: book.debt[slot]![r]!,
      price: price(mk.reserves[ri]!.asset),
    })),
  );
}

describe('buildModel: assets, pools and markets', () => {
  const m = model(VENUES);

  it('creates one receipt token per borrowable reserve, named aASSET-market', () => {
    expect(receiptId('USDC', 'lendA')).toBe('aUSDC-lendA');
    expect(assetIds(m)).toEqual(['ETH', 'USDC', 'aUSDC-lendA', 'aUSDC-lendB']);
    // ETH is collateral only: no aETH-lendA.
    expect(m.assetIndex.has('aETH-lendA')).toBe(false);
    expect(m.assets[idx(m, 'aUSDC-lendA')]).toEqual({
      id: 'aUSDC-lendA',
      kind: 'receipt',
      price: 1,
      issuer: 0,
      issuerReserve: 1,
      underlying: idx(m, 'USDC'),
    });
    expect(m.assets[idx(m, 'aUSDC-lendB')]).toMatchObject({
      issuer: 1,
      issuerReserve: 2,
      underlying: idx(m, 'USDC'),
    });
  });

  it('indexes reserves into collateral and debt slots', () => {
    const lendB = m.markets[1]!;
    expect(lendB.reserves.map((r) => [r.asset, r.collSlot, r.debtSlot, r.receipt])).toEqual([
      [idx(m, 'aUSDC-lendA'), 0, -1, -1],
      [idx(m, 'ETH'), 1, -1, -1],
      [idx(m, 'USDC'), -1, 0, idx(m, 'aUSDC-lendB')],
    ]);
    expect(lendB.collReserves).toEqual([0, 1]);
    expect(lendB.debtReserves).toEqual([2]);
    expect(lendB.reserves[2]).toMatchObject({ supplyCap: Infinity, borrowCap: Infinity });
  });

  it('copies market parameters and defaults', () => {
    const [a, b] = m.markets;
    expect(a).toMatchObject({
      id: 'lendA',
      oracleSource: -1,
      oracleLag: 0,
      closeFactor: 0.5,
      fullCloseBelow: 0.95,
      coverFromTreasury: true,
      lossModel: 'deficit',
    });
    expect(a?.reserves[0]).toMatchObject({
      ltv: 0.8,
      liquidationThreshold: 0.825,
      protocolFee: 0.1,
    });
    expect(b).toMatchObject({ closeFactor: 0.4, fullCloseBelow: 0.9, coverFromTreasury: false });
    expect(m.pools).toEqual([
      {
        id: 'pool',
        kind: 'constant-product',
        amp: 0,
        assets: [idx(m, 'ETH'), idx(m, 'USDC')],
        reserves: [100, 150000],
        fee: 0,
      },
    ]);
    expect(m.stepSeconds).toBe(1800);
    expect(m.accountCount).toBe(0);
  });
});

describe('buildModel: seeded populations', () => {
  it('same seed, same columns', () => {
    const a = model(VENUES + POPS);
    const b = model(VENUES + POPS);
    expect(a.books).toEqual(b.books);
    expect(a.reserveBalances).toEqual(b.reserveBalances);
    expect(a.wallets).toEqual(b.wallets);
  });

  it('a different seed, different columns', () => {
    const a = model(VENUES + POPS);
    const b = model(VENUES.replace('seed: 42', 'seed: 43') + POPS);
    expect(b.books[0]!.rows).toBe(a.books[0]!.rows);
    expect(b.books[0]!.coll[0]).not.toEqual(a.books[0]!.coll[0]);
    expect(b.books[0]!.debt[0]).not.toEqual(a.books[0]!.debt[0]);
  });

  it("each population has its own stream: another population's count does not change its draws", () => {
    const a = model(VENUES + POPS);
    const b = model(
      VENUES + POPS.replace('name: suppliers-B, count: 20', 'name: suppliers-B, count: 35'),
    );
    // borrowers-A are the only rows of lendA; suppliers are not in books.
    expect(b.books[0]!.coll).toEqual(a.books[0]!.coll);
    expect(b.books[0]!.debt).toEqual(a.books[0]!.debt);
    // ... but their account indices move up by 15.
    expect(b.books[0]!.account[0]).toBe((a.books[0]!.account[0] as number) + 15);
  });

  it('groups accounts in file order and names them population#i', () => {
    const m = model(VENUES + POPS);
    expect(m.accountGroups).toEqual([
      { name: 'suppliers-A', start: 0, count: 20, explicit: false },
      { name: 'suppliers-B', start: 20, count: 20, explicit: false },
      { name: 'borrowers-A', start: 40, count: 300, explicit: false },
    ]);
    expect(m.accountCount).toBe(340);
    expect(accountId(m, 0)).toBe('suppliers-A#0');
    expect(accountId(m, 41)).toBe(populationAccountId('borrowers-A', 1));
    expect(accountId(m, 41)).toBe('borrowers-A#1');
    expect(accountId(m, 340)).toBe('#340');
  });

  it('suppliers fund the reserve and hold the receipt tokens; borrowers hold what they borrow', () => {
    const m = model(VENUES + POPS);
    for (const [mi, balances] of m.reserveBalances.entries()) {
      for (const [ri, rb] of balances.entries()) {
        // At the start every supplied token is either cash or lent out.
        expect(Math.abs(rb.cash + rb.debt - rb.receiptSupply)).toBeLessThan(1e-6);
        if (m.markets[mi]!.reserves[ri]!.receipt >= 0)
          expect(m.wallets[m.markets[mi]!.reserves[ri]!.receipt]).toBe(rb.receiptSupply);
      }
    }
    const usdcA = m.reserveBalances[0]![1]!;
    expect(m.wallets[idx(m, 'USDC')]).toBeCloseTo(usdcA.debt, 6);
    const book = m.books[0]!;
    let eth = 0;
    for (let r = 0; r < book.rows; r++) eth += book.coll[0]![r]!;
    expect(m.custody[0]![0]).toBeCloseTo(eth, 9);
  });

  it('no account starts below resampleBelow (exact health factor at oracle prices)', () => {
    // median 1.1, sigma 0.3: about 42% of draws fall below 1.04 and are redrawn.
    const m = model(VENUES + POPS);
    const prices = (a: number) => m.assets[a]!.price;
    const book = m.books[0]!;
    expect(book.rows).toBe(300);
    let min = new Dec(Infinity);
    for (let r = 0; r < book.rows; r++) min = Dec.min(min, rowHealth(m, 0, r, prices));
    expect(min.gte(1.04)).toBe(true);
    expect(min.lt(1.06)).toBe(true);
  });

  it('without resampleBelow some accounts start below 1.04 (so the floor above is doing the work)', () => {
    const m = model(VENUES + POPS.replace(', resampleBelow: 1.04', ''));
    const prices = (a: number) => m.assets[a]!.price;
    let below = 0;
    for (let r = 0; r < m.books[0]!.rows; r++) if (rowHealth(m, 0, r, prices).lt(1.04)) below++;
    // Expected about 300 x P(Z < ln(1.04/1.1)/0.3 = -0.187) = 300 x 0.43 = 129.
    expect(below).toBeGreaterThan(80);
    expect(below).toBeLessThan(180);
  });

  it('a fixed health factor is met exactly (to float rounding) at the oracle price', () => {
    const fixed = POPS.replace(
      'healthFactor: { lognormal: { median: 1.1, sigma: 0.3 }, resampleBelow: 1.04 }',
      'healthFactor: { fixed: 1.25 }',
    );
    const m = model(VENUES + fixed);
    for (let r = 0; r < m.books[0]!.rows; r++) {
      const hf = rowHealth(m, 0, r, (a) => m.assets[a]!.price);
      expect(hf.minus(1.25).abs().lt('1e-12')).toBe(true);
    }
  });

  it('a market whose oracle reads a pool sizes debts at the pool spot price', () => {
    // Pool: 100 ETH / 150000 USDC, spot 1500 (the asset list says 2000).
    // 1 ETH deposited, LT 0.825, HF 1.5: debt = 1 x 1500 x 0.825 / 1.5 = 825 USDC.
    const text =
      VENUES.replace(
        '      USDC: { borrowable: true }\n    badDebt',
        '      USDC: { borrowable: true }\n    oracle: { source: pool }\n    badDebt',
      ) +
      `populations:
  - { name: s, count: 1, positions: [{ venue: lendA, supply: USDC }], size: { fixed: 10000 } }
  - { name: b, count: 2, positions: [{ venue: lendA, deposit: ETH, borrow: USDC }], size: { fixed: 1 }, healthFactor: { fixed: 1.5 } }
`;
    const m = model(text);
    expect(m.markets[0]!.oracleSource).toBe(0);
    expect(Array.from(m.books[0]!.debt[0]!)).toEqual([825, 825]);
  });
});

describe('buildModel: loop populations', () => {
  const text = (loop: string, size = '{ fixed: 100 }') =>
    VENUES +
    `populations:
  - { name: suppliers-B, count: 1, positions: [{ venue: lendB, supply: USDC }], size: { fixed: 100000000 } }
  - { name: loopers, count: 3, strategy: { loop: { supply: { venue: lendA, asset: USDC }, pledgeIn: lendB, ${loop} } }, size: ${size} }
`;

  it('collateral = L x equity of receipt tokens, debt = (L - 1) x equity; source supply grows by L x equity', () => {
    // L = 10, equity 100: 1000 aUSDC-lendA pledged in lendB, 900 USDC owed to lendB.
    // lendA: 3 x 1000 supplied, all cash. lendB: 1e8 - 3 x 900 = 99997300 cash left.
    const m = model(text('targetLeverage: 10'));
    const lendB = m.books[1]!;
    expect(lendB.rows).toBe(3);
    expect(Array.from(lendB.coll[0]!)).toEqual([1000, 1000, 1000]);
    expect(Array.from(lendB.coll[1]!)).toEqual([0, 0, 0]);
    expect(Array.from(lendB.debt[0]!)).toEqual([900, 900, 900]);
    expect(m.books[0]!.rows).toBe(0);
    expect(m.reserveBalances[0]![1]).toEqual({ cash: 3000, debt: 0, receiptSupply: 3000 });
    expect(m.reserveBalances[1]![2]).toEqual({
      cash: 99_997_300,
      debt: 2700,
      receiptSupply: 100_000_000,
    });
    expect(m.custody[1]![0]).toBe(3000);
    // The receipt tokens are pledged, not in wallets; the borrowed USDC went back into lendA.
    expect(m.wallets[idx(m, 'aUSDC-lendA')]).toBe(0);
    expect(m.wallets[idx(m, 'USDC')]).toBe(0);
  });

  it('loop health is LT x L / (L - 1) at par: 0.95 x 10 / 9 = 1.0556', () => {
    const m = model(text('targetLeverage: 10'));
    const hf = rowHealth(m, 1, 0, (a) => m.assets[a]!.price);
    expect(hf.minus(new Dec(9.5).div(9)).abs().lt('1e-15')).toBe(true);
  });

  it('with lognormal equity every row keeps collateral / debt = L / (L - 1)', () => {
    const m = model(text('targetLeverage: 14', '{ lognormal: { median: 2000, sigma: 1 } }'));
    const b = m.books[1]!;
    let supplied = 0;
    for (let r = 0; r < b.rows; r++) {
      const coll = b.coll[0]![r]!;
      const debt = b.debt[0]![r]!;
      expect(coll / debt).toBeCloseTo(14 / 13, 12);
      supplied += coll;
    }
    expect(m.reserveBalances[0]![1]!.receiptSupply).toBeCloseTo(supplied, 6);
  });

  it('`loops: n` gives leverage (1 - LTV^(n+1)) / (1 - LTV)', () => {
    // LTV 0.93, n = 2: 1 + 0.93 + 0.8649 = 2.7949; equity 100 -> collateral 279.49, debt 179.49
    const m = model(text('loops: 2'));
    expect(loopLeverage(0.93, 2)).toBeCloseTo(2.7949, 12);
    expect(m.books[1]!.coll[0]![0]).toBeCloseTo(279.49, 9);
    expect(m.books[1]!.debt[0]![0]).toBeCloseTo(179.49, 9);
  });

  it('a loop that needs more cash than lendB has fails, naming the population', () => {
    // 3 loopers x 900 = 2700 > 2000 supplied: the third borrow fails.
    const e = scenarioError(() =>
      model(
        text('targetLeverage: 10').replace('size: { fixed: 100000000 }', 'size: { fixed: 2000 }'),
        'loop.yaml',
      ),
    );
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.path).toBe('populations[1].strategy.loop.pledgeIn');
    expect(e.issues[0]?.message).toContain('needs cash');
    expect(e.message.startsWith('loop.yaml: populations[1].strategy.loop.pledgeIn: ')).toBe(true);
  });
});

describe('buildModel: errors the schema cannot see', () => {
  it('a borrow needs cash supplied before it', () => {
    // borrowers listed before their suppliers: the reserve has no cash yet.
    const pops = `
populations:
  - { name: borrowers, count: 1, positions: [{ venue: lendA, deposit: ETH, borrow: USDC }], size: { fixed: 1 }, healthFactor: { fixed: 1.5 } }
  - { name: suppliers, count: 1, positions: [{ venue: lendA, supply: USDC }], size: { fixed: 10000 } }
`;
    // debt = 1 x 2000 x 0.825 / 1.5 = 1100 USDC
    const e = scenarioError(() => model(VENUES + pops, 'x.yaml'));
    expect(e.issues).toEqual([
      {
        path: 'populations[0].positions[0].borrow',
        message:
          'borrowing 1100 USDC from lendA needs cash the reserve does not have (0 left): a borrow needs suppliers listed before it',
      },
    ]);
    // Suppliers first, it builds.
    const swapped = `
populations:
  - { name: suppliers, count: 1, positions: [{ venue: lendA, supply: USDC }], size: { fixed: 10000 } }
  - { name: borrowers, count: 1, positions: [{ venue: lendA, deposit: ETH, borrow: USDC }], size: { fixed: 1 }, healthFactor: { fixed: 1.5 } }
`;
    expect(model(VENUES + swapped).reserveBalances[0]![1]).toEqual({
      cash: 8900,
      debt: 1100,
      receiptSupply: 10000,
    });
  });

  it('supply and borrow caps', () => {
    const capped = VENUES.replace(
      '      USDC: { borrowable: true }\n    badDebt',
      '      USDC: { borrowable: true, supplyCap: 1500, borrowCap: 1000 }\n    badDebt',
    );
    const supply = scenarioError(() =>
      model(
        capped +
          `populations:\n  - { name: s, count: 2, positions: [{ venue: lendA, supply: USDC }], size: { fixed: 1000 } }\n`,
      ),
    );
    expect(supply.issues[0]?.path).toBe('populations[0].positions[0].supply');
    expect(supply.issues[0]?.message).toContain("lendA's supply cap of 1500");
    const borrow = scenarioError(() =>
      model(
        capped +
          `populations:\n  - { name: s, count: 1, positions: [{ venue: lendA, supply: USDC }], size: { fixed: 1500 } }\n  - { name: b, count: 1, positions: [{ venue: lendA, deposit: ETH, borrow: USDC }], size: { fixed: 1 }, healthFactor: { fixed: 1.5 } }\n`,
      ),
    );
    expect(borrow.issues[0]?.path).toBe('populations[1].positions[0].borrow');
    expect(borrow.issues[0]?.message).toContain("lendA's borrow cap of 1000");
  });
});

describe('buildModel: explicit accounts', () => {
  const accounts = (positions: string) => `accounts:\n  - id: alice\n    positions:\n${positions}`;

  it('supply, then pledge the receipt token elsewhere and borrow against it', () => {
    // alice supplies 1000 USDC to lendA (1000 aUSDC-lendA), pledges 600 in lendB, borrows 500 USDC
    // from lendB, which bob funded. 400 aUSDC-lendA and the 500 USDC stay in her wallet.
    const text =
      VENUES +
      `accounts:
  - id: bob
    positions: [{ venue: lendB, supply: { USDC: 800 } }]
  - id: alice
    positions:
      - { venue: lendA, supply: { USDC: 1000 } }
      - { venue: lendB, deposit: { aUSDC-lendA: 600 }, borrow: { USDC: 500 } }
`;
    const m = model(text);
    expect(m.explicitIds).toEqual(['bob', 'alice']);
    expect(m.accountGroups).toEqual([{ name: 'accounts', start: 0, count: 2, explicit: true }]);
    expect(accountId(m, 1)).toBe('alice');
    const b = m.books[1]!;
    expect(b.rows).toBe(1);
    expect(b.account[0]).toBe(1);
    expect(b.coll[0]![0]).toBe(600);
    expect(b.debt[0]![0]).toBe(500);
    expect(m.wallets[idx(m, 'aUSDC-lendA')]).toBe(400);
    expect(m.wallets[idx(m, 'aUSDC-lendB')]).toBe(800);
    expect(m.wallets[idx(m, 'USDC')]).toBe(500);
    expect(m.reserveBalances[0]![1]).toEqual({ cash: 1000, debt: 0, receiptSupply: 1000 });
    expect(m.reserveBalances[1]![2]).toEqual({ cash: 300, debt: 500, receiptSupply: 800 });
  });

  it('pledging more receipt tokens than held is an error', () => {
    const e = scenarioError(() =>
      model(
        VENUES +
          accounts(
            '      - { venue: lendA, supply: { USDC: 100 } }\n      - { venue: lendB, deposit: { aUSDC-lendA: 150 } }\n',
          ),
      ),
    );
    expect(e.issues).toEqual([
      {
        path: 'accounts.alice.positions[1].deposit.aUSDC-lendA',
        message:
          'pledges 150 aUSDC-lendA but the account holds 100 (supply it in an earlier position)',
      },
    ]);
  });

  it('pledging a receipt token before supplying is an error', () => {
    const e = scenarioError(() =>
      model(
        VENUES +
          accounts(
            '      - { venue: lendB, deposit: { aUSDC-lendA: 100 } }\n      - { venue: lendA, supply: { USDC: 100 } }\n',
          ),
      ),
    );
    expect(e.issues[0]?.path).toBe('accounts.alice.positions[0].deposit.aUSDC-lendA');
    expect(e.issues[0]?.message).toContain('holds 0');
  });

  it('explicit accounts come first, populations after them', () => {
    const m = model(
      VENUES +
        accounts('      - { venue: lendA, supply: { USDC: 100 } }\n') +
        `populations:\n  - { name: s, count: 2, positions: [{ venue: lendA, supply: USDC }], size: { fixed: 1 } }\n`,
    );
    expect(m.accountGroups.map((g) => [g.name, g.start, g.count])).toEqual([
      ['accounts', 0, 1],
      ['s', 1, 2],
    ]);
    expect([accountId(m, 0), accountId(m, 1), accountId(m, 2)]).toEqual(['alice', 's#0', 's#1']);
  });
});

describe('buildModel: liquidators and arbitrageurs', () => {
  it('expands liquidator groups and capital per asset', () => {
    const m = model(
      VENUES +
        `liquidators:
  - { id: liq, count: 2, capitalEach: { USDC: 5000 }, minProfitUsd: 50, sellTo: pool }
  - { id: whale, capitalEach: unlimited }
  - { capitalEach: { ETH: 1 } }
arbitrageurs:
  - { capital: unlimited }
  - { id: arb, capital: { USDC: 7 } }
`,
    );
    expect(m.liquidators.map((l) => [l.id, l.sellTo, l.minProfitUsd])).toEqual([
      ['liq#0', 0, 50],
      ['liq#1', 0, 50],
      ['whale', -1, 0],
      ['liquidator-2#0', -1, 0],
    ]);
    expect(Array.from(m.liquidators[0]!.capital)).toEqual([0, 5000, 0, 0]);
    expect(Array.from(m.liquidators[2]!.capital)).toEqual([Infinity, Infinity, Infinity, Infinity]);
    expect(m.arbitrageurs.map((a) => a.id)).toEqual(['arbitrageur#0', 'arb']);
    expect(Array.from(m.arbitrageurs[1]!.capital)).toEqual([0, 7, 0, 0]);
  });
});

describe('buildModel: the default scenario', () => {
  const text = readFileSync(new URL('../../../../scenarios/default.yaml', import.meta.url), 'utf8');
  const m = buildModel(loadScenario(text, 'scenarios/default.yaml'), 'scenarios/default.yaml');

  it('builds every population', () => {
    expect(m.accountGroups.map((g) => [g.name, g.count])).toEqual([
      ['suppliers-A', 250],
      ['suppliers-B', 500],
      ['stable-loopers', 150],
      ['borrowers-A', 6000],
      ['borrowers-B', 2000],
    ]);
    expect(m.accountCount).toBe(8900);
  });

  it('no borrower starts below 1.04; every looper sits at 0.95 x 14 / 13', () => {
    // Oracle prices at the start: ETH at the pool spot (260000000 / 130000 = 2000), USDC 1, receipt at par.
    const price = (a: number) => m.assets[a]!.price;
    const receiptSlot = m.markets[1]!.reserves.find(
      (r) => r.asset === idx(m, 'aUSDC-lendA'),
    )!.collSlot;
    let loopers = 0;
    for (const [mi, book] of m.books.entries()) {
      for (let r = 0; r < book.rows; r++) {
        const hf = rowHealth(m, mi, r, price);
        const looper = mi === 1 && book.coll[receiptSlot]![r]! > 0;
        if (looper) loopers++;
        if (looper) expect(hf.minus(new Dec(13.3).div(13)).abs().lt('1e-12')).toBe(true);
        else expect(hf.gte(1.04)).toBe(true);
      }
    }
    expect(loopers).toBe(150);
  });
});
