// A small entry point for CPU profiles of one bench scenario (not run by `pnpm bench`):
//   node --cpu-prof --cpu-prof-dir out/bench/prof --import tsx bench/profile.ts [file] [runs]
// builds the model once, then runs it `runs` times (default 5) on one runner.
import { createRunner } from '@contagion/sim';
import { timeMs } from './lib/measure.js';
import { CASCADE_FILE, loadBench } from './lib/scenarios.js';

const file = process.argv[2] ?? CASCADE_FILE;
const runs = Number(process.argv[3] ?? 5);
const built = loadBench(file);
const runner = createRunner(built.model);
for (let i = 0; i < runs; i++) {
  let liquidations = 0;
  const ms = timeMs(() => {
    liquidations = runner.run({ record: true }).summary.liquidations.count;
  });
  process.stdout.write(`run ${i}: ${ms.toFixed(1)} ms, ${liquidations} liquidations\n`);
}
