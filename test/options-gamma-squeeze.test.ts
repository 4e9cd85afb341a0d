// scenarios/options-gamma-squeeze.yaml: short-gamma dealers hedging into a fall deepen it and carry
// it into a lending market; without them, or with long-gamma dealers, less is liquidated.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, parseScenarioText, validateScenario, ScenarioError } from '@contagion/core';
import { ROOT, runDoc } from './helpers.js';

const FILE = 'scenarios/options-gamma-squeeze.yaml';
type Venue = Record<string, unknown> & { id: string; positions?: { contracts: number }[] };
type Doc = Record<string, unknown> & { venues: Venue[] };
const base = () =>
  parseScenarioText(readFileSync(join(ROOT, FILE), 'utf8'), FILE) as unknown as Doc;
const run = (edit: (d: Doc) => Doc = (d) => d) => runDoc(edit(base())).summary;

describe('options-gamma-squeeze: the loop', () => {
  const s = run();
  const o = s.options['deribit']!;

  it('starts with dealers short gamma, sells spot into the fall, and the smile rises', () => {
    expect(o.gammaExposure.start).toBeLessThan(0);
    expect(o.gammaExposure.min).toBeLessThan(o.gammaExposure.start);
    expect(o.hedgeNet).toBeLessThan(0);
    expect(o.atmVol.end).toBeGreaterThan(o.atmVol.start);
    // Short gamma is long theta: the dealers' short options earn time decay each day.
    expect(o.thetaPerDay.start).toBeGreaterThan(0);
  });

  it('deepens the fall beyond the exogenous path, and reports the share the hedges took', () => {
    const p = s.prices['ETH']!;
    expect(p.realisedDrawdown).toBeGreaterThan(1.5 * p.exogenousDrawdown);
    expect(o.hedgeImpact.max).toBeGreaterThan(0.02);
    // Most of the lending market's liquidations came through the price channel.
    const c = s.byChannel['lend']!;
    expect(c['price']!.liquidated).toBeGreaterThan(c['shock']!.liquidated);
    expect(s.conservation.ok).toBe(true);
  });

  it('liquidates less without the dealers, and less again with long-gamma dealers', () => {
    const none = run((d) => ({ ...d, venues: d.venues.filter((v) => v.id !== 'deribit') }));
    const long = run((d) => {
      for (const p of d.venues.find((v) => v.id === 'deribit')!.positions!)
        p.contracts = -p.contracts;
      return d;
    });
    expect(none.liquidations.count).toBeLessThan(s.liquidations.count);
    expect(long.options['deribit']!.gammaExposure.start).toBeGreaterThan(0);
    expect(long.options['deribit']!.hedgeNet).toBeGreaterThan(0);
    expect(long.prices['ETH']!.realisedDrawdown).toBeLessThan(none.prices['ETH']!.realisedDrawdown);
    expect(long.liquidations.count).toBeLessThanOrEqual(none.liquidations.count);
  });
});

describe('options venue: bad input', () => {
  const issue = (edit: (v: Venue) => void): string => {
    const d = base();
    edit(d.venues.find((v) => v.id === 'deribit')!);
    try {
      buildModel(validateScenario(d, FILE), FILE);
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };

  it('names a negative volatility, an expiry not after step 0 and a strike <= 0', () => {
    expect(issue((v) => ((v['smile'] as Record<string, number>)['atm'] = -0.2))).toMatch(
      /venues\.deribit\.smile\.atm: must be in \(0, 10\], got -0\.2/,
    );
    expect(
      issue((v) => ((v.positions![0] as unknown as Record<string, unknown>)['expiry'] = '0h')),
      // Expiries are durations from step 0, so one in the past cannot be written; zero is refused.
    ).toMatch(/venues\.deribit\.positions\[0\]\.expiry: must be a duration.*got "0h"/);
    expect(
      issue((v) => ((v.positions![1] as unknown as Record<string, unknown>)['strike'] = 0)),
    ).toMatch(/venues\.deribit\.positions\[1\]\.strike: must be in \[1e-12/);
  });
});
