import { NetworkPolicy } from '@pulumi/kubernetes/networking/v1';
import * as pulumi from '@pulumi/pulumi';
import { AUTHORIZATION_SERVER, CLUSTER_NAMESPACES, PORTS, TRACING, WORKLOAD } from '../../service/src/contract';
import type { NetworkProfile } from '../../stacks';
import { AUTHORIZATION_SERVER_METRICS_PORT_NAME, AUTHORIZATION_SERVER_PORT_NAME } from './authorization-server';
import { AUTHORIZATION_SERVER_KEYS_LABELS } from './authorization-server-keys';
import { ACME_SOLVER_LABEL, ACME_SOLVER_PORT, CERT_MANAGER_WEBHOOK_PORT } from './certificates';
import { DATABASE_SETUP_LABELS } from './database-setup';
import type { ClusterNamespaceKey } from './namespaces';

/** Address ranges that are never "the Internet" for an egress rule (RFC 1918, CGNAT, link-local incl. IMDS). */
export const NON_PUBLIC_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];

const POSTGRES_PORT = 5432;
const HTTPS_PORT = 443;
const HTTP_PORT = 80;
/** cert-manager's metrics (controller, webhook, cainjector), scraped by Prometheus. */
const CERT_MANAGER_METRICS_PORT = 9402;
/** The ports the Kong gateway chart's proxy container listens on (TLS and, internally, plain for the LB probe). */
export const GATEWAY_PROXY_PORTS = [8443, 8000];
/** Prometheus operator's admission webhook, called by the API server from outside the cluster network. */
const OPERATOR_WEBHOOK_PORT = 10250;

type Peer = Record<string, unknown>;
type Port = { port: number | string; protocol?: 'TCP' | 'UDP' };
interface Rule {
  peers?: Peer[];
  ports?: Port[];
}

const inNamespace = (namespace: string): Peer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
});
const anyPublicAddress: Peer = { ipBlock: { cidr: '0.0.0.0/0', except: NON_PUBLIC_RANGES } };
const cidr = (range: string): Peer => ({ ipBlock: { cidr: range } });
const dnsRule: Rule = {
  peers: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
};
const tcp = (...ports: Array<number | string>): Port[] => ports.map((port) => ({ port, protocol: 'TCP' }));

function toK8sRule(rule: Rule, direction: 'from' | 'to'): Record<string, unknown> {
  return { ...(rule.peers ? { [direction]: rule.peers } : {}), ...(rule.ports ? { ports: rule.ports } : {}) };
}

export interface NetworkPoliciesArgs {
  namespaces: Readonly<Record<ClusterNamespaceKey, pulumi.Input<string>>>;
  network: NetworkProfile;
  redisPort: number;
  labels: Record<string, string>;
  /** Whether the authorization server for MCP clients and its key Job run (their flows are opened only then). */
  authorizationServer: boolean;
}

/**
 * Default deny (ingress and egress) in every namespace of the layer, then each flow the architecture needs, named:
 * Internet → Kong proxy → MCP server (HTTP port only); Prometheus → metrics port; the MCP server → DNS, Postgres,
 * Redis and Key Vault (their private subnets), Entra ID (public HTTPS only) and Jaeger's OTLP receiver.
 */
export class NetworkPolicies extends pulumi.ComponentResource {
  readonly policies: NetworkPolicy[] = [];

  constructor(name: string, args: NetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:NetworkPolicies', name, {}, opts);
    const { subnets } = args.network;
    const policy = (
      key: string,
      namespace: pulumi.Input<string>,
      podSelector: Record<string, unknown>,
      ingress: Rule[] | undefined,
      egress: Rule[] | undefined,
    ) =>
      this.policies.push(
        new NetworkPolicy(
          `${name}-${key}`,
          {
            metadata: { name: key, namespace, labels: args.labels },
            spec: {
              podSelector,
              policyTypes: ['Ingress', 'Egress'],
              ...(ingress ? { ingress: ingress.map((rule) => toK8sRule(rule, 'from')) } : {}),
              ...(egress ? { egress: egress.map((rule) => toK8sRule(rule, 'to')) } : {}),
            },
          },
          { parent: this },
        ),
      );

    for (const key of Object.keys(args.namespaces) as ClusterNamespaceKey[]) {
      policy(`default-deny-${CLUSTER_NAMESPACES[key]}`, args.namespaces[key], {}, undefined, undefined);
    }

    const service = args.namespaces.service;
    policy(
      WORKLOAD.name,
      service,
      { matchLabels: { ...WORKLOAD.labels } },
      [
        { peers: [inNamespace(CLUSTER_NAMESPACES.gateway)], ports: tcp(WORKLOAD.httpPortName) },
        { peers: [inNamespace(CLUSTER_NAMESPACES.monitoring)], ports: tcp(WORKLOAD.metricsPortName) },
      ],
      [
        dnsRule,
        { peers: [cidr(subnets.postgres)], ports: tcp(POSTGRES_PORT) },
        // Managed Redis and Key Vault answer on their private endpoints only.
        { peers: [cidr(subnets.privateEndpoints)], ports: tcp(args.redisPort, HTTPS_PORT) },
        // Entra ID (token exchange for the workload identity, the issuer's JWKS): public HTTPS, nothing private.
        { peers: [anyPublicAddress], ports: tcp(HTTPS_PORT) },
        { peers: [inNamespace(CLUSTER_NAMESPACES.tracing)], ports: tcp(TRACING.otlpHttpPort) },
      ],
    );

    // The database setup Job: the same data paths as the service for Postgres and Entra, nothing else, no ingress.
    policy(
      'database-setup',
      service,
      { matchLabels: { ...DATABASE_SETUP_LABELS } },
      [],
      [
        dnsRule,
        { peers: [cidr(subnets.postgres)], ports: tcp(POSTGRES_PORT) },
        { peers: [anyPublicAddress], ports: tcp(HTTPS_PORT) },
      ],
    );

    if (args.authorizationServer) {
      // The authorization server: requests from the gateway, and Prometheus on the metrics port only (as the MCP
      // server). Out: DNS, Postgres, Key Vault (private endpoint; its keys), and public HTTPS only: Entra ID (sign-in,
      // token exchange) and the hosts of MCP clients' metadata documents, which it fetches itself. Never a private
      // address, whatever a client id names.
      policy(
        AUTHORIZATION_SERVER.name,
        service,
        { matchLabels: { ...AUTHORIZATION_SERVER.labels } },
        [
          { peers: [inNamespace(CLUSTER_NAMESPACES.gateway)], ports: tcp(AUTHORIZATION_SERVER_PORT_NAME) },
          { peers: [inNamespace(CLUSTER_NAMESPACES.monitoring)], ports: tcp(AUTHORIZATION_SERVER_METRICS_PORT_NAME) },
        ],
        [
          dnsRule,
          { peers: [cidr(subnets.postgres)], ports: tcp(POSTGRES_PORT) },
          { peers: [cidr(subnets.privateEndpoints)], ports: tcp(HTTPS_PORT) },
          { peers: [anyPublicAddress], ports: tcp(HTTPS_PORT) },
        ],
      );
      // Its key Job: Key Vault (private endpoint) and Entra ID (token exchange), nothing else, no ingress.
      policy(
        'authorization-server-keys',
        service,
        { matchLabels: { ...AUTHORIZATION_SERVER_KEYS_LABELS } },
        [],
        [
          dnsRule,
          { peers: [cidr(subnets.privateEndpoints)], ports: tcp(HTTPS_PORT) },
          { peers: [anyPublicAddress], ports: tcp(HTTPS_PORT) },
        ],
      );
    }

    // cert-manager's HTTP-01 solver pods (made during an order, beside the Ingress): Kong brings the CA's request.
    policy(
      'acme-http01-solver',
      service,
      { matchLabels: { [ACME_SOLVER_LABEL]: 'true' } },
      [{ peers: [inNamespace(CLUSTER_NAMESPACES.gateway)], ports: tcp(ACME_SOLVER_PORT) }],
      [],
    );

    // Kong: the proxy takes traffic from anywhere (the load balancer keeps client addresses); the controller and the
    // gateways talk inside the namespace; the gateway reaches the service's HTTP port and Redis for its counters;
    // the controller reaches the API server (public or private endpoint, on 443).
    policy(
      'gateway',
      args.namespaces.gateway,
      {},
      [{ ports: tcp(...GATEWAY_PROXY_PORTS) }, { peers: [inNamespace(CLUSTER_NAMESPACES.gateway)] }],
      [
        dnsRule,
        { peers: [inNamespace(CLUSTER_NAMESPACES.gateway)] },
        {
          peers: [inNamespace(CLUSTER_NAMESPACES.service)],
          ports: tcp(PORTS.http, ...(args.authorizationServer ? [AUTHORIZATION_SERVER.port] : [])),
        },
        { peers: [cidr(subnets.privateEndpoints)], ports: tcp(args.redisPort) },
        { ports: tcp(HTTPS_PORT) },
      ],
    );

    // Monitoring: Prometheus scrapes every namespace and the nodes (kubelet, node-exporter), the operator and Grafana
    // call the API server, Grafana queries Prometheus and Jaeger. Nothing from outside but the API server's webhook.
    policy(
      'monitoring',
      args.namespaces.monitoring,
      {},
      [{ peers: [inNamespace(CLUSTER_NAMESPACES.monitoring)] }, { ports: tcp(OPERATOR_WEBHOOK_PORT) }],
      [
        dnsRule,
        { peers: [{ namespaceSelector: {} }] },
        { peers: [cidr(args.network.addressSpace)] },
        { ports: tcp(HTTPS_PORT) },
      ],
    );

    // cert-manager: the API server calls its webhook; Prometheus scrapes it. It calls the API server and the ACME CA
    // (HTTPS), and its own challenge URL through the gateway (HTTP, public or VNet address) before the CA does.
    policy(
      'cert-manager',
      args.namespaces.certificates,
      {},
      [
        { ports: tcp(CERT_MANAGER_WEBHOOK_PORT) },
        { peers: [inNamespace(CLUSTER_NAMESPACES.monitoring)], ports: tcp(CERT_MANAGER_METRICS_PORT) },
      ],
      [
        dnsRule,
        { ports: tcp(HTTPS_PORT) },
        { peers: [anyPublicAddress, cidr(args.network.addressSpace)], ports: tcp(HTTP_PORT) },
      ],
    );

    // Jaeger: spans in from the service, queries from Grafana and Prometheus; it calls nothing but DNS.
    policy(
      'tracing',
      args.namespaces.tracing,
      {},
      [
        { peers: [inNamespace(CLUSTER_NAMESPACES.service)], ports: tcp(TRACING.otlpHttpPort, TRACING.otlpGrpcPort) },
        { peers: [inNamespace(CLUSTER_NAMESPACES.monitoring)] },
      ],
      [dnsRule],
    );
    this.registerOutputs({});
  }
}
