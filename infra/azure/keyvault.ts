import { Secret, Vault } from '@pulumi/azure-native/keyvault';
import * as pulumi from '@pulumi/pulumi';
import { RandomPassword } from '@pulumi/random/randomPassword';
import type { KeyVaultProfile } from '../../stacks';
import { createDiagnosticSetting } from './diagnostic-setting';
import { createPrivateEndpoint } from './private-endpoint';
import { grantRole } from './role-definitions';
import type { TagMap } from './tags';

export interface KeyVaultArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  subscriptionId: pulumi.Input<string>;
  tenantId: pulumi.Input<string>;
  vaultName: pulumi.Input<string>;
  profile: KeyVaultProfile;
  /** Reach the data plane from these CIDRs (only used when the profile allows it). */
  allowedIpRanges: string[];
  privateEndpointSubnetId: pulumi.Input<string>;
  privateDnsZoneId: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
  /** Secrets generated here (random, URL-safe) and stored under these names. */
  generatedSecretNames: readonly string[];
  tags: TagMap;
}

/**
 * Key Vault: RBAC authorization (no access policies), soft delete with purge protection, no public network
 * access (private endpoint only; a dev profile may open the firewall to the stack's allowed ranges),
 * audit events to Log Analytics. Secrets are written through ARM (control plane), so deployments never need
 * data-plane access to the vault.
 */
export class KeyVault extends pulumi.ComponentResource {
  readonly vaultId: pulumi.Output<string>;
  readonly vaultName: pulumi.Output<string>;
  readonly vaultUri: pulumi.Output<string>;
  /** Generated secret values by name, as secrets (for the resources that must be configured with them). */
  readonly generatedSecrets: Readonly<Record<string, pulumi.Output<string>>>;
  private readonly args: KeyVaultArgs;
  private readonly componentName: string;
  private readonly vault: Vault;
  private readonly secrets = new Map<string, Secret>();

  constructor(name: string, args: KeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:KeyVault', name, {}, opts);
    this.args = args;
    this.componentName = name;
    const openToAllowedRanges = args.profile.allowAllowedIpRanges && args.allowedIpRanges.length > 0;

    this.vault = new Vault(
      `${name}-vault`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        vaultName: args.vaultName,
        properties: {
          tenantId: args.tenantId,
          sku: { family: 'A', name: args.profile.sku },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: args.profile.softDeleteRetentionDays,
          enablePurgeProtection: true,
          enabledForDeployment: false,
          enabledForDiskEncryption: false,
          enabledForTemplateDeployment: false,
          publicNetworkAccess: openToAllowedRanges ? 'Enabled' : 'Disabled',
          networkAcls: {
            defaultAction: 'Deny',
            bypass: 'None',
            ipRules: openToAllowedRanges ? args.allowedIpRanges.map((value) => ({ value })) : [],
          },
        },
        tags: args.tags,
      },
      { parent: this },
    );

    createPrivateEndpoint(
      `${name}-pe`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        subnetId: args.privateEndpointSubnetId,
        targetResourceId: this.vault.id,
        groupId: 'vault',
        privateDnsZoneId: args.privateDnsZoneId,
        tags: args.tags,
      },
      { parent: this },
    );

    createDiagnosticSetting(
      `${name}-diagnostics`,
      {
        targetResourceId: this.vault.id,
        workspaceId: args.workspaceId,
        logCategories: ['AuditEvent'],
        includeMetrics: true,
      },
      { parent: this },
    );

    const generated: Record<string, pulumi.Output<string>> = {};
    for (const secretName of args.generatedSecretNames) {
      const password = new RandomPassword(
        `${name}-${secretName}`,
        // URL-safe specials only, so the value can sit in a connection URL without escaping.
        { length: 40, special: true, overrideSpecial: '-_.~', minLower: 2, minUpper: 2, minNumeric: 2 },
        { parent: this },
      );
      // Marked explicitly rather than relying on the provider's schema: the value must never be plain.
      const value = pulumi.secret(password.result);
      this.storeSecret(secretName, value);
      generated[secretName] = value;
    }
    this.generatedSecrets = generated;

    this.vaultId = this.vault.id;
    this.vaultName = this.vault.name;
    this.vaultUri = this.vault.properties.apply((properties) => properties.vaultUri ?? '');
    this.registerOutputs({ vaultUri: this.vaultUri });
  }

  /** Stores a value produced elsewhere (e.g. a Redis access key) as a Key Vault secret. */
  storeSecret(secretName: string, value: pulumi.Input<string>): Secret {
    const secret = new Secret(
      `${this.componentName}-secret-${secretName}`,
      {
        resourceGroupName: this.args.resourceGroupName,
        vaultName: this.vault.name,
        secretName,
        properties: { value: pulumi.secret(value), contentType: 'text/plain' },
        tags: this.args.tags,
      },
      { parent: this },
    );
    this.secrets.set(secretName, secret);
    return secret;
  }

  /**
   * Key Vault Secrets User on exactly these secrets (scope: the secret, not the vault), so a reader never sees the
   * vault's other secrets (the Postgres administrator password above all). Every name must be stored here first.
   */
  grantSecretRead(reader: string, principalId: pulumi.Input<string>, secretNames: readonly string[]): void {
    for (const secretName of secretNames) {
      const secret = this.secrets.get(secretName);
      if (!secret) {
        throw new Error(`KEYVAULT_UNKNOWN_SECRET: cannot grant ${reader} read on '${secretName}': it is not stored`);
      }
      grantRole(
        `${this.componentName}-${reader}-reads-${secretName}`,
        {
          role: 'keyVaultSecretsUser',
          principalId,
          principalType: 'ServicePrincipal',
          scope: secret.id,
          subscriptionId: this.args.subscriptionId,
        },
        { parent: this },
      );
    }
  }

  /**
   * Key Vault Secrets Officer for a Job that creates secrets Pulumi never holds (the authorization server's keys).
   * Scoped to the vault: a secret that does not exist yet has no resource to scope a grant to, and the writer must
   * be able to create it. Only that Job's identity gets this; readers are granted per secret once the secrets exist.
   */
  grantSecretsWrite(writer: string, principalId: pulumi.Input<string>): void {
    grantRole(
      `${this.componentName}-${writer}-writes-secrets`,
      {
        role: 'keyVaultSecretsOfficer',
        principalId,
        principalType: 'ServicePrincipal',
        scope: this.vault.id,
        subscriptionId: this.args.subscriptionId,
      },
      { parent: this },
    );
  }
}
