// Durations in scenario files ("1h", "30m", "1d") and the conversion of annual rates to a step.

const UNIT_SECONDS: Readonly<Record<string, number>> = Object.freeze({
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
});

/** Seconds in a year used to convert annual volatilities and rates: 365 days. */
export const SECONDS_PER_YEAR = 365 * 86_400;

/** Parse a duration such as `1h`, `15m`, `1d`, `90s` into seconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/.exec(text);
  if (!m) return undefined;
  const seconds = Number(m[1]) * (UNIT_SECONDS[m[2] as string] as number);
  return seconds > 0 ? seconds : undefined;
}

/** A step length as a fraction of a year (for annual rates and volatilities). */
export function yearFraction(seconds: number): number {
  return seconds / SECONDS_PER_YEAR;
}
