import type { types } from '@pulumi/kubernetes';

/** The image's user (distroless `nonroot`): numeric, so the kubelet can prove runAsNonRoot without reading the image. */
export const SERVICE_UID = 65532;

/** The restricted Pod Security Standard for a pod running the service image. */
export const SERVICE_POD_SECURITY: types.input.core.v1.PodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: SERVICE_UID,
  runAsGroup: SERVICE_UID,
  fsGroup: SERVICE_UID,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The restricted Pod Security Standard for a container of the service image: nothing written but mounted volumes. */
export const SERVICE_CONTAINER_SECURITY: types.input.core.v1.SecurityContext = {
  runAsNonRoot: true,
  runAsUser: SERVICE_UID,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  privileged: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Node's temp files: the only writable path the service image needs (logs go to stdout). */
export const TMP_VOLUME = { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } } as const;
export const TMP_MOUNT = { name: 'tmp', mountPath: '/tmp' } as const;
