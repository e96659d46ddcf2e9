import { defineResourcePolicy } from '../lib/define';
import { isKindOf } from '../lib/kubernetes';
import { asArray, asRecord, isUnknown, stringList } from '../lib/values';

export const isRbacRole = isKindOf(
  { kind: 'Role', group: 'rbac.authorization.k8s.io' },
  { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io' },
);

export const rbacNoWildcards = defineResourcePolicy({
  name: 'kubernetes-rbac-no-wildcards',
  description: 'Roles name their verbs, resources and API groups: no "*".',
  severity: 'high',
  checklist: ['infra-k8s-rbac', 'auth-rbac'],
  references: ['Checkov CKV_K8S_49', 'Kubescape C-0187', 'CIS Kubernetes 5.1.3'],
  remediationSteps: 'Replace "*" by the exact verbs, resources and apiGroups the subject needs.',
  appliesTo: isRbacRole,
  validate: ({ props }, _config, report) => {
    if (isUnknown(props.rules)) return;
    (asArray(props.rules) ?? []).forEach((item, index) => {
      const rule = asRecord(item);
      if (!rule) return;
      for (const field of ['verbs', 'resources', 'apiGroups'] as const) {
        const values = stringList(rule[field]);
        if (!isUnknown(values) && values?.includes('*')) report(`Rule ${index} grants "*" in ${field}.`);
      }
    });
  },
});
