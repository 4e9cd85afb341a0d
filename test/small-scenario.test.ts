// The shipped hand-checkable scenario: every figure below is worked by hand in the README.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenarioText } from '@contagion/core';
import { events, ROOT, runDoc, runFile } from './helpers.js';

describe('scenarios/small.yaml, worked by hand', () => {
  const r = runFile('scenarios/small.yaml');
  const ev = events(r);
  const byAccount = (id: string) =>
    ev.filter((e) => r.model.explicitIds[e['account'] as number] === id);

  it('liquidates carol by half her debt (health 0.981 is above the 0.95 full-close line)', () => {
    // ETH 2000 -> 1500. Health = 10 x 1500 x 0.85 / 13000 = 0.98077.
    // Repay 0.5 x 13000 = 6500; seize 6500 x 1.05 / 1500 = 4.55 ETH;
    // protocol fee = 4.55 x 0.05 / 1.05 x 0.10 = 0.0216667 ETH.
    const [c] = byAccount('carol');
    expect(c!['healthBefore']).toBeCloseTo(12750 / 13000, 12);
    expect(c!['repaid']).toBeCloseTo(6500, 9);
    expect(c!['seized']).toBeCloseTo(4.55, 12);
    expect(c!['fee']).toBeCloseTo((4.55 * 0.05 * 0.1) / 1.05, 12);
    expect(c!['badDebt']).toBe(0);
    expect(c!['channel']).toBe(0); // shock
  });

  it('liquidates bob in full and books the shortfall as bad debt of lendA', () => {
    // Health = 12750 / 16500 = 0.7727 < 0.95: the whole debt may be repaid, but 16500 x 1.05 / 1500
    // = 11.55 ETH > 10 ETH held, so all 10 ETH are seized and the repay is cut to
    // 10 x 1500 / 1.05 = 14285.714...; bad debt = 16500 - 14285.714 = 2214.2857.
    const [b] = byAccount('bob');
    expect(b!['seized']).toBe(10);
    expect(b!['repaid']).toBeCloseTo(15000 / 1.05, 9);
    expect(b!['badDebt']).toBeCloseTo(16500 - 15000 / 1.05, 9);
    expect(r.summary.badDebt.byVenue['lendA']).toBeCloseTo(16500 - 15000 / 1.05, 9);
    expect(r.summary.badDebt.byReserve['lendA']!['USDC']!.socialised).toBeCloseTo(
      16500 - 15000 / 1.05,
      9,
    );
  });

  it('socialises the loss on lendA USDC suppliers: the receipt token falls to 0.98155', () => {
    // Supply 120000 (sam 100000 + lou 20000); loss 2214.2857 -> rate = 1 - 2214.2857 / 120000.
    const rate = 1 - (16500 - 15000 / 1.05) / 120000;
    expect(r.summary.receiptRates['aUSDC-lendA']!.end).toBeCloseTo(rate, 12);
    expect(r.summary.receiptRates['aUSDC-lendB']!.end).toBeCloseTo(1, 12);
  });

  it('reaches lendB through the receipt token: lou is liquidated in round 2 by the value channel', () => {
    // Lou: 20000 aUSDC-lendA pledged, 18200 USDC owed. Health before = 18400 / 18200 = 1.011;
    // after round 1, 20000 x 0.981548 x 0.92 / 18200 = 0.99234 < 1, above 0.95: repay 9100,
    // seize 9100 x 1.02 / 0.981548 = 9456.49 aUSDC-lendA, redeemed at lendA for 9282 USDC.
    const rate = 1 - (16500 - 15000 / 1.05) / 120000;
    const [l] = byAccount('lou');
    expect(l!['venue']).toBe('lendB');
    expect(l!['round']).toBe(2);
    expect(l!['healthBefore']).toBeCloseTo((20000 * rate * 0.92) / 18200, 12);
    expect(l!['repaid']).toBeCloseTo(9100, 9);
    expect(l!['seized']).toBeCloseTo((9100 * 1.02) / rate, 9);
    expect(l!['proceeds']).toBeCloseTo(9100 * 1.02, 9);
    expect(l!['channel']).toBe(2); // value
    expect(r.summary.byChannel['lendB']!['value']!.liquidated).toBeCloseTo(9100, 9);
    expect(r.summary.reach.venuesReached).toEqual(['lendB']);
    expect(r.summary.reach.contagionDepth).toBe(2);
    expect(r.summary.reach.venues[0]!.path).toEqual(['ETH', 'lendA', 'aUSDC-lendA', 'lendB']);
  });

  it('stops after a round that liquidates nothing, and conserves every asset', () => {
    expect(r.summary.liquidations.count).toBe(3);
    // Round 3 of step 1 finds nobody eligible: it ends the step and is not counted as a round.
    expect(r.summary.rounds).toBe(2);
    expect(r.summary.waves).toBe(2);
    expect(r.summary.conservation.ok).toBe(true);
    expect(r.summary.prices['ETH']!.exogenousDrawdown).toBeCloseTo(0.25, 12);
    expect(r.summary.prices['ETH']!.amplification).toBeCloseTo(1, 12);
  });
});

describe('where losses land: the small scenario with a 50% shock', () => {
  // ETH 2000 -> 1000. bob: 10 ETH = 10000 < 16500 x 1.05, all seized, repay 10000 / 1.05 = 9523.81,
  // bad debt 6976.19. carol: 10 ETH = 10000 < 13000 x 1.05, all seized, bad debt 3476.19. lendA loses
  // 10452.38 of 120000: aUSDC-lendA = 0.912897. lou: 20000 x 0.912897 = 18257.94 of collateral
  // against 18200 (health 0.923 < 0.95): all seized, repay 18257.94 / 1.02 = 17899.94, and lendB
  // books 300.06 of bad debt, a loss of its USDC suppliers (50000): aUSDC-lendB = 0.993999.
  const doc = parseScenarioText(
    readFileSync(join(ROOT, 'scenarios/small.yaml'), 'utf8'),
    'small.yaml',
  ) as {
    prices: { ETH: { shocks: { step: number; change: number }[] } };
  };
  doc.prices.ETH.shocks = [{ step: 1, change: -0.5 }];
  const r = runDoc(doc);
  const lossA = 16500 - 10000 / 1.05 + (13000 - 10000 / 1.05);
  const rateA = 1 - lossA / 120000;
  const lossB = 18200 - (20000 * rateA) / 1.02;

  it('books bad debt on the suppliers of each borrowed reserve', () => {
    expect(r.summary.badDebt.byReserve['lendA']!['USDC']!.socialised).toBeCloseTo(lossA, 8);
    expect(r.summary.badDebt.byReserve['lendB']!['USDC']!.socialised).toBeCloseTo(lossB, 8);
  });

  it("leaves lendA's suppliers untouched by lendB's loss, and lendB's suppliers bear it", () => {
    expect(r.summary.receiptRates['aUSDC-lendA']!.end).toBeCloseTo(rateA, 12);
    expect(r.summary.receiptRates['aUSDC-lendB']!.end).toBeCloseTo(1 - lossB / 50000, 12);
    expect(r.summary.byChannel['lendB']!['value']!.badDebt).toBeCloseTo(lossB, 8);
  });
});
