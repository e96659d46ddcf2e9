import { defineStackPolicy } from '../lib/define';
import { isKindOf } from '../lib/kubernetes';
import { kubernetesObjects, objectsOfKind } from '../lib/stack';
import { asArray, asRecord, at, isUnknown } from '../lib/values';

export const serviceMonitorHasAlertRules = defineStackPolicy({
  name: 'kubernetes-monitoring-has-alert-rules',
  description: 'Where metrics are scraped, alert thresholds exist: at least one PrometheusRule with alerting rules.',
  severity: 'medium',
  checklist: ['mon-alerts'],
  references: ['Prometheus operator', 'the guide (alert thresholds)'],
  remediationSteps:
    'Add a monitoring.coreos.com/v1 PrometheusRule with alerts on error rate, latency, saturation and auth failures.',
  subjects: isKindOf({ kind: 'ServiceMonitor', group: 'monitoring.coreos.com' }),
  validate: (resources, _config, report) => {
    const objects = kubernetesObjects(resources);
    const monitors = objectsOfKind(objects, 'ServiceMonitor', 'monitoring.coreos.com');
    if (monitors.length === 0) return;
    const rules = objectsOfKind(objects, 'PrometheusRule', 'monitoring.coreos.com');
    const hasAlert = rules.some((rule) => {
      const groups = at(rule.resource.props, 'spec', 'groups');
      if (isUnknown(groups)) return true;
      return (asArray(groups) ?? []).some((group) =>
        (asArray(asRecord(group)?.rules) ?? []).some((item) => asRecord(item)?.alert !== undefined),
      );
    });
    if (!hasAlert) {
      for (const monitor of monitors) {
        report(
          `ServiceMonitor ${monitor.namespace}/${monitor.name} scrapes metrics but no PrometheusRule alerts on them.`,
          monitor.resource.urn,
        );
      }
    }
  },
});
