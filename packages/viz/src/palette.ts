// Colours and their meanings: one place, shared by the SVG files, the legend and the HTML report.
import { interpolateRdBu, interpolateReds } from 'd3';
import type { HealthBand } from './data.js';

/** Fill of a health band (red: liquidatable ... green: safe; grey: closed). */
export const BAND_COLOURS: Readonly<Record<HealthBand | 'supplier', string>> = {
  liquidatable: '#d7301f',
  'at-risk': '#fc8d59',
  watch: '#fed976',
  safe: '#1a9850',
  'no-debt': '#91bfdb',
  closed: '#969696',
  supplier: '#c6dbef',
};

/** Legend text of each band. */
export const BAND_LABELS: Readonly<Record<HealthBand | 'supplier', string>> = {
  liquidatable: 'health < 1',
  'at-risk': 'health 1 – 1.1',
  watch: 'health 1.1 – 1.5',
  safe: 'health ≥ 1.5',
  'no-debt': 'no debt',
  closed: 'no collateral left',
  supplier: 'supplier (lends)',
};

/** Contagion channels of marked paths. */
export const CHANNEL_COLOURS = { shock: '#67000d', price: '#e6550d', value: '#7a0177' } as const;

/** Edge colours by kind; rehypothecated deposits (a receipt token pledged) are drawn apart. */
export const EDGE_COLOURS = {
  deposit: '#8c8c8c',
  borrow: '#4a6fa5',
  supply: '#9ecae1',
  issues: '#9e4fb3',
  accepts: '#d0d0d0',
  'pool-holds': '#5fa8a0',
  rehypothecation: '#9e4fb3',
  tracks: '#c98a3b',
} as const;

/** Stroke of a node a liquidation has touched. */
export const LIQUIDATED_STROKE = '#b10026';

/** Venue fill for bad debt as a share of the venue's starting value (0 .. 10% and beyond). */
export function badDebtFill(share: number): string {
  const t = Math.min(1, Math.max(0, share / 0.1));
  return share <= 0 ? '#f4f4f4' : interpolateReds(0.15 + 0.85 * t);
}

/** The share at which {@link badDebtFill} saturates. */
export const BAD_DEBT_SATURATION = 0.1;

/** Asset fill for a price move (fraction): red falls, blue rises, saturating at +-50%. */
export function priceMoveFill(move: number): string {
  if (!Number.isFinite(move)) return '#f4f4f4';
  const t = Math.max(-1, Math.min(1, move / 0.5));
  return interpolateRdBu(0.5 + t / 2);
}

/** The move at which {@link priceMoveFill} saturates. */
export const PRICE_MOVE_SATURATION = 0.5;

/** Series colours for charts (venues, sources), in order. */
export const SERIES = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
] as const;
