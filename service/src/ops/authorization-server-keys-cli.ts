/**
 * `node dist/ops/authorization-server-keys-cli.js`: the CronJob that creates and rotates the authorization server's
 * signing and cookie keys in Key Vault, under its own Entra identity, so private keys never pass through the Pulumi
 * program or its state. Exit codes: 0 done (written, or nothing to do), 1 failed (each secret is written whole or
 * not at all; a failure stops before the next write, and the next run completes it), 2 invalid configuration.
 */
import { runAuthorizationServerKeys } from './authorization-server-keys.js';
import { loadAuthorizationServerKeysConfig } from './authorization-server-keys-config.js';
import { createOpsLogger } from './ops-log.js';
import { runOperation } from './run-operation.js';

const log = createOpsLogger();
process.exitCode = await runOperation({
  name: 'authorization server keys',
  log,
  loadConfig: () => loadAuthorizationServerKeysConfig(process.env),
  run: (config) => runAuthorizationServerKeys(config, { log }),
});
