// Reach and contagion depth on the venue-only graph (venues linked by shared assets and receipt tokens).
import type { Model } from '@contagion/core';

/** How a venue was reached by contagion, and along which path of ids. */
export interface VenueReach {
  readonly venue: string;
  /** Channels that reached it materially (not `shock`). */
  readonly channels: readonly string[];
  /** Venues on the path from the shocked asset, this one included (a direct holder: 1). */
  readonly depth: number;
  /** Ids from the shocked asset to the venue: asset, venue, receipt token, venue, ... */
  readonly path: readonly string[];
}

/**
 * Exposure depth of every lending market to the assets in `shocked`: 1 where a market takes a shocked
 * asset directly, d + 1 where it takes the receipt token of a market at depth d. Returns per market
 * the depth (Infinity when unexposed) and the path.
 */
export function exposure(
  model: Model,
  shocked: readonly number[],
): { depth: number[]; path: string[][] } {
  const depth = model.markets.map(() => Infinity);
  const path: string[][] = model.markets.map(() => []);
  model.markets.forEach((m, mi) => {
    for (const a of shocked) {
      if (m.reserves.some((r) => r.asset === a)) {
        depth[mi] = 1;
        path[mi] = [model.assets[a]!.id, m.id];
        return;
      }
    }
  });
  for (let changed = true; changed;) {
    changed = false;
    model.markets.forEach((m, mi) => {
      for (const r of m.reserves) {
        const info = model.assets[r.asset]!;
        if (info.kind !== 'receipt' || r.collSlot < 0) continue;
        const u = info.issuer!;
        if (depth[u]! + 1 < depth[mi]!) {
          depth[mi] = depth[u]! + 1;
          path[mi] = [...path[u]!, info.id, m.id];
          changed = true;
        }
      }
    });
  }
  return { depth, path };
}

/**
 * Venues reached: a channel other than `shock` (price, value) liquidated or booked bad debt there
 * above `materiality` x the venue's value at the start. Depth: price reaches a venue at its exposure
 * depth; value reaches it one venue beyond the deepest issuer with bad debt whose receipt it takes.
 */
export function reach(
  model: Model,
  shocked: readonly number[],
  channelTotals: (market: number, channel: number) => number,
  badDebtByMarket: readonly number[],
  startValue: readonly number[],
  materiality: number,
): VenueReach[] {
  const exp = exposure(model, shocked);
  const out: VenueReach[] = [];
  model.markets.forEach((m, mi) => {
    const threshold = materiality * startValue[mi]!;
    const channels: string[] = [];
    let depth = 0;
    let path: string[] = [];
    if (channelTotals(mi, 1) > threshold && channelTotals(mi, 1) > 0) {
      channels.push('price');
      depth = exp.depth[mi]!;
      path = exp.path[mi]!;
    }
    if (channelTotals(mi, 2) > threshold && channelTotals(mi, 2) > 0) {
      channels.push('value');
      for (const r of m.reserves) {
        const info = model.assets[r.asset]!;
        if (info.kind !== 'receipt' || r.collSlot < 0 || !(badDebtByMarket[info.issuer!]! > 0))
          continue;
        const d = Number.isFinite(exp.depth[info.issuer!]!) ? exp.depth[info.issuer!]! + 1 : 1;
        if (d > depth) {
          depth = d;
          const up = exp.path[info.issuer!]!;
          path = [...(up.length > 0 ? up : [model.markets[info.issuer!]!.id]), info.id, m.id];
        }
      }
    }
    if (channels.length > 0)
      out.push({ venue: m.id, channels, depth: Number.isFinite(depth) ? depth : 0, path });
  });
  return out;
}
