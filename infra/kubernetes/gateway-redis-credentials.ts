import { CronJob, Job } from '@pulumi/kubernetes/batch/v1';
import { Secret } from '@pulumi/kubernetes/core/v1';
import { Role, RoleBinding } from '@pulumi/kubernetes/rbac/v1';
import * as pulumi from '@pulumi/pulumi';
import { ENV, OPERATIONS, WORKLOAD } from '../../service/src/contract';
import { GATEWAY_REDIS_CREDENTIALS_SECRET } from './gateway-routes';
import { operationsJobSpec, operationsPodTemplate } from './operations-pod';
import { workloadServiceAccount } from './workload-service-account';

const { serviceAccount: SERVICE_ACCOUNT, entryPoint: ENTRY_POINT } = OPERATIONS.gatewayRedisCredentials;
export const GATEWAY_REDIS_CREDENTIALS_LABELS = {
  'app.kubernetes.io/name': SERVICE_ACCOUNT,
  'app.kubernetes.io/part-of': WORKLOAD.labels['app.kubernetes.io/part-of'],
} as const;
const CONTAINER = 'redis-credentials';
/** Entra tokens live 60 to 90 minutes: a renewal every 20 minutes leaves two more tries before one expires. */
export const RENEWAL_SCHEDULE = '*/20 * * * *';
/** The projected API token: the only Kubernetes credential of the pod, valid ten minutes, for this container only. */
const API_TOKEN_SECONDS = 600;
const API_CREDENTIALS_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface GatewayRedisCredentialsArgs {
  /** Where the job runs: the gateway's namespace (its identity is the gateway's Redis login). */
  namespace: pulumi.Input<string>;
  /** Where the Secret lives: with the KongPlugin that reads it (the service's namespace). */
  secretNamespace: pulumi.Input<string>;
  image: pulumi.Input<string>;
  clientId: pulumi.Input<string>;
  /** The identity's object id: Azure Managed Redis's user name for its tokens. */
  principalId: pulumi.Input<string>;
  labels: Record<string, string>;
}

/**
 * Kong OSS's rate-limiting plugin takes a Redis user name and password, but Azure Managed Redis (access keys off)
 * takes only Entra tokens, which expire. A CronJob under the gateway's own identity writes a fresh token into the
 * Secret the plugin's configPatches read; the ingress controller pushes the new config to Kong. A Job does the
 * first write at deploy time, so the plugin has a login before the first request. The job may patch that one Secret
 * and nothing else; the service's identity never sees it.
 */
export class GatewayRedisCredentials extends pulumi.ComponentResource {
  readonly secret: Secret;
  readonly initialRun: Job;

  constructor(name: string, args: GatewayRedisCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:GatewayRedisCredentials', name, {}, opts);
    const labels = { ...args.labels, ...GATEWAY_REDIS_CREDENTIALS_LABELS };
    const child = { parent: this };

    const serviceAccount = workloadServiceAccount(
      `${name}-service-account`,
      { name: SERVICE_ACCOUNT, namespace: args.namespace, labels, clientId: args.clientId },
      child,
    );

    // Created empty; the job fills it. Pulumi never writes the token back (it is not in the program, nor in state).
    this.secret = new Secret(
      `${name}-secret`,
      {
        metadata: { name: GATEWAY_REDIS_CREDENTIALS_SECRET, namespace: args.secretNamespace, labels },
        type: 'Opaque',
      },
      { ...child, ignoreChanges: ['data', 'stringData'] },
    );

    const role = new Role(
      `${name}-role`,
      {
        metadata: { name: SERVICE_ACCOUNT, namespace: args.secretNamespace, labels },
        rules: [
          {
            apiGroups: [''],
            resources: ['secrets'],
            resourceNames: [GATEWAY_REDIS_CREDENTIALS_SECRET],
            verbs: ['get', 'patch'],
          },
        ],
      },
      child,
    );
    const binding = new RoleBinding(
      `${name}-role-binding`,
      {
        metadata: { name: SERVICE_ACCOUNT, namespace: args.secretNamespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: SERVICE_ACCOUNT },
        subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: args.namespace }],
      },
      { ...child, dependsOn: [role] },
    );

    const template = operationsPodTemplate({
      image: args.image,
      entryPoint: ENTRY_POINT,
      container: CONTAINER,
      serviceAccount: SERVICE_ACCOUNT,
      env: [
        { name: ENV.redisUsername, value: args.principalId },
        { name: ENV.credentialsSecretName, value: GATEWAY_REDIS_CREDENTIALS_SECRET },
        { name: ENV.credentialsSecretNamespace, value: args.secretNamespace },
      ],
      labels,
      // automountServiceAccountToken stays off: this one container gets a ten-minute token at the standard path.
      volumes: [
        {
          name: 'kube-api-access',
          projected: {
            sources: [
              { serviceAccountToken: { path: 'token', expirationSeconds: API_TOKEN_SECONDS } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            ],
          },
        },
      ],
      volumeMounts: [{ name: 'kube-api-access', mountPath: API_CREDENTIALS_PATH, readOnly: true }],
    });
    const spec = operationsJobSpec(template, CONTAINER);
    const dependsOn = [serviceAccount, this.secret, binding];

    new CronJob(
      `${name}-cronjob`,
      {
        metadata: { name: SERVICE_ACCOUNT, namespace: args.namespace, labels },
        spec: {
          schedule: RENEWAL_SCHEDULE,
          concurrencyPolicy: 'Forbid',
          startingDeadlineSeconds: 300,
          successfulJobsHistoryLimit: 1,
          failedJobsHistoryLimit: 3,
          jobTemplate: { metadata: { labels }, spec: { ...spec, activeDeadlineSeconds: 300 } },
        },
      },
      { ...child, dependsOn },
    );
    this.initialRun = new Job(
      `${name}-initial`,
      {
        metadata: { name: `${SERVICE_ACCOUNT}-initial`, namespace: args.namespace, labels },
        spec: { ...spec, activeDeadlineSeconds: 300 },
      },
      { ...child, dependsOn, deleteBeforeReplace: true },
    );
    this.registerOutputs({});
  }
}
