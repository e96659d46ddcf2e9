import { type EgressRuleInputs, hostOf } from './azure/firewall-rules';
import type { DeploymentConfig } from './config';

/**
 * The hosts this deployment's workload reaches beyond AKS's own, from its configuration: the ACME CA cert-manager
 * orders from, an external OAuth issuer and its JWKS, and the public host name (cert-manager's HTTP-01 self-check).
 */
export function egressRulesFor(config: DeploymentConfig): Omit<EgressRuleInputs, 'sourcePrefixes'> {
  const server = config.authorizationServer;
  const issuerHosts = server.kind === 'external' ? [hostOf(server.issuerUrl), hostOf(server.jwksUrl)] : [];
  const httpsFqdns = [hostOf(config.acmeServer), ...issuerHosts].filter((host): host is string => host !== undefined);
  return { httpsFqdns: [...new Set(httpsFqdns)], httpFqdns: [config.publicHostname] };
}
