import { CustomResource } from '@pulumi/kubernetes/apiextensions';
import { Chart } from '@pulumi/kubernetes/helm/v4';
import * as pulumi from '@pulumi/pulumi';
import { CLUSTER_NAMESPACES, GATEWAY } from '../../service/src/contract';
import { CHARTS } from './charts/chart-pins';
import { topologySpread } from './gateway';
import { GATEWAY_TLS_SECRET } from './gateway-routes';

export const ACME_ISSUER = 'letsencrypt';
/** The label cert-manager puts on its HTTP-01 solver pods; the service namespace's NetworkPolicy lets Kong reach them. */
export const ACME_SOLVER_LABEL = 'acme.cert-manager.io/http01-solver';
/** The port the acmesolver container serves the challenge on. */
export const ACME_SOLVER_PORT = 8089;
/** The webhook's port: 10250 is open from AKS's managed API server to the nodes without extra rules. */
export const CERT_MANAGER_WEBHOOK_PORT = 10250;

const SMALL = { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } };
const RESTRICTED_POD = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

/**
 * The values of the cert-manager chart: images from the stack's ACR, CRDs kept on uninstall (deleting them would
 * delete every Certificate), two replicas of each component, leases in its own namespace (nothing in kube-system).
 */
export function certManagerValues(args: { registry: string; zoned: boolean }) {
  const component = (name: string) => ({
    replicaCount: 2,
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    resources: SMALL,
    securityContext: RESTRICTED_POD,
    containerSecurityContext: RESTRICTED_CONTAINER,
    topologySpreadConstraints: topologySpread(args.zoned, {
      'app.kubernetes.io/instance': CHARTS.certManager.chart,
      'app.kubernetes.io/component': name,
    }),
  });
  return {
    imageRegistry: args.registry,
    crds: { enabled: true, keep: true },
    global: { leaderElection: { namespace: CLUSTER_NAMESPACES.certificates } },
    ...component('controller'),
    webhook: { ...component('webhook'), securePort: CERT_MANAGER_WEBHOOK_PORT },
    cainjector: component('cainjector'),
    // Pulumi waits for the webhook's Deployment before creating the Issuer: the chart's own wait hook is not needed.
    startupapicheck: { enabled: false },
    // Scraped by kube-prometheus-stack (it selects ServiceMonitors of every release).
    prometheus: { enabled: true, servicemonitor: { enabled: true } },
  };
}

export interface CertificatesArgs {
  /** cert-manager's own namespace. */
  namespace: pulumi.Input<string>;
  /** Where the Ingress, and so its Issuer, Certificate and TLS Secret, live. */
  serviceNamespace: pulumi.Input<string>;
  publicHostname: string;
  acmeServer: string;
  acmeEmail?: string;
  registry: pulumi.Input<string>;
  zoned: boolean;
  labels: Record<string, string>;
  /** The ServiceMonitor CRD (kube-prometheus-stack) and the gateway that answers the challenges. */
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * TLS for the public host name: cert-manager (pinned chart) orders a certificate from an ACME CA (Let's Encrypt by
 * default) with the HTTP-01 challenge answered through Kong, renews it before expiry and keeps it in the Secret the
 * Ingress names. HTTP-01 needs no DNS write access in the cluster (a DNS-01 identity could re-point any record of
 * the zone) and works as soon as the host name resolves to the gateway.
 */
export class Certificates extends pulumi.ComponentResource {
  constructor(name: string, args: CertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:Certificates', name, {}, opts);
    const chart = new Chart(
      `${name}-chart`,
      {
        name: CHARTS.certManager.chart,
        namespace: args.namespace,
        chart: CHARTS.certManager.chart,
        version: CHARTS.certManager.version,
        repositoryOpts: { repo: CHARTS.certManager.repo },
        values: pulumi.output(args.registry).apply((registry) => certManagerValues({ registry, zoned: args.zoned })),
      },
      { parent: this, dependsOn: args.dependsOn },
    );

    // A namespaced Issuer: only the service's namespace can order certificates from this ACME account.
    const issuer = new CustomResource(
      `${name}-issuer`,
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name: ACME_ISSUER, namespace: args.serviceNamespace, labels: args.labels },
        spec: {
          acme: {
            server: args.acmeServer,
            ...(args.acmeEmail ? { email: args.acmeEmail } : {}),
            privateKeySecretRef: { name: `${ACME_ISSUER}-account-key` },
            solvers: [
              {
                http01: {
                  ingress: {
                    ingressClassName: GATEWAY.ingressClass,
                    podTemplate: {
                      metadata: { labels: args.labels },
                      spec: { securityContext: RESTRICTED_POD, resources: SMALL },
                    },
                  },
                },
              },
            ],
          },
        },
      },
      { parent: this, dependsOn: [chart] },
    );

    new CustomResource(
      `${name}-certificate`,
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: GATEWAY_TLS_SECRET, namespace: args.serviceNamespace, labels: args.labels },
        spec: {
          secretName: GATEWAY_TLS_SECRET,
          secretTemplate: { labels: args.labels },
          dnsNames: [args.publicHostname],
          issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: ACME_ISSUER },
          // A new key with every renewal: a leaked key is useful until the next renewal at most.
          privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
          // The CA sets the lifetime (Let's Encrypt: 90 days, shrinking); renewing at a third left suits any lifetime.
          renewBeforePercentage: 33,
        },
      },
      { parent: this, dependsOn: [issuer] },
    );
    this.registerOutputs({});
  }
}
