// Historical replay from the CLI: the shipped ETH file is read into the resolved scenario, which
// re-runs to the same summary without it; bad files are reported with the scenario path.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '@contagion/core';
import { ROOT, cli } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'contagion-series-'));
const REPLAY = join(ROOT, 'scenarios/eth-2025-replay.yaml');

/** Closes of the shipped file from `from` to `to`, inclusive. */
function closes(from: string, to: string): number[] {
  const text = readFileSync(
    join(ROOT, 'data/eth_daily_price_binance_2023-01-20_2025-10-15.csv'),
    'utf8',
  );
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .filter(([d]) => d! >= from && d! <= to)
    .map(([, p]) => Number(p));
}

describe('historical replay through the CLI', () => {
  it('reads the file into the resolved scenario and replays its returns', async () => {
    const dir = tmp();
    const r = await cli('run', REPLAY, '--out', dir, '--no-progress');
    expect(r.code).toBe(0);
    const resolved = parseScenarioText(
      readFileSync(join(dir, 'scenario.resolved.yaml'), 'utf8'),
      'scenario.resolved.yaml',
    ) as { prices: { ETH: { replay: { prices: number[]; source: string } } } };
    const replay = resolved.prices.ETH.replay;
    const expected = closes('2025-08-01', '2025-10-15');
    expect(replay.prices).toEqual(expected);
    expect(replay.source).toMatch(
      /eth_daily_price.*column price, 2025-08-01\.\.2025-10-15, 76 rows/,
    );
    // The exogenous path is the file's returns from the scenario's starting price.
    const prices = readFileSync(join(dir, 'prices.csv'), 'utf8').trim().split('\n');
    const exo = prices.filter((l) => l.includes(',ETH,exogenous,'));
    const at = (t: number) => Number(exo[t]!.split(',')[3]);
    expect(at(70)).toBeCloseTo((3697.6 * expected[70]!) / expected[0]!, 6);
    // The resolved scenario re-runs to the same summary, file or no file.
    const again = tmp();
    const copy = join(again, 'scenario.yaml');
    writeFileSync(copy, readFileSync(join(dir, 'scenario.resolved.yaml')));
    const r2 = await cli('run', copy, '--out', join(again, 'out'), '--no-progress');
    expect(r2.code).toBe(0);
    expect(readFileSync(join(again, 'out', 'summary.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'summary.json'), 'utf8'),
    );
  });

  it('names the scenario, the path and the problem when the file is missing or bad', async () => {
    const dir = tmp();
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const scenario = (file: string, column = 'price') =>
      write(
        'replay.yaml',
        `version: 1\nname: r\nsteps: 2\nassets: [{ id: ETH, kind: base, price: 100 }]\nprices: { ETH: { replay: { file: ${file}, column: ${column} } } }\n`,
      );
    let r = await cli('run', scenario('nope.csv'), '--out', join(dir, 'o'), '--no-progress');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /replay\.yaml: prices\.ETH\.replay\.file: cannot read .*nope\.csv.*no such file/,
    );
    write('bad.csv', 'date,price\n2025-01-01,10\n2025-01-02,abc\n2025-01-03,12\n');
    r = await cli('run', scenario('bad.csv'), '--out', join(dir, 'o'), '--no-progress');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.csv, line 3, column price: must be a price > 0, got "abc"/);
    r = await cli('run', scenario('bad.csv', 'close'), '--out', join(dir, 'o'), '--no-progress');
    expect(r.err).toMatch(/has no column "close" \(header: date,price\)/);
  });
});

describe('series files: order and dates', () => {
  it('refuses descending dates, naming the line, and bounds dates by their first characters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'contagion-series-'));
    writeFileSync(
      join(dir, 'down.csv'),
      'date,price\n2025-01-03,12\n2025-01-02,11\n2025-01-01,10\n',
    );
    writeFileSync(
      join(dir, 'hours.csv'),
      'date,price\n2025-01-01 00:00,10\n2025-01-01 12:00,11\n2025-01-02 00:00,12\n',
    );
    const scenario = (file: string, extra = '') => {
      const path = join(dir, `${file}.yaml`);
      writeFileSync(
        path,
        `version: 1\nname: r\nsteps: 1\nassets: [{ id: ETH, kind: base, price: 100 }]\nprices: { ETH: { replay: { file: ${file}${extra} } } }\n`,
      );
      return path;
    };
    let r = await cli('run', scenario('down.csv'), '--out', join(dir, 'o'), '--no-progress');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/down\.csv, line 3: dates must ascend/);
    r = await cli(
      'run',
      scenario('hours.csv', ", from: '2025-01-01', to: '2025-01-01'"),
      '--out',
      join(dir, 'h'),
      '--no-progress',
    );
    expect(r.code).toBe(0);
    const resolved = readFileSync(join(dir, 'h', 'scenario.resolved.yaml'), 'utf8');
    expect(resolved).toMatch(
      /source: "?hours\.csv, column price, 2025-01-01 00:00\.\.2025-01-01 12:00, 2 rows/,
    );
  });
});
