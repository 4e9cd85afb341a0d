// Seeded random streams, derived by name from one master seed; nothing here reads a global source.
import seedrandom from 'seedrandom';

/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number;

/** Names of the independent streams a run draws from. */
export type StreamName = 'agents' | `prices/${string}` | `population/${string}`;

/**
 * Derive a named stream from the master seed. The same (seed, name, replicate) always gives the same
 * sequence; different names or replicates give independent-looking sequences (Alea generator).
 */
export function stream(seed: number, name: StreamName | string, replicate = 0): Uniform {
  const prng = seedrandom.alea(`contagion/${seed}/${name}/${replicate}`);
  return () => prng();
}

/** A standard normal draw (Box-Muller on two uniforms; the second variate is discarded for simplicity). */
export function normal(u: Uniform): number {
  let a = u();
  while (a <= Number.MIN_VALUE) a = u();
  const b = u();
  return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * b);
}

/** A lognormal draw with the given median and log-scale sigma. */
export function lognormal(u: Uniform, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(u));
}

/**
 * Shuffle the first `length` entries of `xs` in place (Fisher-Yates) with the stream `u`. `partner`,
 * when given, gets the same swaps, so two parallel columns stay paired.
 */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(
  xs: T,
  u: Uniform,
  length = xs.length,
  partner?: { [i: number]: unknown },
): T {
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    const t = xs[i];
    xs[i] = xs[j];
    xs[j] = t;
    if (partner !== undefined) {
      const p = partner[i];
      partner[i] = partner[j];
      partner[j] = p;
    }
  }
  return xs;
}
