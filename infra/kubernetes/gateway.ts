import { Chart } from '@pulumi/kubernetes/helm/v4';
import * as pulumi from '@pulumi/pulumi';
import { GATEWAY } from '../../service/src/contract';
import type { GatewayProfile, NetworkProfile } from '../../stacks';
import { CHARTS } from './charts/chart-pins';

export interface GatewayArgs {
  namespace: pulumi.Input<string>;
  profile: GatewayProfile;
  /** The stack's ACR: third-party images are imported there (scanned by Defender, reachable from a private cluster). */
  registry: pulumi.Input<string>;
  zoned: boolean;
  /** The address plan: an internal load balancer takes its fixed IP in `subnets.ingress` and trusts the WAF's subnet. */
  network: NetworkProfile;
}

/** The annotations of Kong's proxy Service: none (public), or an internal load balancer at a fixed IP behind the WAF. */
export function proxyServiceAnnotations(profile: GatewayProfile, network: NetworkProfile): Record<string, string> {
  if (profile.loadBalancer !== 'internal') return {};
  return {
    'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
    // Its own subnet and a fixed address: the WAF's backend pool names it before the Service exists.
    'service.beta.kubernetes.io/azure-load-balancer-internal-subnet': 'snet-ingress',
    'service.beta.kubernetes.io/azure-load-balancer-ipv4': network.gatewayPrivateIp,
  };
}

/** Spread replicas across zones (when there are zones) and nodes, preferring but never blocking scheduling. */
export function topologySpread(zoned: boolean, matchLabels: Record<string, string>) {
  const spread = (topologyKey: string) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels },
  });
  return [...(zoned ? [spread('topology.kubernetes.io/zone')] : []), spread('kubernetes.io/hostname')];
}

/** The values of the kong/ingress chart: DB-less gateway behind one LoadBalancer, TLS only, banner off. */
export function kongValues(args: {
  registry: string;
  profile: GatewayProfile;
  zoned: boolean;
  network: NetworkProfile;
}) {
  const { profile } = args;
  const internal = profile.loadBalancer === 'internal';
  return {
    controller: {
      ingressController: {
        image: { repository: `${args.registry}/kong/kubernetes-ingress-controller`, tag: '3.5' },
        ingressClass: GATEWAY.ingressClass,
        env: { anonymous_reports: 'false' },
      },
      // Two controllers (leader election: one active), so a node drain never leaves the gateway's config unmanaged.
      replicaCount: 2,
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    },
    gateway: {
      image: { repository: `${args.registry}/kong`, tag: '3.9' },
      replicaCount: profile.replicas,
      env: {
        // No `Server: kong/x.y` or `Via` headers: the gateway does not advertise what it runs.
        headers: 'off',
        anonymous_reports: 'off',
        // Bodies above the limit are refused before buffering (the request-size plugin gives the clear 413).
        nginx_http_client_max_body_size: `${profile.maxRequestBodyMegabytes}m`,
        // Behind the WAF every connection comes from its subnet: take the client's address from X-Forwarded-For,
        // set by the WAF alone, so rate limits count clients, not WAF instances.
        ...(internal
          ? { trusted_ips: args.network.subnets.edge, real_ip_header: 'X-Forwarded-For', real_ip_recursive: 'on' }
          : {}),
      },
      proxy: {
        type: 'LoadBalancer',
        annotations: proxyServiceAnnotations(profile, args.network),
        // Port 80 exists for the ACME HTTP-01 challenge only: the MCP routes are https-only (plain HTTP gets 426,
        // never a redirect that would hide a client sending its token in clear).
        http: { enabled: true },
        tls: { enabled: true },
      },
      admin: { enabled: true, type: 'ClusterIP', clusterIP: 'None' },
      resources: profile.resources,
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      topologySpreadConstraints: topologySpread(args.zoned, {
        'app.kubernetes.io/name': 'gateway',
        'app.kubernetes.io/instance': GATEWAY.release,
      }),
    },
  };
}

/**
 * Kong: the kong/ingress chart (controller + DB-less gateway), pinned. A `helm.v4.Chart`, so every object it renders
 * is a resource of this stack: CrossGuard judges the gateway's pods and Services like ours.
 */
export class Gateway extends pulumi.ComponentResource {
  constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:Gateway', name, {}, opts);
    new Chart(
      `${name}-chart`,
      {
        name: GATEWAY.release,
        namespace: args.namespace,
        chart: CHARTS.kong.chart,
        version: CHARTS.kong.version,
        repositoryOpts: { repo: CHARTS.kong.repo },
        values: pulumi
          .output(args.registry)
          .apply((registry) =>
            kongValues({ registry, profile: args.profile, zoned: args.zoned, network: args.network }),
          ),
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
