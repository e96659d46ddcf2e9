import { isSecretProviderClass } from '../kubernetes/secretproviderclass-workload-identity';
import { AZURE_TYPES } from '../lib/azure';
import { defineStackPolicy } from '../lib/define';
import { isKindOf, isWorkload } from '../lib/kubernetes';
import { SYSTEM_ONLY } from '../lib/namespace-scope';
import { kubernetesObjects, objectsOfKind, workloadsOf } from '../lib/stack';
import { asArray, asRecord, asString, at, isUnknown } from '../lib/values';

export const WORKLOAD_IDENTITY = {
  useLabel: 'azure.workload.identity/use',
  clientIdAnnotation: 'azure.workload.identity/client-id',
  csiDriver: 'secrets-store.csi.k8s.io',
} as const;

export const workloadIdentityConsistent = defineStackPolicy({
  name: 'kubernetes-workload-identity-consistent',
  description:
    "Workload identity is wired end to end: the pod label, its service account's client-id annotation, the SecretProviderClass clientID and the federated credential's subject agree.",
  severity: 'high',
  checklist: ['infra-secrets-store', 'auth-rbac'],
  references: ['AKS workload identity docs', 'AKS baseline'],
  namespaceScope: SYSTEM_ONLY,
  remediationSteps: `Label the pod template \`${WORKLOAD_IDENTITY.useLabel}: "true"\`, annotate its ServiceAccount with \`${WORKLOAD_IDENTITY.clientIdAnnotation}\`, use the same client id in the SecretProviderClass, and federate system:serviceaccount:<namespace>:<name>.`,
  subjects: (type) => isWorkload(type) || isKindOf({ kind: 'ServiceAccount', group: '' })(type),
  validate: (resources, _config, report) => {
    const objects = kubernetesObjects(resources);
    const accounts = objectsOfKind(objects, 'ServiceAccount', '');
    const providerClasses = objects.filter((object) => isSecretProviderClass(object.resource.type));
    const credentials = resources.filter((resource) => resource.type === AZURE_TYPES.federatedIdentityCredential);
    const subjects = credentials.map((credential) => credential.props.subject);

    for (const account of accounts) {
      const clientId = at(account.resource.props, 'metadata', 'annotations', WORKLOAD_IDENTITY.clientIdAnnotation);
      if (clientId === undefined || credentials.length === 0) continue;
      const subject = `system:serviceaccount:${account.namespace}:${account.name}`;
      if (subjects.some((value) => isUnknown(value) || value === subject)) continue;
      report(
        `ServiceAccount ${account.namespace}/${account.name} has a client id but no federated credential for ${subject}.`,
        account.resource.urn,
      );
    }

    for (const { object, template } of workloadsOf(objects)) {
      if (template.spec === undefined || isUnknown(template.spec)) continue;
      const where = `${template.kind} ${template.namespace}/${template.name}`;
      const accountName = asString(template.spec.serviceAccountName) ?? 'default';
      const account = accounts.find(
        (candidate) => candidate.namespace === template.namespace && candidate.name === accountName,
      );
      const clientId = account
        ? at(account.resource.props, 'metadata', 'annotations', WORKLOAD_IDENTITY.clientIdAnnotation)
        : undefined;
      const label = isUnknown(template.labels) ? undefined : template.labels[WORKLOAD_IDENTITY.useLabel];
      if (label === 'true' && clientId === undefined) {
        report(
          `${where} asks for workload identity but its service account ${accountName} has no ${WORKLOAD_IDENTITY.clientIdAnnotation} annotation.`,
          object.resource.urn,
        );
      }
      if (clientId !== undefined && !isUnknown(template.labels) && label !== 'true') {
        report(
          `${where} runs as ${accountName}, which has a workload identity, but the pod lacks the ${WORKLOAD_IDENTITY.useLabel}: "true" label.`,
          object.resource.urn,
        );
      }
      for (const item of asArray(template.spec.volumes) ?? []) {
        const csi = asRecord(asRecord(item)?.csi);
        if (!csi || asString(csi.driver) !== WORKLOAD_IDENTITY.csiDriver) continue;
        const className = at(csi, 'volumeAttributes', 'secretProviderClass');
        if (isUnknown(className)) continue;
        const providerClass = providerClasses.find(
          (spc) => spc.namespace === template.namespace && spc.name === className,
        );
        if (!providerClass) {
          report(
            `${where} mounts SecretProviderClass ${String(className)}, which the stack does not declare in ${template.namespace}.`,
            object.resource.urn,
          );
          continue;
        }
        const spcClientId = at(providerClass.resource.props, 'spec', 'parameters', 'clientID');
        if (isUnknown(spcClientId) || isUnknown(clientId) || clientId === undefined) continue;
        if (spcClientId !== clientId) {
          report(
            `${where}: SecretProviderClass ${providerClass.name} uses client id ${String(spcClientId)}, but service account ${accountName} is ${String(clientId)}.`,
            object.resource.urn,
          );
        }
      }
    }
  },
});
