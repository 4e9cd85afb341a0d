// One health pass over a compiled 1M-row market: the engine's scanMarket against a plain loop.
import { compile, scanMarket, type MarketState } from '@contagion/sim';
import { interleave, scaleSamples, type Samples } from '../lib/measure.js';
import { CASCADE_FILE, finish, readDoc } from '../lib/scenarios.js';

/** Rows in the scanned market. */
export const HEALTH_ROWS = 1_000_000;

/**
 * The baseline: two Float64Array columns, one compare, eligible rows collected into an Int32Array
 * (the same output as the engine's scan). A free function over typed arrays.
 */
export function plainPass(
  coll: Float64Array,
  debt: Float64Array,
  collW: number,
  debtW: number,
  out: Int32Array,
): number {
  let n = 0;
  const rows = coll.length;
  for (let i = 0; i < rows; i++) {
    const c = coll[i]! * collW;
    if (c < debt[i]! * debtW && c > 0) out[n++] = i;
  }
  return n;
}

export interface HealthPassResult {
  readonly rows: number;
  readonly buildMs: number;
  /** Per price level: ns per row for the engine and the baseline, and the share of rows eligible. */
  readonly levels: readonly {
    readonly label: string;
    readonly price: number;
    readonly eligibleShare: number;
    readonly engineNs: Samples;
    readonly plainNs: Samples;
  }[];
}

/** Put the market's scan weights at ETH = `price` (debt weight: USDC at 1, borrow index 1). */
function setWeights(ms: MarketState, price: number): void {
  const r = ms.info.reserves[ms.info.collReserves[0]!]!;
  ms.collW[0] = price * r.liquidationThreshold;
  ms.debtW[0] = 1;
}

/**
 * A lendA-only variant of the bench scenario with exactly 1M borrower rows (one ETH collateral
 * column, one USDC debt column), compiled; then, at the starting price (no row eligible) and at the
 * 25%-shocked price (about a fifth of rows eligible, in random order: unpredictable branches), time
 * scanMarket and the baseline interleaved.
 */
export function healthPass(warm: number): HealthPassResult {
  const doc = readDoc(CASCADE_FILE);
  const pops = doc.populations ?? [];
  const suppliers = pops.find((p) => p.name === 'suppliers-A');
  const borrowers = pops.find((p) => p.name === 'borrowers-A');
  if (suppliers === undefined || borrowers === undefined)
    throw new Error(`${CASCADE_FILE}: expected populations suppliers-A and borrowers-A`);
  const scale = HEALTH_ROWS / borrowers.count;
  const built = finish(
    {
      ...doc,
      name: 'health pass, 1M rows in lendA',
      populations: [
        { ...suppliers, count: Math.ceil(suppliers.count * scale * 1.1) },
        { ...borrowers, count: HEALTH_ROWS },
      ],
    },
    CASCADE_FILE,
  );
  const state = compile(built.model);
  const ms = state.markets.find((m) => m.info.id === 'lendA');
  if (ms === undefined || ms.rows !== HEALTH_ROWS || ms.coll.length !== 1 || ms.debt.length !== 1)
    throw new Error('health pass: expected lendA with 1M rows, one collateral and one debt column');
  const coll = ms.coll[0]!;
  const debt = ms.debt[0]!;
  const out = new Int32Array(ms.rows);
  const start = built.model.assets[built.model.assetIndex.get('ETH')!]!.price;
  const levels = [
    { label: 'start price', price: start },
    { label: '25% shock', price: start * 0.75 },
  ].map(({ label, price }) => {
    setWeights(ms, price);
    const cw = ms.collW[0]!;
    const dw = ms.debtW[0]!;
    let engineN = -1;
    let plainN = -1;
    const [engine, plain] = interleave(warm, [
      () => {
        engineN = scanMarket(ms);
      },
      () => {
        plainN = plainPass(coll, debt, cw, dw, out);
      },
    ]);
    if (engineN !== plainN)
      throw new Error(`health pass: engine found ${engineN} eligible rows, baseline ${plainN}`);
    const nsPerRow = 1e6 / ms.rows;
    return {
      label,
      price,
      eligibleShare: engineN / ms.rows,
      engineNs: scaleSamples(engine!, nsPerRow),
      plainNs: scaleSamples(plain!, nsPerRow),
    };
  });
  return { rows: ms.rows, buildMs: built.buildMs, levels };
}
