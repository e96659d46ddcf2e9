/**
 * The exposure policies (AKS API ranges, Key Vault network rules, Postgres firewall rules, NSG rules) decide by
 * address arithmetic on known values. A value only `pulumi up` knows (an address computed from another resource in a
 * first preview) cannot be counted: those policies do not guess, and this advisory policy names what is undecided, so
 * the preview says so instead of passing silently. `pulumi up` evaluates the mandatory policy on the real values.
 */
import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { asArray, asRecord, at, containsUnknown, isUnknown, type PropertyBag, sameText } from '../lib/values';
import { aksApiAccessRestricted } from './aks-api-access-restricted';
import { keyVaultNetworkRestricted } from './keyvault-network-restricted';
import { nsgNoOpenManagement } from './network-nsg-no-open-management';
import { postgresNoOpenFirewall } from './postgres-no-open-firewall';

/** The inputs of a resource its exposure policy needs and cannot read yet, by path; empty when it can decide. */
function undecidedInputs(type: string, props: PropertyBag): { policy: string; paths: string[] } | undefined {
  const unknownAt = (paths: string[][]) =>
    paths.filter((path) => containsUnknown(at(props, ...path))).map((path) => path.join('.'));
  switch (type) {
    case AZURE_TYPES.managedCluster: {
      if (at(props, 'apiServerAccessProfile', 'enablePrivateCluster') === true) return undefined;
      const paths = unknownAt([
        ['apiServerAccessProfile', 'enablePrivateCluster'],
        ['apiServerAccessProfile', 'authorizedIPRanges'],
      ]);
      return { policy: aksApiAccessRestricted.name, paths };
    }
    case AZURE_TYPES.vault: {
      if (sameText(at(props, 'properties', 'publicNetworkAccess'), 'Disabled')) return undefined;
      const paths = unknownAt([
        ['properties', 'publicNetworkAccess'],
        ['properties', 'networkAcls', 'defaultAction'],
        ['properties', 'networkAcls', 'ipRules'],
      ]);
      return { policy: keyVaultNetworkRestricted.name, paths };
    }
    case AZURE_TYPES.postgresFirewallRule:
      return { policy: postgresNoOpenFirewall.name, paths: unknownAt([['startIpAddress'], ['endIpAddress']]) };
    case AZURE_TYPES.securityRule:
      return { policy: nsgNoOpenManagement.name, paths: containsUnknown(props) ? ['the rule'] : [] };
    case AZURE_TYPES.networkSecurityGroup: {
      if (isUnknown(props.securityRules)) return { policy: nsgNoOpenManagement.name, paths: ['securityRules'] };
      const rules = asArray(props.securityRules) ?? [];
      const paths = rules.flatMap((rule, index) =>
        containsUnknown(rule) ? [`securityRules[${index}] (${String(asRecord(rule)?.name ?? '?')})`] : [],
      );
      return { policy: nsgNoOpenManagement.name, paths };
    }
    default:
      return undefined;
  }
}

export const exposureUndecided = defineResourcePolicy({
  name: 'azure-exposure-undecided',
  description:
    'Advisory: names each network exposure (AKS API ranges, Key Vault network rules, Postgres firewall rules, NSG rules) that cannot be counted in preview because an address or port is not known yet, instead of passing it silently.',
  severity: 'medium',
  enforcementLevel: 'advisory',
  checklist: ['net-private'],
  references: ['Pulumi CrossGuard: unknown values during preview'],
  remediationSteps:
    'Nothing to change when `pulumi up` passes the named policy; to decide in preview, give the addresses as known values (config) rather than outputs of resources created in the same deployment.',
  appliesTo: isType(
    AZURE_TYPES.managedCluster,
    AZURE_TYPES.vault,
    AZURE_TYPES.postgresFirewallRule,
    AZURE_TYPES.securityRule,
    AZURE_TYPES.networkSecurityGroup,
  ),
  validate: ({ type, props }, _config, report) => {
    const undecided = undecidedInputs(type, props);
    if (!undecided || undecided.paths.length === 0) return;
    report(
      `Not known in this preview: ${undecided.paths.join(', ')}. Whether it opens the resource to the Internet cannot be counted yet (${undecided.policy} decides at pulumi up).`,
    );
  },
});
