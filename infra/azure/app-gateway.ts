import { UserAssignedIdentity } from '@pulumi/azure-native/managedidentity';
import { ApplicationGateway, PublicIPAddress, WebApplicationFirewallPolicy } from '@pulumi/azure-native/network';
import * as pulumi from '@pulumi/pulumi';
import type { EdgeProfile } from '../../stacks';
import { grantRole } from './role-definitions';
import type { TagMap } from './tags';

/** The Key Vault certificate the WAF's HTTPS listener serves (created before phase 2: see docs/deploy.md). */
export const EDGE_CERTIFICATE_NAME = 'edge-tls';
/** OWASP Core Rule Set: the managed rule set the WAF enforces. */
export const WAF_RULE_SET = { ruleSetType: 'OWASP', ruleSetVersion: '3.2' } as const;
/** TLS 1.2 or later, strong suites only (Application Gateway's predefined 2022 policy). */
export const EDGE_SSL_POLICY = 'AppGwSslPolicy20220101S';
/** Long enough for an MCP call that streams its result; Kong and the service keep their own, shorter limits. */
export const EDGE_REQUEST_TIMEOUT_SECONDS = 300;

export interface EdgeGatewayArgs {
  resourceGroupName: pulumi.Input<string>;
  resourceGroupId: pulumi.Input<string>;
  location: string;
  subscriptionId: pulumi.Input<string>;
  namePrefix: string;
  waf: NonNullable<EdgeProfile['waf']>;
  availabilityZones: string[];
  subnetId: pulumi.Input<string>;
  /** Kong's internal load balancer: the only backend. */
  backendIp: string;
  publicHostname: string;
  /** Request bodies above this are blocked by the WAF too (the gateway's limit). */
  maxRequestBodyMegabytes: number;
  keyVaultId: pulumi.Input<string>;
  keyVaultUri: pulumi.Input<string>;
  tags: TagMap;
}

/**
 * The public edge of prod (after mspnp/aks-baseline): Application Gateway WAF_v2 with the OWASP core rule set in
 * Prevention mode, zone-redundant and autoscaled, in front of Kong's internal load balancer.
 * - HTTPS: TLS ends here (the WAF must see the request), with the Key Vault certificate `edge-tls` read through the
 *   gateway's own identity (versionless id: a renewed certificate is picked up within hours), then TLS again to Kong
 *   with the host name as SNI; Kong's certificate is cert-manager's, from a public CA, which the gateway trusts.
 * - HTTP: forwarded as is to Kong's port 80, which answers the ACME HTTP-01 challenge (cert-manager keeps issuing
 *   Kong's certificate) and 426 to everything else: never a redirect that would hide a client sending a token in clear.
 */
export class EdgeGateway extends pulumi.ComponentResource {
  readonly publicIpAddress: pulumi.Output<string | undefined>;
  readonly gatewayId: pulumi.Output<string>;

  constructor(name: string, args: EdgeGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:azure:EdgeGateway', name, {}, opts);
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const zones = args.availabilityZones.length > 0 ? { zones: args.availabilityZones } : {};
    const gatewayName = `agw-${args.namePrefix}`;
    // Sub-resources of one gateway refer to each other by ARM id, built from the gateway's own (explicit) name.
    const child = (kind: string, childName: string) => ({
      id: pulumi.interpolate`${args.resourceGroupId}/providers/Microsoft.Network/applicationGateways/${gatewayName}/${kind}/${childName}`,
    });

    const identity = new UserAssignedIdentity(
      `${name}-identity`,
      { ...common, resourceName: `id-${args.namePrefix}-edge` },
      { parent: this },
    );
    const certificateSecretId = pulumi.interpolate`${args.keyVaultId}/secrets/${EDGE_CERTIFICATE_NAME}`;
    const certificateRead = grantRole(
      `${name}-reads-certificate`,
      {
        role: 'keyVaultSecretsUser',
        principalId: identity.principalId,
        principalType: 'ServicePrincipal',
        scope: certificateSecretId,
        subscriptionId: args.subscriptionId,
      },
      { parent: this },
    );

    const policy = new WebApplicationFirewallPolicy(
      `${name}-waf-policy`,
      {
        ...common,
        policyName: `waf-${args.namePrefix}`,
        managedRules: { managedRuleSets: [{ ...WAF_RULE_SET }] },
        policySettings: {
          state: 'Enabled',
          mode: args.waf.mode,
          requestBodyCheck: true,
          requestBodyEnforcement: true,
          maxRequestBodySizeInKb: args.maxRequestBodyMegabytes * 1024,
          fileUploadEnforcement: true,
          fileUploadLimitInMb: args.maxRequestBodyMegabytes,
        },
      },
      { parent: this },
    );

    const publicIp = new PublicIPAddress(
      `${name}-ip`,
      {
        ...common,
        publicIpAddressName: `pip-${args.namePrefix}-edge`,
        sku: { name: 'Standard', tier: 'Regional' },
        publicIPAllocationMethod: 'Static',
        publicIPAddressVersion: 'IPv4',
        ...zones,
      },
      { parent: this },
    );

    const gateway = new ApplicationGateway(
      `${name}-gateway`,
      {
        ...common,
        applicationGatewayName: gatewayName,
        ...zones,
        sku: { name: 'WAF_v2', tier: 'WAF_v2' },
        autoscaleConfiguration: { minCapacity: args.waf.minCapacity, maxCapacity: args.waf.maxCapacity },
        identity: { type: 'UserAssigned', userAssignedIdentities: [identity.id] },
        firewallPolicy: { id: policy.id },
        forceFirewallPolicyAssociation: true,
        enableHttp2: true,
        sslPolicy: { policyType: 'Predefined', policyName: EDGE_SSL_POLICY },
        gatewayIPConfigurations: [{ name: 'gateway', subnet: { id: args.subnetId } }],
        frontendIPConfigurations: [{ name: 'public', publicIPAddress: { id: publicIp.id } }],
        frontendPorts: [
          { name: 'http', port: 80 },
          { name: 'https', port: 443 },
        ],
        sslCertificates: [
          {
            name: EDGE_CERTIFICATE_NAME,
            keyVaultSecretId: pulumi.interpolate`${args.keyVaultUri}secrets/${EDGE_CERTIFICATE_NAME}`,
          },
        ],
        backendAddressPools: [{ name: 'kong', backendAddresses: [{ ipAddress: args.backendIp }] }],
        // Kong answers unknown paths with 404 and plain HTTP with 426: any answer below 500 is a live gateway.
        probes: (['Https', 'Http'] as const).map((protocol) => ({
          name: `kong-${protocol.toLowerCase()}`,
          protocol,
          host: args.publicHostname,
          path: '/',
          interval: 15,
          timeout: 10,
          unhealthyThreshold: 3,
          match: { statusCodes: ['200-499'] },
        })),
        backendHttpSettingsCollection: [
          {
            name: 'kong-https',
            port: 443,
            protocol: 'Https',
            hostName: args.publicHostname,
            cookieBasedAffinity: 'Disabled',
            requestTimeout: EDGE_REQUEST_TIMEOUT_SECONDS,
            probe: child('probes', 'kong-https'),
          },
          {
            name: 'kong-http',
            port: 80,
            protocol: 'Http',
            hostName: args.publicHostname,
            cookieBasedAffinity: 'Disabled',
            requestTimeout: 30,
            probe: child('probes', 'kong-http'),
          },
        ],
        httpListeners: [
          {
            name: 'https',
            protocol: 'Https',
            hostName: args.publicHostname,
            requireServerNameIndication: true,
            frontendIPConfiguration: child('frontendIPConfigurations', 'public'),
            frontendPort: child('frontendPorts', 'https'),
            sslCertificate: child('sslCertificates', EDGE_CERTIFICATE_NAME),
          },
          {
            name: 'http',
            protocol: 'Http',
            hostName: args.publicHostname,
            frontendIPConfiguration: child('frontendIPConfigurations', 'public'),
            frontendPort: child('frontendPorts', 'http'),
          },
        ],
        requestRoutingRules: [
          {
            name: 'https-to-kong',
            priority: 100,
            ruleType: 'Basic',
            httpListener: child('httpListeners', 'https'),
            backendAddressPool: child('backendAddressPools', 'kong'),
            backendHttpSettings: child('backendHttpSettingsCollection', 'kong-https'),
          },
          {
            name: 'http-to-kong',
            priority: 200,
            ruleType: 'Basic',
            httpListener: child('httpListeners', 'http'),
            backendAddressPool: child('backendAddressPools', 'kong'),
            backendHttpSettings: child('backendHttpSettingsCollection', 'kong-http'),
          },
        ],
      },
      // The gateway reads the certificate at creation: the grant must exist first.
      { parent: this, dependsOn: [certificateRead] },
    );
    this.gatewayId = gateway.id;
    this.publicIpAddress = publicIp.ipAddress;
    this.registerOutputs({ publicIpAddress: this.publicIpAddress });
  }
}
