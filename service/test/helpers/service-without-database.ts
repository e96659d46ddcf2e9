import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { ENV, PATHS } from '../../src/contract.js';
import { type RunningService, type StartServiceOptions, startService } from '../../src/start-service.js';
import { freePort } from './free-port.js';
import { createTestIssuer, type TestIssuer } from './test-issuer.js';

export interface ServiceWithoutDatabase {
  service: RunningService;
  issuer: TestIssuer;
  /** The MCP endpoint (and resource URL). */
  mcpUrl: string;
  baseUrl: string;
  close(): Promise<void>;
}

/** The production wiring whose database is a closed port: how the service behaves during a database outage. */
export async function startServiceWithoutDatabase(options: StartServiceOptions = {}): Promise<ServiceWithoutDatabase> {
  const port = await freePort();
  const deadPort = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const mcpUrl = `${baseUrl}${PATHS.mcp}`;
  const issuer = await createTestIssuer({ audience: mcpUrl });
  try {
    const service = await startService(
      loadConfig({
        [ENV.port]: String(port),
        [ENV.host]: '127.0.0.1',
        [ENV.metricsPort]: '0',
        [ENV.logLevel]: 'silent',
        [ENV.resourceUrl]: mcpUrl,
        [ENV.issuers]: issuer.issuer,
        [ENV.databaseUrl]: `postgres://mcp_app@127.0.0.1:${deadPort}/mcp`,
        [ENV.secretsDir]: mkdtempSync(join(tmpdir(), 'mcp-secrets-')),
      }),
      options,
    );
    return {
      service,
      issuer,
      mcpUrl,
      baseUrl,
      async close() {
        await service.stop();
        await issuer.close();
      },
    };
  } catch (error) {
    await issuer.close();
    throw error;
  }
}
