import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { loadConfig } from '../../../src/config.js';
import { ENV, PATHS } from '../../../src/contract.js';
import { type RunningService, startService } from '../../../src/start-service.js';

export interface ResourceServer {
  mcpUrl: string;
  service: RunningService;
  close(): Promise<void>;
}

/**
 * The MCP server as production wires it (startService), trusting one issuer: the authorization server under test.
 * Its keys are discovered from that issuer's metadata, as in a deployment; Redis is used when REDIS_URL is set.
 */
export async function startResourceServer(options: {
  port: number;
  issuer: string;
  databaseUrl: string;
  /** A pool to share (the embedded database has a single session); else the service builds its own. */
  pool?: pg.Pool;
}): Promise<ResourceServer> {
  const mcpUrl = `http://127.0.0.1:${options.port}${PATHS.mcp}`;
  const secretsDir = await mkdtemp(join(tmpdir(), 'mcp-e2e-secrets-'));
  const redisUrl = process.env[ENV.redisUrl];
  try {
    const config = loadConfig({
      [ENV.port]: String(options.port),
      [ENV.host]: '127.0.0.1',
      [ENV.metricsPort]: '0',
      [ENV.logLevel]: 'silent',
      [ENV.resourceUrl]: mcpUrl,
      [ENV.issuers]: options.issuer,
      [ENV.databaseUrl]: options.databaseUrl,
      [ENV.secretsDir]: secretsDir,
      ...(redisUrl ? { [ENV.redisUrl]: redisUrl } : {}),
    });
    const service = await startService(config, { pool: options.pool });
    return {
      mcpUrl,
      service,
      async close() {
        await service.stop();
        await rm(secretsDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(secretsDir, { recursive: true, force: true });
    throw error;
  }
}
