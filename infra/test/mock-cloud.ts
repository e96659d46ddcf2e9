/**
 * A fake Azure/Entra control plane for Pulumi mocks: what each resource type computes on creation (ids, URIs,
 * client ids...) and what each invoke answers. Values are deterministic, derived from the resource name.
 * Every secret value this fake cloud produces contains MOCK_SECRET_MARKER, so tests can find leaks by search.
 */
import { createHash } from 'node:crypto';
import { ARM_NAMING_RULES } from '../azure/naming-rules';

export const MOCK_SECRET_MARKER = 'mock-secret-';
export const MOCK_SUBSCRIPTION_ID = '00000000-0000-4000-8000-000000000001';
export const MOCK_TENANT_ID = '00000000-0000-4000-8000-000000000002';
export const MOCK_DEPLOYER_OBJECT_ID = '00000000-0000-4000-8000-000000000003';
export const MOCK_DEPLOYER_CLIENT_ID = '00000000-0000-4000-8000-000000000004';
/** The private IP the fake cloud gives Azure Firewall (the first usable address of the profiles' firewall subnet). */
export const MOCK_FIREWALL_PRIVATE_IP = '10.240.13.4';

/** A stable UUID-shaped value derived from a seed. */
export function mockUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

type Inputs = Record<string, unknown>;

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}

/**
 * A realistic ARM id: the ARM type of the naming rules (`Microsoft.Network/virtualNetworks/subnets`) with the parent
 * names taken from the inputs (`virtualNetworkName`), so policies can tell a scope's resource type from its id.
 * Types without a naming rule get `Mock.<module>/<kind>`.
 */
function armId(type: string, name: string, inputs: Inputs): string {
  const [, module, kind] = type.split(':');
  const group = str(inputs.resourceGroupName, 'rg-mock');
  const [namespace, ...types] = (ARM_NAMING_RULES[type]?.armType ?? `Mock.${module}/${kind}`).split('/');
  const path = types.map((segment, index) => {
    if (index === types.length - 1) return `${segment}/${name}`;
    const singular = segment.replace(/ies$/, 'y').replace(/s$/, '');
    return `${segment}/${str(inputs[`${singular}Name`], str(inputs.resourceName, 'parent'))}`;
  });
  return `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${group}/providers/${[namespace, ...path].join('/')}`;
}

/** Computed state per resource type; everything not listed echoes its inputs. */
export function mockResourceState(type: string, name: string, inputs: Inputs): { id: string; state: Inputs } {
  const state: Inputs = { ...inputs };
  switch (type) {
    case 'azure-native:resources:ResourceGroup': {
      const rg = str(inputs.resourceGroupName, name);
      return { id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${rg}`, state: { ...state, name: rg } };
    }
    case 'azure-native:managedidentity:UserAssignedIdentity': {
      const resourceName = str(inputs.resourceName, name);
      Object.assign(state, {
        name: resourceName,
        clientId: mockUuid(`client:${name}`),
        principalId: mockUuid(`principal:${name}`),
        tenantId: MOCK_TENANT_ID,
      });
      return { id: armId(type, resourceName, inputs), state };
    }
    case 'azure-native:containerservice:ManagedCluster': {
      const resourceName = str(inputs.resourceName, name);
      Object.assign(state, {
        name: resourceName,
        oidcIssuerProfile: { enabled: true, issuerURL: `https://oidc.mock.azure.com/${mockUuid(name)}/` },
        fqdn: `${resourceName}.hcp.mock.azmk8s.io`,
        addonProfiles: {
          ...((inputs.addonProfiles as Inputs | undefined) ?? {}),
          azureKeyvaultSecretsProvider: {
            ...(((inputs.addonProfiles as Inputs | undefined)?.azureKeyvaultSecretsProvider as Inputs | undefined) ??
              {}),
            identity: { clientId: mockUuid(`csi:${name}`) },
          },
        },
      });
      return { id: armId(type, resourceName, inputs), state };
    }
    case 'azure-native:keyvault:Vault': {
      const vaultName = str(inputs.vaultName, name);
      const properties = (inputs.properties as Inputs | undefined) ?? {};
      Object.assign(state, {
        name: vaultName,
        properties: { ...properties, vaultUri: `https://${vaultName}.vault.azure.net/` },
      });
      return { id: armId(type, vaultName, inputs), state };
    }
    case 'azure-native:keyvault:Secret': {
      // ARM's own shape: the secret is a child of its vault (role assignments are scoped to it).
      const secretName = str(inputs.secretName, name);
      const group = str(inputs.resourceGroupName, 'rg-mock');
      Object.assign(state, { name: secretName });
      return {
        id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${group}/providers/Microsoft.KeyVault/vaults/${str(inputs.vaultName, 'vault')}/secrets/${secretName}`,
        state,
      };
    }
    case 'azure-native:redisenterprise:RedisEnterprise': {
      const clusterName = str(inputs.clusterName, name);
      Object.assign(state, {
        name: clusterName,
        hostName: `${clusterName}.${str(inputs.location, 'region')}.redis.azure.net`,
      });
      return { id: armId(type, clusterName, inputs), state };
    }
    case 'azure-native:dbforpostgresql:Server': {
      const serverName = str(inputs.serverName, name);
      Object.assign(state, { name: serverName, fullyQualifiedDomainName: `${serverName}.postgres.database.azure.com` });
      return { id: armId(type, serverName, inputs), state };
    }
    case 'azure-native:containerregistry:Registry': {
      const registryName = str(inputs.registryName, name);
      Object.assign(state, { name: registryName, loginServer: `${registryName}.azurecr.io` });
      return { id: armId(type, registryName, inputs), state };
    }
    case 'azure-native:operationalinsights:Workspace':
      Object.assign(state, { name: str(inputs.workspaceName, name), customerId: mockUuid(`workspace:${name}`) });
      return { id: armId(type, str(inputs.workspaceName, name), inputs), state };
    case 'azure-native:network:AzureFirewall': {
      // Azure gives the firewall the first free address of AzureFirewallSubnet.
      const firewallName = str(inputs.azureFirewallName, name);
      const configs = (inputs.ipConfigurations as Inputs[] | undefined) ?? [];
      Object.assign(state, {
        name: firewallName,
        ipConfigurations: configs.map((config) => ({ ...config, privateIPAddress: MOCK_FIREWALL_PRIVATE_IP })),
      });
      return { id: armId(type, firewallName, inputs), state };
    }
    case 'random:index/randomPassword:RandomPassword':
      return { id: name, state: { ...state, result: `${MOCK_SECRET_MARKER}password-${name}` } };
    case 'random:index/randomString:RandomString':
      return { id: name, state: { ...state, result: 'abc123' } };
    case 'random:index/randomUuid:RandomUuid':
      return { id: name, state: { ...state, result: mockUuid(`uuid:${name}`) } };
    case 'azuread:index/application:Application': {
      const objectId = mockUuid(`app-object:${name}`);
      Object.assign(state, { clientId: mockUuid(`app-client:${name}`), objectId });
      return { id: `/applications/${objectId}`, state };
    }
    case 'azuread:index/servicePrincipal:ServicePrincipal':
      Object.assign(state, { objectId: mockUuid(`sp:${name}`) });
      return { id: mockUuid(`sp:${name}`), state };
    default: {
      // Most azure-native resources expose `name` as an output; default it to the explicit name input if any.
      const explicitName = Object.entries(inputs).find(
        ([key, value]) =>
          key.endsWith('Name') &&
          key !== 'resourceGroupName' &&
          typeof value === 'string' &&
          !key.startsWith('display'),
      );
      if (type.startsWith('azure-native:') && state.name === undefined) state.name = explicitName?.[1] ?? name;
      return {
        id: type.startsWith('azure-native:') ? armId(type, String(state.name ?? name), inputs) : `${name}-id`,
        state,
      };
    }
  }
}

/** A kubelogin-style user kubeconfig, as `listManagedClusterUserCredentials` returns it (base64). */
export function mockKubeconfig(clusterName: string): string {
  const yaml = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${clusterName}`,
    '  cluster:',
    `    server: https://${clusterName}.hcp.mock.azmk8s.io:443`,
    `    certificate-authority-data: ${MOCK_SECRET_MARKER}ca`,
    'users:',
    `- name: clusterUser_${clusterName}`,
    '  user:',
    '    exec:',
    '      apiVersion: client.authentication.k8s.io/v1beta1',
    '      command: kubelogin',
    '      args: [get-token, --login, devicecode, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]',
  ].join('\n');
  return Buffer.from(yaml).toString('base64');
}

/** Answers of the invokes the program makes; unknown tokens answer `{}` (and are recorded by the harness). */
export function mockInvoke(token: string, inputs: Inputs): Inputs {
  switch (token) {
    case 'azure-native:authorization:getClientConfig':
      return {
        clientId: MOCK_DEPLOYER_CLIENT_ID,
        objectId: MOCK_DEPLOYER_OBJECT_ID,
        subscriptionId: MOCK_SUBSCRIPTION_ID,
        tenantId: MOCK_TENANT_ID,
      };
    case 'azure-native:containerservice:listManagedClusterUserCredentials':
      return { kubeconfigs: [{ name: 'clusterUser', value: mockKubeconfig(str(inputs.resourceName, 'aks')) }] };
    case 'azure-native:redisenterprise:listDatabaseKeys':
      return { primaryKey: `${MOCK_SECRET_MARKER}redis-primary`, secondaryKey: `${MOCK_SECRET_MARKER}redis-secondary` };
    case 'azure-native:features:getSubscriptionFeatureRegistration':
      // The prerequisite docs/infra.md lists is done on the test subscription.
      return { name: str(inputs.featureName, 'feature'), properties: { state: 'Registered' } };
    default:
      return {};
  }
}
