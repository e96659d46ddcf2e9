import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV, PATHS, SERVICE_NODE_OPTIONS } from '../src/contract.js';
import type { BenchDatabase } from './backends.js';
import { freePort } from './ports.js';
import { type Child, type Placement, residentBytes, spawnJavaScript, waitForOk } from './processes.js';

const SERVICE_DIR = fileURLToPath(new URL('..', import.meta.url));
const ENTRY_POINT = join(SERVICE_DIR, 'dist', 'main.js');
const READY_TIMEOUT_MS = 30_000;
const PORT_ATTEMPTS = 3;

export interface ServiceProcess {
  child: Child;
  /** The MCP endpoint, also the resource URL (the token audience). */
  mcpUrl: string;
  /** From spawn to the first 200 of GET /ready. */
  readyMs: number;
  /** Resident memory at that moment: what the modules cost before any request. */
  readyRss?: number;
}

/** tsc into service/dist, so what is measured is the current production build. */
export function buildService(): void {
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: SERVICE_DIR, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run build failed (${result.status ?? result.signal})`);
}

/**
 * `node dist/main.js` with a production configuration: only what the bench must set, everything else at its
 * default. No DATABASE_MIGRATION_URL: migrations ran before, and start-up time excludes them (as in production,
 * where a Job runs them).
 */
export async function startServiceProcess(options: {
  database: BenchDatabase;
  redisUrl?: string;
  issuer: string;
  placement?: Placement;
}): Promise<ServiceProcess> {
  const secretsDir = await mkdtemp(join(tmpdir(), 'mcp-bench-secrets-'));
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const mcpUrl = `${baseUrl}${PATHS.mcp}`;
    const env: Record<string, string> = {
      [ENV.port]: String(port),
      [ENV.host]: '127.0.0.1',
      // Any free port: the bench does not scrape it.
      [ENV.metricsPort]: '0',
      [ENV.metricsHost]: '127.0.0.1',
      [ENV.resourceUrl]: mcpUrl,
      [ENV.issuers]: options.issuer,
      [ENV.databaseUrl]: options.database.appUrl,
      ...(options.database.poolMax === undefined ? {} : { [ENV.databasePoolMax]: String(options.database.poolMax) }),
      ...(options.redisUrl ? { [ENV.redisUrl]: options.redisUrl } : {}),
      [ENV.logLevel]: 'warn',
      [ENV.secretsDir]: secretsDir,
      // The bench measures the stack, not the limiter refusing its one caller (the limiter still runs per request).
      [ENV.rateLimitUser]: '1000000000/60',
      [ENV.rateLimitTenant]: '1000000000/60',
      // Stop at once when the bench is done; draining is for rollouts.
      [ENV.drainSeconds]: '0',
      // As its container runs it (infra/kubernetes/service-environment.ts).
      [ENV.nodeOptions]: SERVICE_NODE_OPTIONS,
    };
    const startedAt = performance.now();
    const child = spawnJavaScript('service', ENTRY_POINT, env, options.placement);
    try {
      const readyMs = await waitForOk(child, `${baseUrl}${PATHS.ready}`, startedAt, READY_TIMEOUT_MS);
      return { child, mcpUrl, readyMs, readyRss: residentBytes(child.pid) };
    } catch (error) {
      await child.stop();
      // The port was free when picked; another process may have taken it since.
      if (attempt < PORT_ATTEMPTS && child.tail().includes('EADDRINUSE')) continue;
      throw error;
    }
  }
}
