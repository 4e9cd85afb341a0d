// The readable summary a run prints: the figures a researcher would quote, aligned in columns.
import type { Summary } from '@contagion/sim';

const usd = (x: number) =>
  `${x < 0 ? '-' : ''}$${Math.abs(x).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  '),
    )
    .join('\n');
}

/** Multi-line text summary of a run. */
export function summaryTable(s: Summary, outDir?: string): string {
  const lines: string[] = [];
  lines.push(`${s.scenario.name}`);
  lines.push(
    `seed ${s.seed}, ${s.steps} steps of ${s.stepLength}, ${s.accounts.toLocaleString('en-US')} accounts, scenario ${s.scenario.hash.slice(0, 12)}`,
  );
  lines.push('');
  lines.push(
    `liquidations ${s.liquidations.count.toLocaleString('en-US')} (${usd(s.liquidations.notional)} ${Object.keys(s.perps ?? {}).length > 0 ? 'debt repaid and perp notional closed' : 'repaid'}) in ${s.waves} waves over ${s.rounds} rounds${s.roundCapHits > 0 ? `, round cap hit ${s.roundCapHits}x` : ''}`,
  );
  const priceRows = [['asset', 'exogenous drawdown', 'realised drawdown', 'amplification']];
  for (const [a, p] of Object.entries(s.prices)) {
    priceRows.push([
      a,
      pct(p.exogenousDrawdown),
      pct(p.realisedDrawdown),
      p.amplification === null ? 'n/a' : `${num(p.amplification)}x`,
    ]);
  }
  lines.push('', table(priceRows));
  // Depegs: only assets that have a pool against their peg (nothing prints for scenarios without).
  // Stablecoins paired with stablecoins print only where they left par.
  for (const [a, g] of Object.entries(s.pegs ?? {}))
    for (const [pool, d] of Object.entries(g.pools))
      if (g.peg !== 'USD' || d.depth > 0)
        lines.push(
          `${a} in ${pool}: ${num(d.start, 4)} -> trough ${num(d.trough, 4)} ${g.peg === 'USD' ? "of the pool's other stablecoin" : g.peg} per ${a} (depeg depth ${pct(d.depth)})`,
        );
  const venueRows = [
    ['venue', 'liquidations', 'repaid', 'bad debt', 'latent', 'shock', 'price', 'value'],
  ];
  for (const [v, c] of Object.entries(s.byChannel)) {
    venueRows.push([
      v,
      (s.liquidations.byVenue[v]?.count ?? 0).toLocaleString('en-US'),
      usd(s.liquidations.byVenue[v]?.notional ?? 0),
      usd(s.badDebt.byVenue[v] ?? 0),
      usd(s.badDebt.latent[v] ?? 0),
      usd((c['shock']?.liquidated ?? 0) + (c['shock']?.badDebt ?? 0)),
      usd((c['price']?.liquidated ?? 0) + (c['price']?.badDebt ?? 0)),
      usd((c['value']?.liquidated ?? 0) + (c['value']?.badDebt ?? 0)),
    ]);
  }
  if (venueRows.length > 1)
    lines.push(
      '',
      table(venueRows),
      '  (channel columns: value repaid plus bad debt booked, by the channel that put each account across the line)',
    );
  // Perpetual venues (nothing prints for scenarios without): amounts in each venue's quote asset.
  const perps = Object.entries(s.perps ?? {});
  if (perps.length > 0) {
    const perpRows = [
      [
        'perp venue',
        'liquidations',
        'notional',
        'fund drawn',
        'fund left',
        'ADL',
        'ADL volume',
        'funding paid',
        'deficit',
      ],
    ];
    for (const [v, m] of perps)
      perpRows.push([
        v,
        m.liquidations.count.toLocaleString('en-US'),
        usd(m.liquidations.notional),
        usd(m.insuranceFund.drawn),
        usd(m.insuranceFund.end),
        m.adl.count.toLocaleString('en-US'),
        usd(m.adl.notional),
        usd(m.fundingPaid),
        usd(m.deficit),
      ]);
    lines.push('', table(perpRows));
    for (const [v, m] of perps)
      for (const [a, c] of Object.entries(m.collateralSold))
        lines.push(
          `  ${v}: sold ${c.amount.toLocaleString('en-US', { maximumFractionDigits: 0 })} ${a} of cross-margin collateral for ${c.proceeds.toLocaleString('en-US', { maximumFractionDigits: 0 })} ${m.quote}`,
        );
  }
  // Options venues (nothing prints for scenarios without): dealers' exposures and hedging.
  const options = Object.entries(s.options ?? {});
  if (options.length > 0) {
    const rows = [
      [
        'options venue',
        'gamma/1% start',
        'lowest',
        'vega/pt',
        'hedges traded',
        'net bought',
        'ATM vol',
        'price taken',
      ],
    ];
    for (const [v, m] of options)
      rows.push([
        v,
        usd(m.gammaExposure.start),
        usd(m.gammaExposure.min),
        usd(m.vegaExposure.start),
        usd(m.hedgeVolume),
        `${m.hedgeNet.toLocaleString('en-US', { maximumFractionDigits: 0 })} ${m.asset}`,
        `${pct(m.atmVol.start)} -> ${pct(m.atmVol.end)}`,
        pct(m.hedgeImpact.max),
      ]);
    lines.push('', table(rows));
  }
  lines.push('');
  lines.push(
    `bad debt ${usd(s.badDebt.total)}; venues reached ${s.reach.venuesReached.length > 0 ? s.reach.venuesReached.join(', ') : 'none'}; contagion depth ${s.reach.contagionDepth}`,
  );
  for (const v of s.reach.venues)
    lines.push(`  ${v.venue}: ${v.channels.join(' + ')} via ${v.path.join(' -> ')}`);
  for (const [v, b] of Object.entries(s.circuitBreakers ?? {}))
    lines.push(
      `  ${v}: liquidations halted in ${b.haltedSteps} step${b.haltedSteps === 1 ? '' : 's'}${b.firstHalt === null ? '' : `, from step ${b.firstHalt}`} (circuit breaker)`,
    );
  lines.push(
    `system leverage ${num(s.leverage.system.start)} -> ${num(s.leverage.system.end)} (peak ${num(s.leverage.system.peak)}); rehypothecation ${num(s.leverage.rehypothecation.start, 3)} -> ${num(s.leverage.rehypothecation.end, 3)}`,
  );
  lines.push(
    `conservation ${s.conservation.ok ? 'ok' : 'FAILED'} (max relative error ${s.conservation.maxRelativeError.toExponential(1)}${s.conservation.step === s.steps ? '' : ` after step ${s.conservation.step}`})`,
  );
  if (outDir !== undefined) lines.push('', `wrote ${outDir}`);
  return lines.join('\n');
}
