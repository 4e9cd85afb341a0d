// Reach and contagion depth on the venue-only graph (venues linked by shared assets and receipt tokens).
import {
  collateralGraph,
  reachableVenues,
  type CollateralGraph,
  type Model,
} from '@contagion/core';

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
 * Exposure depth of every lending market, then every perpetual venue (indices past the markets), to
 * the assets in `shocked`, from the venue-only collateral graph: 1 where a venue takes a shocked
 * asset directly (as collateral, or as the asset its contracts track), d + 1 where it takes the
 * receipt token of a market at depth d (Infinity when unexposed), with the shortest path of ids.
 */
export function exposure(
  model: Model,
  shocked: readonly number[],
  graph: CollateralGraph = collateralGraph(model, { venuesOnly: true }),
): { depth: number[]; path: string[][] } {
  const ids = [...model.markets.map((m) => m.id), ...model.perps.map((p) => p.id)];
  const depth = ids.map(() => Infinity);
  const path: string[][] = ids.map(() => []);
  const index = new Map(ids.map((id, i) => [id, i]));
  for (const a of shocked) {
    for (const r of reachableVenues(graph, model.assets[a]!.id)) {
      const mi = index.get(r.venue);
      if (mi === undefined || r.depth >= depth[mi]!) continue;
      depth[mi] = r.depth;
      path[mi] = r.path.map((key) => graph.getNodeAttribute(key, 'label'));
    }
  }
  return { depth, path };
}

/**
 * Venues reached: a channel other than `shock` (price, value) liquidated or booked bad debt there
 * above `materiality` x the venue's value at the start. Depth: price reaches a venue at its exposure
 * depth; value reaches it one venue beyond the deepest issuer with bad debt whose receipt it takes.
 * Venues are indexed as in {@link exposure}: markets, then perpetual venues (which have no value
 * channel: they take no receipt tokens).
 */
export function reach(
  model: Model,
  shocked: readonly number[],
  channelTotals: (market: number, channel: number) => number,
  badDebtByMarket: readonly number[],
  startValue: readonly number[],
  materiality: number,
  graph?: CollateralGraph,
): VenueReach[] {
  const exp = exposure(model, shocked, graph);
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
  const nM = model.markets.length;
  model.perps.forEach((p, pi) => {
    const v = nM + pi;
    const price = channelTotals(v, 1);
    if (price > materiality * startValue[v]! && price > 0) {
      const depth = exp.depth[v]!;
      out.push({
        venue: p.id,
        channels: ['price'],
        depth: Number.isFinite(depth) ? depth : 0,
        path: exp.path[v]!,
      });
    }
  });
  return out;
}
