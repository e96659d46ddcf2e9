import { authorizationServerContainers } from '../lib/authorization-server';
import { isProduction, type ProductionScopeConfig, productionScopeConfig } from '../lib/azure';
import { stringListConfig } from '../lib/define';
import { definePodPolicy } from '../lib/pod-policy';
import { isUnknown } from '../lib/values';
import { AUTHORIZATION_SERVER } from '../vendor/contract';

export const authorizationServerDynamicRegistrationOff = definePodPolicy<
  ProductionScopeConfig & { containers: string[] }
>({
  name: 'kubernetes-authorization-server-dynamic-registration-off',
  description:
    'In production the authorization server has RFC 7591 dynamic client registration off: MCP clients identify themselves with Client ID Metadata Documents, and no one can register clients anonymously.',
  severity: 'high',
  checklist: ['auth-dcr'],
  references: ['MCP authorization spec (client registration)', 'RFC 7591 §3', 'OAuth 2.0 Security BCP'],
  remediationSteps: `Leave ${AUTHORIZATION_SERVER.env.dynamicRegistration} unset or 'false' (authorizationServer.dynamicRegistration in the prod profile).`,
  config: {
    ...productionScopeConfig,
    containers: stringListConfig(
      'Names of the authorization server containers (containers with its variables count too).',
      [AUTHORIZATION_SERVER.container],
    ),
  },
  validatePod: ({ resource, spec }, config, report) => {
    const production = isProduction(resource, config);
    if (isUnknown(production) || !production) return;
    const containers = authorizationServerContainers(spec, config.containers);
    if (isUnknown(containers)) return;
    for (const { name, env } of containers) {
      const value = env.get(AUTHORIZATION_SERVER.env.dynamicRegistration);
      if (value === undefined || isUnknown(value)) continue;
      if (value.trim().toLowerCase() !== 'false') {
        report(`container ${name} sets ${AUTHORIZATION_SERVER.env.dynamicRegistration}=${value} in production.`);
      }
    }
  },
});
