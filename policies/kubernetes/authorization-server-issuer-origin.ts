import { authorizationServerContainers } from '../lib/authorization-server';
import { stringListConfig } from '../lib/define';
import { definePodPolicy } from '../lib/pod-policy';
import { isUnknown } from '../lib/values';
import { AUTHORIZATION_SERVER, ENV } from '../vendor/contract';

function originOf(value: string): string | undefined {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

export const authorizationServerIssuerOrigin = definePodPolicy<{ containers: string[] }>({
  name: 'kubernetes-authorization-server-issuer-origin',
  description:
    "The authorization server's issuer is an https origin and the origin of the MCP resource it issues tokens for: clients find it from the resource's metadata, and a token's iss must name the host that served it.",
  severity: 'high',
  checklist: ['net-https', 'auth-oauth21'],
  references: ['RFC 8414 §2 and §3.3 (issuer)', 'RFC 9728 (protected resource metadata)', 'MCP authorization spec'],
  remediationSteps: `Set ${AUTHORIZATION_SERVER.env.issuer} to https://<public host> (no path, no trailing slash), the origin of ${ENV.resourceUrl}.`,
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
      const issuer = env.get(AUTHORIZATION_SERVER.env.issuer);
      const resource = env.get(ENV.resourceUrl);
      if (isUnknown(issuer) || isUnknown(resource)) continue;
      if (issuer === undefined || issuer === '') {
        report(`container ${name} sets no ${AUTHORIZATION_SERVER.env.issuer}.`);
        continue;
      }
      const origin = originOf(issuer);
      if (!origin || !issuer.startsWith('https://') || origin !== issuer) {
        report(`container ${name}: ${AUTHORIZATION_SERVER.env.issuer} '${issuer}' is not an https origin.`);
        continue;
      }
      if (resource === undefined || originOf(resource) !== origin) {
        report(
          `container ${name}: ${AUTHORIZATION_SERVER.env.issuer} '${issuer}' is not the origin of ${ENV.resourceUrl} '${resource ?? '(unset)'}'.`,
        );
      }
    }
  },
});
