// Summaries over a sweep's runs, per cell: cascade-size distribution, probability of a cascade
// above a size, VaR and CVaR of bad debt, and liquidations-at-risk, overall and by price drop.
import { InvalidArgumentError } from '@contagion/core';
import { valueAtRisk } from '../analysis/ltv.js';
import type { ParamValue, RowValue } from './sweep.js';

/** What to summarise. */
export interface SweepStatsOptions {
  /** Confidence levels of VaR, CVaR and liquidations-at-risk (default 0.95 and 0.99). */
  readonly confidence?: readonly number[];
  /** Cascade sizes (liquidated notional, USD) whose exceedance probability is reported. */
  readonly cascadeSizes?: readonly number[];
  /** Width of the price-drop bins of the liquidations-at-risk curve (default 0.05). */
  readonly dropBin?: number;
}

/** One cell's figures over its runs. */
export interface CellStats {
  readonly cell: number;
  readonly params: readonly ParamValue[];
  readonly runs: number;
  /** Liquidated notional (USD) per run: mean, quantiles 0.5 / 0.9 / 0.99, max. */
  readonly cascade: {
    readonly mean: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly meanLiquidations: number;
  /** P(liquidated notional > size), per size. */
  readonly exceedance: readonly { readonly size: number; readonly probability: number }[];
  /** Bad debt (USD): mean, P(> 0), and VaR / CVaR per confidence. */
  readonly badDebt: {
    readonly mean: number;
    readonly lossProbability: number;
    readonly risk: readonly { readonly q: number; readonly var: number; readonly cvar: number }[];
  };
  /** Liquidations-at-risk: the q-quantile of liquidated notional, per confidence. */
  readonly lar: readonly { readonly q: number; readonly notional: number }[];
}

/** A point of the liquidations-at-risk curve: runs whose exogenous drop fell in [lo, hi). */
export interface LarPoint {
  readonly cell: number;
  readonly lo: number;
  readonly hi: number;
  readonly runs: number;
  /** Per confidence q, the q-quantile of liquidated notional among those runs. */
  readonly notional: readonly number[];
}

/** The figures of a sweep. */
export interface SweepStats {
  readonly confidence: readonly number[];
  readonly cascadeSizes: readonly number[];
  /** The asset whose exogenous drawdown is the curve's price drop (empty when none). */
  readonly dropAsset: string;
  readonly dropBin: number;
  readonly cells: readonly CellStats[];
  readonly curve: readonly LarPoint[];
}

/** Default exceedance sizes: 10^3 .. 10^10 USD. */
export const DEFAULT_CASCADE_SIZES = [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10] as const;

/** The empirical q-quantile: the ceil(q n)-th smallest value (VaR's convention). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return valueAtRisk(sorted, q).var;
}

function column(columns: readonly string[], name: string): number {
  const i = columns.indexOf(name);
  if (i < 0) throw new InvalidArgumentError(`the runs have no column ${name}`);
  return i;
}

const num = (v: RowValue | undefined): number => (typeof v === 'number' ? v : NaN);

/**
 * Summarise `rows` (aligned with `columns`, in run order) per cell. The price drop of the
 * liquidations-at-risk curve is the exogenous drawdown of the asset whose drawdown is largest on
 * average over the runs.
 */
export function sweepStats(
  columns: readonly string[],
  parameters: readonly string[],
  rows: readonly (readonly RowValue[])[],
  o: SweepStatsOptions = {},
): SweepStats {
  const confidence = o.confidence ?? [0.95, 0.99];
  for (const q of confidence)
    if (!(q > 0 && q < 1))
      throw new InvalidArgumentError(`a confidence must be in (0, 1), got ${q}`);
  const cascadeSizes = o.cascadeSizes ?? DEFAULT_CASCADE_SIZES;
  const dropBin = o.dropBin ?? 0.05;
  if (!(dropBin > 0 && dropBin <= 1))
    throw new InvalidArgumentError(`the drop bin must be in (0, 1], got ${dropBin}`);
  const cCell = column(columns, 'cell');
  const cNotional = column(columns, 'liquidations.notional');
  const cCount = column(columns, 'liquidations.count');
  const cBad = column(columns, 'badDebt.total');
  // The price drop of the curve: the asset whose exogenous drawdown is largest on average over
  // the runs (the first such column on a tie), so a listed asset that never moves is passed over.
  let dropCol: string | undefined;
  let dropMean = -Infinity;
  columns.forEach((c, k) => {
    if (!/^prices\..+\.exogenousDrawdown$/.test(c)) return;
    let sum = 0;
    for (const r of rows) {
      const v = num(r[k]);
      if (Number.isFinite(v)) sum += v;
    }
    const mean = rows.length > 0 ? sum / rows.length : 0;
    if (mean > dropMean) {
      dropMean = mean;
      dropCol = c;
    }
  });
  const cDrop = dropCol === undefined ? -1 : columns.indexOf(dropCol);
  const cParams = parameters.map((p) => column(columns, p));
  const byCell = new Map<number, (readonly RowValue[])[]>();
  for (const r of rows) {
    const c = num(r[cCell]);
    let list = byCell.get(c);
    if (list === undefined) byCell.set(c, (list = []));
    list.push(r);
  }
  const cells: CellStats[] = [];
  const curve: LarPoint[] = [];
  for (const [cell, rs] of [...byCell].sort((a, b) => a[0] - b[0])) {
    const notional = rs.map((r) => num(r[cNotional])).sort((a, b) => a - b);
    const bad = rs.map((r) => num(r[cBad]));
    const n = rs.length;
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    cells.push({
      cell,
      params: cParams.map((k) => rs[0]![k] as ParamValue),
      runs: n,
      cascade: {
        mean: mean(notional),
        p50: quantile(notional, 0.5),
        p90: quantile(notional, 0.9),
        p99: quantile(notional, 0.99),
        max: notional[n - 1]!,
      },
      meanLiquidations: mean(rs.map((r) => num(r[cCount]))),
      exceedance: cascadeSizes.map((size) => ({
        size,
        probability: notional.filter((x) => x > size).length / n,
      })),
      badDebt: {
        mean: mean(bad),
        lossProbability: bad.filter((x) => x > 0).length / n,
        risk: confidence.map((q) => ({ q, ...valueAtRisk(bad, q) })),
      },
      lar: confidence.map((q) => ({ q, notional: quantile(notional, q) })),
    });
    if (cDrop < 0) continue;
    // Runs binned by their exogenous drop: [0, w), [w, 2w), ...
    const bins = new Map<number, number[]>();
    for (const r of rs) {
      const d = num(r[cDrop]);
      if (!Number.isFinite(d)) continue;
      const b = Math.max(0, Math.floor(d / dropBin + 1e-9));
      let list = bins.get(b);
      if (list === undefined) bins.set(b, (list = []));
      list.push(num(r[cNotional]));
    }
    for (const [b, xs] of [...bins].sort((a, b2) => a[0] - b2[0])) {
      xs.sort((a, b2) => a - b2);
      curve.push({
        cell,
        lo: Number((b * dropBin).toPrecision(12)),
        hi: Number(((b + 1) * dropBin).toPrecision(12)),
        runs: xs.length,
        notional: confidence.map((q) => quantile(xs, q)),
      });
    }
  }
  return {
    confidence,
    cascadeSizes,
    dropAsset: dropCol === undefined ? '' : dropCol.split('.').slice(1, -1).join('.'),
    dropBin,
    cells,
    curve,
  };
}
