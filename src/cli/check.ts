// `tsx src/cli/check.ts …` is `chunkbench check …` run from source (as the tests and scripts do).
import { main } from './main.ts';

await main(['check', ...process.argv.slice(2)]);
