import { authorizationServerContainers, parseJsonEnv } from '../lib/authorization-server';
import { stringListConfig } from '../lib/define';
import { definePodPolicy } from '../lib/pod-policy';
import { asArray, asRecord, asString, isUnknown } from '../lib/values';
import { AUTHORIZATION_SERVER } from '../vendor/contract';

const CLIENT_SECRET_NAME = /CLIENT_SECRET/i;

export const authorizationServerNoClientSecret = definePodPolicy<{ containers: string[] }>({
  name: 'kubernetes-authorization-server-no-client-secret',
  description:
    'The authorization server for MCP clients holds no client secret: no *_CLIENT_SECRET variable, its upstream authenticates with workload identity (never client_secret_*), and no pre-registered client carries a secret.',
  severity: 'high',
  checklist: ['infra-secrets-store', 'auth-oauth21'],
  references: [
    'Entra ID workload identity federation (client assertions)',
    'OAuth 2.1 §2.4 (confidential clients)',
    'MCP authorization spec (client id metadata documents: public clients)',
  ],
  remediationSteps: `Authenticate to the upstream with the pod's federated token: \`"clientAuthentication": "workload-identity"\` in ${AUTHORIZATION_SERVER.env.upstream}, a federated identity credential on the app registration for the server's service account, and no client secret anywhere.`,
  config: {
    containers: stringListConfig(
      'Names of the authorization server containers (containers with its variables count too).',
      [AUTHORIZATION_SERVER.container],
    ),
  },
  validatePod: ({ spec }, config, report) => {
    const containers = authorizationServerContainers(spec, config.containers);
    if (isUnknown(containers)) return;
    for (const { name, env } of containers) {
      for (const variable of env.keys()) {
        if (CLIENT_SECRET_NAME.test(variable))
          report(`container ${name} sets ${variable}: the server must hold no client secret.`);
      }
      const upstream = env.get(AUTHORIZATION_SERVER.env.upstream);
      if (typeof upstream === 'string') {
        const settings = asRecord(parseJsonEnv(upstream));
        const method = asString(settings?.clientAuthentication);
        if (settings && 'clientSecret' in settings) {
          report(`container ${name}: ${AUTHORIZATION_SERVER.env.upstream} carries a clientSecret.`);
        }
        if (method === undefined || /^client_secret/i.test(method) || method === 'secret') {
          report(
            `container ${name}: ${AUTHORIZATION_SERVER.env.upstream} authenticates with '${method ?? '(none set)'}', not workload-identity.`,
          );
        }
      }
      const clients = env.get(AUTHORIZATION_SERVER.env.clients);
      if (typeof clients === 'string' && clients.trim() !== '') {
        for (const client of asArray(parseJsonEnv(clients)) ?? []) {
          const metadata = asRecord(client);
          const method = asString(metadata?.token_endpoint_auth_method);
          if (metadata && ('client_secret' in metadata || /^client_secret/i.test(method ?? ''))) {
            report(
              `container ${name}: pre-registered client ${asString(metadata.client_id) ?? '(no id)'} uses a client secret.`,
            );
          }
        }
      }
    }
  },
});
