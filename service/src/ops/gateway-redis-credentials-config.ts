import { z } from 'zod';
import { ConfigError } from '../config.js';
import { ENV } from '../contract.js';
import { inClusterApiBaseUrl, type SecretRef } from './kubernetes-secret-writer.js';
import { guid, parseEnv } from './ops-env.js';

export interface GatewayRedisCredentialsConfig {
  /** The Secret Kong's rate-limiting plugin reads (created by the Pulumi program, possibly in another namespace). */
  secret: SecretRef;
  /** The Redis user: the job's Entra identity's object id, as Azure Managed Redis names Entra principals. */
  username: string;
  /** The API server, from the variables the kubelet sets in every pod. */
  apiBaseUrl: string;
}

// Kubernetes object names: a Secret's is a DNS subdomain, a namespace's a DNS label.
const dnsSubdomain = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a Kubernetes object name');
const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name');

const schema = z.object({
  [ENV.credentialsSecretName]: dnsSubdomain,
  [ENV.credentialsSecretNamespace]: dnsLabel,
  [ENV.redisUsername]: guid,
});

/** Validates the credentials CronJob's environment; throws a ConfigError listing every problem. */
export function loadGatewayRedisCredentialsConfig(env: NodeJS.ProcessEnv): GatewayRedisCredentialsConfig {
  const problems: string[] = [];
  let e: z.output<typeof schema> | undefined;
  try {
    e = parseEnv(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  let apiBaseUrl: string | undefined;
  try {
    apiBaseUrl = inClusterApiBaseUrl(env);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (!e || apiBaseUrl === undefined) throw new ConfigError(problems);
  return {
    secret: { namespace: e[ENV.credentialsSecretNamespace], name: e[ENV.credentialsSecretName] },
    username: e[ENV.redisUsername],
    apiBaseUrl,
  };
}
