/**
 * `node dist/ops/gateway-redis-credentials-cli.js`: the CronJob that keeps Kong's Redis credentials (an Entra token
 * of the job's own identity) fresh in a Kubernetes Secret. Exit codes: 0 written, 1 failed, 2 invalid configuration.
 */
import { workloadIdentityCredential } from '../secrets/workload-identity-credential.js';
import { renewGatewayRedisCredentials } from './gateway-redis-credentials.js';
import { loadGatewayRedisCredentialsConfig } from './gateway-redis-credentials-config.js';
import { createOpsLogger } from './ops-log.js';
import { runOperation } from './run-operation.js';

const log = createOpsLogger();
process.exitCode = await runOperation({
  name: 'gateway redis credentials',
  log,
  loadConfig: () => loadGatewayRedisCredentialsConfig(process.env),
  run: (config) => renewGatewayRedisCredentials(config, { credential: workloadIdentityCredential(), log }),
});
