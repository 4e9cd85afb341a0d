// Reading a finished sweep folder back for the report: the manifest checked, the rows checked
// against its checksum, the figures recomputed from the rows.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContagionError } from '@contagion/core';
import { sweepStats, type RowValue } from '@contagion/sim';
import type { SweepData } from '@contagion/viz';
import { readManifest } from '../commands/sweep.js';
import { parseRows } from '../sweep/outputs.js';

/** The report's data of the sweep folder `dir`. */
export function readSweepDir(dir: string): SweepData {
  const m = readManifest(dir);
  const path = join(dir, 'runs.csv');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ContagionError('invalid-argument', `${path}: ${(e as Error).message}`);
  }
  if (createHash('sha256').update(text).digest('hex') !== m.checksum.runsCsv)
    throw new ContagionError(
      'invalid-argument',
      `${path}: its SHA-256 is not the manifest's (changed or cut short since the sweep wrote it)`,
    );
  const lines = text.split('\n').slice(1, -1);
  const names = m.columns.map((c) => c.name);
  const rows = parseRows(
    lines,
    m.columns.map((c) => c.kind),
    path,
  );
  const at = (name: string) => names.indexOf(name);
  const [cCell, cCount, cNotional, cBad] = [
    'cell',
    'liquidations.count',
    'liquidations.notional',
    'badDebt.total',
  ].map(at) as [number, number, number, number];
  const num = (v: RowValue | undefined) => (typeof v === 'number' ? v : NaN);
  const cascades = new Map<
    number,
    { label: string; liquidations: number; notional: number; badDebt: number }[]
  >();
  for (const r of rows) {
    const cell = num(r[cCell]);
    let list = cascades.get(cell);
    if (list === undefined) cascades.set(cell, (list = []));
    list.push({
      label: `run ${String(r[0])}`,
      liquidations: num(r[cCount]),
      notional: num(r[cNotional]),
      badDebt: num(r[cBad]),
    });
  }
  return {
    scenario: m.scenario,
    seed: m.seed,
    runs: m.runs,
    totalRuns: m.totalRuns,
    version: m.version,
    nodeMajor: m.nodeMajor,
    grid: m.grid,
    lhs: m.lhs,
    samples: m.samples,
    resamplePopulation: m.resamplePopulation,
    parameters: m.parameters,
    stats: sweepStats(names, m.parameters, rows, m.stats),
    cascades,
  };
}
