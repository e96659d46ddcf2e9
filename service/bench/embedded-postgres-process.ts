/**
 * The embedded Postgres (PGlite over the wire protocol) in its own process, for machines without a Postgres server.
 * Prints {"connectionString", "maxConnections"} on one line. In memory: nothing is kept between runs.
 */
import { startEmbeddedPostgres } from '../src/data/embedded-postgres.js';
import { announce, exitWithParent } from './lifeline.js';

async function main(): Promise<void> {
  const database = await startEmbeddedPostgres();
  exitWithParent(() => database.close());
  announce({ connectionString: database.connectionString, maxConnections: database.maxConnections });
}

main().catch((error: unknown) => {
  process.stderr.write(`embedded postgres failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
