import { defineStackPolicy } from '../lib/define';
import { isServingWorkload, selectorMatches } from '../lib/kubernetes';
import { SINGLE_REPLICA_ADD_ONS } from '../lib/namespace-scope';
import { kubernetesObjects, objectsOfKind, workloadsOf } from '../lib/stack';
import { at, isUnknown } from '../lib/values';

export const workloadHasPdb = defineStackPolicy({
  name: 'kubernetes-workload-has-pdb',
  description: 'Every Deployment and StatefulSet is covered by a PodDisruptionBudget, so node drains keep it serving.',
  severity: 'medium',
  checklist: ['infra-security-updates'],
  references: ['kube-score deployment-has-poddisruptionbudget', 'AKS baseline'],
  remediationSteps: "Add a `policy/v1` PodDisruptionBudget selecting the workload's pods with maxUnavailable: 1.",
  namespaceScope: SINGLE_REPLICA_ADD_ONS,
  subjects: isServingWorkload,
  validate: (resources, _config, report) => {
    const objects = kubernetesObjects(resources);
    const budgets = objectsOfKind(objects, 'PodDisruptionBudget', 'policy');
    for (const { object, template } of workloadsOf(objects, ['Deployment', 'StatefulSet'])) {
      const verdicts = budgets
        .filter((budget) => budget.namespace === template.namespace)
        .map((budget) => {
          const selector = at(budget.resource.props, 'spec', 'selector');
          // A PDB without selector selects nothing (policy/v1); only a real selector counts.
          return selector === undefined ? false : selectorMatches(selector, template.labels);
        });
      if (verdicts.some((verdict) => verdict === true || isUnknown(verdict))) continue;
      report(
        `${template.kind} ${template.namespace}/${template.name} has no PodDisruptionBudget.`,
        object.resource.urn,
      );
    }
  },
});
