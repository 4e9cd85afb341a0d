// Strategies of accounts: the typed interface a researcher implements to add one, the registry the
// scenario's `agent.kind` names, and two built-ins (deleverage, stopLoss).

/** One position (an account in a market: one collateral, one debt) as a strategy sees it. */
export interface PositionView {
  readonly step: number;
  /** Collateral pledged and debt owed (with interest), tokens. */
  readonly collateral: number;
  readonly debt: number;
  /** Oracle prices (USD) now, and the collateral's at step 0. */
  readonly collateralPrice: number;
  readonly debtPrice: number;
  readonly startCollateralPrice: number;
  /** The collateral's oracle price at the end of the step `k` steps ago (k >= 1; step 0 before that). */
  collateralPriceAgo(k: number): number;
  /** Length of a step in years (volatilities are annual). */
  readonly stepYears: number;
  /** Liquidation threshold of the collateral. */
  readonly threshold: number;
  /** Health factor now: collateral x price x threshold / (debt x price). */
  readonly health: number;
  /** Debt tokens that selling `q` collateral tokens would bring now, where the agent sells. */
  proceeds(q: number): number;
  /** Health after selling `q` and repaying debt with what it brings (Infinity: no debt left). */
  healthAfter(q: number): number;
  /** Collateral to sell to repay the whole debt (the collateral itself if it cannot). */
  readonly sellAll: number;
  /** Health after borrowing `b` debt tokens and buying collateral with them. */
  healthAfterLever(b: number): number;
  /** Collateral tokens `b` debt tokens buy now, where the agent buys. */
  boughtFor(b: number): number;
  /**
   * Most the position may borrow now to buy collateral: within the market's cash, its borrow cap
   * and the collateral's LTV after the purchase.
   */
  readonly maxLever: number;
}

/**
 * A strategy: what an account does with a position before each step's liquidation rounds. `check`
 * validates the scenario's `params` (messages name the parameter; empty when fine); `sell` returns
 * the collateral tokens to sell, with the proceeds repaying debt (0: do nothing). The engine
 * clamps the amount to [0, sellAll] and skips a sale that would lower the position's
 * collateral/debt ratio.
 */
export interface Strategy {
  readonly name: string;
  check(params: Readonly<Record<string, unknown>>): string[];
  sell(position: PositionView, params: Readonly<Record<string, unknown>>): number;
  /**
   * Optional: debt tokens to borrow now and spend on more collateral (leverage farming), asked only
   * when `sell` answered 0. The engine clamps it to [0, maxLever].
   */
  lever?(position: PositionView, params: Readonly<Record<string, unknown>>): number;
}

/** Largest x in [0, hi] with g(x) <= 0 for an increasing g (bisection). */
export function largestBelow(g: (x: number) => number, hi: number): number {
  if (g(hi) <= 0) return hi;
  let lo = 0;
  for (let k = 0; k < 100 && hi - lo > 1e-12 * Math.max(1, hi); k++) {
    const mid = (lo + hi) / 2;
    if (g(mid) <= 0) lo = mid;
    else hi = mid;
  }
  return lo;
}

const num = (p: Readonly<Record<string, unknown>>, k: string) => p[k] as number;

function numberIn(
  p: Readonly<Record<string, unknown>>,
  key: string,
  lo: number,
  hi: number,
  out: string[],
): void {
  const x = p[key];
  if (typeof x !== 'number' || !(x > lo && x <= hi))
    out.push(`${key}: must be a number in (${lo}, ${hi}], got ${JSON.stringify(x)}`);
}

function onlyKeys(p: Readonly<Record<string, unknown>>, keys: string[], out: string[]): void {
  for (const k of Object.keys(p)) if (!keys.includes(k)) out.push(`${k}: unknown parameter`);
}

/**
 * `deleverage { below, to }`: when health is in [1, below), sell collateral and repay debt until
 * health is `to` (or the debt is gone). Positions under 1 are left to liquidators.
 */
export const deleverageStrategy: Strategy = {
  name: 'deleverage',
  check(p) {
    const out: string[] = [];
    onlyKeys(p, ['below', 'to'], out);
    numberIn(p, 'below', 1, 1e3, out);
    numberIn(p, 'to', 1, 1e3, out);
    if (out.length === 0 && num(p, 'to') <= num(p, 'below'))
      out.push(`to: must be above below (${num(p, 'below')}), got ${num(p, 'to')}`);
    return out;
  },
  sell(v, p) {
    if (!(v.health >= 1 && v.health < num(p, 'below'))) return 0;
    return largestBelow((q) => v.healthAfter(q) - num(p, 'to'), v.sellAll);
  },
};

/**
 * `stopLoss { drop }`: a stop order on the collateral: once its oracle price is down by `drop` or
 * more from step 0, sell enough collateral to repay the whole debt (once; afterwards there is none).
 */
export const stopLossStrategy: Strategy = {
  name: 'stopLoss',
  check(p) {
    const out: string[] = [];
    onlyKeys(p, ['drop'], out);
    numberIn(p, 'drop', 0, 1, out);
    return out;
  },
  sell(v, p) {
    return v.collateralPrice <= v.startCollateralPrice * (1 - num(p, 'drop')) ? v.sellAll : 0;
  },
};

/**
 * `looper { below, above, target }`: a leverage farmer. When health falls under `below` (not
 * under 1) it sells collateral and repays debt back to `target`; when health rises over `above`
 * (prices up) it borrows more and buys collateral back down to `target`, within the market's LTV.
 */
export const looperStrategy: Strategy = {
  name: 'looper',
  check(p) {
    const out: string[] = [];
    onlyKeys(p, ['below', 'above', 'target'], out);
    for (const k of ['below', 'above', 'target']) numberIn(p, k, 1, 1e3, out);
    if (
      out.length === 0 &&
      !(num(p, 'below') < num(p, 'target') && num(p, 'target') < num(p, 'above'))
    )
      out.push(
        `target: must lie between below (${num(p, 'below')}) and above (${num(p, 'above')}), got ${num(p, 'target')}`,
      );
    return out;
  },
  sell(v, p) {
    if (!(v.health >= 1 && v.health < num(p, 'below'))) return 0;
    return largestBelow((q) => v.healthAfter(q) - num(p, 'target'), v.sellAll);
  },
  lever(v, p) {
    if (!(v.health > num(p, 'above'))) return 0;
    // Health falls as it borrows: the most it can borrow while staying at or above target.
    return largestBelow((b) => num(p, 'target') - v.healthAfterLever(b), v.maxLever);
  },
};

/**
 * `volTarget { budgetUsd, window, z, band }`: dynamic position sizing by a risk budget. The
 * collateral's volatility is measured from its oracle price over the last `window` steps (sample
 * standard deviation of log returns); the position aims at the collateral value whose one-step loss
 * at `z` standard deviations is `budgetUsd`: target = budgetUsd / (z x sigma_step). Above target by
 * more than `band` (a fraction) it sells and repays; below it by more than `band` it borrows and
 * buys. Without enough history (or no movement) it does nothing.
 */
export const volTargetStrategy: Strategy = {
  name: 'volTarget',
  check(p) {
    const out: string[] = [];
    onlyKeys(p, ['budgetUsd', 'window', 'z', 'band'], out);
    numberIn(p, 'budgetUsd', 0, 1e15, out);
    const w = p['window'];
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 2 || w > 10000)
      out.push(`window: must be a whole number of steps in [2, 10000], got ${JSON.stringify(w)}`);
    numberIn(p, 'z', 0, 100, out);
    numberIn(p, 'band', 0, 1, out);
    return out;
  },
  sell(v, p) {
    const target = volTargetValue(v, p);
    const value = v.collateral * v.collateralPrice;
    if (!(target > 0) || value <= target * (1 + num(p, 'band'))) return 0;
    return (value - target) / v.collateralPrice;
  },
  lever(v, p) {
    const target = volTargetValue(v, p);
    const value = v.collateral * v.collateralPrice;
    if (!(target > 0) || value >= target * (1 - num(p, 'band'))) return 0;
    // Debt tokens whose purchase brings the collateral value to the target.
    return largestBelow(
      (b) => (v.collateral + v.boughtFor(b)) * v.collateralPrice - target,
      v.maxLever,
    );
  },
};

/** The collateral value a `volTarget` position aims at now (NaN without enough history). */
function volTargetValue(v: PositionView, p: Readonly<Record<string, unknown>>): number {
  const w = num(p, 'window');
  if (v.step < w) return NaN;
  const r: number[] = [];
  let prev = v.collateralPriceAgo(w);
  for (let k = w - 1; k >= 0; k--) {
    const x = k === 0 ? v.collateralPrice : v.collateralPriceAgo(k);
    r.push(Math.log(x / prev));
    prev = x;
  }
  const mean = r.reduce((s, x) => s + x, 0) / r.length;
  const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / (r.length - 1));
  return sd > 0 ? num(p, 'budgetUsd') / (num(p, 'z') * sd) : NaN;
}

const registry = new Map<string, Strategy>([
  [deleverageStrategy.name, deleverageStrategy],
  [stopLossStrategy.name, stopLossStrategy],
  [looperStrategy.name, looperStrategy],
  [volTargetStrategy.name, volTargetStrategy],
]);

/** Make a strategy available to scenarios by its name (`agent: { kind: <name>, params }`). */
export function registerStrategy(s: Strategy): void {
  registry.set(s.name, s);
}

/** The strategy registered under `name`, if any. */
export function strategyNamed(name: string): Strategy | undefined {
  return registry.get(name);
}

/** Names of the registered strategies. */
export function strategyNames(): string[] {
  return [...registry.keys()].sort();
}
