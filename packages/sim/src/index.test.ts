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
        "DELEVERAGED",
        "ENGINE_VERSION",
        "EventLog",
        "F64_COLUMNS",
        "FLAG_BAD_DEBT",
        "FLAG_LIQUIDATED",
        "HEALTH_BANDS",
        "INT_COLUMNS",
        "KEPT",
        "REDEEMED",
        "SETTLED",
        "SOLD_TO_MARKET",
        "VENUE_ENGINE",
        "auditConservation",
        "bandIndex",
        "bytesPerRow",
        "checkAgents",
        "compile",
        "createRunner",
        "deleverageStrategy",
        "eventAccount",
        "eventVenues",
        "exchangeRate",
        "exogenousPaths",
        "exposure",
        "fundingRate",
        "impactFactor",
        "impactProceeds",
        "ledger",
        "looperStrategy",
        "ltvFrontier",
        "networkRows",
        "networkTables",
        "openInterest",
        "perpEquity",
        "perpLiquidatable",
        "positionRows",
        "refreshPerp",
        "registerStrategy",
        "reserveDebt",
        "resetState",
        "roundRows",
        "rowHealth",
        "scanMarket",
        "simulate",
        "stopLossStrategy",
        "strategyNamed",
        "strategyNames",
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
