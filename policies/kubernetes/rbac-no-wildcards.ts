import { defineResourcePolicy, stringListConfig } from '../lib/define';
import { isKind, isKindOf, objectName } from '../lib/kubernetes';
import { asArray, asRecord, isUnknown, stringList } from '../lib/values';
import { MONITORING } from '../vendor/contract';

export const isRbacRole = isKindOf(
  { kind: 'Role', group: 'rbac.authorization.k8s.io' },
  { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io' },
);

/**
 * prometheus-operator's ClusterRole (kube-prometheus-stack, named `<release>-operator`) grants "*" verbs on the
 * monitoring CRDs, StatefulSets, ConfigMaps and Secrets: it creates, updates and deletes what it manages, and the chart
 * offers no narrower role. Only the verbs are excused: "*" resources or API groups still fail, under any name.
 */
export const PROMETHEUS_OPERATOR_CLUSTER_ROLE = `${MONITORING.release}-operator`;

export const rbacNoWildcards = defineResourcePolicy<{ verbWildcardClusterRoles: string[] }>({
  name: 'kubernetes-rbac-no-wildcards',
  description: 'Roles name their verbs, resources and API groups: no "*".',
  severity: 'high',
  checklist: ['infra-k8s-rbac', 'auth-rbac'],
  references: ['Checkov CKV_K8S_49', 'Kubescape C-0187', 'CIS Kubernetes 5.1.3'],
  remediationSteps: 'Replace "*" by the exact verbs, resources and apiGroups the subject needs.',
  config: {
    verbWildcardClusterRoles: stringListConfig(
      'ClusterRoles of third-party operators that may grant "*" verbs (never "*" resources or API groups): ' +
        'prometheus-operator manages its objects with every verb and its chart has no narrower role.',
      [PROMETHEUS_OPERATOR_CLUSTER_ROLE],
    ),
  },
  appliesTo: isRbacRole,
  validate: ({ type, props, name }, config, report) => {
    if (isUnknown(props.rules)) return;
    const roleName = objectName(props, name);
    const verbsExcused =
      isKind(type, 'ClusterRole', 'rbac.authorization.k8s.io') &&
      !isUnknown(roleName) &&
      config.verbWildcardClusterRoles.includes(roleName);
    (asArray(props.rules) ?? []).forEach((item, index) => {
      const rule = asRecord(item);
      if (!rule) return;
      for (const field of ['verbs', 'resources', 'apiGroups'] as const) {
        if (field === 'verbs' && verbsExcused) continue;
        const values = stringList(rule[field]);
        if (!isUnknown(values) && values?.includes('*')) report(`Rule ${index} grants "*" in ${field}.`);
      }
    });
  },
});
