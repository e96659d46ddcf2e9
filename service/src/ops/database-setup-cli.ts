/**
 * `node dist/ops/database-setup-cli.js`: the Kubernetes Job that runs before a new service version serves, under its
 * own Entra identity (an Entra administrator of the server, never the serving workload's). Exit codes: 0 done,
 * 1 failed, 2 invalid configuration.
 */

import { runDatabaseSetup } from './database-setup.js';
import { loadDatabaseSetupConfig } from './database-setup-config.js';
import { createOpsLogger } from './ops-log.js';
import { runOperation } from './run-operation.js';

const log = createOpsLogger();
process.exitCode = await runOperation({
  name: 'database setup',
  log,
  loadConfig: () => loadDatabaseSetupConfig(process.env),
  run: (config) => runDatabaseSetup(config, { log }),
});
