// Number formats for labels and tooltips (fixed locale-free rules, so output is the same everywhere).
import { format } from 'd3';

const si = format('.3~s');
const pct1 = format('+.1%');
const int = format(',d');
const fixed2 = format(',.2f');

/** USD with an SI suffix: $1.23M, $456k, $0. Billions print as G (SI), which `usd` rewrites as B. */
export function usd(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x === 0) return '$0';
  if (Math.abs(x) < 1) return `$${fixed2(x)}`;
  return `$${si(x).replace('G', 'B')}`;
}

/** A price: two decimals, thousands separated. */
export function price(x: number): string {
  return Number.isFinite(x) ? `$${fixed2(x)}` : '–';
}

/** A signed percentage change with one decimal. */
export function change(x: number): string {
  return Number.isFinite(x) ? pct1(x) : '–';
}

/** A share as a percentage with one decimal, no sign (drawdowns, utilisation). */
export function share(x: number): string {
  return Number.isFinite(x) ? format('.1%')(x) : '–';
}

/** A whole count with thousands separators. */
export function count(x: number): string {
  return Number.isFinite(x) ? int(Math.round(x)) : '–';
}

/** A ratio with two decimals (leverage, health). */
export function ratio(x: number): string {
  return Number.isFinite(x) ? format('.2f')(x) : '–';
}

/** Round a coordinate to 0.1 px, so drawings do not carry float noise into the bytes. */
export function px(x: number): number {
  return Math.round(x * 10) / 10;
}
