import { authorizationServerContainers } from '../lib/authorization-server';
import { defineStackPolicy, stringListConfig } from '../lib/define';
import { isKindOf, isWorkload, mainContainersOf } from '../lib/kubernetes';
import { SYSTEM_ONLY } from '../lib/namespace-scope';
import { kubernetesObjects, objectsOfKind, type Workload, workloadsOf } from '../lib/stack';
import { asString, at, isUnknown } from '../lib/values';
import { AUTHORIZATION_SERVER, WORKLOAD } from '../vendor/contract';

const CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';

interface SeparateIdentityConfig {
  serverContainers: string[];
  mcpContainers: string[];
}

export const authorizationServerSeparateIdentity = defineStackPolicy<SeparateIdentityConfig>({
  name: 'kubernetes-authorization-server-separate-identity',
  description:
    'The authorization server and the MCP server run under different service accounts and different Entra identities, so the MCP pods can never read its signing keys or act as it.',
  severity: 'high',
  checklist: ['auth-rbac', 'infra-k8s-rbac'],
  references: ['AKS workload identity docs', 'Least privilege (AKS baseline)'],
  remediationSteps: `Run the authorization server as ${AUTHORIZATION_SERVER.serviceAccount}, annotated with its own user-assigned identity's client id (never the MCP server's ${WORKLOAD.serviceAccount} or its identity).`,
  namespaceScope: SYSTEM_ONLY,
  config: {
    serverContainers: stringListConfig(
      'Names of the authorization server containers (containers with its variables count too).',
      [AUTHORIZATION_SERVER.container],
    ),
    mcpContainers: stringListConfig('Names of the MCP server containers.', [WORKLOAD.container]),
  },
  subjects: (type) => isWorkload(type) || isKindOf({ kind: 'ServiceAccount', group: '' })(type),
  validate: (resources, config, report) => {
    const objects = kubernetesObjects(resources);
    const accounts = objectsOfKind(objects, 'ServiceAccount', '');
    const accountOf = ({ template }: Workload) => {
      if (template.spec === undefined || isUnknown(template.spec)) return undefined;
      const name = asString(template.spec.serviceAccountName) ?? 'default';
      const account = accounts.find((a) => a.namespace === template.namespace && a.name === name);
      const clientId = account
        ? at(account.resource.props, 'metadata', 'annotations', CLIENT_ID_ANNOTATION)
        : undefined;
      return { key: `${template.namespace}/${name}`, clientId };
    };
    const workloads = workloadsOf(objects);
    const servers = workloads.filter(({ template }) => {
      if (template.spec === undefined || isUnknown(template.spec)) return false;
      const found = authorizationServerContainers(template.spec, config.serverContainers);
      return !isUnknown(found) && found.length > 0;
    });
    const mcpServers = workloads.filter(({ template }) => {
      if (template.spec === undefined || isUnknown(template.spec)) return false;
      return mainContainersOf(template.spec).some(({ name }) => config.mcpContainers.includes(name));
    });
    for (const server of servers) {
      const serverAccount = accountOf(server);
      if (!serverAccount) continue;
      for (const mcp of mcpServers) {
        if (mcp === server) {
          report(
            `${server.template.kind} ${server.template.namespace}/${server.template.name} runs the authorization server and the MCP server in one pod.`,
            server.object.resource.urn,
          );
          continue;
        }
        const mcpAccount = accountOf(mcp);
        if (!mcpAccount) continue;
        const where = `${server.template.kind} ${server.template.namespace}/${server.template.name}`;
        if (serverAccount.key === mcpAccount.key) {
          report(`${where} runs under the MCP server's service account ${mcpAccount.key}.`, server.object.resource.urn);
        } else if (
          serverAccount.clientId !== undefined &&
          !isUnknown(serverAccount.clientId) &&
          !isUnknown(mcpAccount.clientId) &&
          serverAccount.clientId === mcpAccount.clientId
        ) {
          report(
            `${where}'s service account ${serverAccount.key} has the MCP server's Entra identity (client id ${String(serverAccount.clientId)}).`,
            server.object.resource.urn,
          );
        }
      }
    }
  },
});
