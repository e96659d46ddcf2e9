import { ManagementLockByScope } from '@pulumi/azure-native/authorization';
import * as pulumi from '@pulumi/pulumi';

/**
 * The resources that hold data no `pulumi up` can recreate: the Postgres server (the MCP data), the Key Vault
 * (generated passwords; purge protection keeps a deleted vault's name for its retention, not its use) and the
 * Managed Redis cluster (the gateway's rate-limit counters and the service's shared state). A replace or a `pulumi destroy` of one of them is always a
 * mistake or an operation someone must decide on with `pulumi state unprotect`.
 */
export const DATA_STORE_TYPES: readonly string[] = [
  'azure-native:dbforpostgresql:Server',
  'azure-native:keyvault:Vault',
  'azure-native:redisenterprise:RedisEnterprise',
];

/**
 * Collects the data stores built inside the components it is given to (`transformations`), marks each `protect`, and
 * in prod adds an ARM `CanNotDelete` lock on each, which also stops deletion from the portal, the CLI or another
 * pipeline (Pulumi's `protect` only binds Pulumi). Locks need Owner or User Access Administrator to manage.
 */
export class DataStoreProtection {
  private readonly stores: { name: string; resource: pulumi.CustomResource }[] = [];

  /** A transformation for the components that own data stores: marks them protected and remembers them. */
  readonly transformation: pulumi.ResourceTransformation = (args) => {
    if (!DATA_STORE_TYPES.includes(args.type)) return undefined;
    this.stores.push({ name: args.name, resource: args.resource as pulumi.CustomResource });
    return { props: args.props, opts: pulumi.mergeOptions(args.opts, { protect: true }) };
  };

  /** One `CanNotDelete` lock per collected data store, scoped to it. Call after the components are built. */
  lockAll(parent?: pulumi.Resource): ManagementLockByScope[] {
    return this.stores.map(
      ({ name, resource }) =>
        new ManagementLockByScope(
          `${name}-lock`,
          {
            // locks.json (2020-05-01): at most 260 characters, none of < > % & : \ ? / or control characters.
            lockName: 'do-not-delete',
            level: 'CanNotDelete',
            notes: 'Holds data Pulumi cannot recreate. Remove the lock on purpose before deleting (docs/infra.md).',
            scope: resource.id,
          },
          { ...(parent ? { parent } : {}), dependsOn: [resource] },
        ),
    );
  }
}
