import { AdministratorsMicrosoftEntra, Configuration, Database, Server } from '@pulumi/azure-native/dbforpostgresql';
import * as pulumi from '@pulumi/pulumi';
import { DATABASE } from '../../service/src/contract';
import type { PostgresProfile } from '../../stacks';
import { createDiagnosticSetting } from './diagnostic-setting';
import type { TagMap } from './tags';

export interface PostgresArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  tenantId: pulumi.Input<string>;
  serverName: pulumi.Input<string>;
  databaseName: string;
  profile: PostgresProfile;
  delegatedSubnetId: pulumi.Input<string>;
  /** Must already be linked to the VNet (the Network component's zone id output carries that dependency). */
  privateDnsZoneId: pulumi.Input<string>;
  /** Used only when the profile keeps password authentication (a generated secret from Key Vault). */
  administratorPassword?: pulumi.Input<string>;
  entraAdministrator: PostgresEntraAdministrator;
  /** Further Entra administrators: managed identities of jobs that create roles (the database setup Job). */
  additionalAdministrators?: PostgresEntraAdministrator[];
  workspaceId: pulumi.Input<string>;
  tags: TagMap;
}

export interface PostgresEntraAdministrator {
  objectId: pulumi.Input<string>;
  /** The login name: for a managed identity, its resource name (what its tokens log in as). */
  principalName: pulumi.Input<string>;
  principalType: 'user' | 'group' | 'servicePrincipal';
}

/** The administrator login name when password authentication exists (Entra admins log in by their own name). */
export const POSTGRES_ADMIN_LOGIN = 'mcpadmin';

/** Server parameters that make TLS mandatory and log every session for the audit trail. */
export const POSTGRES_SERVER_PARAMETERS: Readonly<Record<string, string>> = {
  require_secure_transport: 'on',
  ssl_min_protocol_version: 'TLSv1.2',
  log_connections: 'on',
  log_disconnections: 'on',
  'connection_throttle.enable': 'on',
  // Only the extensions the migrations create (service/migrations), upper case as the server lists them.
  'azure.extensions': DATABASE.extensions.map((extension) => extension.toUpperCase()).join(','),
};

/**
 * Postgres Flexible Server with private access only (delegated subnet + private DNS zone), TLS 1.2+ required,
 * Entra ID authentication (password authentication only where the profile keeps it), backups and HA per profile,
 * and the service's database.
 */
export class Postgres extends pulumi.ComponentResource {
  readonly serverName: pulumi.Output<string>;
  /** The server's ARM id (scope of its platform alerts). */
  readonly serverId: pulumi.Output<string>;
  readonly host: pulumi.Output<string>;
  readonly databaseName: pulumi.Output<string>;
  readonly passwordAuthEnabled: boolean;

  constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:Postgres', name, {}, opts);
    const { profile } = args;
    if (profile.passwordAuth && !args.administratorPassword) {
      throw new Error(
        'POSTGRES_PASSWORD_MISSING: password authentication is on but no administrator password was given',
      );
    }
    const zoneRedundant = profile.highAvailability === 'ZoneRedundant';

    const server = new Server(
      `${name}-server`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        serverName: args.serverName,
        version: profile.version,
        sku: { name: profile.skuName, tier: profile.tier },
        storage: { storageSizeGB: profile.storageSizeGb, autoGrow: 'Enabled' },
        ...(profile.passwordAuth
          ? {
              administratorLogin: POSTGRES_ADMIN_LOGIN,
              administratorLoginPassword: pulumi.secret(args.administratorPassword ?? ''),
            }
          : {}),
        authConfig: {
          activeDirectoryAuth: 'Enabled',
          passwordAuth: profile.passwordAuth ? 'Enabled' : 'Disabled',
          tenantId: args.tenantId,
        },
        network: {
          publicNetworkAccess: 'Disabled',
          delegatedSubnetResourceId: args.delegatedSubnetId,
          privateDnsZoneArmResourceId: args.privateDnsZoneId,
        },
        backup: {
          backupRetentionDays: profile.backupRetentionDays,
          geoRedundantBackup: profile.geoRedundantBackup ? 'Enabled' : 'Disabled',
        },
        highAvailability: zoneRedundant
          ? { mode: 'ZoneRedundant', standbyAvailabilityZone: '2' }
          : { mode: profile.highAvailability },
        ...(zoneRedundant ? { availabilityZone: '1' } : {}),
        tags: args.tags,
      },
      // The zone of the primary is chosen by Azure after failovers; a diff on it must not recreate the server.
      { parent: this, ignoreChanges: ['availabilityZone', 'highAvailability.standbyAvailabilityZone'] },
    );

    // Entra administrators: the only principals that can create the workload's database role. ARM applies one
    // server operation at a time, so administrators and parameters are chained.
    let previous: pulumi.Resource = server;
    const administrators = [args.entraAdministrator, ...(args.additionalAdministrators ?? [])];
    administrators.forEach((administrator, index) => {
      previous = new AdministratorsMicrosoftEntra(
        index === 0 ? `${name}-entra-admin` : `${name}-entra-admin-${index}`,
        {
          resourceGroupName: args.resourceGroupName,
          serverName: server.name,
          objectId: administrator.objectId,
          principalName: administrator.principalName,
          principalType: administrator.principalType,
          tenantId: args.tenantId,
        },
        { parent: this, dependsOn: [previous] },
      );
    });

    for (const [parameter, value] of Object.entries(POSTGRES_SERVER_PARAMETERS)) {
      previous = new Configuration(
        `${name}-param-${parameter.replace(/[._]/g, '-')}`,
        {
          resourceGroupName: args.resourceGroupName,
          serverName: server.name,
          configurationName: parameter,
          value,
          source: 'user-override',
        },
        { parent: this, dependsOn: [previous] },
      );
    }

    const database = new Database(
      `${name}-database`,
      {
        resourceGroupName: args.resourceGroupName,
        serverName: server.name,
        databaseName: args.databaseName,
        charset: 'UTF8',
        collation: 'en_US.utf8',
      },
      { parent: this, dependsOn: [previous] },
    );

    createDiagnosticSetting(
      `${name}-diagnostics`,
      {
        targetResourceId: server.id,
        workspaceId: args.workspaceId,
        logCategories: ['PostgreSQLLogs', 'PostgreSQLFlexSessions'],
        includeMetrics: true,
      },
      { parent: this },
    );

    this.serverName = server.name;
    this.serverId = server.id;
    this.host = server.fullyQualifiedDomainName.apply((fqdn) => fqdn ?? '');
    this.databaseName = database.name;
    this.passwordAuthEnabled = profile.passwordAuth;
    this.registerOutputs({ host: this.host, databaseName: this.databaseName });
  }
}
