// A sweep's output files from its rows: runs.csv, runs.parquet, cells.csv, lar.csv and
// manifest.json. A single-machine sweep, a resumed one and merged shards all end here, with the
// same rows in run order, so their bytes agree.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import { ContagionError } from '@contagion/core';
import {
  ENGINE_VERSION,
  sweepStats,
  type ColumnKind,
  type GridAxis,
  type LhsAxis,
  type RowValue,
  type SweepStats,
  type SweepStatsOptions,
} from '@contagion/sim';
import { csvLine, toCsv, type Cell } from '../output/csv.js';

/** Manifest format name and version. */
export const MANIFEST_FORMAT = 'contagion-sweep';
export const MANIFEST_VERSION = 1;

/** What identifies a sweep: two folders with the same identity hold rows of the same sweep. */
export interface SweepIdentity {
  readonly version: string;
  readonly nodeMajor: number;
  readonly scenario: { readonly file: string; readonly name: string; readonly hash: string };
  readonly seed: number;
  readonly runs: number;
  readonly grid: readonly GridAxis[];
  readonly lhs: readonly LhsAxis[];
  readonly samples: number;
  readonly resamplePopulation: boolean;
  readonly parameters: readonly string[];
  readonly cells: number;
  readonly totalRuns: number;
  readonly columns: readonly { readonly name: string; readonly kind: ColumnKind }[];
  readonly stats: Required<Pick<SweepStatsOptions, 'confidence' | 'cascadeSizes' | 'dropBin'>>;
}

/** manifest.json. */
export interface Manifest extends SweepIdentity {
  readonly format: string;
  readonly formatVersion: number;
  /** SHA-256 of the identity's JSON: what shards and journals are matched by. */
  readonly identity: string;
  /** The shard these rows are (null: every run). */
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly rowCount: number;
  readonly checksum: { readonly algorithm: 'sha256'; readonly runsCsv: string };
}

/** The identity hash of a sweep. */
export function identityHash(id: SweepIdentity): string {
  return createHash('sha256').update(JSON.stringify(id)).digest('hex');
}

/** A run row's CSV line. */
export function rowLine(values: readonly RowValue[]): string {
  return csvLine(values.map((v) => (typeof v === 'boolean' ? String(v) : (v as Cell))));
}

function parseCell(text: string, kind: ColumnKind): RowValue {
  if (kind === 'string') return text;
  if (text === '') return null;
  if (kind === 'boolean') return text === 'true';
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

/** Rows back from their CSV lines, typed by the columns' kinds. */
export function parseRows(
  lines: readonly string[],
  kinds: readonly ColumnKind[],
  where: string,
): RowValue[][] {
  const records = parse(lines.join('\n'), { relax_column_count: false }) as string[][];
  return records.map((rec, i) => {
    if (rec.length !== kinds.length)
      throw new ContagionError(
        'invalid-argument',
        `${where}: row ${i + 1} has ${rec.length} columns, the sweep ${kinds.length}`,
      );
    return rec.map((t, k) => parseCell(t, kinds[k]!));
  });
}

function parquet(id: SweepIdentity, rows: readonly (readonly RowValue[])[]): Uint8Array {
  const columnData: ColumnSource[] = id.columns.map((c, k) => {
    const col = rows.map((r) => r[k] ?? null);
    switch (c.kind) {
      case 'int':
        return {
          name: c.name,
          data: col.map((v) => BigInt(v as number)),
          type: 'INT64',
          nullable: false,
        };
      case 'boolean':
        return { name: c.name, data: col, type: 'BOOLEAN', nullable: true };
      case 'string':
        return { name: c.name, data: col, type: 'STRING', nullable: true };
      default:
        return {
          name: c.name,
          data: col.map((v) => (typeof v === 'number' && Number.isNaN(v) ? null : v)),
          type: 'DOUBLE',
          nullable: true,
        };
    }
  });
  const buf = parquetWriteBuffer({
    columnData,
    createdBy: `contagion ${ENGINE_VERSION}`,
    rowGroupSize: 100_000,
  });
  return new Uint8Array(buf);
}

function cellsCsv(id: SweepIdentity, s: SweepStats): string {
  const header = [
    'cell',
    ...id.parameters,
    'runs',
    'meanLiquidations',
    'cascadeMean',
    'cascadeP50',
    'cascadeP90',
    'cascadeP99',
    'cascadeMax',
    ...s.cascadeSizes.map((x) => `pCascadeAbove${x}`),
    'meanBadDebt',
    'lossProbability',
    ...s.confidence.flatMap((q) => [`varBadDebt${q}`, `cvarBadDebt${q}`]),
    ...s.confidence.map((q) => `lar${q}`),
  ];
  return toCsv(
    header,
    s.cells.map((c) => [
      c.cell,
      ...c.params.map((v) => (typeof v === 'boolean' ? String(v) : v)),
      c.runs,
      c.meanLiquidations,
      c.cascade.mean,
      c.cascade.p50,
      c.cascade.p90,
      c.cascade.p99,
      c.cascade.max,
      ...c.exceedance.map((e) => e.probability),
      c.badDebt.mean,
      c.badDebt.lossProbability,
      ...c.badDebt.risk.flatMap((r) => [r.var, r.cvar]),
      ...c.lar.map((l) => l.notional),
    ]),
  );
}

function larCsv(s: SweepStats): string {
  return toCsv(
    ['cell', 'asset', 'dropFrom', 'dropTo', 'runs', ...s.confidence.map((q) => `lar${q}`)],
    s.curve.map((p) => [p.cell, s.dropAsset, p.lo, p.hi, p.runs, ...p.notional]),
  );
}

/** The finished folder's files, from the rows as CSV lines (any order; each run once). */
export function sweepFiles(
  id: SweepIdentity,
  shard: Manifest['shard'],
  lines: ReadonlyMap<number, string>,
): { files: Map<string, string | Uint8Array>; stats: SweepStats; manifest: Manifest } {
  const runs = [...lines.keys()].sort((a, b) => a - b);
  const ordered = runs.map((r) => lines.get(r)!);
  const runsCsv = `${[csvLine(id.columns.map((c) => c.name)), ...ordered].join('\n')}\n`;
  const rows = parseRows(
    ordered,
    id.columns.map((c) => c.kind),
    'runs',
  );
  const stats = sweepStats(
    id.columns.map((c) => c.name),
    id.parameters,
    rows,
    id.stats,
  );
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    identity: identityHash(id),
    ...id,
    shard,
    rowCount: rows.length,
    checksum: {
      algorithm: 'sha256',
      runsCsv: createHash('sha256').update(runsCsv).digest('hex'),
    },
  };
  const files = new Map<string, string | Uint8Array>([
    ['runs.csv', runsCsv],
    ['runs.parquet', parquet(id, rows)],
    ['cells.csv', cellsCsv(id, stats)],
    ['lar.csv', larCsv(stats)],
    ['manifest.json', `${JSON.stringify(manifest, null, 2)}\n`],
  ]);
  return { files, stats, manifest };
}
