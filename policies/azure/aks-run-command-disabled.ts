import { AZURE_TYPES, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown } from '../lib/values';

export const aksRunCommandDisabled = defineResourcePolicy({
  name: 'azure-aks-run-command-disabled',
  description:
    'AKS run command is disabled (it runs kubectl in the cluster with the caller’s Azure rights, bypassing network restrictions).',
  severity: 'medium',
  checklist: ['net-private', 'infra-k8s-rbac'],
  references: ['AKS baseline', 'AKS landing zone accelerator'],
  remediationSteps: 'Set `apiServerAccessProfile.disableRunCommand: true`.',
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    const disabled = at(props, 'apiServerAccessProfile', 'disableRunCommand');
    if (!isUnknown(disabled) && disabled !== true) {
      report('AKS run command is enabled: set apiServerAccessProfile.disableRunCommand to true.');
    }
  },
});
