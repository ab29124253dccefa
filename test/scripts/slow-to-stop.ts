// A CLI that is slow to stop: it starts a long ffmpeg (not tied to the abort signal) and a work directory
// under the given parent, then waits. Only the second Ctrl-C can end it: the test of "exits at once".
import { resolveBinaries } from '../../src/ffmpeg/binaries.ts';
import { runProcess } from '../../src/ffmpeg/exec.ts';
import { createWorkDir } from '../../src/pipeline/workdirs.ts';
import { interruptController } from '../../src/cli/common.ts';

const parent = process.argv[2] ?? '/tmp';
interruptController();
const dir = createWorkDir(parent);
const { ffmpeg } = await resolveBinaries();
process.stderr.write(`started in ${dir}\n`);
await runProcess(ffmpeg.path, ['-hide_banner', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=30', '-t', '600', '-f', 'null', `${dir}/null`]);
