import { AZURE_TYPES, addonProfile, isType } from '../lib/azure';
import { defineResourcePolicy } from '../lib/define';
import { at, isUnknown } from '../lib/values';

export const aksMonitoring = defineResourcePolicy({
  name: 'azure-aks-monitoring',
  description: 'AKS sends container logs and metrics to Azure Monitor (Container insights or managed Prometheus).',
  severity: 'medium',
  checklist: ['mon-metrics', 'mon-security-events'],
  references: ['AKS baseline', 'Checkov CKV_AZURE_4'],
  remediationSteps:
    'Enable `addonProfiles.omsagent` with `config.logAnalyticsWorkspaceResourceID`, or `azureMonitorProfile.metrics.enabled`.',
  appliesTo: isType(AZURE_TYPES.managedCluster),
  validate: ({ props }, _config, report) => {
    const oms = at(addonProfile(props, 'omsagent', 'omsAgent'), 'enabled');
    const prometheus = at(props, 'azureMonitorProfile', 'metrics', 'enabled');
    if (isUnknown(oms) || isUnknown(prometheus)) return;
    if (oms !== true && prometheus !== true) {
      report('AKS monitoring is off: enable the omsagent add-on (Container insights) or azureMonitorProfile.metrics.');
    }
  },
});
