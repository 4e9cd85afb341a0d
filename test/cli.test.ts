// End-to-end tests of the `contagion` command: exit codes, messages, files, bytes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cli } from './helpers.js';

const OUTPUTS = [
  'events.csv',
  'graph.json',
  'network.csv',
  'prices.csv',
  'rounds.csv',
  'scenario.resolved.yaml',
  'steps.csv',
  'summary.json',
];

const tmp = () => mkdtempSync(join(tmpdir(), 'contagion-test-'));
const small = join(ROOT, 'scenarios/small.yaml');
const read = (dir: string) =>
  Object.fromEntries(OUTPUTS.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('contagion run', () => {
  it('writes the eight outputs and prints the summary table', async () => {
    const dir = tmp();
    const r = await cli('run', small, '--out', dir, '--no-progress');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(readdirSync(dir).sort()).toEqual(OUTPUTS);
    expect(r.out).toContain('liquidations 3');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.seed).toBe(7);
    expect(summary.scenario.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.nodeMajor).toBe(Number(process.versions.node.split('.')[0]));
    const events = readFileSync(join(dir, 'events.csv'), 'utf8').trim().split('\n');
    expect(events).toHaveLength(1 + 3 + 1); // header, three liquidations, one bad-debt row
    const steps = readFileSync(join(dir, 'steps.csv'), 'utf8').trim().split('\n');
    expect(steps).toHaveLength(1 + 3 * 3); // header; steps 0..2 x (lendA, lendB, system)
  });

  it('gives identical bytes for the same scenario and seed', async () => {
    const a = tmp();
    const b = tmp();
    expect((await cli('run', small, '--out', a, '--no-progress')).code).toBe(0);
    expect((await cli('run', small, '--out', b, '--no-progress')).code).toBe(0);
    expect(read(b)).toEqual(read(a));
  });

  it('re-runs from scenario.resolved.yaml to the same summary', async () => {
    const a = tmp();
    const b = tmp();
    await cli('run', small, '--out', a, '--no-progress');
    expect(
      (await cli('run', join(a, 'scenario.resolved.yaml'), '--out', b, '--no-progress')).code,
    ).toBe(0);
    expect(readFileSync(join(b, 'summary.json'), 'utf8')).toBe(
      readFileSync(join(a, 'summary.json'), 'utf8'),
    );
  });

  it('applies --seed and --steps and records them', async () => {
    const dir = tmp();
    expect(
      (
        await cli(
          'run',
          small,
          '--out',
          dir,
          '--seed',
          '99',
          '--steps',
          '1',
          '--json',
          '--no-progress',
        )
      ).code,
    ).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.seed).toBe(99);
    expect(summary.steps).toBe(1);
    expect(readFileSync(join(dir, 'scenario.resolved.yaml'), 'utf8')).toMatch(/^seed: 99$/m);
  });

  it('writes accounts.csv with --accounts: each position at the end, worked by hand', async () => {
    const dir = tmp();
    expect((await cli('run', small, '--out', dir, '--accounts', '--no-progress')).code).toBe(0);
    const rows = readFileSync(join(dir, 'accounts.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('account,venue,asset,role,amount,value,health,liquidated,badDebt');
    // bob: everything seized, the shortfall booked. carol: 10 - 4.55 = 5.45 ETH at 1500 = 8175 against
    // 6500, health 8175 x 0.85 / 6500 = 1.06904.
    expect(rows).toContain('bob,lendA,,closed,0,0,inf,1,1');
    expect(rows).toContain('carol,lendA,ETH,collateral,5.45,8175,1.0690384615384616,1,0');
    expect(rows).toContain('carol,lendA,USDC,debt,6500,6500,1.0690384615384616,1,0');
    expect(rows.filter((r) => r.startsWith('lou,lendB,'))).toHaveLength(2);
    expect(existsSync(join(tmp(), 'accounts.csv'))).toBe(false);
  });

  it('prints summary.json with --json', async () => {
    const r = await cli('run', small, '--out', tmp(), '--json', '--no-progress');
    expect(JSON.parse(r.out).liquidations.count).toBe(3);
  });

  it('rejects a bad value with the file, the path and the value, exit 2, and writes nothing', async () => {
    const dir = tmp();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      readFileSync(small, 'utf8').replace(
        'liquidationThreshold: 0.85',
        'liquidationThreshold: 1.3',
      ),
    );
    const out = join(dir, 'out');
    const r = await cli('run', bad, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${bad}: venues.lendA.assets.ETH.liquidationThreshold: must be in (0, 1], got 1.3`,
    );
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it('names a missing file, and rejects bad flags with exit 2', async () => {
    const r = await cli('run', 'no/such/file.yaml', '--out', tmp());
    expect(r.code).toBe(2);
    expect(r.err).toContain('no/such/file.yaml: no such file');
    expect((await cli('run', small, '--seed', 'abc')).code).toBe(2);
    expect((await cli('run', small, '--frobnicate')).code).toBe(2);
    expect((await cli('explode')).code).toBe(2);
  });
});

describe('contagion run, harder cases', () => {
  it('refuses an output path that is a file, exit 2, naming it', async () => {
    const file = join(tmp(), 'taken');
    writeFileSync(file, 'not a folder');
    const r = await cli('run', small, '--out', file, '--no-progress');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot write outputs to ${file}: a file is in the way of the folder`);
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it('runs an account that supplies, pledges two collaterals and borrows in one market', async () => {
    const dir = tmp();
    const scenario = join(dir, 'two.yaml');
    writeFileSync(
      scenario,
      `version: 1
name: two positions in one market
steps: 1
assets:
  - { id: ETH, kind: base, price: 2000 }
  - { id: WBTC, kind: base, price: 30000 }
  - { id: USDC, kind: stable, price: 1 }
venues:
  - id: lend
    kind: lending
    assets:
      ETH: { ltv: 0.8, liquidationThreshold: 0.85, liquidationBonus: 0.05 }
      WBTC: { ltv: 0.7, liquidationThreshold: 0.75, liquidationBonus: 0.08 }
      USDC: { borrowable: true }
liquidators: [{ capitalEach: unlimited }]
accounts:
  - id: sam
    positions:
      - { venue: lend, supply: { USDC: 100000 } }
      - { venue: lend, deposit: { ETH: 10, WBTC: 1 }, borrow: { USDC: 38000 } }
prices:
  ETH: { shocks: [{ step: 1, change: -0.5 }] }
`,
    );
    const r = await cli('run', scenario, '--out', join(dir, 'out'), '--json', '--no-progress');
    expect(r.code).toBe(0);
    // Health 10 x 1000 x 0.85 + 30000 x 0.75 = 31000 against 38000: the larger collateral, WBTC
    // (30000 vs 10000), is seized first.
    const summary = JSON.parse(r.out);
    expect(summary.liquidations.collateralSold.WBTC.amount).toBeGreaterThan(0);
    expect(summary.conservation.ok).toBe(true);
    const graph = JSON.parse(readFileSync(join(dir, 'out', 'graph.json'), 'utf8'));
    const fromSam = graph.edges.filter((e: { source: string }) => e.source === 'account:sam');
    expect(
      fromSam
        .map(
          (e: { attributes: { kind: string; asset: string } }) =>
            `${e.attributes.kind} ${e.attributes.asset}`,
        )
        .sort(),
    ).toEqual(['deposit ETH', 'deposit WBTC', 'supply USDC']);
  });
});

describe('contagion validate', () => {
  it('reports what a good file describes', async () => {
    const r = await cli('validate', small);
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok');
    expect(r.out).toContain('4 accounts');
  });

  it('lists every problem of a bad file with its path', async () => {
    const dir = tmp();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      readFileSync(small, 'utf8')
        .replace('ltv: 0.825', 'ltv: 0.90')
        .replace('steps: 2', 'steps: -1')
        .replace('venue: lendB, supply', 'venue: lendC, supply'),
    );
    const r = await cli('validate', bad);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad}: steps: must be >= 0, got -1`);
    expect(r.err).not.toContain('lendC'); // reference checks wait until the schema passes
    writeFileSync(
      bad,
      readFileSync(small, 'utf8')
        .replace('ltv: 0.825', 'ltv: 0.90')
        .replace('venue: lendB, supply', 'venue: lendC, supply'),
    );
    const r2 = await cli('validate', bad);
    expect(r2.err).toContain(
      `${bad}: venues.lendA.assets.ETH.ltv: must be <= liquidationThreshold (0.85), got 0.9`,
    );
    expect(r2.err).toContain(
      `${bad}: accounts.sam.positions[1].venue: must name a lending market, got "lendC"`,
    );
  });
});

describe('the contagion launcher', () => {
  it('runs from the bin script in a fresh process', async () => {
    const dir = tmp();
    const out = execFileSync(
      process.execPath,
      [join(ROOT, 'packages/cli/bin/contagion.js'), 'run', small, '--out', dir, '--no-progress'],
      {
        encoding: 'utf8',
      },
    );
    expect(out).toContain('conservation ok');
    expect(readdirSync(dir).sort()).toEqual(OUTPUTS);
  });
});

describe('contagion validate: position counts', () => {
  it('counts perp positions and option writers apart from market rows', async () => {
    const r = await cli('validate', join(ROOT, 'scenarios/oct-10-2025.yaml'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/6,000 borrowing positions, 45,100 perp positions, venues/);
  });
});
