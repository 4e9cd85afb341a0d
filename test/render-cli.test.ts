// `contagion render`, `contagion report` and `run --svg` end to end through the CLI entry point.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cli } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'contagion-render-'));
const small = join(ROOT, 'scenarios/small.yaml');
const SVGS = ['leverage.svg', 'liquidations.svg', 'network.svg', 'prices.svg'];

async function runSmall(...extra: string[]): Promise<string> {
  const dir = tmp();
  expect((await cli('run', small, '--out', dir, '--no-progress', ...extra)).code).toBe(0);
  return dir;
}

describe('contagion render', () => {
  it('draws the same bytes from the folder as `run --svg` drew from memory', async () => {
    const dir = await runSmall('--svg');
    const out = tmp();
    const r = await cli('render', dir, '--out', out);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(`wrote 4 SVG files to ${out}\n`);
    expect(readdirSync(out).sort()).toEqual(SVGS);
    for (const f of SVGS)
      expect(readFileSync(join(out, f), 'utf8')).toBe(readFileSync(join(dir, f), 'utf8'));
  });

  it('writes into the run folder by default, one network per step with --all', async () => {
    const dir = await runSmall();
    expect((await cli('render', dir, '--all')).code).toBe(0);
    for (const f of [...SVGS, 'network-step000.svg', 'network-step001.svg', 'network-step002.svg'])
      expect(existsSync(join(dir, f)), f).toBe(true);
  });

  it('draws a chosen step and a chosen layout seed', async () => {
    const dir = await runSmall();
    const a = tmp();
    const b = tmp();
    expect((await cli('render', dir, '--step', '0', '--out', a)).code).toBe(0);
    expect((await cli('render', dir, '--step', '0', '--layout-seed', '3', '--out', b)).code).toBe(
      0,
    );
    const na = readFileSync(join(a, 'network.svg'), 'utf8');
    expect(na).toContain('step 0 of 2');
    expect(readFileSync(join(b, 'network.svg'), 'utf8')).not.toBe(na);
  });

  it('refuses a step past the end, and --step with --all, writing nothing', async () => {
    const dir = await runSmall();
    const out = join(tmp(), 'figs');
    let r = await cli('render', dir, '--step', '3', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--step 3 is past the end');
    expect(r.err).toContain('steps 0 to 2');
    r = await cli('render', dir, '--step', '1', '--all', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain('give --step or --all, not both');
    expect(existsSync(out)).toBe(false);
  });

  it('names the file, line, column and value of a damaged result, and writes nothing', async () => {
    const dir = await runSmall();
    const file = join(dir, 'network.csv');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = lines[2]!.replace(/,1,/, ',one,');
    writeFileSync(file, lines.join('\n'));
    const out = join(tmp(), 'figs');
    const r = await cli('render', dir, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${file}: line 3, column positions: not a number: "one"\n`);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [
      'summary.json without the scenario hash',
      'summary.json',
      (t: string) => t.replace(/"hash": "[0-9a-f]+"/, '"digest": "x"'),
      'summary.json: scenario.hash: Invalid input: expected string, received undefined',
    ],
    [
      'summary.json with too many steps',
      'summary.json',
      (t: string) => t.replace('"steps": 2,', '"steps": 5000000000,'),
      'summary.json: steps: Too big',
    ],
    [
      'an unknown edge kind',
      'graph.json',
      (t: string) => t.replace('"kind": "borrow"', '"kind": "lends"'),
      'attributes.kind: must be one of deposit, supply, borrow, issues, accepts, pool-holds, tracks, got "lends"',
    ],
    [
      'an infinite value',
      'network.csv',
      (t: string) =>
        t.replace('0,account:bob,lendA,at-risk,1,20000,', '0,account:bob,lendA,at-risk,1,inf,'),
      'network.csv: line 2, column collateralValue: must be a finite number >= 0, got "inf"',
    ],
    [
      'a fractional count',
      'rounds.csv',
      (t: string) => t.replace(/\n1,1,lendA,2,/, '\n1,1,lendA,2.5,'),
      'rounds.csv: line 2, column liquidations: must be a whole number >= 0, got "2.5"',
    ],
    [
      'a node the graph does not have',
      'network.csv',
      (t: string) => t.replace('account:bob', 'account:eve'),
      'network.csv: line 2, column node: "account:eve" is not a node of graph.json',
    ],
  ])('refuses %s with exit 2, naming the place', async (_what, file, edit, message) => {
    const dir = await runSmall();
    const path = join(dir, file);
    const before = readFileSync(path, 'utf8');
    const after = edit(before);
    expect(after).not.toBe(before);
    writeFileSync(path, after);
    const out = join(tmp(), 'figs');
    const r = await cli('render', dir, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toContain('    at ');
    expect(existsSync(out)).toBe(false);
    expect((await cli('report', dir, '--out', join(out, 'r.html'))).code).toBe(2);
  });

  it('reads a folder whose CSVs were saved with a byte-order mark', async () => {
    const dir = await runSmall();
    for (const f of ['steps.csv', 'prices.csv', 'network.csv', 'rounds.csv'])
      writeFileSync(join(dir, f), `\ufeff${readFileSync(join(dir, f), 'utf8')}`);
    expect((await cli('render', dir, '--out', tmp())).code).toBe(0);
  });

  it('explains a missing file and a folder that is not a run', async () => {
    const dir = await runSmall();
    writeFileSync(join(dir, 'rounds.csv'), '');
    let r = await cli('render', dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('rounds.csv: missing column "step"');
    r = await cli('render', join(dir, 'nope'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('no such folder');
    expect(r.err).not.toContain('    at ');
  });

  it('draws the distribution of cascade size over several runs', async () => {
    const a = await runSmall();
    const b = await runSmall('--seed', '8');
    let r = await cli('render', a, b);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--out DIR is required');
    const out = tmp();
    r = await cli('render', a, b, '--out', out);
    expect(r.code).toBe(0);
    const names = readdirSync(out).sort();
    expect(names).toContain('cascade-size.svg');
    expect(names).toHaveLength(3); // two run folders and the histogram
    expect(readFileSync(join(out, 'cascade-size.svg'), 'utf8')).toContain('2 runs');
  });
});

describe('contagion report', () => {
  it('writes DIR/report.html by default, or --out FILE', async () => {
    const dir = await runSmall();
    let r = await cli('report', dir);
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    // Self-contained: nothing that loads from elsewhere.
    expect(html).not.toMatch(/<(link|img|iframe)\b|src=|https?:\/\/(?!www\.w3\.org)/);
    const file = join(tmp(), 'sub', 'r.html');
    r = await cli('report', dir, '--out', file);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(html);
  });

  it('keeps a hostile scenario name as text in the page', async () => {
    const evil = '<script>alert(1)</script></title><img src=x onerror=alert(2)>';
    const text = readFileSync(small, 'utf8').replace(
      /^name: .*$/m,
      `name: ${JSON.stringify(evil)}`,
    );
    const file = join(tmp(), 'evil.yaml');
    writeFileSync(file, text);
    const dir = join(tmp(), 'evil');
    expect((await cli('run', file, '--out', dir, '--no-progress', '--svg')).code).toBe(0);
    expect((await cli('report', dir)).code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(readFileSync(join(dir, 'network.svg'), 'utf8')).not.toContain('<script>');
  });
});

describe('render and report with every venue kind', () => {
  // Perp venues, a CDP and an options venue draw as the run drew them, and the report reads them.
  it.each(['scenarios/options-gamma-squeeze.yaml', 'scenarios/black-thursday-2020.yaml'])(
    'draws %s from its folder as `run --svg` did, and writes its report',
    async (file) => {
      const dir = tmp();
      const run = await cli('run', join(ROOT, file), '--out', dir, '--svg', '--no-progress');
      expect(run.code).toBe(0);
      const out = tmp();
      expect((await cli('render', dir, '--out', out)).code).toBe(0);
      for (const f of SVGS)
        expect(readFileSync(join(out, f), 'utf8')).toBe(readFileSync(join(dir, f), 'utf8'));
      const r = await cli('report', dir);
      expect(r.code).toBe(0);
      expect(existsSync(join(dir, 'report.html'))).toBe(true);
    },
  );

  it('draws a perp venue, its clusters and the asset it tracks', async () => {
    const dir = tmp();
    const doc = {
      version: 1,
      name: 'perp picture',
      steps: 2,
      assets: [
        { id: 'ETH', kind: 'base', price: 2000 },
        { id: 'USDT', kind: 'stable', price: 1 },
      ],
      venues: [
        {
          id: 'perp',
          kind: 'perp',
          asset: 'ETH',
          quote: 'USDT',
          initialMargin: 0.05,
          maintenanceMargin: 0.025,
          insuranceFund: 1000,
        },
      ],
      populations: [
        {
          name: 'longs',
          count: 60,
          positions: [{ venue: 'perp', margin: 'USDT', side: 'long', leverage: { fixed: 15 } }],
          size: { fixed: 1000 },
        },
      ],
      prices: { ETH: { shocks: [{ step: 1, change: -0.08 }] } },
    };
    const file = join(dir, 'perp.json');
    writeFileSync(file, JSON.stringify(doc));
    const out = join(dir, 'out');
    expect((await cli('run', file, '--out', out, '--svg', '--no-progress')).code).toBe(0);
    const svg = readFileSync(join(out, 'network.svg'), 'utf8');
    expect(svg).toContain('class="node node-perp"');
    expect(svg).toContain('data-kind="tracks"');
    expect(svg).toContain('longs @ perp');
    expect((await cli('report', out)).code).toBe(0);
  });
});
