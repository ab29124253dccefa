// `tsx src/cli/report.ts …` is `chunkbench report …` run from source (as the tests and scripts do).
import { main } from './main.ts';

await main(['report', ...process.argv.slice(2)]);
