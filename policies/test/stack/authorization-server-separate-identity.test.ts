/**
 * kubernetes-authorization-server-separate-identity: the MCP server and the authorization server as the program
 * registers them (their Deployments and service accounts), then one change per rule.
 */
import { AUTHORIZATION_SERVER, WORKLOAD } from '../../../service/src/contract';
import { authorizationServerSeparateIdentity } from '../../stack/authorization-server-separate-identity';
import { authorizationServerDeployment } from '../fixtures/authorization-server-baseline';
import { WORKLOAD_CLIENT_ID } from '../fixtures/azure-baseline';
import { deployment, NAMESPACE, serviceAccount, typeOf } from '../fixtures/kubernetes-baseline';
import { type StackDraft, toStackRecords } from '../fixtures/stack-baseline';
import { provePolicy } from '../helpers/policy-harness';

const SERVER_CLIENT_ID = '9b1e2c3d-4f5a-4b6c-8d7e-0f1a2b3c4d5e';

function stack(): StackDraft {
  const serverAccount = serviceAccount() as StackDraft[string]['props'];
  serverAccount.metadata.name = AUTHORIZATION_SERVER.serviceAccount;
  serverAccount.metadata.annotations['azure.workload.identity/client-id'] = SERVER_CLIENT_ID;
  return {
    'mcp-service-account': { type: typeOf('ServiceAccount'), props: serviceAccount() },
    'mcp-deployment': { type: typeOf('Deployment'), props: deployment() },
    'server-service-account': { type: typeOf('ServiceAccount'), props: serverAccount },
    'server-deployment': { type: typeOf('Deployment'), props: authorizationServerDeployment() },
  };
}

const serverPod = (d: StackDraft) => d['server-deployment']!.props.spec.template.spec;

provePolicy({
  policy: authorizationServerSeparateIdentity,
  baseline: stack,
  toRecords: toStackRecords,
  passing: [{ name: 'no authorization server in the stack', change: (d) => void delete d['server-deployment'] }],
  failing: [
    {
      rule: "runs under the MCP server's service account",
      change: (d) => {
        serverPod(d).serviceAccountName = WORKLOAD.serviceAccount;
      },
      message: new RegExp(`runs under the MCP server's service account ${NAMESPACE}/${WORKLOAD.serviceAccount}`),
    },
    {
      rule: "its service account has the MCP server's Entra identity",
      change: (d) => {
        d['server-service-account']!.props.metadata.annotations['azure.workload.identity/client-id'] =
          WORKLOAD_CLIENT_ID;
      },
      message: /has the MCP server's Entra identity/,
    },
    {
      rule: 'both servers in one pod',
      change: (d) => {
        serverPod(d).containers.push({ ...d['mcp-deployment']!.props.spec.template.spec.containers[0] });
      },
      message: /runs the authorization server and the MCP server in one pod/,
    },
  ],
  preview: [['server-service-account', 'props', 'metadata', 'annotations', 'azure.workload.identity/client-id']],
});
