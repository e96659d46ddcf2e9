/**
 * The load generator in its own process (no server shares its event loop): autocannon against one URL, a warm-up
 * first, then the measured run. Takes a LoadSpec as JSON in argv[2]; prints a LoadResult as one JSON line.
 */
import autocannon from 'autocannon';
import { announce, exitWithParent } from './lifeline.js';
import type { LoadResult, LoadSpec } from './load.js';
import { isGoodAnswerBody } from './mcp-call.js';

const SETTLE_TIMEOUT_MS = 120_000;

async function main(): Promise<void> {
  exitWithParent();
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  const options = (seconds: number): autocannon.Options => ({
    url: spec.url,
    method: 'POST',
    connections: spec.connections,
    duration: seconds,
    headers: spec.headers,
    // Several bodies: each connection sends them in turn (the soak's mixed load).
    ...(spec.bodies.length === 1 ? { body: spec.bodies[0] } : { requests: spec.bodies.map((body) => ({ body })) }),
    // autocannon collects every body as a string (its types allow more).
    verifyBody: (body) => isGoodAnswerBody(String(body)),
  });
  // autocannon drops its connections at the end of a run, but the server still works off what they had asked: one
  // more request, answered only after those (the tenant's connections serve in turn), keeps that backlog out of the
  // measured run and out of the next scenario.
  const settle = () =>
    fetch(spec.url, {
      method: 'POST',
      headers: spec.headers,
      body: spec.bodies[0],
      signal: AbortSignal.timeout(SETTLE_TIMEOUT_MS),
    }).then((response) => response.arrayBuffer());
  if (spec.warmupSeconds > 0) {
    await autocannon(options(spec.warmupSeconds));
    await settle();
  }
  const result = await autocannon(options(spec.seconds));
  await settle();
  const outcome: LoadResult = {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    badAnswers: result.mismatches,
  };
  announce({ ...outcome });
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`load failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
