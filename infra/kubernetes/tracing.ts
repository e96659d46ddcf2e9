import { PersistentVolumeClaim } from '@pulumi/kubernetes/core/v1';
import { Chart } from '@pulumi/kubernetes/helm/v4';
import * as pulumi from '@pulumi/pulumi';
import { CLUSTER_NAMESPACES, TRACING } from '../../service/src/contract';
import type { ObservabilityProfile } from '../../stacks';
import { CHARTS } from './charts/chart-pins';

export interface TracingArgs {
  namespace: pulumi.Input<string>;
  profile: ObservabilityProfile;
  registry: pulumi.Input<string>;
}

/** Where Badger keeps traces inside the pod (a PersistentVolumeClaim where the profile keeps them). */
export const BADGER_PATH = '/badger';
const JAEGER_UID = 10001;
/** The collector's health check (the chart's probes call it). */
const JAEGER_HEALTH_PORT = 13133;
/** The persistent volume of Badger (staging, prod). */
export const TRACES_CLAIM = 'jaeger-traces';

/** The Jaeger v2 configuration (an OpenTelemetry collector): OTLP in, memory or Badger storage, the query UI. */
export function jaegerConfig(profile: ObservabilityProfile): Record<string, unknown> {
  const backend =
    profile.traceStorage === 'memory'
      ? { memory: { max_traces: 100_000 } }
      : {
          badger: {
            directories: { keys: `${BADGER_PATH}/keys`, values: `${BADGER_PATH}/values` },
            ephemeral: false,
            ttl: { spans: `${profile.traceRetentionHours}h` },
          },
        };
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
    },
    extensions: {
      // Every endpoint explicit: left empty they bind localhost, where neither the kubelet nor Grafana reach them.
      healthcheckv2: { use_v2: true, http: { endpoint: `0.0.0.0:${JAEGER_HEALTH_PORT}` } },
      jaeger_query: {
        storage: { traces: 'store' },
        http: { endpoint: `0.0.0.0:${TRACING.queryPort}` },
        grpc: { endpoint: `0.0.0.0:${TRACING.queryPort - 1}` },
      },
      jaeger_storage: { backends: { store: backend } },
    },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${TRACING.otlpGrpcPort}` },
          http: { endpoint: `0.0.0.0:${TRACING.otlpHttpPort}` },
        },
      },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'store' } },
  };
}

/** The values of the jaeger chart (v2, all-in-one): our configuration, restricted security context, ACR image. */
export function jaegerValues(args: { registry: string; profile: ObservabilityProfile }) {
  const persistent = args.profile.traceStorage === 'badger';
  return {
    global: { imageRegistry: args.registry },
    storage: { type: args.profile.traceStorage },
    userconfig: jaegerConfig(args.profile),
    jaeger: {
      replicas: 1,
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      serviceAccount: { automountServiceAccountToken: false },
      podSecurityContext: {
        runAsNonRoot: true,
        runAsUser: JAEGER_UID,
        runAsGroup: JAEGER_UID,
        fsGroup: JAEGER_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      },
      extraVolumes: persistent
        ? [{ name: 'traces', persistentVolumeClaim: { claimName: TRACES_CLAIM } }]
        : [{ name: 'traces', emptyDir: { sizeLimit: '1Gi' } }],
      extraVolumeMounts: [{ name: 'traces', mountPath: BADGER_PATH }],
    },
  };
}

/** Jaeger v2, pinned (jaegertracing/jaeger chart, all-in-one): the service exports spans to its OTLP/HTTP receiver. */
export class Tracing extends pulumi.ComponentResource {
  /** `http://jaeger.tracing.svc.cluster.local:4318`: the chart names its Service after the release. */
  readonly otlpHttpEndpoint: string =
    `http://${TRACING.release}.${CLUSTER_NAMESPACES.tracing}.svc.cluster.local:${TRACING.otlpHttpPort}`;

  constructor(name: string, args: TracingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('secure-mcp:kubernetes:Tracing', name, {}, opts);
    const persistent = args.profile.traceStorage === 'badger';
    const claim = persistent
      ? new PersistentVolumeClaim(
          `${name}-traces`,
          {
            metadata: { name: TRACES_CLAIM, namespace: args.namespace },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: 'managed-csi-premium',
              resources: { requests: { storage: `${args.profile.traceStorageGi}Gi` } },
            },
          },
          { parent: this },
        )
      : undefined;
    new Chart(
      `${name}-chart`,
      {
        name: TRACING.release,
        namespace: args.namespace,
        chart: CHARTS.jaeger.chart,
        version: CHARTS.jaeger.version,
        repositoryOpts: { repo: CHARTS.jaeger.repo },
        values: pulumi.output(args.registry).apply((registry) => jaegerValues({ registry, profile: args.profile })),
      },
      { parent: this, dependsOn: claim ? [claim] : [] },
    );
    this.registerOutputs({});
  }
}
