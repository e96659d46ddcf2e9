import { Deployment } from '@pulumi/kubernetes/apps/v1';
import { HorizontalPodAutoscaler } from '@pulumi/kubernetes/autoscaling/v2';
import { Service } from '@pulumi/kubernetes/core/v1';
import { PodDisruptionBudget } from '@pulumi/kubernetes/policy/v1';
import * as pulumi from '@pulumi/pulumi';
import { PATHS, PORTS, WORKLOAD } from '../../service/src/contract';
import type { ContainerResources } from '../../stacks';
import { SERVICE_CONTAINER_SECURITY, SERVICE_POD_SECURITY, TMP_MOUNT, TMP_VOLUME } from './pod-security';
import { secretsStoreMount } from './secrets-store';
import type { EnvVar } from './service-environment';
import { workloadServiceAccount } from './workload-service-account';

/** The workload identity webhook's contract (Azure Workload Identity). */
export const WORKLOAD_IDENTITY_LABEL = 'azure.workload.identity/use';

/**
 * Shutdown timeline: the pod leaves the Service endpoints while `preStop` pauses (requests still arriving are served),
 * then SIGTERM starts the service's own drain (readiness 503 for the same time, then the listener closes and in-flight
 * work finishes). The grace period covers both pauses, the longest request and a margin, so no request is cut.
 */
export const SHUTDOWN = {
  drainSeconds: 10,
  /** The longest a request runs: statement timeout 10 s plus audit and response, with room to spare. */
  inFlightSeconds: 30,
  marginSeconds: 10,
} as const;
export const TERMINATION_GRACE_SECONDS = SHUTDOWN.drainSeconds * 2 + SHUTDOWN.inFlightSeconds + SHUTDOWN.marginSeconds;

export interface McpServiceArgs {
  namespace: pulumi.Input<string>;
  /** `<acr>/mcp-server@sha256:...`: by digest, never a tag. */
  image: pulumi.Input<string>;
  workloadIdentityClientId: pulumi.Input<string>;
  env: EnvVar[];
  /** The SecretProviderClass to mount at SECRETS_MOUNT_PATH; none when the service reads no secret (Entra only). */
  secretProviderClass?: string;
  resources: ContainerResources;
  minReplicas: number;
  maxReplicas: number;
  /** Zones the nodes span; with none, pods are only spread across nodes. */
  zoned: boolean;
  labels: Record<string, string>;
  /** Annotations of the Service (the gateway's upstream policy). */
  serviceAnnotations: Record<string, string>;
  /** Objects the pods need before they start (the database setup, the secret provider class). */
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * The MCP server: its ServiceAccount (workload identity), Deployment (no `replicas`: the autoscaler owns the count),
 * ClusterIP Service (HTTP and metrics ports, separately named), HorizontalPodAutoscaler and PodDisruptionBudget.
 */
export class McpService extends pulumi.ComponentResource {
  readonly serviceName: pulumi.Output<string>;
  readonly deployment: Deployment;
  readonly service: Service;

  constructor(name: string, args: McpServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:McpService', name, {}, opts);
    const selector = { ...WORKLOAD.labels };
    const labels = { ...args.labels, ...WORKLOAD.labels };
    const metadata = { name: WORKLOAD.name, namespace: args.namespace, labels };

    const serviceAccount = workloadServiceAccount(
      `${name}-service-account`,
      { name: WORKLOAD.serviceAccount, namespace: args.namespace, labels, clientId: args.workloadIdentityClientId },
      { parent: this },
    );

    const httpGet = (path: string) => ({ httpGet: { path, port: WORKLOAD.httpPortName } });
    const secrets = secretsStoreMount(args.secretProviderClass);

    const spread = (topologyKey: string) => ({
      maxSkew: 1,
      topologyKey,
      // A zone or node short of capacity must not stop a scale-up; the scheduler still prefers the even spread.
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: selector },
    });

    this.deployment = new Deployment(
      `${name}-deployment`,
      {
        metadata,
        spec: {
          selector: { matchLabels: selector },
          revisionHistoryLimit: 5,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
          template: {
            metadata: { labels: { ...labels, [WORKLOAD_IDENTITY_LABEL]: 'true' } },
            spec: {
              serviceAccountName: WORKLOAD.serviceAccount,
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
                  name: WORKLOAD.container,
                  image: args.image,
                  imagePullPolicy: 'IfNotPresent',
                  ports: [
                    { name: WORKLOAD.httpPortName, containerPort: PORTS.http, protocol: 'TCP' },
                    { name: WORKLOAD.metricsPortName, containerPort: PORTS.metrics, protocol: 'TCP' },
                  ],
                  env: args.env,
                  resources: args.resources,
                  // Starting covers the pool's first connection and the issuer's keys: up to 60 s before liveness.
                  startupProbe: { ...httpGet(PATHS.health), periodSeconds: 2, failureThreshold: 30, timeoutSeconds: 2 },
                  // Liveness: the process answers. It never checks dependencies (an outage must not restart pods).
                  livenessProbe: {
                    ...httpGet(PATHS.health),
                    periodSeconds: 10,
                    failureThreshold: 3,
                    timeoutSeconds: 2,
                  },
                  // Readiness: Postgres reachable, keys loaded; 503 while draining.
                  readinessProbe: { ...httpGet(PATHS.ready), periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 },
                  lifecycle: { preStop: { sleep: { seconds: SHUTDOWN.drainSeconds } } },
                  securityContext: SERVICE_CONTAINER_SECURITY,
                  volumeMounts: [TMP_MOUNT, ...secrets.volumeMounts],
                },
              ],
              volumes: [TMP_VOLUME, ...secrets.volumes],
            },
          },
        },
      },
      // The autoscaler owns the replica count; a deploy must not reset it.
      { parent: this, dependsOn: [serviceAccount, ...args.dependsOn], ignoreChanges: ['spec.replicas'] },
    );

    this.service = new Service(
      `${name}-service`,
      {
        metadata: { ...metadata, annotations: args.serviceAnnotations },
        spec: {
          type: 'ClusterIP',
          selector,
          ports: [
            { name: WORKLOAD.httpPortName, port: PORTS.http, targetPort: WORKLOAD.httpPortName, protocol: 'TCP' },
            {
              name: WORKLOAD.metricsPortName,
              port: PORTS.metrics,
              targetPort: WORKLOAD.metricsPortName,
              protocol: 'TCP',
            },
          ],
        },
      },
      { parent: this },
    );

    new HorizontalPodAutoscaler(
      `${name}-autoscaler`,
      {
        metadata,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.deployment.metadata.name },
          minReplicas: args.minReplicas,
          maxReplicas: args.maxReplicas,
          metrics: [
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
            {
              type: 'Resource',
              resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
            },
          ],
          // The guide's behaviour: double quickly under load, shrink by 10 % a minute after five quiet minutes.
          behavior: {
            scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
            scaleDown: {
              stabilizationWindowSeconds: 300,
              policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }],
            },
          },
        },
      },
      { parent: this },
    );

    new PodDisruptionBudget(
      `${name}-disruption-budget`,
      {
        metadata,
        // One pod at a time: node drains (security patches) proceed, and the service never loses more than one.
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      },
      { parent: this },
    );

    this.serviceName = this.service.metadata.name;
    this.registerOutputs({ serviceName: this.serviceName });
  }
}
