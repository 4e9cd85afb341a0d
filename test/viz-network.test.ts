// The network picture: which nodes and edges a run draws, their state per step, escaping, and
// byte-for-byte determinism of the SVG.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import {
  buildScene,
  drawNetwork,
  forceLayout,
  renderRun,
  runDataOf,
  svgFile,
  type RunData,
} from '@contagion/viz';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, loadScenario } from '@contagion/core';
import { simulate } from '@contagion/sim';
import { ROOT, runFile, NET } from './helpers.js';

const small = runDataOf(runFile('scenarios/small.yaml', NET));
const dflt = runDataOf(runFile('scenarios/default.yaml', NET));

/** Parse SVG text as XML; fails the test on a parser error. */
function parseSvg(text: string): Document {
  const doc = new new JSDOM('').window.DOMParser().parseFromString(text, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  return doc;
}

describe('scene of the small scenario (accounts one by one)', () => {
  const scene = buildScene(small);
  const node = (key: string) => scene.nodes.findIndex((n) => n.key === key);

  it('draws assets, venues and every account, and re-pledged receipt tokens as rehypothecation', () => {
    expect(scene.individual).toBe(true);
    expect(scene.nodes.map((n) => `${n.kind}:${n.label}`).sort()).toEqual([
      'account:bob',
      'account:carol',
      'account:lou',
      'asset:ETH',
      'asset:USDC',
      'asset:aUSDC-lendA',
      'asset:aUSDC-lendB',
      'lending:lendA',
      'lending:lendB',
      'supplier:sam',
    ]);
    const rehyp = scene.edges.filter((e) => e.kind === 'rehypothecation');
    expect(
      rehyp.map((e) => [scene.nodes[e.source]!.label, scene.nodes[e.target]!.label, e.asset]),
    ).toEqual([['lou', 'lendB', 'aUSDC-lendA']]);
    // Borrows run from the market to the account (the market lends).
    const borrow = scene.edges.find(
      (e) => e.kind === 'borrow' && scene.nodes[e.target]!.label === 'bob',
    )!;
    expect(scene.nodes[borrow.source]!.label).toBe('lendA');
  });

  it('colours bob by his band and rings him once liquidated', () => {
    const bob = node('account:bob');
    expect(scene.nodeStates[0]![bob]).toMatchObject({
      fill: '#fc8d59',
      liquidated: false,
      present: true,
    });
    // Step 1: all his ETH seized, bad debt booked: no collateral left, ringed.
    expect(scene.nodeStates[1]![bob]).toMatchObject({
      fill: '#969696',
      liquidated: true,
      value: 0,
    });
    expect(scene.nodeStates[1]![bob]!.text.join(' ')).toContain('bad debt 1');
  });

  it('colours lendA by its bad debt and ETH by its price fall', () => {
    const lendA = node('venue:lendA');
    expect(scene.nodeStates[0]![lendA]!.fill).toBe('#f4f4f4');
    expect(scene.nodeStates[1]![lendA]!.fill).not.toBe('#f4f4f4');
    const eth = node('asset:ETH');
    expect(scene.nodeStates[0]![eth]!.text[1]).toContain('+0.0%');
    expect(scene.nodeStates[1]![eth]!.text[1]).toContain('−25.0%');
  });

  it('marks the receipt-token path once value contagion reaches lendB, not before', () => {
    const issues = scene.edges.findIndex(
      (e) => e.kind === 'issues' && scene.nodes[e.target]!.label === 'aUSDC-lendA',
    );
    const accepts = scene.edges.findIndex(
      (e) => e.kind === 'accepts' && scene.nodes[e.source]!.label === 'aUSDC-lendA',
    );
    const valueCalls = small.rounds.filter((r) => r.venue === 'lendB' && r.value > 0);
    expect(valueCalls.length).toBeGreaterThan(0);
    const first = Math.min(...valueCalls.map((r) => r.step));
    expect(scene.edgeMarks[first - 1]![issues]).toBe('');
    expect(scene.edgeMarks[first]![issues]).toBe('value');
    expect(scene.edgeMarks[first]![accepts]).toBe('value');
  });
});

describe('an account with positions in two markets', () => {
  // alice is liquidated in lendA (like bob) but keeps a safe position in lendB.
  const text = readFileSync(join(ROOT, 'scenarios/small.yaml'), 'utf8').replace(
    'prices:',
    `  - id: alice
    positions:
      - { venue: lendA, deposit: { ETH: 10 }, borrow: { USDC: 16500 } }
      - { venue: lendA, supply: { USDC: 5000 } }
      - { venue: lendB, deposit: { aUSDC-lendA: 5000 }, borrow: { USDC: 1000 } }
prices:`,
  );
  const model = buildModel(loadScenario(text, 'alice.yaml'), 'alice.yaml');
  const data = runDataOf(simulate(model, NET));
  const scene = buildScene(data);
  const alice = scene.nodes.findIndex((n) => n.key === 'account:alice');

  it('marks only the edges of the market that liquidated her', () => {
    const last = scene.steps;
    const marked = (venue: string) =>
      scene.edges
        .map((e, i) => ({ e, mark: scene.edgeMarks[last]![i] }))
        .filter(
          ({ e }) =>
            (e.source === alice || e.target === alice) &&
            e.kind !== 'supply' &&
            scene.nodes[e.source === alice ? e.target : e.source]!.label === venue,
        )
        .map(({ mark }) => mark);
    expect(data.network.filter((r) => r.node === 'account:alice' && r.step === last)).toEqual([
      expect.objectContaining({ venue: 'lendA', liquidated: 1 }),
      expect.objectContaining({ venue: 'lendB', liquidated: 0 }),
    ]);
    expect(marked('lendA')).toEqual(['liquidated', 'liquidated']);
    expect(marked('lendB').length).toBeGreaterThan(0);
    expect(marked('lendB').every((m) => m === '')).toBe(true);
  });
});

describe('scene of the default scenario (8,900 accounts, clustered)', () => {
  const scene = buildScene(dflt);

  it('splits each borrowing cluster into one node per health band the run ever shows', () => {
    expect(scene.individual).toBe(false);
    for (const n of scene.nodes.filter((x) => x.kind === 'cluster')) {
      const [owner, band] = n.key.split('|');
      expect(dflt.network.some((r) => r.node === owner && r.band === band)).toBe(true);
    }
    const bands = new Set(dflt.network.map((r) => `${r.node}|${r.band}`));
    expect(scene.nodes.filter((x) => x.kind === 'cluster')).toHaveLength(bands.size);
    // Suppliers (no positions of their own) are one node each.
    expect(scene.nodes.filter((x) => x.kind === 'supplier').map((x) => x.label)).toEqual([
      'suppliers-A @ lendA',
      'stable-loopers @ lendA',
      'suppliers-B @ lendB',
    ]);
  });

  it('sizes band nodes by the collateral they hold at each step', () => {
    const t = 1;
    scene.nodes.forEach((n, i) => {
      if (n.kind !== 'cluster') return;
      const [owner, band] = n.key.split('|');
      const rows = dflt.network.filter((r) => r.step === t && r.node === owner && r.band === band);
      const s = scene.nodeStates[t]![i]!;
      expect(s.present).toBe(rows.length > 0);
      expect(s.value).toBe(rows.reduce((x, r) => x + r.collateralValue, 0));
    });
  });
});

describe('network SVG', () => {
  it('is well-formed, titled with scenario, seed and step, with one group per node', () => {
    const files = renderRun(dflt, { step: 3 });
    const doc = parseSvg(files.get('network.svg')!);
    const text = doc.documentElement.textContent ?? '';
    expect(text).toContain(dflt.summary.scenario.name);
    expect(text).toContain('seed 42 · step 3 of 48');
    const scene = buildScene(dflt);
    expect(doc.querySelectorAll('g.node')).toHaveLength(scene.nodes.length);
    expect(doc.querySelectorAll('g.edges > path')).toHaveLength(scene.edges.length);
    // A legend naming the bands and the contagion marks.
    expect(text).toContain('health < 1');
    expect(text).toContain('receipt token re-pledged (rehypothecation)');
  });

  it('gives the same bytes for the same result and seed, other positions for another seed', () => {
    const a = renderRun(small);
    const b = renderRun(runDataOf(runFile('scenarios/small.yaml', NET)));
    expect([...b]).toEqual([...a]);
    const c = renderRun(small, { layoutSeed: 8 });
    expect(c.get('network.svg')).not.toBe(a.get('network.svg'));
    expect(c.get('prices.svg')).toBe(a.get('prices.svg'));
  });

  it('draws one file per step with --all, named with three-digit steps', () => {
    const files = renderRun(small, { all: true });
    expect([...files.keys()].filter((k) => k.startsWith('network-step'))).toEqual([
      'network-step000.svg',
      'network-step001.svg',
      'network-step002.svg',
    ]);
    expect(files.get('network-step002.svg')).toBe(files.get('network.svg'));
    expect(files.get('network-step000.svg')).not.toBe(files.get('network.svg'));
  });

  it('refuses network rows of nodes the graph does not have', () => {
    const bad: RunData = { ...small, network: [{ ...small.network[0]!, node: 'account:nobody' }] };
    expect(() => buildScene(bad)).toThrow(/"account:nobody", which the graph does not have/);
  });

  it('writes control characters of a name as U+FFFD, so the SVG stays well-formed XML', () => {
    const name = 'tab\tok, vt\u000b ctl\u0001';
    const data: RunData = {
      ...small,
      summary: { ...small.summary, scenario: { ...small.summary.scenario, name } },
    };
    const svg = renderRun(data).get('network.svg')!;
    const doc = parseSvg(svg);
    expect(doc.querySelector('.title text')!.textContent).toBe('tab\tok, vt\ufffd ctl\ufffd');
  });

  it('refuses a step outside the run', () => {
    expect(() => renderRun(small, { step: 3 })).toThrow(/0 to 2/);
  });

  it('keeps hostile names as text', () => {
    const evil = '<script>alert(1)</script> & "x"';
    const data: RunData = {
      ...small,
      summary: { ...small.summary, scenario: { ...small.summary.scenario, name: evil } },
      graph: {
        ...small.graph,
        nodes: small.graph.nodes.map((n) =>
          n.key === 'asset:ETH' ? { ...n, attributes: { ...n.attributes, label: evil } } : n,
        ),
      },
    };
    const scene = buildScene(data);
    const svg = svgFile(drawNetwork(scene, forceLayout(scene)));
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; "x"');
    const doc = parseSvg(svg);
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
    expect(doc.querySelector('.title text')!.textContent).toBe(evil);
  });
});
