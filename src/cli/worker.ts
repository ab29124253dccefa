// `tsx src/cli/worker.ts …` is `chunkbench worker …` run from source (as the tests and scripts do).
import { main } from './main.ts';

await main(['worker', ...process.argv.slice(2)]);
