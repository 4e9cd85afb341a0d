// Exogenous price paths per base asset: scheduled shocks compounding, or a seeded GBM.
import { InvalidArgumentError, normal, stream, yearFraction, type Model } from '@contagion/core';

/**
 * Exogenous price of every asset at every step 0..steps: row t, column a at [t * nAssets + a].
 * Stablecoins stay at their price; receipt tokens get NaN (their value comes from their issuer);
 * a pegged asset follows its peg, times its starting price over the peg's.
 * Each asset's GBM draws come from its own stream `prices/<asset id>` of (seed, replicate), step by
 * step, so a path's first steps do not depend on how many steps run or on which other assets exist.
 */
export function exogenousPaths(model: Model, steps: number, replicate = 0): Float64Array {
  const nA = model.assets.length;
  const out = new Float64Array((steps + 1) * nA);
  const dt = yearFraction(model.stepSeconds);
  model.assets.forEach((a, ai) => {
    const spec = model.scenario.prices[a.id];
    let p = a.kind === 'receipt' ? NaN : a.price;
    out[ai] = p;
    const shocks = spec !== undefined && 'shocks' in spec ? spec.shocks : [];
    const u =
      spec !== undefined && 'process' in spec
        ? stream(model.scenario.seed, `prices/${a.id}`, replicate)
        : undefined;
    if (a.kind === 'pegged') return; // below, once its peg's path is known
    for (let t = 1; t <= steps; t++) {
      if (u !== undefined && spec !== undefined && 'process' in spec) {
        const s = spec.volatility;
        p *= Math.exp((spec.drift - (s * s) / 2) * dt + s * Math.sqrt(dt) * normal(u));
      }
      for (const sh of shocks) if (sh.step === t) p *= 1 + sh.change;
      if (a.kind !== 'receipt' && !(Number.isFinite(p) && p > 0)) {
        throw new InvalidArgumentError(
          `the exogenous price leaves the positive finite numbers at step ${t}, got ${p}`,
          `prices.${a.id}`,
        );
      }
      out[t * nA + ai] = p;
    }
  });
  // A pegged asset's fundamental: its peg's path scaled by their starting prices.
  model.assets.forEach((a, ai) => {
    if (a.kind !== 'pegged') return;
    const peg = a.peg!;
    const k = a.price / model.assets[peg]!.price;
    for (let t = 0; t <= steps; t++) out[t * nA + ai] = out[t * nA + peg]! * k;
  });
  return out;
}
