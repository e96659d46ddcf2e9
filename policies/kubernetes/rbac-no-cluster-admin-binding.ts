import { defineResourcePolicy, stringListConfig } from '../lib/define';
import { isKindOf, namespaceOf, objectName } from '../lib/kubernetes';
import { asString, at, isUnknown } from '../lib/values';

const PRIVILEGED_ROLES = ['cluster-admin', 'admin', 'system:masters'];

export const rbacNoClusterAdminBinding = defineResourcePolicy<{ allowedBindings: string[] }>({
  name: 'kubernetes-rbac-no-cluster-admin-binding',
  description:
    'Nothing is bound to cluster-admin (or admin): cluster administration goes through Entra groups and Azure RBAC.',
  severity: 'critical',
  checklist: ['infra-k8s-rbac', 'auth-rbac'],
  references: ['Kubescape C-0035', 'CIS Kubernetes 5.1.1', 'AKS baseline (Azure RBAC for Kubernetes)'],
  remediationSteps:
    'Bind a Role with the exact permissions needed; grant humans the AKS RBAC roles through Entra groups.',
  config: {
    allowedBindings: stringListConfig('namespace/name of bindings allowed to reference a privileged role.', []),
  },
  appliesTo: isKindOf(
    { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io' },
    { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io' },
  ),
  validate: ({ name, props }, config, report) => {
    const role = at(props, 'roleRef', 'name');
    if (isUnknown(role)) return;
    const roleName = asString(role) ?? '';
    if (!PRIVILEGED_ROLES.includes(roleName)) return;
    const namespace = namespaceOf(props);
    const bindingName = objectName(props, name);
    if (
      !isUnknown(namespace) &&
      !isUnknown(bindingName) &&
      config.allowedBindings.includes(`${namespace}/${bindingName}`)
    ) {
      return;
    }
    report(`The binding grants the ${roleName} role.`);
  },
});
