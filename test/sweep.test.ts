// `contagion sweep` and `contagion merge` end to end: the same bytes for 1 worker, 2 workers and
// 3 shards merged; resume after a torn write and after kill -9; DuckDB reads the Parquet file;
// bad flags refused before any run.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { ETH_USDC, ROOT, cli, ethMarket } from './helpers.js';

const FILES = ['cells.csv', 'lar.csv', 'manifest.json', 'runs.csv', 'runs.parquet'];
const tmp = () => mkdtempSync(join(tmpdir(), 'contagion-sweep-'));

/** A small stochastic system: 40 borrowers, ETH on a GBM path at 150% a year, 12 hourly steps. */
function scenarioFile(): string {
  const file = join(tmp(), 'gbm.json');
  const doc = {
    version: 1,
    name: 'sweep test',
    seed: 11,
    step: '1h',
    steps: 12,
    assets: ETH_USDC,
    venues: [ethMarket('lend')],
    liquidators: [{ id: 'keeper', capitalEach: 'unlimited' }],
    accounts: [{ id: 'lender', positions: [{ venue: 'lend', supply: { USDC: 1e7 } }] }],
    populations: [
      {
        name: 'b',
        count: 40,
        positions: [{ venue: 'lend', deposit: 'ETH', borrow: 'USDC' }],
        size: { lognormal: { median: 5, sigma: 1 } },
        healthFactor: { lognormal: { median: 1.15, sigma: 0.1 }, resampleBelow: 1.01 },
      },
    ],
    prices: { ETH: { process: 'gbm', drift: 0, volatility: 1.5 } },
  };
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

const FILE = scenarioFile();
const GRID = ['--grid', 'venues.lend.assets.ETH.liquidationThreshold=0.8,0.85'];
const bytes = (dir: string) =>
  Object.fromEntries(FILES.map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
const csvRows = (dir: string) =>
  readFileSync(join(dir, 'runs.csv'), 'utf8').trim().split('\n').slice(1);

async function sweep(dir: string, ...args: string[]) {
  const r = await cli(
    'sweep',
    FILE,
    '--runs',
    '30',
    ...GRID,
    '--out',
    dir,
    '--no-progress',
    ...args,
  );
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return r;
}

describe('contagion sweep', () => {
  const one = tmp();
  const reference = (async () => {
    await sweep(one, '--workers', '1');
    return bytes(one);
  })();

  it('writes one row per run, with its cell, replicate, seed, parameters and every metric', async () => {
    await reference;
    expect(readdirSync(one).sort()).toEqual(FILES);
    const header = readFileSync(join(one, 'runs.csv'), 'utf8').split('\n')[0]!.split(',');
    expect(header.slice(0, 5)).toEqual([
      'run',
      'cell',
      'replicate',
      'seed',
      'venues.lend.assets.ETH.liquidationThreshold',
    ]);
    for (const m of ['liquidations.count', 'badDebt.total', 'prices.ETH.exogenousDrawdown'])
      expect(header).toContain(m);
    const rows = csvRows(one).map((l) => l.split(','));
    expect(rows).toHaveLength(60);
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 60 }, (_, i) => String(i)));
    expect(rows[31]!.slice(1, 5)).toEqual(['1', '1', '11', '0.85']);
    const m = JSON.parse(readFileSync(join(one, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ seed: 11, runs: 30, cells: 2, totalRuns: 60, rowCount: 60 });
    expect(m.checksum.runsCsv).toBe(
      createHash('sha256')
        .update(readFileSync(join(one, 'runs.csv')))
        .digest('hex'),
    );
  });

  it('uses the same replicates in every cell (common random numbers), and they differ', async () => {
    await reference;
    const header = readFileSync(join(one, 'runs.csv'), 'utf8').split('\n')[0]!.split(',');
    const k = header.indexOf('prices.ETH.exogenousTrough');
    const rows = csvRows(one).map((l) => l.split(','));
    for (let i = 0; i < 30; i++) expect(rows[30 + i]![k]).toBe(rows[i]![k]);
    // Paths that never fall below the start share the trough 2000; the others all differ.
    const troughs = rows.slice(0, 30).map((r) => r[k]);
    const below = troughs.filter((x) => Number(x) < 2000);
    expect(below.length).toBeGreaterThan(15);
    expect(new Set(below).size).toBe(below.length);
  });

  it('gives the same bytes on 2 workers, and from 3 shards merged', async () => {
    const ref = await reference;
    const two = tmp();
    await sweep(two, '--workers', '2');
    expect(bytes(two)).toEqual(ref);
    const shards = [0, 1, 2].map(() => tmp());
    for (const [i, d] of shards.entries()) {
      const r = await sweep(d, '--shard', `${i}/3`, '--workers', '1');
      expect(r.out).toContain(`(shard ${i}/3)`);
    }
    expect(csvRows(shards[1]!).map((l) => l.split(',')[0])).toEqual(
      Array.from({ length: 20 }, (_, j) => String(1 + 3 * j)),
    );
    const merged = tmp();
    const r = await cli('merge', ...shards, '--out', merged);
    expect(r.code).toBe(0);
    expect(bytes(merged)).toEqual(ref);
  });

  it('resumes after a write cut short, without recomputing or duplicating a run', async () => {
    const ref = await reference;
    const dir = tmp();
    // What a kill in the middle of a write leaves: the journal of this sweep with 17 finished
    // rows and half of the 18th.
    const m = JSON.parse(Buffer.from(ref['manifest.json']!, 'base64').toString('utf8'));
    const rows = csvRows(one);
    const check = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 8);
    const journal =
      `# contagion sweep journal ${m.identity} all\n` +
      rows
        .slice(0, 17)
        .map((l) => `${l}\t${check(l)}\n`)
        .join('') +
      rows[17]!.slice(0, 40);
    writeFileSync(join(dir, '.sweep-journal'), journal);
    const r = await sweep(dir, '--workers', '2');
    expect(r.out).toContain('ran 43 runs');
    expect(r.out).toContain('17 resumed from an earlier start (a torn last line dropped)');
    expect(bytes(dir)).toEqual(ref);
    expect(existsSync(join(dir, '.sweep-journal'))).toBe(false);
    // Run again: the folder is complete.
    expect((await sweep(dir)).out).toContain('already complete');
  });

  it("keeps a second sweep out of a folder one is writing, and takes over a dead one's lock", async () => {
    const dir = tmp();
    // A live process holds the lock (this test's own pid).
    writeFileSync(join(dir, '.sweep-lock'), `${hostname()} ${process.pid}\n`);
    const r = await cli('sweep', FILE, '--runs', '2', '--out', dir, '--no-progress');
    expect(r.code).toBe(2);
    expect(r.err).toContain('another sweep');
    // A killed one's lock (no such pid) is taken over, and released at the end.
    writeFileSync(join(dir, '.sweep-lock'), `${hostname()} 2147483646\n`);
    expect((await cli('sweep', FILE, '--runs', '2', '--out', dir, '--no-progress')).code).toBe(0);
    expect(existsSync(join(dir, '.sweep-lock'))).toBe(false);
    // Another host's lock: refused, unless --take-over (a scheduler's rerun on a new node).
    const other = tmp();
    writeFileSync(join(other, '.sweep-lock'), 'another-node 4242\n');
    const refused = await cli('sweep', FILE, '--runs', '2', '--out', other, '--no-progress');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('run again with --take-over');
    const args = ['--runs', '2', '--out', other, '--no-progress', '--take-over'];
    expect((await cli('sweep', FILE, ...args)).code).toBe(0);
  });

  it('refuses a journal of another sweep rather than mixing rows', async () => {
    const dir = tmp();
    writeFileSync(join(dir, '.sweep-journal'), '# contagion sweep journal 0123456789ab all\n');
    const r = await cli('sweep', FILE, '--runs', '5', '--out', dir, '--no-progress');
    expect(r.code).toBe(2);
    expect(r.err).toContain('an unfinished sweep with other settings is in this folder');
  });

  it('writes Parquet that DuckDB reads: the same rows and sums as runs.csv', async () => {
    await reference;
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const path = join(one, 'runs.parquet').replaceAll("'", "''");
    const res = await c.runAndReadAll(
      `select count(*)::integer as n, sum("liquidations.count") as liq, sum("badDebt.total") as bad,
       max(run)::integer as last, bool_and("conservation.ok") as ok from read_parquet('${path}')`,
    );
    const [row] = res.getRowObjects();
    const header = readFileSync(join(one, 'runs.csv'), 'utf8').split('\n')[0]!.split(',');
    const rows = csvRows(one).map((l) => l.split(','));
    const sum = (name: string) => rows.reduce((s, r) => s + Number(r[header.indexOf(name)]), 0);
    expect(row!['n']).toBe(60);
    expect(row!['last']).toBe(59);
    expect(row!['liq']).toBe(sum('liquidations.count'));
    expect(row!['bad']).toBeCloseTo(sum('badDebt.total'), 6);
    expect(row!['ok']).toBe(true);
    c.closeSync();
  });

  it('summarises each cell: cascade size, exceedance, VaR and CVaR of bad debt, LaR by drop', async () => {
    await reference;
    const cells = readFileSync(join(one, 'cells.csv'), 'utf8').trim().split('\n');
    expect(cells).toHaveLength(3);
    const head = cells[0]!.split(',');
    for (const c of ['cascadeP50', 'pCascadeAbove1000000', 'varBadDebt0.95', 'cvarBadDebt0.99'])
      expect(head).toContain(c);
    // A higher threshold liquidates at least as much in the same paths.
    const at = (line: string, name: string) => Number(line.split(',')[head.indexOf(name)]);
    expect(at(cells[2]!, 'cascadeMean')).toBeGreaterThanOrEqual(at(cells[1]!, 'cascadeMean'));
    const lar = readFileSync(join(one, 'lar.csv'), 'utf8').trim().split('\n');
    expect(lar[0]).toBe('cell,asset,dropFrom,dropTo,runs,lar0.95,lar0.99');
    const runs = lar.slice(1).reduce((s, l) => s + Number(l.split(',')[4]), 0);
    expect(runs).toBe(60);
  });

  it('reports a sweep folder: cells table, heat map over the grid, LaR curve, histograms', async () => {
    await reference;
    const file = join(tmp(), 'sweep.html');
    const r = await cli('report', one, '--out', file);
    expect(r.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    const { JSDOM } = await import('jsdom');
    const doc = new JSDOM(html).window.document;
    expect(doc.querySelectorAll('#cells tbody tr')).toHaveLength(2);
    expect(doc.querySelector('#cells tbody tr td:nth-child(2)')!.textContent).toBe('0.8');
    const titles = [...doc.querySelectorAll('svg title')].map((t) => t.textContent ?? '');
    // One square per threshold in each of the three heat maps, with its figure.
    expect(
      titles.filter((t) => t.startsWith('venues.lend.assets.ETH.liquidationThreshold = 0.85:')),
    ).toHaveLength(3);
    expect(doc.body.textContent).toContain('Liquidations at risk by price drop');
    expect(doc.body.textContent).toContain('Distribution of cascade size');
    // The page loads nothing: no script, a CSP that forbids requests.
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(html).toContain("default-src 'none'");
  });

  it('samples a Latin hypercube, one value per stratum, crossed with the grid', async () => {
    const dir = tmp();
    const r = await cli(
      'sweep',
      FILE,
      '--runs',
      '2',
      '--lhs',
      'populations.b.healthFactor.lognormal.median=1.1:1.3',
      '--samples',
      '4',
      ...GRID,
      '--out',
      dir,
      '--no-progress',
    );
    expect(r.code).toBe(0);
    const rows = csvRows(dir).map((l) => l.split(','));
    expect(rows).toHaveLength(2 * 4 * 2);
    const medians = [...new Set(rows.slice(0, 8).map((x) => Number(x[5])))];
    expect(medians.map((x) => Math.floor((x - 1.1) / 0.05)).sort()).toEqual([0, 1, 2, 3]);
  });

  it('draws the population per replicate with --resample-population', async () => {
    await reference;
    const dir = tmp();
    await sweep(dir, '--resample-population', '--workers', '1');
    const fixed = csvRows(one);
    const fresh = csvRows(dir);
    // Replicate 0 draws its population from (seed, 0): the fixed one.
    expect(fresh[0]).toBe(fixed[0]);
    expect(fresh.slice(1, 30).filter((l, i) => l !== fixed[i + 1]).length).toBeGreaterThan(20);
  });

  it('refuses a bad path or value before any run, writing nothing', async () => {
    const dir = join(tmp(), 'never');
    const bad = async (...args: string[]) => {
      const r = await cli('sweep', FILE, '--runs', '3', ...args, '--out', dir, '--no-progress');
      expect(r.code).toBe(2);
      expect(existsSync(dir)).toBe(false);
      return r.err;
    };
    expect(await bad('--grid', 'venues.lend.assets.BTC.ltv=0.5')).toContain(
      'venues.lend.assets.BTC.ltv: venues.lend.assets has no field "BTC" (keys: ETH, USDC)',
    );
    expect(await bad('--grid', 'venues.lend.assets.ETH.liquidationThreshold=0.8,1.3')).toMatch(
      /--grid venues\.lend\.assets\.ETH\.liquidationThreshold=1\.3: .*gbm\.json: venues\.lend\.assets\.ETH\.liquidationThreshold: must be in/,
    );
    expect(await bad('--grid', 'seed')).toContain('--grid must be path=v1,v2,..., got "seed"');
    expect(await bad('--lhs', 'steps=1:9')).toContain('--lhs needs --samples K');
    expect(await bad('--shard', '3/3')).toContain('--shard must be i/n with 0 <= i < n');
  });

  it('refuses one place named twice, a sweep over the seed, and bad figure settings, before any run', async () => {
    const dir = join(tmp(), 'never');
    const bad = async (...args: string[]) => {
      const r = await cli('sweep', FILE, '--runs', '3', ...args, '--out', dir, '--no-progress');
      expect(r.code).toBe(2);
      expect(existsSync(dir)).toBe(false);
      return r.err;
    };
    expect(
      await bad(
        '--grid',
        'venues[0].assets.ETH.liquidationThreshold=0.8',
        '--grid',
        'venues.lend.assets.ETH.liquidationThreshold=0.85',
      ),
    ).toContain('name the same place');
    expect(await bad('--grid', 'seed=1,2')).toContain('set the master seed with --seed');
    expect(await bad('--confidence', '0.9,1')).toContain(
      '--confidence: each level must be in (0, 1)',
    );
    expect(await bad('--cascade-sizes', '100,100')).toContain(
      '--cascade-sizes: finite sizes, each once',
    );
  });

  it("takes the union of the cells' metrics: a reserve borrowable in one cell only", async () => {
    const dir = tmp();
    const r = await cli(
      'sweep',
      FILE,
      '--runs',
      '2',
      '--grid',
      'venues.lend.assets.ETH.borrowable=false,true',
      '--out',
      dir,
      '--no-progress',
    );
    expect(r.code).toBe(0);
    const lines = readFileSync(join(dir, 'runs.csv'), 'utf8').trim().split('\n');
    const header = lines[0]!.split(',');
    const k = header.indexOf('badDebt.byReserve.lend.ETH.booked');
    expect(k).toBeGreaterThan(0);
    expect(lines[1]!.split(',')[k]).toBe('');
    expect(lines[3]!.split(',')[k]).not.toBe('');
  });

  it('names the scenario by its file name, so shards started from other folders merge', async () => {
    const ref = await reference;
    const a = tmp();
    const b = tmp();
    await sweep(a, '--shard', '0/2', '--workers', '1');
    const rel = relative(process.cwd(), FILE);
    const r = await cli(
      'sweep',
      rel,
      '--runs',
      '30',
      ...GRID,
      '--out',
      b,
      '--no-progress',
      '--shard',
      '1/2',
      '--workers',
      '1',
    );
    expect(r.code).toBe(0);
    const merged = tmp();
    expect((await cli('merge', a, b, '--out', merged)).code).toBe(0);
    expect(bytes(merged)).toEqual(ref);
    expect(JSON.parse(readFileSync(join(merged, 'manifest.json'), 'utf8')).scenario.file).toBe(
      'gbm.json',
    );
  });

  it('runs again when a finished folder lost its rows, and keeps out of a run folder', async () => {
    const ref = await reference;
    const dir = tmp();
    await sweep(dir, '--workers', '1');
    rmSync(join(dir, 'runs.csv'));
    expect((await sweep(dir, '--workers', '1')).out).toContain('ran 60 runs');
    expect(bytes(dir)).toEqual(ref);
    const run = tmp();
    writeFileSync(join(run, 'summary.json'), '{}');
    const r = await cli('sweep', FILE, '--runs', '2', '--out', run, '--no-progress');
    expect(r.code).toBe(2);
    expect(r.err).toContain('holds the outputs of a run');
  });

  it('merge refuses a missing shard and a shard of another sweep', async () => {
    const a = tmp();
    const b = tmp();
    const c = tmp();
    await sweep(a, '--shard', '0/2', '--workers', '1');
    await sweep(b, '--shard', '1/2', '--workers', '1', '--seed', '12');
    await sweep(c, '--shard', '1/2', '--workers', '1');
    const missing = await cli('merge', a, '--out', tmp());
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('shard 1/2 missing');
    const other = await cli('merge', a, b, '--out', tmp());
    expect(other.code).toBe(2);
    expect(other.err).toContain('another sweep than');
    writeFileSync(join(c, 'runs.csv'), readFileSync(join(c, 'runs.csv'), 'utf8').slice(0, -30));
    const cut = await cli('merge', a, c, '--out', tmp());
    expect(cut.code).toBe(2);
    expect(cut.err).toContain("its SHA-256 is not the manifest's");
  });
});

describe('contagion sweep killed with SIGKILL', () => {
  it('finishes on the second start with the bytes of an uninterrupted sweep', async () => {
    const args = ['--runs', '3000', ...GRID, '--no-progress', '--workers', '2'];
    const ref = tmp();
    expect((await cli('sweep', FILE, ...args, '--out', ref)).code).toBe(0);
    const dir = tmp();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'packages/cli/src/main.ts'),
        'sweep',
        FILE,
        ...args,
        '--out',
        dir,
      ],
      { cwd: ROOT, stdio: 'ignore' },
    );
    const journal = join(dir, '.sweep-journal');
    const lines = () =>
      existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').length - 2 : 0;
    // Kill it once it has finished some runs and not all.
    const deadline = Date.now() + 60_000;
    while (lines() < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const before = lines();
    expect(before).toBeGreaterThanOrEqual(200);
    expect(before).toBeLessThan(6000);
    expect(existsSync(join(dir, 'runs.csv'))).toBe(false);
    const r = await cli('sweep', FILE, ...args, '--out', dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/resumed from an earlier start/);
    expect(bytes(dir)).toEqual(bytes(ref));
  }, 120_000);
});

describe('sweep workers', () => {
  it('start from the engine bundled into one file, kept under its content hash', async () => {
    const { workerEntry } = await import('../packages/cli/src/sweep/pool.js');
    const url = await workerEntry();
    expect(url.protocol).toBe('file:');
    expect(url.pathname).toMatch(/contagion-sweep-worker-[0-9a-f]{16}\.mjs$/);
    expect(existsSync(url)).toBe(true);
    // Once per process: the same file again.
    expect((await workerEntry()).href).toBe(url.href);
  });
});

describe('scenarios/eth-bootstrap.yaml', () => {
  it('draws a different month per replicate from the real returns, and conserves', async () => {
    const dir = tmp();
    const r = await cli(
      'sweep',
      join(ROOT, 'scenarios/eth-bootstrap.yaml'),
      '--runs',
      '6',
      '--out',
      dir,
      '--workers',
      '1',
      '--no-progress',
    );
    expect(r.code).toBe(0);
    const lines = readFileSync(join(dir, 'runs.csv'), 'utf8').trim().split('\n');
    const header = lines[0]!.split(',');
    const rows = lines.slice(1).map((l) => l.split(','));
    const trough = header.indexOf('prices.ETH.exogenousTrough');
    expect(new Set(rows.map((x) => x[trough])).size).toBe(6);
    // A month of daily returns from 2023-2025 moves ETH by tens of percent at most.
    for (const x of rows) expect(Number(x[trough])).toBeGreaterThan(4000 * 0.4);
    expect(rows.every((x) => x[header.indexOf('conservation.ok')] === 'true')).toBe(true);
  });
});
