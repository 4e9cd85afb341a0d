// Cross-reference and protocol rules (check.ts), exercised through validateScenario, which formats
// their paths.
import { describe, expect, it } from 'vitest';
import { scenarioError } from '../internal/testing.js';
import { parse } from 'yaml';
import { ScenarioError } from '../errors.js';
import { validateScenario } from './load.js';

const HEAD = `
version: 1
name: two markets
steps: 10
assets:
  - { id: ETH, kind: base, price: 2000 }
  - { id: USDC, kind: stable, price: 1 }
`;
const VENUES = `
venues:
  - { id: pool, kind: constant-product, holdings: { ETH: 100, USDC: 200000 } }
  - id: lendA
    kind: lending
    assets:
      ETH: { ltv: 0.8, liquidationThreshold: 0.825, liquidationBonus: 0.05 }
      USDC: { borrowable: true }
  - id: lendB
    kind: lending
    assets:
      aUSDC-lendA: { ltv: 0.93, liquidationThreshold: 0.95, liquidationBonus: 0.01 }
      USDC: { borrowable: true }
`;

/** Validate HEAD + VENUES + `rest`, with `edit` applied to the venues text first. */
function check(rest = '', edit: (venues: string) => string = (v) => v) {
  return () => validateScenario(parse(HEAD + edit(VENUES) + rest) as unknown, 'x.yaml');
}

function issues(rest = '', edit?: (venues: string) => string) {
  return scenarioError(check(rest, edit)).issues;
}

const SUPPLIERS = `  - { name: suppliers, count: 2, positions: [{ venue: lendA, supply: USDC }], size: { fixed: 1000 } }\n`;

describe('the base fixture', () => {
  it('is valid', () => {
    expect(check(`populations:\n${SUPPLIERS}`)).not.toThrow();
  });
});

describe('reserve parameters', () => {
  it('LTV above the liquidation threshold', () => {
    expect(issues('', (v) => v.replace('ltv: 0.8,', 'ltv: 0.9,'))).toEqual([
      {
        path: 'venues.lendA.assets.ETH.ltv',
        message: 'must be <= liquidationThreshold (0.825), got 0.9',
      },
    ]);
  });

  it('LTV equal to the threshold is allowed', () => {
    expect(check('', (v) => v.replace('ltv: 0.8,', 'ltv: 0.825,'))).not.toThrow();
  });

  it('threshold x (1 + bonus) > 1 (Aave: LT x bonus <= 100%)', () => {
    // 0.825 x 1.25 = 1.03125 > 1
    const [i, ...more] = issues('', (v) =>
      v.replace('liquidationBonus: 0.05', 'liquidationBonus: 0.25'),
    );
    expect(more).toEqual([]);
    expect(i?.path).toBe('venues.lendA.assets.ETH.liquidationBonus');
    expect(i?.message).toContain('must be <= 1');
    expect(i?.message).toContain('0.825 x 1.25');
  });

  it('threshold x (1 + bonus) = 1 exactly is allowed', () => {
    // 0.8 x 1.25 = 1
    expect(
      check('', (v) =>
        v.replace(
          'ltv: 0.8, liquidationThreshold: 0.825, liquidationBonus: 0.05',
          'ltv: 0.8, liquidationThreshold: 0.8, liquidationBonus: 0.25',
        ),
      ),
    ).not.toThrow();
  });

  it('a collateral asset needs an LTV and a bonus', () => {
    expect(
      issues('', (v) =>
        v.replace(
          'ETH: { ltv: 0.8, liquidationThreshold: 0.825, liquidationBonus: 0.05 }',
          'ETH: { liquidationThreshold: 0.825 }',
        ),
      ),
    ).toEqual([
      { path: 'venues.lendA.assets.ETH.ltv', message: 'is required for a collateral asset' },
      {
        path: 'venues.lendA.assets.ETH.liquidationBonus',
        message: 'is required for a collateral asset',
      },
    ]);
  });

  it('an LTV without a threshold, and a reserve that is neither collateral nor borrowable', () => {
    expect(
      issues('', (v) =>
        v.replace(
          'ETH: { ltv: 0.8, liquidationThreshold: 0.825, liquidationBonus: 0.05 }',
          'ETH: { ltv: 0.8 }',
        ),
      ),
    ).toEqual([
      {
        path: 'venues.lendA.assets.ETH',
        message: 'is neither collateral (liquidationThreshold) nor borrowable',
      },
      {
        path: 'venues.lendA.assets.ETH.ltv',
        message: 'needs liquidationThreshold (a collateral asset)',
      },
    ]);
  });

  it('unknown asset in a market', () => {
    expect(
      issues('', (v) =>
        v.replace(
          '  USDC: { borrowable: true }\n  - id: lendB',
          '  DAI: { borrowable: true }\n  - id: lendB',
        ),
      ),
    ).toEqual([
      { path: 'venues.lendA.assets.DAI', message: 'unknown asset "DAI"' },
      // lendA no longer lends USDC, so its receipt token does not exist either.
      { path: 'venues.lendB.assets.aUSDC-lendA', message: 'unknown asset "aUSDC-lendA"' },
    ]);
  });

  it('receipt tokens: only of borrowable reserves, never borrowed, never in their own market', () => {
    // ETH is not borrowable in lendA, so there is no aETH-lendA.
    expect(issues('', (v) => v.replace('aUSDC-lendA: {', 'aETH-lendA: {'))).toEqual([
      { path: 'venues.lendB.assets.aETH-lendA', message: 'unknown asset "aETH-lendA"' },
    ]);
    expect(
      issues('', (v) =>
        v.replace(
          'aUSDC-lendA: { ltv: 0.93, liquidationThreshold: 0.95, liquidationBonus: 0.01 }',
          'aUSDC-lendA: { borrowable: true }',
        ),
      ),
    ).toContainEqual({
      path: 'venues.lendB.assets.aUSDC-lendA.borrowable',
      message: 'a receipt token cannot be borrowed, got "aUSDC-lendA"',
    });
    expect(
      issues('', (v) =>
        v.replace(
          '      ETH: { ltv: 0.8,',
          '      aUSDC-lendA: { ltv: 0.9, liquidationThreshold: 0.9, liquidationBonus: 0.01 }\n      ETH: { ltv: 0.8,',
        ),
      ),
    ).toEqual([
      {
        path: 'venues.lendA.assets.aUSDC-lendA',
        message: 'a market cannot take its own receipt token "aUSDC-lendA" as collateral',
      },
    ]);
  });

  it('full close factor threshold above 1', () => {
    expect(
      issues('', (v) =>
        v.replace(
          '      USDC: { borrowable: true }\n  - id: lendB',
          '      USDC: { borrowable: true }\n    closeFactor: { full: { belowHealth: 1.2 } }\n  - id: lendB',
        ),
      ),
    ).toEqual([
      { path: 'venues.lendA.closeFactor.full.belowHealth', message: 'must be in (0, 1], got 1.2' },
    ]);
  });

  it('oracle source must be the market or a pool', () => {
    expect(
      issues('', (v) =>
        v.replace(
          '  - id: lendB\n    kind: lending\n',
          '  - id: lendB\n    kind: lending\n    oracle: { source: lendA }\n',
        ),
      ),
    ).toEqual([
      { path: 'venues.lendB.oracle.source', message: 'must be "market" or a pool id, got "lendA"' },
    ]);
  });
});

describe('ids', () => {
  it('duplicate asset ids and venue ids', () => {
    const dupAsset = scenarioError(() =>
      validateScenario(
        parse(HEAD + '  - { id: ETH, kind: base, price: 1 }\n' + VENUES) as unknown,
        'x.yaml',
      ),
    ).issues;
    expect(dupAsset).toEqual([
      { path: 'assets.ETH.id', message: 'duplicate asset id "ETH" (entry 2)' },
    ]);
    expect(
      issues('', (v) =>
        v.replace('- id: lendB', '- id: lendA').replace('aUSDC-lendA:', 'aUSDC-pool:'),
      ),
    ).toContainEqual({ path: 'venues.lendA.id', message: 'duplicate id "lendA" (entry 2)' });
  });

  it('a venue may not reuse an asset id', () => {
    expect(issues('', (v) => v.replace('id: pool', 'id: ETH'))).toEqual([
      { path: 'venues.ETH.id', message: 'duplicate id "ETH" (entry 0)' },
    ]);
  });

  it('a venue may not be called "market" or "exogenous" (price sources in prices.csv)', () => {
    expect(issues('', (v) => v.replace('id: pool', 'id: market'))).toEqual([
      {
        path: 'venues.market.id',
        message: '"market" is reserved (a price source in the outputs): choose another venue id',
      },
    ]);
  });

  it('a receipt token may not clash with a listed asset', () => {
    const e = scenarioError(() =>
      validateScenario(
        parse(HEAD + '  - { id: aUSDC-lendA, kind: stable, price: 1 }\n' + VENUES) as unknown,
        'x.yaml',
      ),
    );
    expect(e.issues).toContainEqual({
      path: 'venues.lendA.assets.USDC',
      message: 'receipt token "aUSDC-lendA" clashes with an asset id',
    });
  });

  // Known bug, reported: duplicate account ids and population names are accepted. Two populations
  // named alike draw from the same stream and produce the same account ids (`p#0`).
  it('duplicate population names are rejected', () => {
    expect(check(`populations:\n${SUPPLIERS}${SUPPLIERS}`)).toThrow(ScenarioError);
  });
  it('duplicate account ids are rejected', () => {
    expect(
      check(`accounts:\n  - { id: alice, positions: [] }\n  - { id: alice, positions: [] }\n`),
    ).toThrow(ScenarioError);
  });
});

describe('references from populations', () => {
  it('unknown venue in a population', () => {
    expect(
      issues(
        `populations:\n${SUPPLIERS}  - { name: borrowers, count: 1, positions: [{ venue: lendC, deposit: ETH, borrow: USDC }], size: { fixed: 1 }, healthFactor: { fixed: 1.5 } }\n`,
      ),
    ).toEqual([
      {
        path: 'populations[1].positions[0].venue',
        message: 'must name a lending market, got "lendC"',
      },
    ]);
  });

  it('a pool is not a lending market', () => {
    expect(
      issues(
        `populations:\n  - { name: s, count: 1, positions: [{ venue: pool, supply: USDC }], size: { fixed: 1 } }\n`,
      ),
    ).toEqual([
      {
        path: 'populations[0].positions[0].venue',
        message: 'must name a lending market, got "pool"',
      },
    ]);
  });

  it('deposits must be collateral, borrows and supplies borrowable', () => {
    expect(
      issues(
        `populations:\n  - { name: b, count: 1, positions: [{ venue: lendA, deposit: USDC, borrow: ETH }, { venue: lendA, supply: ETH }], size: { fixed: 1 }, healthFactor: { fixed: 2 } }\n`,
      ),
    ).toEqual([
      {
        path: 'populations[0].positions[0].deposit',
        message: '"USDC" is not a collateral asset of "lendA"',
      },
      {
        path: 'populations[0].positions[0].borrow',
        message: '"ETH" is not a borrowable asset of "lendA"',
      },
      {
        path: 'populations[0].positions[1].supply',
        message: '"ETH" is not a borrowable asset of "lendA"',
      },
    ]);
  });

  it('a population that borrows needs a health factor', () => {
    expect(
      issues(
        `populations:\n  - { name: b, count: 1, positions: [{ venue: lendA, deposit: ETH, borrow: USDC }], size: { fixed: 1 } }\n`,
      ),
    ).toEqual([
      { path: 'populations[0].healthFactor', message: 'is required for a population that borrows' },
    ]);
  });

  it('a population needs positions or a strategy', () => {
    expect(issues(`populations:\n  - { name: b, count: 1, size: { fixed: 1 } }\n`)).toEqual([
      { path: 'populations[0].positions', message: 'must list a position or give a strategy' },
    ]);
  });
});

describe('loop strategies', () => {
  const loop = (extra: string) =>
    `populations:\n  - { name: loopers, count: 1, strategy: { loop: { supply: { venue: lendA, asset: USDC }, pledgeIn: lendB${extra} } }, size: { fixed: 1 } }\n`;

  it('target leverage below 1 / (1 - LTV) is accepted', () => {
    expect(check(loop(', targetLeverage: 14'))).not.toThrow();
    expect(check(loop(', loops: 30'))).not.toThrow();
  });

  it('target leverage at or above 1 / (1 - LTV) = 1 / 0.07 = 14.2857', () => {
    for (const l of [14.3, 1 / (1 - 0.93)]) {
      const [i, ...more] = issues(loop(`, targetLeverage: ${l}`));
      expect(more).toEqual([]);
      expect(i?.path).toBe('populations[0].strategy.loop.targetLeverage');
      expect(i?.message).toContain('14.2857');
      expect(i?.message).toContain(`got ${l}`);
    }
  });

  it('exactly one of targetLeverage or loops', () => {
    const msg = {
      path: 'populations[0].strategy.loop',
      message: 'must give exactly one of targetLeverage or loops',
    };
    expect(issues(loop(''))).toEqual([msg]);
    expect(issues(loop(', targetLeverage: 2, loops: 2'))).toEqual([msg]);
  });

  it('the pledge market must accept the receipt token and lend the asset', () => {
    expect(
      issues(loop(', targetLeverage: 2').replace('pledgeIn: lendB', 'pledgeIn: lendA')),
    ).toEqual([
      {
        path: 'populations[0].strategy.loop.pledgeIn',
        message: '"aUSDC-lendA" is not a collateral asset of "lendA"',
      },
    ]);
  });

  it('positions are built by the strategy, not listed', () => {
    const text = loop(', targetLeverage: 2').replace(
      'count: 1,',
      'count: 1, positions: [{ venue: lendA, supply: USDC }],',
    );
    expect(issues(text)).toEqual([
      {
        path: 'populations[0].positions',
        message: 'must be empty when a loop strategy builds the positions',
      },
    ]);
  });
});

describe('references from accounts, agents, prices and impact', () => {
  it('account positions', () => {
    expect(
      issues(
        `accounts:\n  - id: alice\n    positions:\n      - { venue: lendC, supply: { USDC: 1 } }\n      - { venue: lendA, supply: { ETH: 1 }, deposit: { USDC: 1 }, borrow: { ETH: 1 } }\n`,
      ),
    ).toEqual([
      {
        path: 'accounts.alice.positions[0].venue',
        message: 'must name a lending market, got "lendC"',
      },
      {
        path: 'accounts.alice.positions[1].supply.ETH',
        message: '"ETH" is not a borrowable asset of "lendA"',
      },
      {
        path: 'accounts.alice.positions[1].deposit.USDC',
        message: '"USDC" is not a collateral asset of "lendA"',
      },
      {
        path: 'accounts.alice.positions[1].borrow.ETH',
        message: '"ETH" is not a borrowable asset of "lendA"',
      },
    ]);
  });

  it('pool holdings, liquidators and arbitrageurs name known assets and pools', () => {
    expect(
      issues(
        `liquidators:\n  - { id: liq, capitalEach: { DAI: 5 }, sellTo: nowhere }\narbitrageurs:\n  - { capital: { aUSDC-lendA: 1 } }\n`,
        (v) =>
          v.replace(
            'holdings: { ETH: 100, USDC: 200000 }',
            'holdings: { ETH: 100, aUSDC-lendA: 200000 }',
          ),
      ),
    ).toEqual([
      { path: 'venues.pool.holdings.aUSDC-lendA', message: 'unknown asset "aUSDC-lendA"' },
      { path: 'arbitrageurs[0].capital.aUSDC-lendA', message: 'unknown asset "aUSDC-lendA"' },
      { path: 'liquidators.liq.capitalEach.DAI', message: 'unknown asset "DAI"' },
      { path: 'liquidators.liq.sellTo', message: 'must be "market" or a pool id, got "nowhere"' },
    ]);
  });

  it('shock step after the last step', () => {
    // steps: 10 in HEAD; step 10 is the last allowed.
    expect(check(`prices:\n  ETH: { shocks: [{ step: 10, change: -0.2 }] }\n`)).not.toThrow();
    expect(
      issues(
        `prices:\n  ETH: { shocks: [{ step: 1, change: -0.2 }, { step: 11, change: -0.1 }] }\n`,
      ),
    ).toEqual([
      { path: 'prices.ETH.shocks[1].step', message: 'is after the last step (10), got 11' },
    ]);
  });

  it('an override of steps cuts the run short and drops the shocks it never reaches', () => {
    const doc = parse(
      HEAD +
        VENUES +
        `prices:\n  ETH: { shocks: [{ step: 2, change: -0.1 }, { step: 6, change: -0.2 }] }\n`,
    ) as unknown;
    expect(validateScenario(doc, 'x.yaml').steps).toBe(10);
    const cut = validateScenario(doc, 'x.yaml', { steps: 5 });
    expect(cut.steps).toBe(5);
    expect(cut.prices['ETH']).toEqual({ shocks: [{ step: 2, change: -0.1 }] });
    // The file's own steps still bound its shocks.
    const bad = parse(
      HEAD.replace('steps: 10', 'steps: 4') +
        VENUES +
        `prices:\n  ETH: { shocks: [{ step: 6, change: -0.2 }] }\n`,
    ) as unknown;
    expect(scenarioError(() => validateScenario(bad, 'x.yaml', { steps: 8 })).issues).toEqual([
      { path: 'prices.ETH.shocks[0].step', message: 'is after the last step (4), got 6' },
    ]);
  });

  it('prices and impact name base assets', () => {
    expect(
      issues(`prices:\n  USDC: { process: gbm, volatility: 0.1 }\nimpact:\n  BTC: { depth: 5 }\n`),
    ).toEqual([
      { path: 'prices.USDC', message: 'must name a base asset, got "USDC"' },
      { path: 'impact.BTC', message: 'must name a base or pegged asset, got "BTC"' },
    ]);
  });
});
