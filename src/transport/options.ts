// The coordinator's transport flags, shared by the CLIs that start a queue executor, and their resolution
// into a transport: flags → checks (one line naming the flag) → a started data plane, or the shared one.
import type { Binaries } from '../ffmpeg/binaries.ts';
import { ChunkbenchError } from '../errors.ts';
import { DEFAULT_MAX_UPLOAD_BYTES, TRANSPORTS, type CoordinatorTransport, type TransportKind } from './types.ts';

const MB = 1024 * 1024;

/** yargs options: `--transport shared|http` and the http data plane's address, URL and upload cap. */
export const TRANSPORT_FLAGS = {
  transport: { type: 'string', choices: TRANSPORTS, default: 'shared', describe: 'With --executor queue, how chunks reach the workers: shared (they see this machine\'s paths) or http (this process serves inputs and takes outputs over HTTP; workers share nothing but the network)' },
  'transport-listen': { type: 'string', describe: 'With --transport http: HOST[:PORT] the data plane listens on (default 127.0.0.1 on a free port; an address other workers reach is warned about)' },
  'transport-url': { type: 'string', describe: 'With --transport http: the URL workers reach the data plane at (default http://HOST:PORT of --transport-listen; required for 0.0.0.0)' },
  'max-upload-mb': { type: 'number', describe: `With --transport http: the largest chunk upload accepted, MiB (default ${DEFAULT_MAX_UPLOAD_BYTES / MB})` },
} as const;

export interface TransportArgs {
  transport?: string | undefined;
  'transport-listen'?: string | undefined;
  'transport-url'?: string | undefined;
  'max-upload-mb'?: number | undefined;
}

/** The transport the flags ask for: undefined for shared (the executor's default), else a started http
 * data plane (the executor closes it). */
export async function transportFromArgs(args: TransportArgs, binaries: () => Promise<Binaries>, log: (line: string) => void): Promise<CoordinatorTransport | undefined> {
  const kind = (args.transport ?? 'shared') as TransportKind;
  const httpOnly = (['transport-listen', 'transport-url', 'max-upload-mb'] as const).filter((flag) => args[flag] !== undefined);
  if (kind !== 'http') {
    if (httpOnly.length) throw new ChunkbenchError(`--${httpOnly[0]} is only used with --transport http`);
    return undefined;
  }
  const mb = args['max-upload-mb'];
  if (mb !== undefined && !(Number.isFinite(mb) && mb > 0)) throw new ChunkbenchError(`--max-upload-mb must be a number of MiB > 0, got ${mb}`);
  const url = args['transport-url'];
  if (url !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(url)) throw new ChunkbenchError(`--transport-url must be http://HOST:PORT or https://HOST:PORT (no path), got '${url}'`);
  const { startHttpTransport } = await import('./httpServer.ts');
  return startHttpTransport({
    binaries: await binaries(),
    log,
    ...(args['transport-listen'] !== undefined ? { listen: args['transport-listen'] } : {}),
    ...(url !== undefined ? { advertiseUrl: url } : {}),
    ...(mb !== undefined ? { maxUploadBytes: Math.round(mb * MB) } : {}),
  });
}
