// `tsx src/cli/pipeline.ts …` is `chunkbench pipeline …` run from source (as the tests and scripts do).
import { main } from './main.ts';

await main(['pipeline', ...process.argv.slice(2)]);
