import { Deployment } from '@pulumi/kubernetes/apps/v1';
import { Service } from '@pulumi/kubernetes/core/v1';
import { PodDisruptionBudget } from '@pulumi/kubernetes/policy/v1';
import * as pulumi from '@pulumi/pulumi';
import { AUTHORIZATION_SERVER, PATHS, PORTS, WORKLOAD } from '../../service/src/contract';
import type { ContainerResources } from '../../stacks';
import { SHUTDOWN, TERMINATION_GRACE_SECONDS, WORKLOAD_IDENTITY_LABEL } from './mcp-service';
import { SERVICE_CONTAINER_SECURITY, SERVICE_POD_SECURITY, TMP_MOUNT, TMP_VOLUME } from './pod-security';
import type { EnvVar } from './service-environment';
import { workloadServiceAccount } from './workload-service-account';

/** The port's name on the container and the Service: NetworkPolicy and the gateway refer to it. */
export const AUTHORIZATION_SERVER_PORT_NAME = 'http';
/**
 * The metrics port's name: the MCP server's, so its ServiceMonitor, NetworkPolicy rule and the pack's checks
 * (a Service with a `metrics` port is scraped; no Ingress routes to it) read the same for both servers.
 */
export const AUTHORIZATION_SERVER_METRICS_PORT_NAME = WORKLOAD.metricsPortName;

export interface AuthorizationServerArgs {
  namespace: pulumi.Input<string>;
  /** The MCP service's image, by digest: the same build, another entry point. */
  image: pulumi.Input<string>;
  /** Its own user-assigned identity (never the MCP pods'), federated with AUTHORIZATION_SERVER.serviceAccount. */
  clientId: pulumi.Input<string>;
  env: EnvVar[];
  replicas: number;
  resources: ContainerResources;
  zoned: boolean;
  labels: Record<string, string>;
  /** Annotations of the Service (the gateway's upstream policy). */
  serviceAnnotations: Record<string, string>;
  /** What must exist before its pods start: the key Job's first run, the grants on the keys, the database setup. */
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * The OAuth authorization server for MCP clients (issue 13): the service image with AUTHORIZATION_SERVER.entryPoint,
 * under its own service account and Entra identity, so the MCP pods never hold its signing keys. A fixed number of
 * replicas (sign-ins are rare next to MCP calls), spread over zones and nodes, a PodDisruptionBudget, the MCP pods'
 * restricted security context, /health for liveness and /ready (database) for readiness, and a ClusterIP Service
 * whose HTTP port only the gateway reaches and whose metrics port only Prometheus reaches (NetworkPolicy).
 */
export class AuthorizationServer extends pulumi.ComponentResource {
  readonly deployment: Deployment;
  readonly service: Service;

  constructor(name: string, args: AuthorizationServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:AuthorizationServer', name, {}, opts);
    if (args.replicas < 2) {
      throw new Error(
        `AUTHORIZATION_SERVER_SINGLE_REPLICA: ${args.replicas} replica would make every sign-in depend on one pod; set authorizationServer.replicas to 2 or more in the profile`,
      );
    }
    const selector = { ...AUTHORIZATION_SERVER.labels };
    const labels = { ...args.labels, ...AUTHORIZATION_SERVER.labels };
    const metadata = { name: AUTHORIZATION_SERVER.name, namespace: args.namespace, labels };

    const serviceAccount = workloadServiceAccount(
      `${name}-service-account`,
      { name: AUTHORIZATION_SERVER.serviceAccount, namespace: args.namespace, labels, clientId: args.clientId },
      { parent: this },
    );

    const httpGet = (path: string) => ({ httpGet: { path, port: AUTHORIZATION_SERVER_PORT_NAME } });
    const spread = (topologyKey: string) => ({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: selector },
    });

    this.deployment = new Deployment(
      `${name}-deployment`,
      {
        metadata,
        spec: {
          replicas: args.replicas,
          selector: { matchLabels: selector },
          revisionHistoryLimit: 5,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: {
            metadata: { labels: { ...labels, [WORKLOAD_IDENTITY_LABEL]: 'true' } },
            spec: {
              serviceAccountName: AUTHORIZATION_SERVER.serviceAccount,
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
              securityContext: SERVICE_POD_SECURITY,
              topologySpreadConstraints: [
                ...(args.zoned ? [spread('topology.kubernetes.io/zone')] : []),
                spread('kubernetes.io/hostname'),
              ],
              containers: [
                {
                  name: AUTHORIZATION_SERVER.container,
                  image: args.image,
                  imagePullPolicy: 'IfNotPresent',
                  // The image's entry point is node; its default argument is the MCP server.
                  args: [AUTHORIZATION_SERVER.entryPoint],
                  ports: [
                    { name: AUTHORIZATION_SERVER_PORT_NAME, containerPort: AUTHORIZATION_SERVER.port, protocol: 'TCP' },
                    // Its own listener, as the MCP server's: Prometheus scrapes it, the gateway never routes to it.
                    { name: AUTHORIZATION_SERVER_METRICS_PORT_NAME, containerPort: PORTS.metrics, protocol: 'TCP' },
                  ],
                  env: args.env,
                  resources: args.resources,
                  // Starting: the keys from Key Vault and the first pool connection, up to 60 s before liveness.
                  startupProbe: { ...httpGet(PATHS.health), periodSeconds: 2, failureThreshold: 30, timeoutSeconds: 2 },
                  // Liveness: the process answers; never its dependencies (an Entra or database outage must not restart it).
                  livenessProbe: {
                    ...httpGet(PATHS.health),
                    periodSeconds: 10,
                    failureThreshold: 3,
                    timeoutSeconds: 2,
                  },
                  // Readiness: the database answers; 503 while draining.
                  readinessProbe: { ...httpGet(PATHS.ready), periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 },
                  lifecycle: { preStop: { sleep: { seconds: SHUTDOWN.drainSeconds } } },
                  securityContext: SERVICE_CONTAINER_SECURITY,
                  volumeMounts: [TMP_MOUNT],
                },
              ],
              volumes: [TMP_VOLUME],
            },
          },
        },
      },
      { parent: this, dependsOn: [serviceAccount, ...args.dependsOn] },
    );

    this.service = new Service(
      `${name}-service`,
      {
        metadata: { ...metadata, annotations: args.serviceAnnotations },
        spec: {
          type: 'ClusterIP',
          selector,
          ports: [
            {
              name: AUTHORIZATION_SERVER_PORT_NAME,
              port: AUTHORIZATION_SERVER.port,
              targetPort: AUTHORIZATION_SERVER_PORT_NAME,
              protocol: 'TCP',
            },
            {
              name: AUTHORIZATION_SERVER_METRICS_PORT_NAME,
              port: PORTS.metrics,
              targetPort: AUTHORIZATION_SERVER_METRICS_PORT_NAME,
              protocol: 'TCP',
            },
          ],
        },
      },
      { parent: this },
    );

    new PodDisruptionBudget(
      `${name}-disruption-budget`,
      { metadata, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
