import { beforeAll, describe, expect, it } from 'vitest';
import { type EnvironmentName, PROFILES } from '../../stacks';
import { EDGE_CERTIFICATE_NAME, EDGE_SSL_POLICY, WAF_RULE_SET } from '../azure/app-gateway';
import { kongValues } from '../kubernetes/gateway';
import { GATEWAY_PROXY_PORTS } from '../kubernetes/network-policies';
import { type ProgramRun, type RegisteredResource, resourcesOfType, runProgramUnderMocks } from './harness';
import { runAllProfiles } from './program-runs';

// biome-ignore lint/suspicious/noExplicitAny: assertions walk loosely typed ARM inputs
type Loose = any;
const inputs = (r: RegisteredResource): Loose => r.inputs;
const T = {
  appGateway: 'azure-native:network:ApplicationGateway',
  wafPolicy: 'azure-native:network:WebApplicationFirewallPolicy',
  nsg: 'azure-native:network:NetworkSecurityGroup',
  subnet: 'azure-native:network:Subnet',
  networkPolicy: 'kubernetes:networking.k8s.io/v1:NetworkPolicy',
};
let runs: Record<EnvironmentName, ProgramRun>;
beforeAll(async () => {
  runs = await runAllProfiles();
}, 240_000);

const only = (run: ProgramRun, type: string) => {
  const found = resourcesOfType(run, type);
  expect(found).toHaveLength(1);
  return inputs(found[0] as RegisteredResource);
};
const nsgRules = (run: ProgramRun, name: string): Loose[] =>
  inputs(resourcesOfType(run, T.nsg).find((n) => n.name === name) as RegisteredResource).securityRules;
const inboundAllows = (rules: Loose[]) => rules.filter((r) => r.access === 'Allow' && r.direction === 'Inbound');

describe('the edge in prod: Application Gateway WAF_v2', () => {
  it('blocks with the OWASP rule set and the gateway’s body limit', () => {
    const policy = only(runs.prod, T.wafPolicy);
    expect(policy.managedRules.managedRuleSets).toEqual([WAF_RULE_SET]);
    expect(policy.policySettings).toMatchObject({
      state: 'Enabled',
      mode: 'Prevention',
      requestBodyCheck: true,
      maxRequestBodySizeInKb: PROFILES.prod.gateway.maxRequestBodyMegabytes * 1024,
    });
  });

  it('is zone-redundant WAF_v2 in snet-edge, TLS 1.2+ with the Key Vault certificate, Kong’s internal IP as only backend', () => {
    const gateway = only(runs.prod, T.appGateway);
    const edgeSubnet = resourcesOfType(runs.prod, T.subnet).find((s) => inputs(s).subnetName === 'snet-edge');
    expect(gateway.sku).toEqual({ name: 'WAF_v2', tier: 'WAF_v2' });
    expect(gateway.zones).toEqual(['1', '2', '3']);
    expect(gateway.firewallPolicy.id).toBe(resourcesOfType(runs.prod, T.wafPolicy)[0]?.id);
    expect(gateway.gatewayIPConfigurations[0].subnet.id).toBe(edgeSubnet?.id);
    expect(gateway.sslPolicy).toEqual({ policyType: 'Predefined', policyName: EDGE_SSL_POLICY });
    expect(gateway.sslCertificates[0].keyVaultSecretId).toMatch(new RegExp(`/secrets/${EDGE_CERTIFICATE_NAME}$`));
    expect(gateway.backendAddressPools).toEqual([
      { name: 'kong', backendAddresses: [{ ipAddress: PROFILES.prod.network.gatewayPrivateIp }] },
    ]);
    // HTTPS re-encrypted to Kong under the public name; HTTP passed to Kong's port 80 (ACME HTTP-01, else 426).
    const settings = Object.fromEntries(gateway.backendHttpSettingsCollection.map((s: Loose) => [s.name, s]));
    expect(settings['kong-https']).toMatchObject({ port: 443, protocol: 'Https', hostName: 'mcp.prod.example.com' });
    expect(settings['kong-http']).toMatchObject({ port: 80, protocol: 'Http' });
    expect(gateway.redirectConfigurations).toBeUndefined();
  });

  it('waits for the Kubernetes layer (phase 2), when the certificate exists in Key Vault', async () => {
    const phase1 = await runProgramUnderMocks({ stack: 'prod', config: { kubernetesLayer: 'false' } });
    expect(resourcesOfType(phase1, T.appGateway)).toEqual([]);
  }, 120_000);

  it('has no WAF in dev and staging, where Kong’s public load balancer is the entry', () => {
    for (const env of ['dev', 'staging'] as const) expect(resourcesOfType(runs[env], T.appGateway)).toEqual([]);
  });
});

describe('the nodes’ NSG', () => {
  it('opens 80/443 only from the WAF subnet to the ingress subnet in prod, nothing from the Internet', () => {
    const { subnets } = PROFILES.prod.network;
    const allows = inboundAllows(nsgRules(runs.prod, 'network-nodes-nsg'));
    expect(allows).toEqual([
      expect.objectContaining({
        sourceAddressPrefix: subnets.edge,
        destinationAddressPrefix: subnets.ingress,
        destinationPortRanges: ['80', '443'],
      }),
    ]);
  });

  it.each(['dev', 'staging'] as const)('opens 443 and 80 (ACME HTTP-01) from the Internet in %s', (env) => {
    const allows = inboundAllows(nsgRules(runs[env], 'network-nodes-nsg'));
    expect(allows.map((r) => [r.sourceAddressPrefix, r.destinationPortRanges])).toEqual([['Internet', ['80', '443']]]);
  });

  it('lets into the WAF subnet only the Internet on 80/443, its control plane and Azure’s probes', () => {
    const allows = inboundAllows(nsgRules(runs.prod, 'network-edge-nsg'));
    expect(allows.map((r) => r.sourceAddressPrefix)).toEqual(['Internet', 'GatewayManager', 'AzureLoadBalancer']);
    expect(allows[0].destinationPortRanges).toEqual(['80', '443']);
    expect(allows[1].destinationPortRange).toBe('65200-65535');
  });
});

describe('Kong behind the WAF', () => {
  it('is an internal load balancer at the fixed IP of snet-ingress in prod, public elsewhere', () => {
    const prod = kongValues({
      registry: 'acr',
      profile: PROFILES.prod.gateway,
      zoned: true,
      network: PROFILES.prod.network,
    });
    expect(prod.gateway.proxy.annotations).toEqual({
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
      'service.beta.kubernetes.io/azure-load-balancer-internal-subnet': 'snet-ingress',
      'service.beta.kubernetes.io/azure-load-balancer-ipv4': PROFILES.prod.network.gatewayPrivateIp,
    });
    // Rate limits count clients, not WAF instances: the client address comes from the WAF's X-Forwarded-For.
    expect(prod.gateway.env).toMatchObject({
      trusted_ips: PROFILES.prod.network.subnets.edge,
      real_ip_header: 'X-Forwarded-For',
    });
    const dev = kongValues({
      registry: 'acr',
      profile: PROFILES.dev.gateway,
      zoned: false,
      network: PROFILES.dev.network,
    });
    expect(dev.gateway.proxy.annotations).toEqual({});
    expect(dev.gateway.env).not.toHaveProperty('trusted_ips');
  });

  it('the profiles agree: a WAF exactly where the gateway is internal', () => {
    for (const profile of Object.values(PROFILES)) {
      expect(profile.edge.waf !== undefined, profile.name).toBe(profile.gateway.loadBalancer === 'internal');
    }
  });

  it("Kong's NetworkPolicy lets the proxy ports in from the WAF's private addresses", () => {
    const policy = resourcesOfType(runs.prod, T.networkPolicy).find((p) => inputs(p).metadata.name === 'gateway');
    const ingress: Loose[] = inputs(policy as RegisteredResource).spec.ingress;
    const proxyPorts = (rule: Loose) => (rule.ports ?? []).map((p: Loose) => p.port);
    // A rule without peers admits every source, the WAF subnet included; one with ipBlocks must cover it.
    const admitsWaf = ingress.some(
      (rule) =>
        GATEWAY_PROXY_PORTS.every((port) => proxyPorts(rule).includes(port)) &&
        (rule.from === undefined ||
          rule.from.some((peer: Loose) => peer.ipBlock?.cidr === PROFILES.prod.network.subnets.edge)),
    );
    expect(admitsWaf).toBe(true);
  });
});
