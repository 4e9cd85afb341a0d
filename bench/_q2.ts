import { validateScenario } from '@contagion/core';
import { planSweep, createSweepRunner } from '@contagion/sim';
import { readDoc } from './lib/scenarios.js';
const doc = readDoc('scenarios/default.yaml') as Record<string, unknown>;
doc['prices'] = { ETH: { process: 'gbm', drift: 0, volatility: 0.0001 } };
const plan = planSweep(validateScenario(doc, 'x'), 'x', { runs: 6000 });
const r = createSweepRunner(plan);
for (let i = 0; i < 6000; i++) r.run(i);
