// Camera-like inputs, second half (see camera.ts): NTSC 30, MPEG-TS, a rotated phone clip, a camera MOV.
import { cameraSuite } from './camera.ts';

cameraSuite(['cam-gop12', 'cam-ntsc30', 'cam-pal-ts', 'cam-rotated', 'cam-mov']);
