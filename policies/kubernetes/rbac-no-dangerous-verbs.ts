import { defineResourcePolicy } from '../lib/define';
import { asArray, asRecord, isUnknown, stringList } from '../lib/values';
import { isRbacRole } from './rbac-no-wildcards';

const ESCALATING_VERBS = ['escalate', 'bind', 'impersonate'];
const INTERACTIVE_SUBRESOURCES = ['pods/exec', 'pods/attach', 'pods/portforward', 'nodes/proxy'];

export const rbacNoDangerousVerbs = defineResourcePolicy({
  name: 'kubernetes-rbac-no-dangerous-verbs',
  description:
    'Roles grant no privilege escalation (escalate, bind, impersonate) and no interactive access to pods (exec, attach, port-forward).',
  severity: 'high',
  checklist: ['infra-k8s-rbac'],
  references: ['Kubescape C-0002', 'Kubescape C-0063', 'CIS Kubernetes 5.1.8', 'Checkov CKV_K8S_155-158'],
  remediationSteps: 'Remove those verbs and subresources; use `kubectl debug` through Entra-authorized admins instead.',
  appliesTo: isRbacRole,
  validate: ({ props }, _config, report) => {
    if (isUnknown(props.rules)) return;
    for (const item of asArray(props.rules) ?? []) {
      const rule = asRecord(item);
      if (!rule) continue;
      const verbs = stringList(rule.verbs);
      const resources = stringList(rule.resources);
      if (isUnknown(verbs) || isUnknown(resources)) continue;
      const escalating = (verbs ?? []).filter((verb) => ESCALATING_VERBS.includes(verb));
      if (escalating.length > 0) report(`A rule grants ${escalating.join(', ')}: privilege escalation.`);
      const interactive = (resources ?? []).filter((resource) => INTERACTIVE_SUBRESOURCES.includes(resource));
      if (interactive.length > 0)
        report(`A rule grants ${interactive.join(', ')}: interactive access to running pods.`);
    }
  },
});
