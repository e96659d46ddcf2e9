import { type EgressRuleInputs, hostOf } from './azure/firewall-rules';
import { type DeploymentConfig, deploysAuthorizationServer } from './config';

/**
 * The hosts this deployment's workload reaches beyond AKS's own, from its configuration: the ACME CA cert-manager
 * orders from, an external OAuth issuer and its JWKS, and the public host name (cert-manager's HTTP-01 self-check).
 * With the authorization server for MCP clients: the public host name on HTTPS too (the MCP server discovers that
 * issuer's keys at its public origin), and the hosts of the clients' metadata documents. Entra ID
 * (login.microsoftonline.com), where it signs users in, is already among the add-ons' names.
 */
export function egressRulesFor(config: DeploymentConfig): Omit<EgressRuleInputs, 'sourcePrefixes'> {
  const server = config.authorizationServer;
  const issuerHosts = server.kind === 'external' ? [hostOf(server.issuerUrl), hostOf(server.jwksUrl)] : [];
  const ownIssuer = deploysAuthorizationServer(config) ? [config.publicHostname] : [];
  const httpsFqdns = [hostOf(config.acmeServer), ...issuerHosts, ...ownIssuer].filter(
    (host): host is string => host !== undefined,
  );
  return {
    httpsFqdns: [...new Set(httpsFqdns)],
    httpFqdns: [config.publicHostname],
    clientMetadataFqdns: deploysAuthorizationServer(config) ? [...config.clientMetadataHosts] : [],
  };
}
