// scenarios/black-thursday-2020.yaml against the figures it cites and the story of 12 March 2020:
// keepers stop bidding while ETH falls, auctions keep descending, and when bids return the
// collateral goes for almost nothing, leaving the system short.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '@contagion/core';
import { events, ROOT, runDoc } from './helpers.js';

const FILE = 'scenarios/black-thursday-2020.yaml';
type Doc = Record<string, unknown> & { gas: { usd: number; spikes: unknown[] } };
const base = () =>
  parseScenarioText(readFileSync(join(ROOT, FILE), 'utf8'), FILE) as unknown as Doc;

const r = runDoc(base());
const calls = events(r);
/** USD value at the call's oracle price of the collateral a call seized. */
const worth = (e: Record<string, number | string>) =>
  (e['seized'] as number) * (e['collPrice'] as number);
const paid = (e: Record<string, number | string>) =>
  (e['repaid'] as number) * (e['debtPrice'] as number);

describe('black-thursday-2020: figures against the cited sources', () => {
  it('leaves a shortfall within the cited 4.5M to 6.65M DAI', () => {
    const deficit = r.summary.badDebt.byReserve['maker']!['DAI']!.deficit;
    expect(deficit).toBeGreaterThan(4.5e6);
    expect(deficit).toBeLessThan(6.65e6);
    expect(r.summary.conservation.ok).toBe(true);
  });

  it('sells millions of dollars of ETH for almost nothing, within a factor of two of the cited $8.32M', () => {
    const free = calls.filter((e) => paid(e) < 0.05 * worth(e));
    const value = free.reduce((s, e) => s + worth(e), 0);
    expect(value).toBeGreaterThan(8.32e6 / 2);
    expect(value).toBeLessThan(8.32e6 * 2);
  });

  it('halves ETH within the day, to about $100', () => {
    const p = r.summary.prices['ETH']!;
    expect(p.exogenousDrawdown).toBeGreaterThan(0.4);
    expect(p.exogenousTrough).toBeLessThan(110);
  });
});

describe('black-thursday-2020: the story', () => {
  it('takes no auction while keepers are out (steps 9 to 16), then many at once', () => {
    expect(calls.filter((e) => (e['step'] as number) >= 9 && (e['step'] as number) <= 16)).toEqual(
      [],
    );
    expect(calls.filter((e) => e['step'] === 17).length).toBeGreaterThan(100);
  });

  it('sells within an hour of descent before the outage, and for almost nothing right after it', () => {
    // Before: the hour-late oracle is above the falling market, so keepers wait one halving at most.
    const before = calls.filter((e) => (e['step'] as number) < 9);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((e) => paid(e) >= 0.5 * worth(e) * (1 - 1e-9))).toBe(true);
    const after = calls.filter((e) => e['step'] === 17);
    const free = after.filter((e) => paid(e) < 0.05 * worth(e));
    expect(free.length / after.length).toBeGreaterThan(0.5);
  });

  it('loses far less without the outage: keepers bid as the auctions start', () => {
    const calm = runDoc({ ...base(), gas: { usd: 2, spikes: [] } });
    const with_ = r.summary.badDebt.total;
    expect(calm.summary.badDebt.total).toBeLessThan(with_ / 2);
  });
});
