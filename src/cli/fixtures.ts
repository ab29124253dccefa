// `tsx src/cli/fixtures.ts …` is `chunkbench fixtures …` run from source (as the tests and scripts do).
import { main } from './main.ts';

await main(['fixtures', ...process.argv.slice(2)]);
