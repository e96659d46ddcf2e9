import { CronJob, Job } from '@pulumi/kubernetes/batch/v1';
import * as pulumi from '@pulumi/pulumi';
import { ENV, OPERATIONS, WORKLOAD } from '../../service/src/contract';
import { operationsJobSpec, operationsPodTemplate } from './operations-pod';
import { workloadServiceAccount } from './workload-service-account';

const { serviceAccount: SERVICE_ACCOUNT, entryPoint: ENTRY_POINT } = OPERATIONS.authorizationServerKeys;
/** Pod labels of the key Job and CronJob: their NetworkPolicy selects on them (never on the servers'). */
export const AUTHORIZATION_SERVER_KEYS_LABELS = {
  'app.kubernetes.io/name': SERVICE_ACCOUNT,
  'app.kubernetes.io/part-of': WORKLOAD.labels['app.kubernetes.io/part-of'],
} as const;
export const AUTHORIZATION_SERVER_KEYS_CONTAINER = 'authorization-server-keys';
/** Daily, off the hour: the job only adds or retires a key when one is due, so most runs change nothing. */
export const KEY_ROTATION_SCHEDULE = '17 3 * * *';
/**
 * Retries of the deploy-time run: its Key Vault grant may still be propagating on a stack's first deployment.
 * Kubernetes backs off 10 s, 20 s, ... 320 s: six retries wait about ten minutes, inside the Job's deadline.
 */
export const INITIAL_RUN_BACKOFF_LIMIT = 6;

export interface AuthorizationServerKeysArgs {
  namespace: pulumi.Input<string>;
  image: pulumi.Input<string>;
  /** The service image's digest: one deploy-time run per version, before that version's authorization server. */
  imageDigest: string;
  /** The key Job's own identity: Key Vault Secrets Officer, the only writer of the key secrets. */
  clientId: pulumi.Input<string>;
  keyVaultUrl: pulumi.Input<string>;
  labels: Record<string, string>;
}

/**
 * The authorization server's signing and cookie keys in Key Vault (SECRET_NAMES.authorizationServer*Keys), created
 * when missing and rotated when due by OPERATIONS.authorizationServerKeys, so private keys never pass through the
 * Pulumi program or its state. A Job runs at each deployment (the authorization server's pods wait for it: they need
 * the keys to start) and a CronJob daily; the command is idempotent, so either may run any number of times.
 */
export class AuthorizationServerKeys extends pulumi.ComponentResource {
  readonly initialRun: Job;

  constructor(name: string, args: AuthorizationServerKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:AuthorizationServerKeys', name, {}, opts);
    const labels = { ...args.labels, ...AUTHORIZATION_SERVER_KEYS_LABELS };
    const child = { parent: this };

    const serviceAccount = workloadServiceAccount(
      `${name}-service-account`,
      { name: SERVICE_ACCOUNT, namespace: args.namespace, labels, clientId: args.clientId },
      child,
    );

    const template = operationsPodTemplate({
      image: args.image,
      entryPoint: ENTRY_POINT,
      container: AUTHORIZATION_SERVER_KEYS_CONTAINER,
      serviceAccount: SERVICE_ACCOUNT,
      env: [
        { name: ENV.keyVaultUrl, value: args.keyVaultUrl },
        { name: ENV.logLevel, value: 'info' },
      ],
      labels,
    });
    const spec = operationsJobSpec(template, AUTHORIZATION_SERVER_KEYS_CONTAINER);

    new CronJob(
      `${name}-cronjob`,
      {
        metadata: { name: SERVICE_ACCOUNT, namespace: args.namespace, labels },
        spec: {
          schedule: KEY_ROTATION_SCHEDULE,
          timeZone: 'Etc/UTC',
          concurrencyPolicy: 'Forbid',
          startingDeadlineSeconds: 3600,
          successfulJobsHistoryLimit: 1,
          failedJobsHistoryLimit: 3,
          jobTemplate: { metadata: { labels }, spec },
        },
      },
      { ...child, dependsOn: [serviceAccount] },
    );
    this.initialRun = new Job(
      `${name}-job`,
      {
        metadata: {
          name: `${SERVICE_ACCOUNT}-${args.imageDigest.replace('sha256:', '').slice(0, 12)}`,
          namespace: args.namespace,
          labels,
        },
        spec: { ...spec, backoffLimit: INITIAL_RUN_BACKOFF_LIMIT },
      },
      // A Job is immutable: a changed environment replaces it, deleting the old one first (same name).
      { ...child, dependsOn: [serviceAccount], deleteBeforeReplace: true },
    );
    this.registerOutputs({});
  }
}
