// scenarios/steth-2022.yaml against the public figures it cites and the story of June 2022:
// liquidations of stETH-backed dollar loans sell stETH into the Curve pool, the discount deepens,
// and stETH/ETH loops, which an ETH fall alone cannot touch, are liquidated through the price
// channel; the deeper the discount the market tolerates, the more loops go.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '@contagion/core';
import { CHANNELS, type SimulationResult } from '@contagion/sim';
import { events, ROOT, runDoc } from './helpers.js';

const FILE = 'scenarios/steth-2022.yaml';
type Doc = Record<string, unknown> & {
  populations: { name: string }[];
  arbitrageurs: Record<string, unknown>[];
};
const base = () =>
  parseScenarioText(readFileSync(join(ROOT, FILE), 'utf8'), FILE) as unknown as Doc;

const run = (edit: (d: Doc) => Doc = (d) => d) => runDoc(edit(base()));
const calls = (r: SimulationResult, population: string, all = events(r)) =>
  all.filter((e) =>
    r.model.accountGroups.some(
      (g) =>
        g.name === population &&
        (e['account'] as number) >= g.start &&
        (e['account'] as number) < g.start + g.count,
    ),
  );

describe('steth-2022: headline figures against the cited sources', () => {
  const r = run();
  const peg = r.summary.pegs['stETH']!.pools['curve-steth']!;

  it('starts at the cited pool split and its discount', () => {
    // 24.11% ETH / 75.89% stETH at A = 50: about 0.964 ETH per stETH (cited: a discount of a few
    // percent before 13 June, 5% at 22/78).
    expect(peg.start).toBeGreaterThan(0.955);
    expect(peg.start).toBeLessThan(0.975);
  });

  it('reaches a trough near the cited 0.937 ETH per stETH', () => {
    // Band: the cited 0.937 give or take 1.5 points (daily steps, one pool, illustrative positions);
    // no deeper than 0.92 and at least past the 5% discount the sources give for the 22/78 split.
    expect(peg.trough).toBeGreaterThan(0.92);
    expect(peg.trough).toBeLessThan(0.955);
  });

  it('ends the ETH path at the cited low of $1,304', () => {
    expect(Math.abs(r.summary.prices['ETH']!.exogenousTrough - 1304.36)).toBeLessThan(5);
    expect(r.summary.conservation.ok).toBe(true);
  });
});

describe('steth-2022: who fails, in what order, through which channel', () => {
  const r = run();
  const all = events(r);
  const loops = calls(r, 'steth-loopers', all);
  const usd = calls(r, 'usd-borrowers', all);

  it('liquidates dollar loans against stETH first, on the ETH fall itself', () => {
    expect(usd.length).toBeGreaterThan(0);
    expect(usd[0]).toBe(all[0]);
    // The first round's calls come before any sale into the pool: the shock channel, all of them
    // (the standing discount at the start is part of the counterfactual, not a fire sale).
    const first = all.filter((e) => e['step'] === all[0]!['step'] && e['round'] === 1);
    expect(new Set(first.map((e) => CHANNELS[e['channel'] as number]))).toEqual(new Set(['shock']));
    expect(first.every((e) => usd.includes(e))).toBe(true);
  });

  it('liquidates stETH/ETH loops only after stETH has been sold, and always first on the price channel', () => {
    expect(loops.length).toBeGreaterThan(0);
    expect(all.indexOf(loops[0]!)).toBeGreaterThan(all.indexOf(usd[0]!));
    const firstPerAccount = new Map<number, string>();
    for (const e of loops)
      if (!firstPerAccount.has(e['account'] as number))
        firstPerAccount.set(e['account'] as number, CHANNELS[e['channel'] as number]!);
    expect(new Set(firstPerAccount.values())).toEqual(new Set(['price']));
  });

  it('leaves the loops alone when nobody sells stETH: ETH and stETH fall together', () => {
    const quiet = run((d) => ({
      ...d,
      populations: d.populations.filter((p) => p.name !== 'usd-borrowers'),
    }));
    expect(quiet.summary.liquidations.count).toBe(0);
    expect(quiet.summary.pegs['stETH']!.pools['curve-steth']!.trough).toBeCloseTo(
      quiet.summary.pegs['stETH']!.pools['curve-steth']!.start,
      12,
    );
  });

  it('blames no fire sale when liquidators sell elsewhere: the pool and the ratio never move', () => {
    const elsewhere = run((d) => ({
      ...d,
      liquidators: (d['liquidators'] as Record<string, unknown>[]).map((l) => ({
        ...l,
        sellTo: 'market',
      })),
    }));
    expect(elsewhere.summary.liquidations.count).toBeGreaterThan(0);
    const ch = elsewhere.summary.byChannel['aave-v2']!;
    expect(ch['price']!.liquidated + ch['price']!.badDebt).toBe(0);
    const peg = elsewhere.summary.pegs['stETH']!.pools['curve-steth']!;
    expect(peg.trough).toBe(peg.start);
  });

  it('liquidates more loops the deeper the discount buyers let stETH fall', () => {
    const loopsAt = (pegDiscount: number) =>
      calls(
        run((d) => ({ ...d, arbitrageurs: d.arbitrageurs.map((a) => ({ ...a, pegDiscount })) })),
        'steth-loopers',
      ).length;
    const counts = [0.03, 0.05, 0.08].map(loopsAt);
    expect(counts[0]!).toBeLessThanOrEqual(counts[1]!);
    expect(counts[1]!).toBeLessThanOrEqual(counts[2]!);
    expect(counts[2]!).toBeGreaterThan(counts[0]!);
  });
});
