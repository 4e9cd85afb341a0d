// Exogenous price paths per base asset: scheduled shocks compounding, or a seeded GBM.
import { normal, yearFraction, type Model, type Uniform } from '@contagion/core';

/**
 * Exogenous price of every asset at every step 0..steps: row t, column a at [t * nAssets + a].
 * Stablecoins stay at their price; receipt tokens get NaN (their value comes from their issuer).
 * GBM draws come from `u` (the `prices` stream), asset by asset in file order, step by step.
 */
export function exogenousPaths(model: Model, steps: number, u: Uniform): Float64Array {
  const nA = model.assets.length;
  const out = new Float64Array((steps + 1) * nA);
  const dt = yearFraction(model.stepSeconds);
  model.assets.forEach((a, ai) => {
    const spec = model.scenario.prices[a.id];
    let p = a.kind === 'receipt' ? NaN : a.price;
    out[ai] = p;
    const shocks = spec !== undefined && 'shocks' in spec ? spec.shocks : [];
    for (let t = 1; t <= steps; t++) {
      if (spec !== undefined && 'process' in spec) {
        const s = spec.volatility;
        p *= Math.exp((spec.drift - (s * s) / 2) * dt + s * Math.sqrt(dt) * normal(u));
      }
      for (const sh of shocks) if (sh.step === t) p *= 1 + sh.change;
      out[t * nA + ai] = p;
    }
  });
  return out;
}
