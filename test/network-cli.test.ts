// `contagion network ...`: JSON in, JSON out, errors naming the field.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'contagion-network-'));
const file = (name: string, doc: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
};

// Two nodes owe each other 4; B also owes 2 outside; external assets A 0.5, B 1 (the worked case
// of the clearing tests: pari passu P = (3.5, 4.5), senior (0.5, 1.5)).
const PAIR = file('pair.json', {
  nodes: [
    { id: 'A', externalAssets: 0.5, capital: 10, weight: 5 },
    { id: 'B', externalAssets: 1, externalLiabilities: 2, capital: 10, weight: 3 },
  ],
  liabilities: [
    { debtor: 'A', creditor: 'B', amount: 4 },
    { debtor: 'B', creditor: 'A', amount: 4 },
  ],
});

const run = async (...args: string[]) => {
  const r = await cli('network', ...args);
  return { ...r, json: r.code === 0 ? JSON.parse(r.out) : undefined };
};

describe('contagion network clearing', () => {
  it('prints the clearing vector, who defaults and uniqueness as JSON numbers', async () => {
    const r = await run('clearing', '--input', PAIR);
    expect(r.code).toBe(0);
    expect(r.json.method).toBe('eisenberg-noe');
    expect(r.json.payments.A).toBeCloseTo(3.5, 14);
    expect(r.json.payments.B).toBeCloseTo(4.5, 14);
    expect(r.json.defaulted).toEqual(['A', 'B']);
    expect(r.json.unique).toBe(true);
  });

  it('ranks external debt senior, and takes default costs', async () => {
    const s = await run('clearing', '--input', PAIR, '--external', 'senior');
    expect(s.json.payments.A).toBeCloseTo(0.5, 14);
    expect(s.json.externalPayments.B).toBeCloseTo(1.5, 14);
    const rv = await run('clearing', '--input', PAIR, '--alpha', '0.5', '--beta', '0.5');
    expect(rv.json.method).toBe('rogers-veraart');
    expect(rv.json.payments.A).toBeLessThan(3.5);
  });
});

describe('contagion network debtrank', () => {
  it("prints DebtRank (initial shock excluded) and every node's stress", async () => {
    // W_AB = 4 / 10 on B, W_BA = 4 / 10 on A. Single-hit from A at 0.5: h_B = 0.2, then A gets
    // 0.4 x 0.2 = 0.08 more (h_A 0.58) but passes nothing on again. R = (5 x 0.08 + 3 x 0.2) / 8.
    const r = await run('debtrank', '--input', PAIR, '--shock', 'A=0.5', '--variant', 'single-hit');
    expect(r.code).toBe(0);
    expect(r.json.stress.A).toBeCloseTo(0.58, 14);
    expect(r.json.stress.B).toBeCloseTo(0.2, 14);
    expect(r.json.debtRank).toBeCloseTo((5 * 0.08 + 3 * 0.2) / 8, 14);
  });
});

describe('contagion network gai-kapadia', () => {
  it('prints frequency and extent, a point per degree', async () => {
    const r = await run('gai-kapadia', '--banks', '200', '--degree', '0.5,3', '--draws', '20');
    expect(r.code).toBe(0);
    expect(r.json.points.map((p: { degree: number }) => p.degree)).toEqual([0.5, 3]);
    expect(r.json.points[0].draws).toBe(20);
    const again = await run('gai-kapadia', '--banks', '200', '--degree', '0.5,3', '--draws', '20');
    expect(again.out).toBe(r.out);
  });
});

describe('contagion network: bad input', () => {
  it('names the field and the value, exit 2', async () => {
    const cases: [unknown, string][] = [
      [
        { nodes: [{ id: 'A' }], liabilities: [{ debtor: 'A', creditor: 'Z', amount: 1 }] },
        'liabilities[0].creditor: no node "Z"',
      ],
      [
        {
          nodes: [{ id: 'A' }, { id: 'B' }],
          liabilities: [{ debtor: 'A', creditor: 'B', amount: -1 }],
        },
        'liabilities[0].amount: must be a finite number >= 0, got -1',
      ],
      [
        { nodes: [{ id: 'A', externalAssets: 'x' }], liabilities: [] },
        'nodes[0].externalAssets: must be a finite number >= 0, got "x"',
      ],
      [{ nodes: [{ id: 'A' }, { id: 'A' }], liabilities: [] }, 'nodes[1].id: "A" is also nodes[0]'],
      ['{ "nodes": [', 'not JSON'],
    ];
    for (const [doc, message] of cases) {
      const r = await run('clearing', '--input', file('bad.json', doc));
      expect(r.code).toBe(2);
      expect(r.err).toContain(`bad.json: ${message}`);
    }
    const shock = await run('debtrank', '--input', PAIR, '--shock', 'A=1.5');
    expect(shock.code).toBe(2);
    const unknown = await run('debtrank', '--input', PAIR, '--shock', 'Z=1');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no node "Z"');
  });
});
