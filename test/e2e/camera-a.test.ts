// Camera-like inputs, first half (see camera.ts): odd start times, NTSC rates, open GOPs, an edit list.
import { cameraSuite } from './camera.ts';

cameraSuite(['cam-offset', 'cam-odd-offset', 'cam-ntsc24', 'cam-editlist']);
