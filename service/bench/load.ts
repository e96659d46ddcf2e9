import { spawnTypeScript } from './processes.js';

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  headers: Record<string, string>;
  bodies: string[];
}

export interface LoadResult {
  /** Mean of autocannon's per-second samples. */
  requestsPerSecond: number;
  /** Of the answered requests only: those still unanswered when the run ends are in neither. */
  p50Ms: number;
  p99Ms: number;
  /** Answered within the run. */
  requests: number;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  /** Answers without a JSON-RPC result, or with a tool error (isError). */
  badAnswers: number;
}

/** Runs load-process.ts with `spec` and waits for its figures. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = spawnTypeScript('load generator', 'load-process.ts', [JSON.stringify(spec)]);
  try {
    return await child.nextJson<LoadResult>((spec.warmupSeconds + spec.seconds) * 1000 + 300_000);
  } finally {
    await child.stop();
  }
}
