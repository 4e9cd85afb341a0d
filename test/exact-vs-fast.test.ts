// The float kernel against the exact decimal reference, on systems placed on both sides of health 1.
import {
  buildModel,
  Dec,
  healthFactorExact,
  liquidationCallExact,
  validateScenario,
} from '@contagion/core';
import { createRunner, eventAccount } from '@contagion/sim';
import { describe, expect, it } from 'vitest';
import { runDoc } from './helpers.js';

/** Relative tolerance of the float kernel against the exact reference on these systems. */
const TOL = 1e-12;

// Health after the shock, relative to 1: both sides of the line, from far to within 1e-9.
const OFFSETS = [-0.3, -0.12, -0.05, -0.02, -1e-3, -1e-6, -1e-9, 1e-9, 1e-6, 1e-3, 0.02, 0.2];
const LT = 0.825;
const BONUS = 0.05;
const FEE = 0.1;
const P0 = 2000;
const P1 = 1600;

function system() {
  const accounts = OFFSETS.flatMap((off, k) =>
    [1.5, 7, 23].map((eth, j) => {
      // Debt such that health at P1 is exactly 1 + off: debt = eth x P1 x LT / (1 + off).
      const debt = Number(
        new Dec(eth).times(P1).times(LT).div(new Dec(1).plus(off)).toPrecision(15),
      );
      return {
        id: `a${k}-${j}`,
        positions: [{ venue: 'lend', deposit: { ETH: eth }, borrow: { USDC: debt } }],
      };
    }),
  );
  return {
    version: 1,
    name: 'exact vs fast',
    seed: 3,
    steps: 1,
    assets: [
      { id: 'ETH', kind: 'base', price: P0 },
      { id: 'USDC', kind: 'stable', price: 1 },
    ],
    venues: [
      {
        id: 'lend',
        kind: 'lending',
        assets: {
          ETH: { ltv: 0.8, liquidationThreshold: LT, liquidationBonus: BONUS, protocolFee: FEE },
          USDC: { borrowable: true, rateModel: { base: 0, slope1: 0, kink: 0.8, slope2: 0 } },
        },
      },
    ],
    liquidators: [{ id: 'keeper', capitalEach: 'unlimited', sellTo: 'market' }],
    accounts: [
      { id: 'lender', positions: [{ venue: 'lend', supply: { USDC: 1e9 } }] },
      ...accounts,
    ],
    prices: { ETH: { shocks: [{ step: 1, change: P1 / P0 - 1 }] } },
  };
}

const rel = (a: number, b: InstanceType<typeof Dec>) =>
  b.isZero() ? Math.abs(a) : new Dec(a).minus(b).abs().div(Dec.max(1, b.abs())).toNumber();

describe('exact reference vs float kernel', () => {
  const doc = system();
  const r = runDoc(doc);
  const state = new Map<
    number,
    { coll: InstanceType<typeof Dec>; debt: InstanceType<typeof Dec> }
  >();
  doc.accounts.forEach((a, i) => {
    const p = a.positions[0]!;
    if ('deposit' in p)
      state.set(i, { coll: new Dec(p.deposit!.ETH), debt: new Dec(p.borrow!.USDC) });
  });

  it('liquidates in round 1 exactly the accounts whose exact health is below 1', () => {
    const firstRound = new Set<number>();
    for (let e = 0; e < r.events.length; e++)
      if (r.events.int.round[e] === 1) firstRound.add(eventAccount(r, e));
    const expected = new Set<number>();
    for (const [i, s] of state) {
      const hf = healthFactorExact(
        [{ amount: s.coll, price: P1, liquidationThreshold: LT }],
        [{ amount: s.debt, price: 1 }],
      );
      if (hf.lt(1)) expected.add(i);
    }
    expect(expected.size).toBe(21); // 7 negative offsets x 3 sizes
    expect([...firstRound].sort()).toEqual([...expected].sort());
  });

  it('matches every call of every round, replayed exactly, within 1e-12', () => {
    let checked = 0;
    for (let e = 0; e < r.events.length; e++) {
      const ev = r.events.get(e);
      const s = state.get(eventAccount(r, e))!;
      const hf = healthFactorExact(
        [{ amount: s.coll, price: ev.collPrice, liquidationThreshold: LT }],
        [{ amount: s.debt, price: ev.debtPrice }],
      );
      expect(rel(ev.healthBefore, hf)).toBeLessThanOrEqual(TOL);
      const call = liquidationCallExact({
        collateral: s.coll,
        collateralPrice: ev.collPrice,
        debt: s.debt,
        debtPrice: ev.debtPrice,
        bonus: BONUS,
        protocolFee: FEE,
        closeFactor: hf.lt(0.95) ? 1 : 0.5,
      });
      expect(rel(ev.repaid, call.repaid)).toBeLessThanOrEqual(TOL);
      expect(rel(ev.seized, call.seized)).toBeLessThanOrEqual(TOL);
      expect(rel(ev.fee, call.fee)).toBeLessThanOrEqual(TOL);
      const debtLeft = s.debt.minus(call.repaid);
      const bad = call.exhausted ? debtLeft : new Dec(0);
      expect(rel(ev.badDebt, bad.times(ev.debtPrice))).toBeLessThanOrEqual(1e-9);
      state.set(eventAccount(r, e), {
        coll: s.coll.minus(call.seized),
        debt: call.exhausted ? new Dec(0) : debtLeft,
      });
      checked++;
    }
    // With these parameters a half-debt call always lifts health above 1 (2h - LT(1+b) > 1 for
    // h >= 0.95), so each eligible account is called once.
    expect(checked).toBe(21);
  });

  it('ends with the kernel book equal to the exact replay', () => {
    const runner = createRunner(buildModel(validateScenario(doc, 'inline'), 'inline'));
    runner.run();
    const ms = runner.state.markets[0]!;
    expect(ms.rows).toBe(state.size);
    for (let row = 0; row < ms.rows; row++) {
      const s = state.get(ms.account[row]!)!;
      expect(rel(ms.coll[0]![row]!, s.coll)).toBeLessThanOrEqual(1e-12);
      expect(rel(ms.debt[0]![row]! * ms.borrowIndex[1]!, s.debt)).toBeLessThanOrEqual(1e-9);
    }
    expect(r.summary.conservation.ok).toBe(true);
  });
});
