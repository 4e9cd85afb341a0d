// Pins the runtime exports of @contagion/sim so that a change to the public surface is deliberate.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as sim from './index.js';

describe('@contagion/sim public surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(sim).sort()).toMatchInlineSnapshot(`
      [
        "BAND_BOUNDS",
        "CHANNELS",
        "CLOSED_IN_BOOK",
        "CONSERVATION_TOLERANCE",
        "DEFAULT_CASCADE_SIZES",
        "DEFAULT_TOLERANCE",
        "DELEVERAGED",
        "ENGINE_VERSION",
        "EventLog",
        "F64_COLUMNS",
        "FLAG_BAD_DEBT",
        "FLAG_LIQUIDATED",
        "HEALTH_BANDS",
        "INT_COLUMNS",
        "KEPT",
        "MAX_CELLS",
        "REDEEMED",
        "SETTLED",
        "SOLD_TO_MARKET",
        "VENUE_ENGINE",
        "auditConservation",
        "bandIndex",
        "bytesPerRow",
        "cellScenario",
        "checkAgents",
        "clearing",
        "clearingExact",
        "collateralNetwork",
        "compile",
        "compileNetwork",
        "createRunner",
        "createSweepRunner",
        "debtRank",
        "deleverageStrategy",
        "eventAccount",
        "eventVenues",
        "exchangeRate",
        "exogenousPaths",
        "exposure",
        "flattenSummary",
        "fundingRate",
        "gaiKapadia",
        "gaiKapadiaFails",
        "impactFactor",
        "impactProceeds",
        "latinHypercube",
        "ledger",
        "looperStrategy",
        "ltvFrontier",
        "networkMeasures",
        "networkRows",
        "networkTables",
        "openInterest",
        "perpEquity",
        "perpLiquidatable",
        "planSweep",
        "positionRows",
        "quantile",
        "refreshPerp",
        "registerStrategy",
        "reserveDebt",
        "resetState",
        "resolvePath",
        "roundRows",
        "rowHealth",
        "runPosition",
        "scanMarket",
        "shardRuns",
        "shockVector",
        "simulate",
        "stopLossStrategy",
        "strategyNamed",
        "strategyNames",
        "sweepStats",
        "utilisation",
        "valueAtRisk",
        "volTargetStrategy",
      ]
    `);
  });

  it('reports the version its package.json declares', () => {
    const pkg = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(sim.ENGINE_VERSION).toBe(pkg.version);
  });
});
