// `contagion ltv`: the highest liquidation threshold (and LTV) for an asset whose bad debt stays
// under a budget at a confidence, per volatility: the frontier printed and written as CSV.
import { basename, dirname, extname, join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { ltvFrontier, type LtvFrontier } from '@contagion/sim';
import { toCsv } from '../output/csv.js';
import { writeOutputs } from '../output/atomic.js';
import { readScenario } from './load.js';

/** Options of the command, as parsed. */
export interface LtvCommandOptions {
  readonly venue: string;
  readonly asset: string;
  readonly budget: number;
  readonly confidence: number;
  readonly paths: number;
  readonly vols: readonly number[];
  readonly thresholds: readonly number[];
  readonly seed?: number;
  readonly steps?: number;
  readonly out?: string;
}

/** Parse `a,b,c` or `lo:hi:step` (inclusive) into numbers; `name` for messages. */
export function numberList(name: string) {
  return (value: string): number[] => {
    const range = /^([^:]+):([^:]+):([^:]+)$/.exec(value);
    const bad = () =>
      new InvalidArgumentError(
        `${name} must be numbers separated by commas, or lo:hi:step, got "${value}"`,
      );
    if (range !== null) {
      const [lo, hi, step] = range.slice(1).map((x) => (x.trim() === '' ? NaN : Number(x))) as [
        number,
        number,
        number,
      ];
      if (![lo, hi, step].every(Number.isFinite) || !(step > 0) || hi < lo || lo < 0) throw bad();
      const n = Math.floor((hi - lo) / step + 1e-9);
      if (n + 1 > 1000)
        throw new InvalidArgumentError(`${name} lists ${n + 1} values: at most 1000`);
      // Rounded to 12 digits, so 0.6 + 3 x 0.05 prints as 0.75.
      return Array.from({ length: n + 1 }, (_, k) => Number((lo + k * step).toPrecision(12)));
    }
    const xs = value.split(',').map((x) => (x.trim() === '' ? NaN : Number(x.trim())));
    if (xs.some((x) => !Number.isFinite(x) || x < 0)) throw bad();
    if (xs.length > 1000)
      throw new InvalidArgumentError(`${name} lists ${xs.length} values: at most 1000`);
    return xs;
  };
}

const COLUMNS = [
  'volatility',
  'threshold',
  'ltv',
  'feasible',
  'meanBadDebt',
  'varBadDebt',
  'cvarBadDebt',
  'lossProbability',
  'meanLiquidations',
  'withinBudget',
] as const;

/** The frontier as CSV text. */
export function frontierCsv(f: LtvFrontier, budget: number): string {
  return toCsv(
    COLUMNS,
    f.cells.map((c) => [
      c.volatility,
      c.threshold,
      c.ltv,
      c.feasible ? 1 : 0,
      c.meanBadDebt,
      c.varBadDebt,
      c.cvarBadDebt,
      c.lossProbability,
      c.meanLiquidations,
      c.feasible && c.varBadDebt <= budget ? 1 : 0,
    ]),
  );
}

const usd = (x: number) =>
  Number.isFinite(x) ? `$${x.toLocaleString('en-US', { maximumFractionDigits: 0 })}` : 'n/a';
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');

/** Run the command: returns the text to print. */
export function ltvCommand(
  file: string,
  o: LtvCommandOptions,
  progress?: (d: number, n: number) => void,
): string {
  const { scenario } = readScenario(file, {
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.steps === undefined ? {} : { steps: o.steps }),
  });
  const f = ltvFrontier(scenario, file, {
    venue: o.venue,
    asset: o.asset,
    budget: o.budget,
    confidence: o.confidence,
    paths: o.paths,
    volatilities: o.vols,
    thresholds: o.thresholds,
    ...(progress === undefined ? {} : { onCell: progress }),
  });
  const out = o.out ?? join('out', `${basename(file, extname(file))}-ltv.csv`);
  writeOutputs(dirname(out), new Map([[basename(out), frontierCsv(f, o.budget)]]));
  const q = pct(o.confidence);
  const rows = [
    ['vol', 'threshold', 'LTV', 'mean bad debt', `VaR ${q}`, `CVaR ${q}`, 'P(loss)', ''],
  ];
  for (const c of f.cells)
    rows.push([
      pct(c.volatility),
      c.threshold.toFixed(3),
      c.ltv.toFixed(3),
      usd(c.meanBadDebt),
      usd(c.varBadDebt),
      usd(c.cvarBadDebt),
      pct(c.lossProbability),
      !c.feasible ? `not run: ${c.reason}` : c.varBadDebt <= o.budget ? 'within budget' : '',
    ]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = [
    `${scenario.name}`,
    `${o.asset} in ${o.venue}: bad debt at ${q} over ${o.paths} seeded paths of ${scenario.steps} steps, budget ${usd(o.budget)}`,
    '',
    ...rows.map((r) =>
      r
        .map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!)))
        .join('  ')
        .trimEnd(),
    ),
    '',
    ...f.recommended.map((r) =>
      r.threshold === null
        ? `vol ${pct(r.volatility)}: no threshold tried keeps bad debt within the budget`
        : `vol ${pct(r.volatility)}: highest threshold within the budget ${r.threshold.toFixed(3)} (LTV ${r.ltv!.toFixed(3)})`,
    ),
    '',
    `wrote ${out}`,
  ];
  return `${lines.join('\n')}\n`;
}
