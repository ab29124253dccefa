// A discrete-event simulation of one chunked run: probe and split (serial, on the coordinator), a pool of W
// workers pulling chunks longest first (the real pool's order, pipeline/process.ts scheduleOrder), then the
// merge (serial, once the last chunk is back). Pure and deterministic: the same scenario gives the same
// schedule; noise, if any, is applied by the caller to the chunks' work.
//
// Each chunk goes through four phases on its worker: queue latency (fixed time) → transfer in (its input
// bytes) → work → transfer out (its encoded bytes). The split chosen is the exact one's shape: each chunk
// fetches its own range of the source, so there is no split phase to wait for beyond `beforeMs`.
// Shared resources are processor-sharing (Kleinrock, Queueing Systems vol. 2, 1976, §4.4):
//   links  every transfer crosses its worker's link and the coordinator's link; with k transfers active at
//          once each moves at min(worker link, coordinator link / k) bytes per ms;
//   cores  with `sharedCores` = C (all workers on one node, as on the measuring machine) and k chunks
//          working with t threads each, each progresses at min(1, C / (k·t)) of full speed (time-sharing);
//          with `sharedCores` = null every worker has its own cores (a cluster slot) and runs at full speed.
// Between events every rate is constant, so the simulation jumps from one phase completion to the next
// (the event list is the set of active phases; the next event is the one that completes first).
export interface DesChunk {
  index: number;
  durationSeconds: number;
  /** Time the chunk takes at full speed (no time-sharing), ms. */
  workMs: number;
  inBytes: number;
  outBytes: number;
}

export interface DesScenario {
  workers: number;
  chunks: readonly DesChunk[];
  /** Serial work before the pool starts (probe, split), ms. */
  beforeMs: number;
  /** Serial work after the last chunk is back (merge), ms. */
  mergeMs: number;
  /** Dispatch delay before each chunk, ms. */
  queueLatencyMs: number;
  /** Bytes per ms of each worker's link; Infinity = transfers are free (local files). */
  workerLinkBytesPerMs: number;
  /** Bytes per ms of the coordinator's link, shared by every transfer; Infinity = not a bottleneck. */
  coordinatorLinkBytesPerMs: number;
  /** Cores of the one node every worker shares, or null when each worker has its own. */
  sharedCores: number | null;
  threadsPerWorker: number;
}

/** What happened to one chunk, ms from the start of the run. */
export interface DesChunkTrace {
  index: number;
  workerId: number;
  startMs: number;
  workStartMs: number;
  workEndMs: number;
  endMs: number;
}

export interface DesResult {
  wallMs: number;
  beforeMs: number;
  /** From the pool's start to the last chunk's return. */
  processMs: number;
  mergeMs: number;
  /** Σ over chunks of time spent in transfers, ms (worker-time, not wall time). */
  transferMs: number;
  chunks: DesChunkTrace[];
}

type Phase = 'queue' | 'in' | 'work' | 'out';
const NEXT: Record<Phase, Phase | null> = { queue: 'in', in: 'work', work: 'out', out: null };

interface Active {
  workerId: number;
  chunk: DesChunk;
  phase: Phase;
  /** ms for queue and work (at full speed), bytes for transfers. */
  remaining: number;
  trace: DesChunkTrace;
}

/** Longest first, ties by index: the real pool's order. */
export function lptOrder<T extends { index: number; durationSeconds: number }>(chunks: readonly T[]): T[] {
  return [...chunks].sort((a, b) => b.durationSeconds - a.durationSeconds || a.index - b.index);
}

function checkScenario(s: DesScenario): void {
  const bad = (name: string, value: number) => new RangeError(`simulate: ${name} must be ${name === 'workers' ? 'a whole number ≥ 1' : 'a finite number ≥ 0'}; received ${value}`);
  if (!(Number.isInteger(s.workers) && s.workers >= 1)) throw bad('workers', s.workers);
  for (const [name, value] of [['beforeMs', s.beforeMs], ['mergeMs', s.mergeMs], ['queueLatencyMs', s.queueLatencyMs]] as const) if (!(Number.isFinite(value) && value >= 0)) throw bad(name, value);
  for (const c of s.chunks) if (!(c.workMs >= 0 && c.inBytes >= 0 && c.outBytes >= 0 && Number.isFinite(c.workMs))) throw new RangeError(`simulate: chunk ${c.index} has a negative or non-finite cost`);
  if (!(s.workerLinkBytesPerMs > 0) || !(s.coordinatorLinkBytesPerMs > 0)) throw new RangeError('simulate: link bandwidths must be > 0 (Infinity for free transfers)');
}

/** Simulates one run; see the module header for the model. */
export function simulate(s: DesScenario): DesResult {
  checkScenario(s);
  const queue = lptOrder(s.chunks);
  const traces: DesChunkTrace[] = [];
  const active: Active[] = [];
  const free = (phase: Phase, chunk: DesChunk): number => {
    if (phase === 'queue') return s.queueLatencyMs;
    if (phase === 'work') return chunk.workMs;
    const bytes = phase === 'in' ? chunk.inBytes : chunk.outBytes;
    return Math.min(s.workerLinkBytesPerMs, s.coordinatorLinkBytesPerMs) === Infinity ? 0 : bytes;
  };
  let now = s.beforeMs;
  let transferMs = 0;

  // moves `a` past every phase that has nothing left; returns false when the chunk is done
  const settle = (a: Active): boolean => {
    while (a.remaining <= 0) {
      if (a.phase === 'work') a.trace.workEndMs = now;
      const next = NEXT[a.phase];
      if (!next) {
        a.trace.endMs = now;
        traces.push(a.trace);
        return false;
      }
      a.phase = next;
      a.remaining = free(next, a.chunk);
      if (next === 'work') a.trace.workStartMs = now;
    }
    return true;
  };
  // a free worker takes the next chunk at once (the order of ids decides ties, as the pool's loop does)
  const take = (workerId: number): void => {
    for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
      const a: Active = { workerId, chunk, phase: 'queue', remaining: s.queueLatencyMs, trace: { index: chunk.index, workerId, startMs: now, workStartMs: now, workEndMs: now, endMs: now } };
      if (settle(a)) {
        active.push(a);
        return;
      }
    }
  };
  for (let w = 0; w < Math.min(s.workers, s.chunks.length); w++) take(w);

  while (active.length) {
    let flows = 0;
    let working = 0;
    for (const a of active) {
      if (a.phase === 'in' || a.phase === 'out') flows++;
      else if (a.phase === 'work') working++;
    }
    const linkRate = Math.min(s.workerLinkBytesPerMs, s.coordinatorLinkBytesPerMs / Math.max(1, flows));
    const workRate = s.sharedCores === null ? 1 : Math.min(1, s.sharedCores / (working * Math.max(1, s.threadsPerWorker)));
    const rate = (a: Active) => (a.phase === 'queue' ? 1 : a.phase === 'work' ? workRate : linkRate);
    let dt = Infinity;
    for (const a of active) dt = Math.min(dt, a.remaining / rate(a));
    now += dt;
    if (flows) transferMs += dt * flows;
    const done: number[] = [];
    for (const a of active) {
      const left = a.remaining - rate(a) * dt;
      // the phase(s) that set dt end now; float residue below a nanosecond's worth is an end too
      a.remaining = left <= 1e-9 * Math.max(1, a.remaining) ? 0 : left;
      if (a.remaining === 0 && !settle(a)) done.push(a.workerId);
    }
    for (let i = active.length - 1; i >= 0; i--) if (done.includes(active[i]?.workerId ?? -1)) active.splice(i, 1);
    for (const workerId of done.sort((x, y) => x - y)) take(workerId);
  }
  const lastEnd = traces.reduce((m, t) => Math.max(m, t.endMs), s.beforeMs);
  return {
    wallMs: lastEnd + s.mergeMs,
    beforeMs: s.beforeMs,
    processMs: lastEnd - s.beforeMs,
    mergeMs: s.mergeMs,
    transferMs,
    chunks: traces.sort((a, b) => a.index - b.index),
  };
}
