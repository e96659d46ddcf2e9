import { AZURE_TYPES } from '../lib/azure';
import { defineDiagnosticsPolicy } from './diagnostics';

export const ACR_DIAGNOSTICS = {
  targetType: AZURE_TYPES.containerRegistry,
  armSegment: 'registries',
  nameProperty: 'registryName',
  categories: [
    ['ContainerRegistryLoginEvents', 'audit', 'allLogs'],
    ['ContainerRegistryRepositoryEvents', 'audit', 'allLogs'],
  ],
} as const;

export const acrDiagnostics = defineDiagnosticsPolicy(
  {
    name: 'azure-acr-diagnostics',
    description:
      'Every container registry sends its login and repository events (pushes, pulls, deletes of images) to Log Analytics.',
    severity: 'medium',
    checklist: ['data-audit', 'mon-security-events', 'infra-image-scanning'],
    references: ['Azure security benchmark LT-3', 'Checkov CKV_AZURE (ACR logging)'],
    remediationSteps:
      "Add a `monitor.DiagnosticSetting` on the registry with ContainerRegistryLoginEvents and ContainerRegistryRepositoryEvents (or categoryGroup 'audit').",
  },
  ACR_DIAGNOSTICS,
  'Container registry',
);
