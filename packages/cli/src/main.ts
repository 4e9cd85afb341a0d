// The `contagion` command: parses flags, runs a command, maps errors to messages and exit codes.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ContagionError } from '@contagion/core';
import { ENGINE_VERSION } from '@contagion/sim';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { renderCommand, reportCommand } from './commands/render.js';
import { ltvCommand, numberList } from './commands/ltv.js';
import {
  clearingCommand,
  debtRankCommand,
  gaiKapadiaCommand,
  shockFlag,
} from './commands/network.js';
import {
  gridFlag,
  lhsFlag,
  mergeCommand,
  shardFlag,
  sweepCommand,
  type SweepCommandOptions,
} from './commands/sweep.js';

/** Exit codes: 0 ok, 1 a run finished but its conservation audit failed, 2 bad input or usage, 3 internal error. */
export const EXIT = Object.freeze({ ok: 0, auditFailed: 1, badInput: 2, internal: 3 });

/** Default scenario when `run` gets none. */
export const DEFAULT_SCENARIO = 'scenarios/default.yaml';

function wholeNumber(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value))
      throw new InvalidArgumentError(`${name} must be a whole number >= 0, got "${value}"`);
    return Number(value);
  };
}

function positiveNumber(name: string) {
  return (value: string): number => {
    const x = Number(value);
    if (!(Number.isFinite(x) && x >= 0))
      throw new InvalidArgumentError(`${name} must be a number >= 0, got "${value}"`);
    return x;
  };
}

function fraction(name: string) {
  return (value: string): number => {
    const x = Number(value);
    if (!(x > 0 && x < 1))
      throw new InvalidArgumentError(`${name} must be a number in (0, 1), got "${value}"`);
    return x;
  };
}

function unitInterval(name: string) {
  return (value: string): number => {
    const x = Number(value);
    if (!(value.trim() !== '' && x >= 0 && x <= 1))
      throw new InvalidArgumentError(`${name} must be a number in [0, 1], got "${value}"`);
    return x;
  };
}

type GridAxisList = ReturnType<typeof gridFlag>;
type LhsAxisList = ReturnType<typeof lhsFlag>;

/** Build the program; `io` lets tests capture output. */
export function program(
  io: { out: (s: string) => void; err: (s: string) => void },
  setExit: (code: number) => void,
): Command {
  const cmd = new Command('contagion')
    .description('Simulate systemic contagion and leverage loops in DeFi')
    .version(ENGINE_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  cmd
    .command('run')
    .description(
      'run a scenario and write summary.json, steps.csv, prices.csv, events.csv, scenario.resolved.yaml, graph.json',
    )
    .argument('[scenario]', 'scenario file (YAML or JSON)', DEFAULT_SCENARIO)
    .option('--seed <n>', "master seed (overrides the file's)", wholeNumber('--seed'))
    .option('--steps <n>', "number of steps (overrides the file's)", wholeNumber('--steps'))
    .option('--out <dir>', 'output folder (default: out/<scenario file name without extension>)')
    .option('--json', 'print summary.json instead of the table')
    .option('--audit-each-step', 'audit conservation after every step, not only at the end')
    .option(
      '--accounts',
      "also write accounts.csv: every position's final collateral, debt and health",
    )
    .option(
      '--network-measures',
      'add DebtRank per venue and the Eisenberg-Noe clearing vector at the shocked prices, on the collateral graph, to summary.json',
    )
    .option(
      '--svg',
      'also draw network.svg (last step), prices.svg, liquidations.svg and leverage.svg into the folder',
    )
    .option(
      '--individual-accounts <n>',
      'graph.json and network.csv list accounts one by one up to this many accounts, else cluster them',
      wholeNumber('--individual-accounts'),
      50,
    )
    .option('--no-progress', 'no progress bar')
    .action(
      async (
        file: string,
        o: {
          seed?: number;
          steps?: number;
          out?: string;
          json?: boolean;
          auditEachStep?: boolean;
          accounts?: boolean;
          networkMeasures?: boolean;
          svg?: boolean;
          individualAccounts: number;
          progress: boolean;
        },
      ) => {
        const outcome = await runCommand(file, o);
        io.out(outcome.text);
        if (!outcome.result.summary.conservation.ok) {
          io.err(
            `contagion: conservation audit failed (max relative error ${outcome.result.summary.conservation.maxRelativeError}); outputs kept in ${outcome.outDir}\n`,
          );
          setExit(EXIT.auditFailed);
        }
      },
    );
  cmd
    .command('render')
    .description(
      'draw a run folder as SVG: network.svg, prices.svg, liquidations.svg, leverage.svg (several folders: also cascade-size.svg)',
    )
    .argument('<dirs...>', 'output folders of `contagion run`')
    .option('--step <n>', 'step of network.svg (default: the last)', wholeNumber('--step'))
    .option('--all', 'also draw network-stepNNN.svg for every step')
    .option(
      '--out <dir>',
      'where to write (default: the run folder; required with several folders)',
    )
    .option(
      '--layout-seed <n>',
      "seed of the network layout (default: the run's seed)",
      wholeNumber('--layout-seed'),
    )
    .action(
      async (
        dirs: string[],
        o: { step?: number; all?: boolean; out?: string; layoutSeed?: number },
      ) => {
        const written = await renderCommand(dirs, o);
        const where = o.out ?? dirs[0]!;
        io.out(`wrote ${written.length} SVG files to ${where}\n`);
      },
    );
  cmd
    .command('report')
    .description(
      'write a self-contained HTML report of a run folder (summary, network with a step slider, charts) or of a sweep folder (per-cell figures, heat maps, liquidations at risk, histograms of liquidation calls and bad debt)',
    )
    .argument('<dir>', 'output folder of `contagion run` or `contagion sweep`')
    .option('--out <file>', 'the HTML file (default: DIR/report.html)')
    .option(
      '--layout-seed <n>',
      "seed of the network layout (default: the run's seed)",
      wholeNumber('--layout-seed'),
    )
    .action(async (dir: string, o: { out?: string; layoutSeed?: number }) => {
      io.out(`wrote ${await reportCommand(dir, o)}\n`);
    });
  cmd
    .command('ltv')
    .description(
      'recommend the highest liquidation threshold (and LTV) for an asset whose bad debt stays within a budget at a confidence, per volatility, over seeded paths; writes the frontier as CSV',
    )
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .requiredOption('--venue <id>', 'the lending market')
    .requiredOption('--asset <id>', 'the collateral asset whose threshold varies')
    .requiredOption(
      '--budget <usd>',
      'bad debt the venue may take (USD)',
      positiveNumber('--budget'),
    )
    .option(
      '--confidence <q>',
      'confidence of the value at risk, in (0, 1)',
      fraction('--confidence'),
      0.95,
    )
    .option('--paths <n>', 'seeded paths per cell', wholeNumber('--paths'), 200)
    .option(
      '--vols <list>',
      'annual volatilities (a,b,c or lo:hi:step)',
      numberList('--vols'),
      [0.4, 0.8, 1.2],
    )
    .option(
      '--thresholds <list>',
      'liquidation thresholds to try (a,b,c or lo:hi:step)',
      numberList('--thresholds'),
      [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9],
    )
    .option('--seed <n>', "master seed (overrides the file's)", wholeNumber('--seed'))
    .option('--steps <n>', "number of steps (overrides the file's)", wholeNumber('--steps'))
    .option('--out <file>', 'the frontier CSV (default: out/<scenario>-ltv.csv)')
    .action(
      (
        file: string,
        o: {
          venue: string;
          asset: string;
          budget: number;
          confidence: number;
          paths: number;
          vols: number[];
          thresholds: number[];
          seed?: number;
          steps?: number;
          out?: string;
        },
      ) => {
        io.out(ltvCommand(file, { ...o }));
      },
    );
  cmd
    .command('sweep')
    .description(
      'Monte Carlo over seeds, crossed with a grid or a Latin hypercube over scenario parameters; writes runs.csv, runs.parquet, cells.csv, lar.csv, manifest.json; resumable, shardable',
    )
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .requiredOption(
      '--runs <n>',
      'seeded replicates per cell (replicate i draws from (seed, i))',
      wholeNumber('--runs'),
    )
    .option(
      '--grid <path=v1,v2,...>',
      'a grid axis over a scenario path, e.g. venues.lendA.assets.ETH.liquidationThreshold=0.8,0.85 (repeatable; axes are crossed)',
      (v: string, prev: GridAxisList) => gridFlag(v, prev),
      [] as GridAxisList,
    )
    .option(
      '--lhs <path=lo:hi>',
      'a Latin-hypercube axis over [lo, hi] (repeatable; needs --samples)',
      (v: string, prev: LhsAxisList) => lhsFlag(v, prev),
      [] as LhsAxisList,
    )
    .option('--samples <k>', 'Latin-hypercube samples', wholeNumber('--samples'))
    .option('--seed <n>', "master seed (overrides the file's)", wholeNumber('--seed'))
    .option('--steps <n>', "number of steps (overrides the file's)", wholeNumber('--steps'))
    .option('--workers <n>', 'worker threads (default: the core count)', wholeNumber('--workers'))
    .option(
      '--shard <i/n>',
      'run the deterministic slice i of n (0-based), for many machines',
      shardFlag,
    )
    .option('--resample-population', 'draw the population afresh per replicate, from (seed, i)')
    .option(
      '--confidence <list>',
      'confidence levels of VaR, CVaR and liquidations-at-risk (default 0.95,0.99)',
      numberList('--confidence'),
    )
    .option(
      '--cascade-sizes <list>',
      'liquidated notionals (USD) whose exceedance probability cells.csv reports (default 1e3 to 1e10 by decades)',
      numberList('--cascade-sizes'),
    )
    .option('--out <dir>', 'output folder (default: out/<scenario>-sweep)')
    .option(
      '--take-over',
      "take over the folder's lock even when a process on another host holds it (a batch scheduler rerunning a failed task on a new node)",
    )
    .option('--no-progress', 'no progress bar')
    .action(
      async (
        file: string,
        o: Omit<SweepCommandOptions, 'grid' | 'lhs'> & { grid: GridAxisList; lhs: LhsAxisList },
      ) => {
        io.out(await sweepCommand(file, o));
      },
    );
  cmd
    .command('merge')
    .description(
      'join the folders of a sharded sweep into one, byte-identical to a single-machine sweep',
    )
    .argument('<dirs...>', "the shards' output folders")
    .requiredOption('--out <dir>', 'the merged folder')
    .action((dirs: string[], o: { out: string }) => {
      io.out(mergeCommand(dirs, o));
    });
  const network = cmd
    .command('network')
    .description(
      'contagion measures of the banking literature on any network (JSON in, JSON out): clearing (Eisenberg-Noe, Rogers-Veraart), debtrank, gai-kapadia',
    );
  network
    .command('clearing')
    .description(
      'the greatest clearing payment vector (Eisenberg-Noe; Rogers-Veraart with --alpha/--beta below 1), who defaults, and whether it is unique',
    )
    .requiredOption('--input <file>', 'the network as JSON: { nodes: [...], liabilities: [...] }')
    .option(
      '--external <rank>',
      'external liabilities pari-passu with interbank debt, or senior to it',
      (v: string) => {
        if (v !== 'pari-passu' && v !== 'senior')
          throw new InvalidArgumentError(`--external must be pari-passu or senior, got "${v}"`);
        return v;
      },
      'pari-passu',
    )
    .option(
      '--alpha <a>',
      'share of external assets a defaulter realises, in [0, 1]',
      unitInterval('--alpha'),
      1,
    )
    .option(
      '--beta <b>',
      'share of interbank receipts a defaulter realises, in [0, 1]',
      unitInterval('--beta'),
      1,
    )
    .action(
      (o: { input: string; external: 'pari-passu' | 'senior'; alpha: number; beta: number }) => {
        io.out(clearingCommand(o));
      },
    );
  network
    .command('debtrank')
    .description(
      "DebtRank of a shock: the weighted distress it causes beyond the shock itself, and each node's final distress",
    )
    .requiredOption('--input <file>', 'the network as JSON: { nodes: [...], liabilities: [...] }')
    .requiredOption('--shock <id=x,...>', 'initial distress of nodes, each in [0, 1]', shockFlag)
    .option(
      '--variant <v>',
      'differential (Bardoscia et al. 2015), single-hit (Battiston et al. 2012) or threshold',
      (v: string) => {
        if (v !== 'differential' && v !== 'single-hit' && v !== 'threshold')
          throw new InvalidArgumentError(
            `--variant must be differential, single-hit or threshold, got "${v}"`,
          );
        return v;
      },
      'differential',
    )
    .option(
      '--cap-impact',
      'cap each impact (exposure / capital) at 1 (the default for single-hit, as Battiston et al.)',
    )
    .option(
      '--no-cap-impact',
      'leave impacts uncapped (the default for differential and threshold)',
    )
    .action(
      (o: {
        input: string;
        shock: Map<string, number>;
        variant: 'differential' | 'single-hit' | 'threshold';
        capImpact?: boolean;
      }) => {
        io.out(debtRankCommand(o));
      },
    );
  network
    .command('gai-kapadia')
    .description(
      'Gai-Kapadia (2010) cascades on seeded directed Erdos-Renyi networks: frequency and extent of contagion after one random failure',
    )
    .requiredOption('--banks <n>', 'banks per network', wholeNumber('--banks'))
    .requiredOption(
      '--degree <list>',
      'average degree z (a,b,c or lo:hi:step for a curve)',
      numberList('--degree'),
    )
    .option('--draws <n>', 'networks drawn per degree', wholeNumber('--draws'), 1000)
    .option('--seed <n>', 'master seed (draw d from (seed, d))', wholeNumber('--seed'), 1)
    .option(
      '--capital <share>',
      "capital as a share of each bank's assets",
      unitInterval('--capital'),
      0.04,
    )
    .option(
      '--interbank <share>',
      "interbank assets as a share of each bank's assets",
      unitInterval('--interbank'),
      0.2,
    )
    .option(
      '--fire-sale <alpha>',
      'resale price q = exp(-alpha x) of external assets, x the share sold',
      positiveNumber('--fire-sale'),
    )
    .option(
      '--contagion-at <share>',
      'share of banks failed that counts as contagion',
      unitInterval('--contagion-at'),
      0.05,
    )
    .action(
      (o: {
        banks: number;
        degree: number[];
        draws: number;
        seed: number;
        capital: number;
        interbank: number;
        fireSale?: number;
        contagionAt: number;
      }) => {
        io.out(gaiKapadiaCommand(o));
      },
    );
  cmd
    .command('validate')
    .description('check a scenario file and report what is wrong')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .action((file: string) => {
      io.out(validateCommand(file));
    });
  return cmd;
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(
  argv: readonly string[],
  io = {
    out: (s: string) => void process.stdout.write(s),
    err: (s: string) => void process.stderr.write(s),
  },
): Promise<number> {
  let code: number = EXIT.ok;
  try {
    await program(io, (c) => (code = c)).parseAsync(argv as string[], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (e instanceof ContagionError) {
      io.err(`${e.message}\n`);
      return e.code === 'invariant' ? EXIT.internal : EXIT.badInput;
    }
    io.err(
      `contagion: internal error: ${(e as Error).message}\n${process.env['CONTAGION_DEBUG'] ? `${(e as Error).stack}\n` : 'set CONTAGION_DEBUG=1 for the stack trace\n'}`,
    );
    return EXIT.internal;
  }
  return code;
}

if (process.argv[1] !== undefined && /main\.ts$|contagion(\.js)?$/.test(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
