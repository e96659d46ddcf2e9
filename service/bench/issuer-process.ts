/**
 * The development issuer in its own process: serves its metadata and JWKS to the service and mints tokens. Prints
 * {"issuer"} once it listens, then answers each line of MintClaims JSON on stdin with {"token"}.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type MintClaims, startDevIssuer } from '../src/dev/dev-issuer.js';
import { announce, exitWithParent } from './lifeline.js';

async function main(): Promise<void> {
  // A fresh key per run: the developer's own issuer key (service/.data) is not touched.
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-bench-issuer-'));
  const issuer = await startDevIssuer({ mode: 'development', host: '127.0.0.1', port: 0, dataDir });
  exitWithParent(async () => {
    await issuer.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  createInterface({ input: process.stdin }).on('line', (line) => {
    issuer.mintAccessToken(JSON.parse(line) as MintClaims).then(
      (token) => announce({ token }),
      (error: unknown) => announce({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
  announce({ issuer: issuer.issuer });
}

main().catch((error: unknown) => {
  process.stderr.write(`issuer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
