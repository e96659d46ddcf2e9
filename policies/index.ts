/**
 * The CrossGuard policy pack. This file only builds the PolicyPack: constructing one starts the analyzer gRPC server
 * (and a second one in the same process exits it), so nothing else — no test, no script — may import this file.
 * `pulumi preview --policy-pack policies` loads it.
 */
import { PolicyPack } from '@pulumi/policy';
import { PACK_NAME, securityPolicies } from './registry';

new PolicyPack(PACK_NAME, {
  description:
    'The security checklist of the secure remote MCP server as code: Azure platform (AKS, Key Vault, Managed Redis, Postgres, ACR, tags) and Kubernetes workload controls.',
  displayName: 'Secure MCP server on Azure',
  provider: 'azure',
  enforcementLevel: 'mandatory',
  tags: ['azure', 'kubernetes', 'mcp', 'security'],
  policies: [...securityPolicies],
});
