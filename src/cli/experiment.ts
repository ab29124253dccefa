// `tsx src/cli/experiment.ts …` is `chunkbench experiment …` run from source (as the tests and scripts do).
import { main } from './main.ts';

await main(['experiment', ...process.argv.slice(2)]);
