import type { types } from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { OPERATION_EXIT_CODES } from '../../service/src/contract';
import { WORKLOAD_IDENTITY_LABEL } from './mcp-service';
import { SERVICE_CONTAINER_SECURITY, SERVICE_POD_SECURITY, TMP_MOUNT, TMP_VOLUME } from './pod-security';
import type { EnvVar } from './service-environment';

/** What the operations commands exit with on a configuration error: retrying cannot help, the Job fails at once. */
export const CONFIG_ERROR_EXIT_CODE = OPERATION_EXIT_CODES.invalidConfig;

/** One short-lived run of Node: a database migration or a token fetch. */
const OPERATIONS_RESOURCES = {
  requests: { cpu: '50m', memory: '96Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
};

export interface OperationsPodArgs {
  /** The service image, by digest. */
  image: pulumi.Input<string>;
  /** The command's script in the image (OPERATIONS.*.entryPoint). */
  entryPoint: string;
  container: string;
  serviceAccount: string;
  env: EnvVar[];
  labels: Record<string, string>;
  volumes?: types.input.core.v1.Volume[];
  volumeMounts?: types.input.core.v1.VolumeMount[];
}

/**
 * The pod of an operations Job: the service image with another entry point, under its own service account and
 * workload identity, restricted like the service (non-root, read-only, no capabilities), never restarted in place.
 */
export function operationsPodTemplate(args: OperationsPodArgs): types.input.core.v1.PodTemplateSpec {
  return {
    metadata: { labels: { ...args.labels, [WORKLOAD_IDENTITY_LABEL]: 'true' } },
    spec: {
      serviceAccountName: args.serviceAccount,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: 'Never',
      securityContext: SERVICE_POD_SECURITY,
      containers: [
        {
          name: args.container,
          image: args.image,
          imagePullPolicy: 'IfNotPresent',
          // The image's entry point is node; its default argument (dist/main.js) is the server.
          args: [args.entryPoint],
          env: args.env,
          resources: OPERATIONS_RESOURCES,
          securityContext: SERVICE_CONTAINER_SECURITY,
          volumeMounts: [TMP_MOUNT, ...(args.volumeMounts ?? [])],
        },
      ],
      volumes: [TMP_VOLUME, ...(args.volumes ?? [])],
    },
  };
}

/** A Job spec around that pod: a few retries for transient failures, none for a configuration error, a deadline. */
export function operationsJobSpec(
  template: types.input.core.v1.PodTemplateSpec,
  container: string,
): types.input.batch.v1.JobSpec {
  return {
    backoffLimit: 3,
    activeDeadlineSeconds: 900,
    podFailurePolicy: {
      rules: [
        {
          action: 'FailJob',
          onExitCodes: { containerName: container, operator: 'In', values: [CONFIG_ERROR_EXIT_CODE] },
        },
      ],
    },
    template,
  };
}
