// Shared helpers for cross-package tests: load and run scenarios from files or inline documents.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../packages/cli/src/main.js';
import {
  buildModel,
  loadScenario,
  ScenarioError,
  validateScenario,
  type Model,
  type ScenarioOverrides,
} from '@contagion/core';
import {
  eventAccount,
  simulate,
  type SimulateOptions,
  type SimulationResult,
} from '@contagion/sim';

/** Run the CLI in process with `args`; its exit code and what it printed. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (x) => void (out += x), err: (x) => void (err += x) });
  return { code, out, err };
}

/** Repository root. */
export const ROOT = join(import.meta.dirname, '..');

/** Run options that keep network rows (for pictures). */
export const NET = { network: true } as const;

/** Model of a shipped scenario file (path relative to the repository root). */
export function modelOf(file: string, overrides: ScenarioOverrides = {}): Model {
  const path = join(ROOT, file);
  return buildModel(loadScenario(readFileSync(path, 'utf8'), file, overrides), file);
}

/** Run a shipped scenario file. */
export function runFile(
  file: string,
  options: SimulateOptions = {},
  overrides: ScenarioOverrides = {},
): SimulationResult {
  return simulate(modelOf(file, overrides), options);
}

/** Run an inline scenario document (a plain object as a YAML file would parse to). */
export function runDoc(doc: unknown, options: SimulateOptions = {}): SimulationResult {
  return simulate(buildModel(validateScenario(doc, 'inline'), 'inline'), options);
}

/** All events of a result as objects with ids resolved. */
export function events(r: SimulationResult): Array<Record<string, number | string>> {
  const out: Array<Record<string, number | string>> = [];
  for (let i = 0; i < r.events.length; i++) {
    const e = r.events.get(i);
    out.push({
      ...e,
      account: eventAccount(r, i),
      venue: r.model.markets[e.market]!.id,
      collateral: r.model.assets[e.collAsset]!.id,
      debt: r.model.assets[e.debtAsset]!.id,
    });
  }
  return out;
}

/**
 * The problems a scenario document is refused for, as `path: message` lines (empty when it loads).
 * Fails the test if anything but a ScenarioError is thrown.
 */
export function scenarioIssues(doc: unknown, file = 'inline'): string[] {
  try {
    validateScenario(doc, file);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

/** Relative closeness: |a - b| <= tol x max(1, |a|, |b|). */
export function close(a: number, b: number, tol = 1e-12): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The two assets most test systems use: ETH at 2000 and USDC at 1. */
export const ETH_USDC = [
  { id: 'ETH', kind: 'base', price: 2000 },
  { id: 'USDC', kind: 'stable', price: 1 },
] as const;

/** A rate model that charges no interest, so hand-worked figures stay exact. */
export const ZERO_RATES = { base: 0, slope1: 0, kink: 0.8, slope2: 0 } as const;

/** A lending market taking ETH as collateral (threshold 0.825, bonus 5% unless given) and lending USDC free. */
export function ethMarket(id: string, eth: Record<string, number> = {}): Record<string, unknown> {
  return {
    id,
    kind: 'lending',
    assets: {
      ETH: { ltv: 0.8, liquidationThreshold: 0.825, liquidationBonus: 0.05, ...eth },
      USDC: { borrowable: true, rateModel: ZERO_RATES },
    },
  };
}
