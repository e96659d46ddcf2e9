/**
 * What the nodes may reach through Azure Firewall, as data (after Microsoft's "Outbound network and FQDN rules for
 * AKS clusters" and mspnp/aks-baseline). Private endpoints (ACR, Key Vault, Redis, Postgres) and a private API server
 * stay inside the VNet and need no rule; everything not listed here is denied by the firewall.
 */

/** Azure Firewall's FQDN tag for everything AKS itself needs (MCR, node images, packages, the control plane). */
export const AKS_FQDN_TAG = 'AzureKubernetesService';

/** Add-ons the cluster runs (Container Insights with Entra auth, Azure Policy, Defender sensor, Key Vault CSI's Entra). */
export const ADDON_FQDNS = [
  // Entra ID: workload identity token exchange, the add-ons' managed identities, the JWKS of Entra-issued tokens.
  'login.microsoftonline.com',
  // Azure Monitor (Container Insights / AMA with a data collection rule).
  'global.handler.control.monitor.azure.com',
  '*.handler.control.monitor.azure.com',
  '*.ingest.monitor.azure.com',
  '*.ods.opinsights.azure.com',
  '*.oms.opinsights.azure.com',
  '*.monitoring.azure.com',
  // Azure Policy add-on (Gatekeeper's policy downloads).
  'data.policy.core.windows.net',
  'store.policy.core.windows.net',
  // Microsoft Defender for Containers sensor.
  '*.cloud.defender.microsoft.com',
] as const;

export interface EgressRuleInputs {
  /** The node subnets: the only sources the rules allow. */
  sourcePrefixes: string[];
  /** Hosts the workload calls on 443 beyond the add-ons' (the ACME CA, an external OAuth issuer and its JWKS). */
  httpsFqdns: string[];
  /**
   * Hosts of MCP clients' Client ID Metadata Documents, which the authorization server fetches (optional: none
   * without it). Its own rule, so the list operators extend is visible apart from the platform's.
   */
  clientMetadataFqdns?: string[];
  /** Hosts reached on plain HTTP: the public host name, for cert-manager's HTTP-01 self-check through the WAF. */
  httpFqdns: string[];
}

/** The host of a URL, or undefined for anything that is not one. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** The firewall policy's rule collections: one network collection (NTP), one application collection (FQDNs). */
export function egressRuleCollections(inputs: EgressRuleInputs) {
  const https = [{ protocolType: 'Https', port: 443 }];
  return [
    {
      ruleCollectionType: 'FirewallPolicyFilterRuleCollection' as const,
      name: 'aks-network',
      priority: 100,
      action: { type: 'Allow' },
      rules: [
        {
          ruleType: 'NetworkRule' as const,
          name: 'ntp',
          description: 'Node time synchronisation.',
          ipProtocols: ['UDP'],
          sourceAddresses: inputs.sourcePrefixes,
          destinationAddresses: ['*'],
          destinationPorts: ['123'],
        },
      ],
    },
    {
      ruleCollectionType: 'FirewallPolicyFilterRuleCollection' as const,
      name: 'aks-application',
      priority: 200,
      action: { type: 'Allow' },
      rules: [
        {
          ruleType: 'ApplicationRule' as const,
          name: 'aks',
          description: 'What AKS needs to run and upgrade its nodes (FQDN tag maintained by Microsoft).',
          sourceAddresses: inputs.sourcePrefixes,
          fqdnTags: [AKS_FQDN_TAG],
          protocols: [
            { protocolType: 'Http', port: 80 },
            { protocolType: 'Https', port: 443 },
          ],
        },
        {
          ruleType: 'ApplicationRule' as const,
          name: 'addons',
          description: 'Entra ID, Azure Monitor, Azure Policy and Defender endpoints of the add-ons.',
          sourceAddresses: inputs.sourcePrefixes,
          targetFqdns: [...ADDON_FQDNS],
          protocols: https,
        },
        ...(inputs.httpsFqdns.length > 0
          ? [
              {
                ruleType: 'ApplicationRule' as const,
                name: 'workload-https',
                description:
                  'The ACME CA, the OAuth issuers the workload trusts (an external one, or the public host name of the authorization server beside it).',
                sourceAddresses: inputs.sourcePrefixes,
                targetFqdns: [...new Set(inputs.httpsFqdns)],
                protocols: https,
              },
            ]
          : []),
        ...(inputs.clientMetadataFqdns && inputs.clientMetadataFqdns.length > 0
          ? [
              {
                ruleType: 'ApplicationRule' as const,
                name: 'client-metadata-documents',
                description:
                  "MCP clients' Client ID Metadata Documents, fetched by the authorization server (config clientMetadataHosts).",
                sourceAddresses: inputs.sourcePrefixes,
                targetFqdns: [...new Set(inputs.clientMetadataFqdns)],
                protocols: https,
              },
            ]
          : []),
        ...(inputs.httpFqdns.length > 0
          ? [
              {
                ruleType: 'ApplicationRule' as const,
                name: 'acme-self-check',
                description: "cert-manager's HTTP-01 self-check reaches the public host name through the WAF.",
                sourceAddresses: inputs.sourcePrefixes,
                targetFqdns: [...new Set(inputs.httpFqdns)],
                protocols: [{ protocolType: 'Http', port: 80 }],
              },
            ]
          : []),
      ],
    },
  ];
}
