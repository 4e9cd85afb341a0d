// network.csv rows (positions by graph node, market and health band per step) and rounds.csv rows,
// checked by hand on the small scenario and against the run's own totals on the default one.
import { describe, expect, it } from 'vitest';
import { bandIndex, HEALTH_BANDS, roundRows, type SimulationResult } from '@contagion/sim';
import { close, runFile, NET } from './helpers.js';

const band = (c: number, d: number, has = true) => HEALTH_BANDS[bandIndex(c, d, has)];

describe('health bands', () => {
  it('puts each boundary in the upper band', () => {
    expect(band(0.999999, 1)).toBe('liquidatable');
    expect(band(1, 1)).toBe('at-risk');
    expect(band(1.0999, 1)).toBe('at-risk');
    expect(band(1.1, 1)).toBe('watch');
    expect(band(1.4999, 1)).toBe('watch');
    expect(band(1.5, 1)).toBe('safe');
    expect(band(5, 0)).toBe('no-debt');
    // Nothing pledged left: closed, whatever debt is still on the books.
    expect(band(0, 0, false)).toBe('closed');
    expect(band(0, 100, false)).toBe('closed');
  });
});

describe('network rows of the small scenario', () => {
  const r = runFile('scenarios/small.yaml', NET);
  const at = (step: number, node: string) =>
    r.network.filter((x) => x.step === step && x.node === node);

  it('lists each account one by one (4 accounts <= 50) with its hand-computed band at step 0', () => {
    // Health = threshold x collateral at the oracle / debt: bob 0.85 x 20,000 / 16,500 = 1.030,
    // carol 0.85 x 20,000 / 13,000 = 1.308, lou 0.92 x 20,000 / 18,200 = 1.011.
    expect(r.network.filter((x) => x.step === 0).map((x) => [x.node, x.venue, x.band])).toEqual([
      ['account:bob', 'lendA', 'at-risk'],
      ['account:carol', 'lendA', 'watch'],
      ['account:lou', 'lendB', 'at-risk'],
    ]);
    const bob = at(0, 'account:bob')[0]!;
    expect(bob).toMatchObject({ positions: 1, collateralValue: 20000, debtValue: 16500 });
    expect(bob.liquidated).toBe(0);
  });

  it('marks bob closed, liquidated and with bad debt once the shock takes all his ETH', () => {
    expect(at(1, 'account:bob')).toEqual([
      expect.objectContaining({
        band: 'closed',
        positions: 1,
        collateralValue: 0,
        liquidated: 1,
        badDebt: 1,
      }),
    ]);
    // Liquidated, not closed: carol and lou keep part of their collateral.
    for (const who of ['account:carol', 'account:lou']) {
      const x = at(1, who)[0]!;
      expect(x.liquidated).toBe(1);
      expect(x.badDebt).toBe(0);
      expect(x.collateralValue).toBeGreaterThan(0);
    }
  });

  it('has one row group per step from 0 to the last', () => {
    expect(new Set(r.network.map((x) => x.step))).toEqual(new Set([0, 1, 2]));
  });
});

/** Network rows must add up to the per-venue figures of steps.csv and to the summary. */
function checkTotals(r: SimulationResult): void {
  const steps = r.summary.steps;
  for (let t = 0; t <= steps; t++) {
    const rows = r.network.filter((x) => x.step === t);
    expect(rows.reduce((s, x) => s + x.positions, 0)).toBe(r.summary.positions);
    for (const m of r.model.markets) {
      const mine = rows.filter((x) => x.venue === m.id);
      const step = r.steps.find((x) => x.step === t && x.venue === m.id)!;
      const coll = mine.reduce((s, x) => s + x.collateralValue, 0);
      const debt = mine.reduce((s, x) => s + x.debtValue, 0);
      expect(close(coll, step.collateralValue, 1e-9), `${m.id} step ${t} collateral`).toBe(true);
      expect(close(debt, step.debtValue, 1e-9), `${m.id} step ${t} debt`).toBe(true);
    }
  }
  // Positions a liquidation took, at the end: the distinct (market, row) pairs of the event log.
  const taken = new Set<string>();
  for (let e = 0; e < r.events.length; e++)
    taken.add(`${r.events.int.market[e]}:${r.events.int.row[e]}`);
  const last = r.network.filter((x) => x.step === steps);
  expect(last.reduce((s, x) => s + x.liquidated, 0)).toBe(taken.size);
}

/** Round rows must add up to the summary's counts, values and bad debt per venue. */
function checkRounds(r: SimulationResult): void {
  const rows = roundRows(
    r.events,
    r.model.markets.map((m) => m.id),
  );
  for (const x of rows) expect(x.shock + x.price + x.value).toBe(x.liquidations);
  for (const m of r.model.markets) {
    const mine = rows.filter((x) => x.venue === m.id);
    const v = r.summary.liquidations.byVenue[m.id]!;
    expect(mine.reduce((s, x) => s + x.liquidations, 0)).toBe(v.count);
    expect(
      close(
        mine.reduce((s, x) => s + x.liquidatedValue, 0),
        v.notional,
        1e-9,
      ),
    ).toBe(true);
    const bad = mine.reduce((s, x) => s + x.badDebt, 0);
    expect(close(bad, r.summary.badDebt.byVenue[m.id]!, 1e-9)).toBe(true);
  }
  // Rounds per step add up to the step's `rounds` in steps.csv at most (rounds without calls have no row).
  const perStep = new Map<number, Set<number>>();
  for (const x of rows) perStep.set(x.step, (perStep.get(x.step) ?? new Set()).add(x.round));
  for (const [t, set] of perStep) {
    const sys = r.steps.find((x) => x.step === t && x.venue === 'system')!;
    expect(set.size).toBeLessThanOrEqual(sys.rounds);
  }
}

describe('network and round rows against the run totals', () => {
  it('small scenario', () => {
    const r = runFile('scenarios/small.yaml', NET);
    checkTotals(r);
    checkRounds(r);
  });

  it('default scenario (clustered: one node per group and market)', () => {
    const r = runFile('scenarios/default.yaml', NET);
    checkTotals(r);
    checkRounds(r);
    expect(r.network.every((x) => x.node.startsWith(`cluster:${x.venue}:`))).toBe(true);
  });

  it('lists accounts one by one when asked to, above the default of 50', () => {
    const r = runFile('scenarios/small.yaml', { ...NET, individualAccountsUpTo: 2 });
    expect(r.network.every((x) => x.node.startsWith('cluster:'))).toBe(true);
    checkTotals(r);
  });

  it('records nothing when rows are not kept (sweeps)', () => {
    expect(runFile('scenarios/small.yaml', { ...NET, record: false }).network).toEqual([]);
  });
});

it('records network rows only when asked to (they cost a pass over every position per step)', () => {
  expect(runFile('scenarios/small.yaml').network).toEqual([]);
});
