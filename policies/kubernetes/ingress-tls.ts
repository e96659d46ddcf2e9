import { defineResourcePolicy } from '../lib/define';
import { isKind } from '../lib/kubernetes';
import { asArray, asRecord, asString, at, isUnknown } from '../lib/values';

export const ingressTls = defineResourcePolicy({
  name: 'kubernetes-ingress-tls',
  description: 'Ingresses terminate TLS for every host they route.',
  severity: 'high',
  checklist: ['net-https'],
  references: ['Checkov CKV_K8S (ingress TLS)', 'kube-score', 'AKS baseline (TLS end to end)'],
  remediationSteps: 'Add `spec.tls` with a secret (cert-manager or Key Vault certificate) covering every rule host.',
  appliesTo: (type) => isKind(type, 'Ingress', 'networking.k8s.io') || isKind(type, 'Ingress', 'extensions'),
  validate: ({ props }, _config, report) => {
    const tls = at(props, 'spec', 'tls');
    const rules = at(props, 'spec', 'rules');
    if (isUnknown(tls) || isUnknown(rules)) return;
    const tlsEntries = asArray(tls) ?? [];
    if (tlsEntries.length === 0) {
      report('The Ingress has no TLS section: clients would connect over plain HTTP.');
      return;
    }
    const covered = new Set(tlsEntries.flatMap((entry) => (asArray(asRecord(entry)?.hosts) ?? []).map(String)));
    for (const item of asArray(rules) ?? []) {
      const host = asString(asRecord(item)?.host);
      if (host && !covered.has(host)) report(`Host ${host} has no TLS certificate in spec.tls.`);
    }
  },
});
