// `contagion network clearing|debtrank|gai-kapadia`: the literature's contagion measures on any
// network given as JSON, printed as JSON (numbers at full double precision).
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { ContagionError } from '@contagion/core';
import {
  clearing,
  compileNetwork,
  debtRank,
  gaiKapadia,
  shockVector,
  type DebtRankVariant,
  type Network,
  type NetworkInput,
} from '@contagion/sim';

/** Read and compile `file`; errors name the file and the field. */
export function readNetwork(file: string): Network {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ContagionError(
      'invalid-argument',
      `${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ContagionError('invalid-argument', `${file}: not JSON: ${(e as Error).message}`);
  }
  try {
    return compileNetwork(doc as NetworkInput);
  } catch (e) {
    if (e instanceof ContagionError) throw new ContagionError(e.code, `${file}: ${e.message}`);
    throw e;
  }
}

/** Parse `A=1,B=0.2` into a shock per node id. */
export function shockFlag(value: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of value.split(',')) {
    const m = /^([^=]+)=(.+)$/.exec(part.trim());
    const x = m === null ? NaN : Number(m[2]);
    if (m === null || !Number.isFinite(x))
      throw new InvalidArgumentError(`--shock must be id=x,id=x,..., got "${value}"`);
    if (!(x >= 0 && x <= 1))
      throw new InvalidArgumentError(`--shock ${m[1]}=${m[2]}: must be in [0, 1]`);
    out.set(m[1]!.trim(), x);
  }
  return out;
}

const byId = (net: Network, xs: Float64Array): Record<string, number> =>
  Object.fromEntries(net.ids.map((id, i) => [id, xs[i]!]));

/** JSON text: NaN and infinities as null (JSON has no such numbers), two-space indent. */
function json(x: unknown): string {
  return `${JSON.stringify(x, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/** `network clearing`. */
export function clearingCommand(o: {
  input: string;
  external: 'pari-passu' | 'senior';
  alpha: number;
  beta: number;
}): string {
  const net = readNetwork(o.input);
  const r = clearing(net, { external: o.external, alpha: o.alpha, beta: o.beta });
  return json({
    method: o.alpha === 1 && o.beta === 1 ? 'eisenberg-noe' : 'rogers-veraart',
    external: o.external,
    alpha: o.alpha,
    beta: o.beta,
    payments: byId(net, r.payments),
    interbankPayments: byId(net, r.interbankPayments),
    externalPayments: byId(net, r.externalPayments),
    defaulted: r.defaulted.map((i) => net.ids[i]),
    unique: r.unique,
    rounds: r.rounds,
  });
}

/** `network debtrank`. */
export function debtRankCommand(o: {
  input: string;
  shock: Map<string, number>;
  variant: DebtRankVariant;
  /** Default: capped for single-hit, uncapped otherwise. */
  capImpact?: boolean;
}): string {
  const net = readNetwork(o.input);
  let psi: Float64Array;
  try {
    psi = shockVector(net, o.shock);
  } catch (e) {
    if (e instanceof ContagionError) throw new ContagionError(e.code, `--${e.message}`);
    throw e;
  }
  const capImpact = o.capImpact ?? o.variant === 'single-hit';
  const r = debtRank(net, psi, { variant: o.variant, capImpact });
  return json({
    variant: o.variant,
    capImpact,
    debtRank: r.debtRank,
    stress: byId(net, r.stress),
    defaulted: r.defaulted.map((i) => net.ids[i]),
    steps: r.steps,
  });
}

/** `network gai-kapadia`: one point per degree. */
export function gaiKapadiaCommand(o: {
  banks: number;
  degree: number[];
  draws: number;
  seed: number;
  capital: number;
  interbank: number;
  fireSale?: number;
  contagionAt: number;
}): string {
  const points = o.degree.map((z) => {
    const r = gaiKapadia({
      banks: o.banks,
      degree: z,
      draws: o.draws,
      seed: o.seed,
      capital: o.capital,
      interbank: o.interbank,
      contagionAt: o.contagionAt,
      ...(o.fireSale === undefined ? {} : { fireSale: o.fireSale }),
    });
    return { degree: z, ...r };
  });
  const settings = {
    banks: o.banks,
    draws: o.draws,
    seed: o.seed,
    capital: o.capital,
    interbank: o.interbank,
    fireSale: o.fireSale ?? null,
    contagionAt: o.contagionAt,
  };
  return json(points.length === 1 ? { ...settings, ...points[0]! } : { ...settings, points });
}
