import { acrAdminDisabled } from '../../azure/acr-admin-disabled';
import { acrProdPublicAccessDisabled } from '../../azure/acr-prod-public-access-disabled';
import { keyVaultNetworkRestricted } from '../../azure/keyvault-network-restricted';
import { keyVaultRbacAuthorization } from '../../azure/keyvault-rbac-authorization';
import { keyVaultSoftDeletePurgeProtection } from '../../azure/keyvault-soft-delete-purge-protection';
import { postgresEntraAuth } from '../../azure/postgres-entra-auth';
import { postgresNoOpenFirewall } from '../../azure/postgres-no-open-firewall';
import { postgresPrivateAccess } from '../../azure/postgres-private-access';
import { postgresBackup } from '../../azure/postgres-prod-geo-backup';
import { postgresProdZoneHa } from '../../azure/postgres-prod-zone-ha';
import { postgresServerParameters } from '../../azure/postgres-server-parameters';
import { redisAccessKeysDisabled } from '../../azure/redis-access-keys-disabled';
import { redisNoPublicAccess } from '../../azure/redis-no-public-access';
import { redisTls } from '../../azure/redis-tls';
import {
  AZURE_TYPES,
  postgresConfiguration,
  postgresFirewallRule,
  postgresServer,
  redisCluster,
  redisDatabase,
  registry,
  vault,
} from '../fixtures/azure-baseline';
import { asResource, provePolicy } from '../helpers/policy-harness';

// biome-ignore lint/suspicious/noExplicitAny: test drafts mutate deeply nested resource inputs by path.
type Props = Record<string, any>;
const outsideProduction = (draft: Props) => {
  draft.tags.environment = 'dev';
};

// Key Vault
const asVault = asResource(AZURE_TYPES.vault);
provePolicy({
  policy: keyVaultRbacAuthorization,
  baseline: () => vault() as Props,
  toRecords: asVault,
  failing: [
    {
      rule: 'access policies model',
      change: (d) => {
        d.properties.enableRbacAuthorization = false;
      },
      message: /uses access policies/,
    },
    {
      rule: 'access policies declared',
      change: (d) => {
        d.properties.accessPolicies = [{ objectId: 'x', tenantId: 't', permissions: { secrets: ['get'] } }];
      },
      message: /declares access policies/,
    },
  ],
  preview: [['properties', 'enableRbacAuthorization']],
});
provePolicy({
  policy: keyVaultSoftDeletePurgeProtection,
  baseline: () => vault() as Props,
  toRecords: asVault,
  failing: [
    {
      rule: 'purge protection off',
      change: (d) => void delete d.properties.enablePurgeProtection,
      message: /purge protection is off/,
    },
    {
      rule: 'soft delete off',
      change: (d) => {
        d.properties.enableSoftDelete = false;
      },
      message: /soft delete is off/,
    },
    {
      rule: 'retention too short',
      change: (d) => {
        d.properties.softDeleteRetentionInDays = 7;
      },
      config: { minimumRetentionDays: 30 },
      message: /7 days: keep at least 30/,
    },
  ],
  preview: [
    ['properties', 'enablePurgeProtection'],
    ['properties', 'softDeleteRetentionInDays'],
  ],
});
provePolicy({
  policy: keyVaultNetworkRestricted,
  baseline: () => vault() as Props,
  toRecords: asVault,
  passing: [
    {
      name: 'public access on but ACLs deny by default (deployer IP allowed in dev)',
      change: (d) => {
        d.properties.publicNetworkAccess = 'Enabled';
        d.properties.networkAcls.ipRules = [{ value: '203.0.113.10' }, { value: '10.0.0.0/8' }];
      },
    },
  ],
  failing: [
    {
      rule: 'open to any network',
      change: (d) => {
        d.properties.publicNetworkAccess = 'Enabled';
        d.properties.networkAcls.defaultAction = 'Allow';
      },
      message: /accepts traffic from any network/,
    },
    {
      rule: 'nothing declared (Azure default is open)',
      change: (d) => {
        delete d.properties.publicNetworkAccess;
        delete d.properties.networkAcls;
      },
      message: /any network/,
    },
    {
      rule: "ipRules 0.0.0.0/0 behind defaultAction 'Deny' (and bypass AzureServices)",
      change: (d) => {
        d.properties.publicNetworkAccess = 'Enabled';
        d.properties.networkAcls.ipRules = [{ value: '0.0.0.0/0' }];
      },
      message:
        /ipRules admit 3,702,390,784 public addresses \(the Internet\) \(0\.0\.0\.0\/0\) despite defaultAction 'Deny'/,
    },
    {
      rule: 'ipRules that add up to more than 256 public addresses',
      change: (d) => {
        d.properties.publicNetworkAccess = 'Enabled';
        d.properties.networkAcls.ipRules = [{ value: '198.51.100.0/24' }, { value: '203.0.113.0/24' }];
      },
      message: /512 public addresses/,
    },
  ],
  preview: [
    ['properties', 'publicNetworkAccess'],
    ['properties', 'networkAcls', 'ipRules'],
  ],
});

// Azure Managed Redis
provePolicy({
  policy: redisTls,
  baseline: () => redisCluster() as Props,
  toRecords: asResource(AZURE_TYPES.redisEnterprise),
  failing: [
    {
      rule: 'TLS 1.0 allowed',
      change: (d) => {
        d.minimumTlsVersion = '1.0';
      },
      message: /allows TLS 1\.0/,
    },
  ],
  preview: [['minimumTlsVersion']],
});
provePolicy({
  policy: redisTls,
  baseline: () => redisDatabase() as Props,
  toRecords: asResource(AZURE_TYPES.redisDatabase),
  failing: [
    {
      rule: 'plaintext protocol',
      change: (d) => {
        d.clientProtocol = 'Plaintext';
      },
      message: /plaintext connections/,
    },
  ],
  preview: [['clientProtocol']],
});
provePolicy({
  policy: redisNoPublicAccess,
  baseline: () => redisCluster() as Props,
  toRecords: asResource(AZURE_TYPES.redisEnterprise),
  failing: [
    {
      rule: 'public access',
      change: (d) => {
        d.publicNetworkAccess = 'Enabled';
      },
      message: /accepts public network traffic/,
    },
  ],
  preview: [['publicNetworkAccess']],
});
provePolicy({
  policy: redisAccessKeysDisabled,
  baseline: () => redisDatabase() as Props,
  toRecords: asResource(AZURE_TYPES.redisDatabase),
  failing: [
    {
      rule: 'keys enabled',
      change: (d) => {
        d.accessKeysAuthentication = 'Enabled';
      },
      message: /access keys are enabled/,
    },
    {
      rule: 'left at the default',
      change: (d) => void delete d.accessKeysAuthentication,
      message: /access keys are enabled/,
    },
  ],
  preview: [['accessKeysAuthentication']],
});

// Postgres Flexible Server
const asServer = asResource(AZURE_TYPES.postgresServer);
provePolicy({
  policy: postgresPrivateAccess,
  baseline: () => postgresServer() as Props,
  toRecords: asServer,
  failing: [
    {
      rule: 'public endpoint',
      change: (d) => {
        d.network.publicNetworkAccess = 'Enabled';
      },
      message: /has a public endpoint/,
    },
    {
      rule: 'no delegated subnet',
      change: (d) => void delete d.network.delegatedSubnetResourceId,
      message: /not in a delegated subnet/,
    },
    {
      rule: 'no private DNS zone',
      change: (d) => void delete d.network.privateDnsZoneArmResourceId,
      message: /no private DNS zone/,
    },
  ],
  preview: [
    ['network', 'delegatedSubnetResourceId'],
    ['network', 'privateDnsZoneArmResourceId'],
  ],
});
provePolicy({
  policy: postgresNoOpenFirewall,
  baseline: () => postgresFirewallRule() as Props,
  toRecords: asResource(AZURE_TYPES.postgresFirewallRule),
  failing: [
    {
      rule: "'allow all Azure services' rule",
      change: (d) => {
        d.startIpAddress = '0.0.0.0';
        d.endIpAddress = '0.0.0.0';
      },
      message: /every Azure service of every tenant/,
    },
    {
      rule: 'the whole Internet',
      change: (d) => {
        d.startIpAddress = '0.0.0.0';
        d.endIpAddress = '255.255.255.255';
      },
      message: /opens the server to 3,702,390,784 public addresses \(the Internet\)/,
    },
    {
      rule: 'the whole Internet but its first address',
      change: (d) => {
        d.startIpAddress = '0.0.0.1';
        d.endIpAddress = '255.255.255.255';
      },
      message: /0\.0\.0\.1-255\.255\.255\.255 opens the server to 3,702,390,784 public addresses/,
    },
    {
      rule: 'a public /23 (512 addresses, beyond the default of 256)',
      change: (d) => {
        d.startIpAddress = '198.51.100.0';
        d.endIpAddress = '198.51.101.255';
      },
      message: /512 public addresses/,
    },
  ],
  passing: [
    {
      name: 'a private range of any size',
      change: (d) => {
        d.startIpAddress = '10.0.0.0';
        d.endIpAddress = '10.255.255.255';
      },
    },
  ],
  preview: [['startIpAddress'], ['endIpAddress']],
});
provePolicy({
  policy: postgresBackup,
  baseline: () => postgresServer() as Props,
  toRecords: asServer,
  passing: [
    {
      name: 'locally redundant outside production',
      change: (d) => {
        outsideProduction(d);
        d.backup.geoRedundantBackup = 'Disabled';
      },
    },
  ],
  failing: [
    {
      rule: 'no geo-redundancy in prod',
      change: (d) => {
        d.backup.geoRedundantBackup = 'Disabled';
      },
      message: /no geo-redundant backup/,
    },
    {
      rule: 'retention too short',
      change: (d) => {
        d.backup.backupRetentionDays = 3;
      },
      message: /3 days: keep at least 7/,
    },
  ],
  preview: [['tags'], ['backup']],
});
provePolicy({
  policy: postgresProdZoneHa,
  baseline: () => postgresServer() as Props,
  toRecords: asServer,
  passing: [
    {
      name: 'no HA outside production',
      change: (d) => {
        outsideProduction(d);
        d.highAvailability = { mode: 'Disabled' };
      },
    },
  ],
  failing: [
    {
      rule: 'same-zone HA in prod',
      change: (d) => {
        d.highAvailability.mode = 'SameZone';
      },
      message: /not zone-redundant/,
    },
    { rule: 'no HA in prod', change: (d) => void delete d.highAvailability, message: /not zone-redundant/ },
  ],
  preview: [['highAvailability']],
});
provePolicy({
  policy: postgresEntraAuth,
  baseline: () => postgresServer() as Props,
  toRecords: asServer,
  passing: [
    {
      name: 'passwords allowed outside production',
      change: (d) => {
        outsideProduction(d);
        d.authConfig.passwordAuth = 'Enabled';
      },
    },
  ],
  failing: [
    {
      rule: 'no Entra auth',
      change: (d) => {
        d.authConfig.activeDirectoryAuth = 'Disabled';
      },
      message: /does not accept Entra ID/,
    },
    {
      rule: 'passwords in prod',
      change: (d) => {
        d.authConfig.passwordAuth = 'Enabled';
      },
      message: /production Postgres server accepts passwords/,
    },
    {
      rule: 'passwords by default in prod',
      change: (d) => void delete d.authConfig.passwordAuth,
      message: /accepts passwords/,
    },
  ],
  preview: [['authConfig']],
});
const asConfiguration = asResource(AZURE_TYPES.postgresConfiguration);
provePolicy({
  policy: postgresServerParameters,
  baseline: () => postgresConfiguration('require_secure_transport', 'on') as Props,
  toRecords: asConfiguration,
  failing: [
    {
      rule: 'TLS not required',
      change: (d) => {
        d.value = 'off';
      },
      message: /require_secure_transport is off/,
    },
  ],
  preview: [['value']],
});
provePolicy({
  policy: postgresServerParameters,
  baseline: () => postgresConfiguration('ssl_min_protocol_version', 'TLSv1.2') as Props,
  toRecords: asConfiguration,
  passing: [
    {
      name: 'TLS 1.3',
      change: (d) => {
        d.value = 'TLSv1.3';
      },
    },
  ],
  failing: [
    {
      rule: 'TLS 1.1 allowed',
      change: (d) => {
        d.value = 'TLSv1.1';
      },
      message: /ssl_min_protocol_version is TLSv1\.1/,
    },
  ],
  preview: [['value']],
});
provePolicy({
  policy: postgresServerParameters,
  baseline: () => postgresConfiguration('log_connections', 'on') as Props,
  toRecords: asConfiguration,
  failing: [
    {
      rule: 'connection logging off',
      change: (d) => {
        d.value = 'off';
      },
      message: /log_connections is off/,
    },
    {
      rule: 'disconnection logging off',
      change: (d) => {
        d.configurationName = 'log_disconnections';
        d.value = 'OFF';
      },
      message: /log_disconnections is OFF/,
    },
  ],
  preview: [['value']],
});

// Container registry
const asRegistry = asResource(AZURE_TYPES.containerRegistry);
provePolicy({
  policy: acrAdminDisabled,
  baseline: () => registry() as Props,
  toRecords: asRegistry,
  failing: [
    {
      rule: 'admin user',
      change: (d) => {
        d.adminUserEnabled = true;
      },
      message: /admin user is enabled/,
    },
    {
      rule: 'anonymous pull',
      change: (d) => {
        d.anonymousPullEnabled = true;
      },
      message: /anonymous pull/,
    },
  ],
  preview: [['adminUserEnabled'], ['anonymousPullEnabled']],
});
provePolicy({
  policy: acrProdPublicAccessDisabled,
  baseline: () => registry() as Props,
  toRecords: asRegistry,
  passing: [
    {
      name: 'public outside production',
      change: (d) => {
        outsideProduction(d);
        d.publicNetworkAccess = 'Enabled';
      },
    },
    {
      name: 'public but default-deny network rules',
      change: (d) => {
        d.publicNetworkAccess = 'Enabled';
        d.networkRuleSet = { defaultAction: 'Deny', ipRules: [] };
      },
    },
  ],
  failing: [
    {
      rule: 'public in prod',
      change: (d) => {
        d.publicNetworkAccess = 'Enabled';
      },
      message: /production registry is public/,
    },
  ],
  preview: [['publicNetworkAccess']],
});
