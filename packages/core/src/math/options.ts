// European options under Black-Scholes (no dividends, continuous rate r): price and Greeks, a fast
// float path and an exact decimal reference, and a volatility smile in log-moneyness.
//
// Units: spot, strike and prices in the numeraire; time to expiry and rates in years; volatility
// as a fraction (0.8 = 80% a year). Greeks per unit of their variable: delta per 1 of spot, gamma
// per 1 of spot squared, vega per 1.00 of volatility (divide by 100 for a vol point), theta per year
// (divide by 365 for a day), vanna = d delta / d vol (per 1.00 of vol), volga = d vega / d vol.
//
// The normal distribution function is Marsaglia's series (J. Stat. Software 11(4), 2004):
// Phi(x) = 1/2 + phi(x) (x + x^3/3 + x^5/(3 5) + ...), summed until a term no longer changes the
// sum; in doubles it is within about 1e-15 absolute of Phi for |x| <= 8; beyond, Phi is taken as 0
// or 1 (off by less than 7e-16; relative accuracy in the far tails is not kept). The exact path
// sums the same series with enough extra digits for 60 to survive its cancellation for |x| <= 12,
// and uses the tail's continued fraction beyond.
import { Decimal } from 'decimal.js';
import { Dec, type DecLike } from '../numeric/decimal.js';

/** Option kind. */
export type OptionKind = 'call' | 'put';

/** Inputs of a European option under Black-Scholes. */
export interface OptionInputs {
  readonly kind: OptionKind;
  readonly spot: number;
  readonly strike: number;
  /** Years to expiry, > 0. */
  readonly expiry: number;
  /** Annual volatility, > 0. */
  readonly vol: number;
  /** Continuously compounded annual rate. */
  readonly rate?: number;
}

/** Price and Greeks (units in the module header). */
export interface Greeks {
  readonly price: number;
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
  readonly vanna: number;
  readonly volga: number;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Standard normal density. */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Standard normal distribution function (Marsaglia's series; see the module header). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < -8) return 0;
  if (x > 8) return 1;
  let s = x;
  let t = x;
  const q = x * x;
  for (let i = 3; ; i += 2) {
    t *= q / i;
    const next = s + t;
    if (next === s) break;
    s = next;
  }
  return 0.5 + s * normalPdf(x);
}

function check(o: OptionInputs): void {
  if (o.rate !== undefined && !Number.isFinite(o.rate))
    throw new RangeError(`option rate must be a finite number, got ${o.rate}`);
  for (const [name, v] of [
    ['spot', o.spot],
    ['strike', o.strike],
    ['expiry', o.expiry],
    ['vol', o.vol],
  ] as const) {
    if (!(v > 0 && Number.isFinite(v)))
      throw new RangeError(`option ${name} must be a positive finite number, got ${v}`);
  }
}

/** Black-Scholes price and Greeks of a European option (float). */
export function blackScholes(o: OptionInputs): Greeks {
  check(o);
  const { spot: S, strike: K, expiry: T, vol: s } = o;
  const r = o.rate ?? 0;
  const sq = Math.sqrt(T);
  const d1 = (Math.log(S / K) + (r + 0.5 * s * s) * T) / (s * sq);
  const d2 = d1 - s * sq;
  const pdf = normalPdf(d1);
  const disc = Math.exp(-r * T);
  const gamma = pdf / (S * s * sq);
  const vega = S * pdf * sq;
  const vanna = (-pdf * d2) / s;
  const volga = (vega * d1 * d2) / s;
  const decay = (-S * pdf * s) / (2 * sq);
  if (o.kind === 'call') {
    const n1 = normalCdf(d1);
    const n2 = normalCdf(d2);
    return {
      price: S * n1 - K * disc * n2,
      delta: n1,
      gamma,
      vega,
      theta: decay - r * K * disc * n2,
      vanna,
      volga,
    };
  }
  const m1 = normalCdf(-d1);
  const m2 = normalCdf(-d2);
  return {
    price: K * disc * m2 - S * m1,
    delta: -m1,
    gamma,
    vega,
    theta: decay + r * K * disc * m2,
    vanna,
    volga,
  };
}

/** 60-digit decimals for the reference path (cancellation in the series needs the headroom). */
const D60 = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });
type D60 = InstanceType<typeof D60>;

function d60(x: DecLike): D60 {
  return new D60(x instanceof Dec ? x.toString() : x);
}

function pdfExact(x: D60): D60 {
  return x.pow(2).div(-2).exp().div(D60.acos(-1).times(2).sqrt());
}

function cdfExact(x: D60): D60 {
  // Beyond |x| = 12 the tail's continued fraction (Laplace): Q(z) = phi(z) / (z + 1 / (z + 2 /
  // (z + 3 / ...))), Phi(x) = Q(-x) or 1 - Q(x); 300 levels are far past 60 digits there.
  if (x.abs().gt(12)) {
    const z = x.abs();
    let f = z;
    for (let k = 300; k >= 1; k--) f = z.plus(new D60(k).div(f));
    const q = pdfExact(z).div(f);
    return x.isNegative() ? q : new D60(1).minus(q);
  }
  // The series' terms grow to about e^(x^2 / 2) before they shrink, and the result in a tail is
  // that much smaller than 1/2: carry x^2 / (2 ln 10) more digits (at most 32 here) so 60 survive.
  const extra = Math.ceil(x.toNumber() ** 2 / 2 / Math.LN10) + 10;
  const D = Decimal.clone({ precision: 60 + extra, rounding: Decimal.ROUND_HALF_EVEN });
  const X = new D(x.toString());
  let s = X;
  let t = X;
  const q = X.pow(2);
  for (let i = 3; ; i += 2) {
    t = t.times(q).div(i);
    const next = s.plus(t);
    if (next.eq(s)) break;
    s = next;
  }
  const pdf = X.pow(2).div(-2).exp().div(D.acos(-1).times(2).sqrt());
  return new D60(s.times(pdf).plus(0.5).toString());
}

/** Price and Greeks as exact decimals (40 significant digits) from 60-digit arithmetic. */
export interface GreeksExact {
  readonly price: Dec;
  readonly delta: Dec;
  readonly gamma: Dec;
  readonly vega: Dec;
  readonly theta: Dec;
  readonly vanna: Dec;
  readonly volga: Dec;
}

/** The decimal reference of {@link blackScholes}: the same formulas, 60-digit arithmetic. */
export function blackScholesExact(o: {
  readonly kind: OptionKind;
  readonly spot: DecLike;
  readonly strike: DecLike;
  readonly expiry: DecLike;
  readonly vol: DecLike;
  readonly rate?: DecLike;
}): GreeksExact {
  const S = d60(o.spot);
  const K = d60(o.strike);
  const T = d60(o.expiry);
  const s = d60(o.vol);
  const r = d60(o.rate ?? 0);
  for (const [name, v] of [
    ['spot', S],
    ['strike', K],
    ['expiry', T],
    ['vol', s],
  ] as const)
    if (!v.gt(0)) throw new RangeError(`option ${name} must be positive, got ${v.toString()}`);
  const sq = T.sqrt();
  const d1 = S.div(K)
    .ln()
    .plus(r.plus(s.pow(2).div(2)).times(T))
    .div(s.times(sq));
  const d2 = d1.minus(s.times(sq));
  const pdf = pdfExact(d1);
  const disc = r.neg().times(T).exp();
  const gamma = pdf.div(S.times(s).times(sq));
  const vega = S.times(pdf).times(sq);
  const vanna = pdf.neg().times(d2).div(s);
  const volga = vega.times(d1).times(d2).div(s);
  const decay = S.neg().times(pdf).times(s).div(sq.times(2));
  const out = (x: D60) => new Dec(x.toSignificantDigits(40).toString());
  if (o.kind === 'call') {
    const n1 = cdfExact(d1);
    const n2 = cdfExact(d2);
    return {
      price: out(S.times(n1).minus(K.times(disc).times(n2))),
      delta: out(n1),
      gamma: out(gamma),
      vega: out(vega),
      theta: out(decay.minus(r.times(K).times(disc).times(n2))),
      vanna: out(vanna),
      volga: out(volga),
    };
  }
  const m1 = cdfExact(d1.neg());
  const m2 = cdfExact(d2.neg());
  return {
    price: out(K.times(disc).times(m2).minus(S.times(m1))),
    delta: out(m1.neg()),
    gamma: out(gamma),
    vega: out(vega),
    theta: out(decay.plus(r.times(K).times(disc).times(m2))),
    vanna: out(vanna),
    volga: out(volga),
  };
}

/**
 * An implied-volatility smile for one expiry, quadratic in log-moneyness k = ln(K / F) (F the
 * forward): vol(k) = atm + skew x k + curvature x k^2, never below `floor`. A negative skew makes
 * puts (k < 0) dearer, as equity and crypto smiles are.
 */
export interface Smile {
  readonly atm: number;
  readonly skew: number;
  readonly curvature: number;
  readonly floor: number;
}

/** The smile's volatility at log-moneyness `k`. */
export function smileVol(smile: Smile, k: number): number {
  return Math.max(smile.floor, smile.atm + smile.skew * k + smile.curvature * k * k);
}

/** The smile's slope d vol / d k at `k` (0 where the floor binds). */
export function smileSlope(smile: Smile, k: number): number {
  const v = smile.atm + smile.skew * k + smile.curvature * k * k;
  return v <= smile.floor ? 0 : smile.skew + 2 * smile.curvature * k;
}

/**
 * Which delta a hedger uses under a moving smile. `sticky-moneyness` (smile-consistent): the smile
 * moves with the spot, so a strike's vol changes as the spot does, d vol / d S = -slope(k) / S, and
 * delta = Black-Scholes delta + vega x d vol / d S. `sticky-strike`: each strike keeps its vol,
 * delta = Black-Scholes delta.
 */
export type DeltaConvention = 'sticky-moneyness' | 'sticky-strike';

/**
 * Price and Greeks of an option on the smile (its vol read at the option's log-moneyness against
 * the forward S e^(rT)), with the delta of `convention`; `atmSlope` is d atm / d S when the smile's
 * ATM level itself moves with the spot (sticky-moneyness only).
 */
export function smileGreeks(
  o: Omit<OptionInputs, 'vol'>,
  smile: Smile,
  convention: DeltaConvention = 'sticky-moneyness',
  atmSlope = 0,
): Greeks & { readonly vol: number } {
  const r = o.rate ?? 0;
  const k = Math.log(o.strike / (o.spot * Math.exp(r * o.expiry)));
  const vol = smileVol(smile, k);
  const g = blackScholes({ ...o, vol });
  if (convention === 'sticky-strike') return { ...g, vol };
  // The smile moves with the spot; `atmSlope` adds any move of its ATM level with the spot
  // (d atm / d S), unless the floor holds the vol.
  const floored = vol <= smile.floor;
  const dVolDSpot = floored ? 0 : -smileSlope(smile, k) / o.spot + atmSlope;
  return { ...g, delta: g.delta + g.vega * dVolDSpot, vol };
}
