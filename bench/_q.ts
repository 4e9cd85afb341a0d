import { validateScenario } from '@contagion/core';
import { planSweep, createSweepRunner } from '@contagion/sim';
import { readDoc } from './lib/scenarios.js';
for (const vol of [0.0001, 0.8]) {
  const doc = readDoc('scenarios/default.yaml') as Record<string, unknown>;
  doc['prices'] = { ETH: { process: 'gbm', drift: 0, volatility: vol } };
  const plan = planSweep(validateScenario(doc, 'x'), 'x', { runs: 3000 });
  const r = createSweepRunner(plan);
  for (let i = 0; i < 300; i++) r.run(i);
  const t = performance.now();
  for (let i = 0; i < 3000; i++) r.run(i);
  console.log(vol, 'ms/run', ((performance.now() - t) / 3000).toFixed(3));
}
