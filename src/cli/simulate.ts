// `tsx src/cli/simulate.ts …` is `chunkbench simulate …` run from source (as the tests and scripts do).
import { main } from './main.ts';

await main(['simulate', ...process.argv.slice(2)]);
