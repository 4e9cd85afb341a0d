// The charts: what each one plots, read back from the SVG.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import {
  cascadeSize,
  cascadeSizeChart,
  leverageChart,
  liquidationsChart,
  pricesChart,
  runDataOf,
  serialize,
} from '@contagion/viz';
import { runFile, NET } from './helpers.js';

const dflt = runDataOf(runFile('scenarios/default.yaml', NET));

function parse(svg: SVGSVGElement): Document {
  const doc = new new JSDOM('').window.DOMParser().parseFromString(serialize(svg), 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  return doc;
}

describe('charts', () => {
  it('prices: one line per price source of ETH, exogenous and realised', () => {
    const doc = parse(pricesChart(dflt));
    const sources = new Set(dflt.prices.map((r) => r.source));
    const panel = doc.querySelector('g.panel')!;
    expect(panel.querySelectorAll(':scope > path')).toHaveLength(sources.size);
    const legend = panel.querySelector('.chart-legend')!.textContent;
    expect(legend).toContain('exogenous path');
    expect(legend).toContain('market (after sales)');
    expect(legend).toContain('pool eth-usdc');
    expect(legend).toContain('oracle of lendA');
    // One marker position per step, for the report's slider.
    expect(panel.querySelector('.step-marker')!.getAttribute('data-xs')!.split(',')).toHaveLength(
      49,
    );
  });

  it('liquidations: a bar per market and step with calls, a bar per channel and round with calls', () => {
    const doc = parse(liquidationsChart(dflt));
    const [perStep, perRound] = [...doc.querySelectorAll('g.panel')];
    const stepBars = dflt.steps.filter((r) => r.kind === 'lending' && r.liquidations > 0).length;
    expect(perStep!.querySelectorAll('g.bars > rect')).toHaveLength(stepBars);
    const rounds = new Map<string, number[]>();
    for (const r of dflt.rounds) {
      const c = rounds.get(`${r.step}.${r.round}`) ?? [0, 0, 0];
      c[0]! += r.shock;
      c[1]! += r.price;
      c[2]! += r.value;
      rounds.set(`${r.step}.${r.round}`, c);
    }
    const roundBars = [...rounds.values()].flat().filter((x) => x > 0).length;
    expect(perRound!.querySelectorAll('g.bars > rect')).toHaveLength(roundBars);
    // Bar titles add up to the run's calls.
    const titled = [...perStep!.querySelectorAll('g.bars > rect > title')].map((t) =>
      Number(/: ([\d,]+) calls/.exec(t.textContent!)![1]!.replace(/,/g, '')),
    );
    expect(titled.reduce((a, b) => a + b, 0)).toBe(dflt.summary.liquidations.count);
  });

  it('leverage: system leverage and the rehypothecation multiplier', () => {
    const doc = parse(leverageChart(dflt));
    expect(doc.querySelector('.chart-legend')!.textContent).toContain('rehypothecation multiplier');
    expect(doc.querySelectorAll('g.panel > path')).toHaveLength(2);
  });

  it('cascade size: the largest run gets a full-width bin, even on a tick', () => {
    const runs = [0, 0, 3, 5, 10].map((n, i) => ({
      label: `r${i}`,
      liquidations: n,
      notional: n * 1000,
      badDebt: n * 100,
    }));
    const doc = parse(cascadeSizeChart(runs, 'ticks'));
    const panel = doc.querySelector('g.panel')!;
    const bars = [...panel.querySelectorAll(':scope > rect')];
    for (const bar of bars) expect(Number(bar.getAttribute('width'))).toBeGreaterThan(5);
    const titles = bars.map((b) => b.querySelector('title')!.textContent!);
    expect(titles.at(-1)).toMatch(/ to 10: 1 runs$/);
    for (const t of titles) {
      const [, a, b] = /^([\d,]+) to ([\d,]+):/.exec(t)!;
      expect(Number(a!.replace(/,/g, ''))).toBeLessThan(Number(b!.replace(/,/g, '')));
    }
  });

  it('count axes carry whole numbers only, each once', () => {
    // The small run takes at most 2 calls a step: fractional ticks would print 0, 1, 1, 2, 2.
    const small = runDataOf(runFile('scenarios/small.yaml', NET));
    const doc = parse(liquidationsChart(small));
    for (const panel of doc.querySelectorAll('g.panel')) {
      const ticks = [...panel.querySelectorAll('.axis-y .tick text')].map((t) => t.textContent!);
      expect(ticks.length).toBeGreaterThan(1);
      for (const t of ticks) expect(t).toMatch(/^\d+$/);
      expect(new Set(ticks).size).toBe(ticks.length);
    }
  });

  it('cascade size: the histogram counts every run once', () => {
    const runs = [42, 43, 44, 45, 46].map((seed) =>
      cascadeSize(runDataOf(runFile('scenarios/small.yaml', NET, { seed })), `s${seed}`),
    );
    const doc = parse(cascadeSizeChart(runs, 'small'));
    for (const panel of doc.querySelectorAll('g.panel')) {
      const counts = [...panel.querySelectorAll('rect > title')].map((t) =>
        Number(/: (\d+) runs$/.exec(t.textContent!)![1]),
      );
      expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
    }
    expect(doc.documentElement.textContent).toContain('5 runs');
  });
});
