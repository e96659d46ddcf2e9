import { Job } from '@pulumi/kubernetes/batch/v1';
import * as pulumi from '@pulumi/pulumi';
import { DATABASE, ENV, OPERATIONS, SECRETS_MOUNT_PATH, WORKLOAD } from '../../service/src/contract';
import { operationsJobSpec, operationsPodTemplate } from './operations-pod';
import { secretsStoreMount } from './secrets-store';
import type { EnvVar } from './service-environment';
import { workloadServiceAccount } from './workload-service-account';

/** Pod labels of the setup Job: its NetworkPolicy selects on them (never on the service's). */
export const DATABASE_SETUP_LABELS = {
  'app.kubernetes.io/name': OPERATIONS.databaseSetup.serviceAccount,
  'app.kubernetes.io/part-of': WORKLOAD.labels['app.kubernetes.io/part-of'],
} as const;
export const DATABASE_SETUP_CONTAINER = 'db-setup';

export interface DatabaseSetupArgs {
  namespace: pulumi.Input<string>;
  image: pulumi.Input<string>;
  /** The image digest: one Job per version, so a new version runs its migrations before it serves. */
  imageDigest: string;
  /** The setup identity (a Postgres Entra administrator): its client id and login name. */
  clientId: pulumi.Input<string>;
  loginName: pulumi.Input<string>;
  postgresHost: pulumi.Input<string>;
  /** With Entra auth for the service: the workload identity's login to create (member of DATABASE.appRole). */
  workloadLogin?: { login: string; objectId: pulumi.Input<string> };
  /** With Entra auth and the authorization server: its own login to create (member of DATABASE.appRole too). */
  authorizationServerLogin?: { login: string; objectId: pulumi.Input<string> };
  /** With password auth: the class that mounts the app role's password, which the migrations set. */
  secretProviderClass?: string;
  labels: Record<string, string>;
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** The Job's environment: the owner's URL (Entra token as password), and the Entra logins to create. */
export function databaseSetupEnvironment(args: DatabaseSetupArgs): EnvVar[] {
  return [
    {
      name: ENV.databaseMigrationUrl,
      value: pulumi.interpolate`postgres://${args.loginName}@${args.postgresHost}:5432/${DATABASE.name}?sslmode=verify-full`,
    },
    { name: ENV.databaseAuth, value: 'entra' },
    ...(args.secretProviderClass ? [{ name: ENV.secretsDir, value: SECRETS_MOUNT_PATH }] : []),
    ...(args.workloadLogin
      ? [
          { name: ENV.databaseWorkloadLogin, value: args.workloadLogin.login },
          { name: ENV.databaseWorkloadObjectId, value: args.workloadLogin.objectId },
        ]
      : []),
    ...(args.authorizationServerLogin
      ? [
          { name: ENV.databaseAuthorizationServerLogin, value: args.authorizationServerLogin.login },
          { name: ENV.databaseAuthorizationServerObjectId, value: args.authorizationServerLogin.objectId },
        ]
      : []),
  ];
}

/**
 * Migrations before a new version serves, as a Job rather than an init container: only this Job's identity owns the
 * tables and may create roles, so no serving pod ever holds those rights, and the migrations run once per version,
 * not once per pod. The Deployment depends on it; Pulumi waits for it to succeed (a failure stops the rollout with
 * the old version still serving). The same run creates the workload identity's Postgres login where the service
 * signs in with Entra tokens (pgaadauth_create_principal_with_oid + GRANT of the app role), so no one does it by hand.
 */
export class DatabaseSetup extends pulumi.ComponentResource {
  readonly job: Job;

  constructor(name: string, args: DatabaseSetupArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:DatabaseSetup', name, {}, opts);
    const labels = { ...args.labels, ...DATABASE_SETUP_LABELS };
    const serviceAccount = workloadServiceAccount(
      `${name}-service-account`,
      { name: OPERATIONS.databaseSetup.serviceAccount, namespace: args.namespace, labels, clientId: args.clientId },
      { parent: this },
    );
    const secrets = secretsStoreMount(args.secretProviderClass);
    const template = operationsPodTemplate({
      image: args.image,
      entryPoint: OPERATIONS.databaseSetup.entryPoint,
      container: DATABASE_SETUP_CONTAINER,
      serviceAccount: OPERATIONS.databaseSetup.serviceAccount,
      env: databaseSetupEnvironment(args),
      labels,
      ...secrets,
    });
    this.job = new Job(
      `${name}-job`,
      {
        metadata: {
          name: `${OPERATIONS.databaseSetup.serviceAccount}-${args.imageDigest.replace('sha256:', '').slice(0, 12)}`,
          namespace: args.namespace,
          labels,
        },
        spec: operationsJobSpec(template, DATABASE_SETUP_CONTAINER),
      },
      // A Job is immutable: a changed environment replaces it, deleting the old one first (same name).
      { parent: this, dependsOn: [serviceAccount, ...args.dependsOn], deleteBeforeReplace: true },
    );
    this.registerOutputs({});
  }
}
