import { type LoadResult, type LoadSpec, runLoad } from './load.js';
import { residentBytes } from './processes.js';

const SAMPLE_EVERY_MS = 30_000;

export interface SoakOutcome {
  load: LoadResult;
  /** RSS of the service, at the start, every 30 s under load, and after it. */
  samples: Array<{ atSeconds: number; bytes: number }>;
}

/** Keeps `spec`'s load on the service for its duration, reading the service's RSS every 30 s. */
export async function soak(
  spec: LoadSpec,
  pid: number,
  onSample: (atSeconds: number, bytes: number) => void,
): Promise<SoakOutcome> {
  const samples: SoakOutcome['samples'] = [];
  const started = performance.now();
  const sample = () => {
    const bytes = residentBytes(pid);
    if (bytes === undefined) return;
    const atSeconds = Math.round((performance.now() - started) / 1000);
    samples.push({ atSeconds, bytes });
    onSample(atSeconds, bytes);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  try {
    const load = await runLoad(spec);
    sample();
    return { load, samples };
  } finally {
    clearInterval(timer);
  }
}

/** The first sample under load (30 s in; the start when the soak was shorter) and the last one. */
export function soakEnds(samples: SoakOutcome['samples']): { firstBytes: number; lastBytes: number } | undefined {
  const first = samples.length >= 3 ? samples[1] : samples[0];
  const last = samples.at(-1);
  return first && last ? { firstBytes: first.bytes, lastBytes: last.bytes } : undefined;
}
