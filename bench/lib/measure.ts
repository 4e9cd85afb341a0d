// Timing helpers for the benchmark: one cold run reported apart, then warm runs summarised.

/** Wall time of `fn` in milliseconds (performance.now, sub-millisecond resolution). */
export function timeMs(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A cold run and the warm runs that followed it, in one unit (ms unless said otherwise). */
export interface Samples {
  readonly cold: number;
  readonly warm: readonly number[];
}

/** Summary of warm runs. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
  readonly cold: number;
}

export function stats(s: Samples): Stats {
  return {
    median: median(s.warm),
    min: Math.min(...s.warm),
    max: Math.max(...s.warm),
    runs: s.warm.length,
    cold: s.cold,
  };
}

/** Scale every sample (e.g. ms -> ns per account). */
export function scaleSamples(s: Samples, k: number): Samples {
  return { cold: s.cold * k, warm: s.warm.map((x) => x * k) };
}

/**
 * Run `fn` once cold, then `warm` more times, timing each call. `after` sees each call's result
 * (outside the timed region), e.g. to check that every run did the same work.
 */
export function repeat<T>(warm: number, fn: () => T, after?: (r: T, run: number) => void): Samples {
  const times: number[] = [];
  for (let run = 0; run <= warm; run++) {
    let r: T | undefined;
    const ms = timeMs(() => {
      r = fn();
    });
    times.push(ms);
    after?.(r as T, run);
  }
  return { cold: times[0]!, warm: times.slice(1) };
}

/**
 * Time several functions in the same process, interleaved run by run so that drift (thermal,
 * neighbours on a shared machine) hits them alike; run 0 of each is its cold run.
 */
export function interleave(warm: number, fns: readonly (() => void)[]): Samples[] {
  const times: number[][] = fns.map(() => []);
  for (let run = 0; run <= warm; run++) fns.forEach((fn, k) => times[k]!.push(timeMs(fn)));
  return times.map((t) => ({ cold: t[0]!, warm: t.slice(1) }));
}

/** Heap and array-buffer usage now, in bytes. */
export interface Memory {
  readonly heapUsed: number;
  readonly arrayBuffers: number;
  readonly rss: number;
}

export function memory(): Memory {
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, rss: m.rss };
}

export function memoryDelta(before: Memory, after: Memory): Memory {
  return {
    heapUsed: after.heapUsed - before.heapUsed,
    arrayBuffers: after.arrayBuffers - before.arrayBuffers,
    rss: after.rss - before.rss,
  };
}
