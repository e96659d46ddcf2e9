import { defineResourcePolicy } from '../lib/define';
import { isKind } from '../lib/kubernetes';
import { asString, at, isUnknown } from '../lib/values';
import { GATEWAY } from '../vendor/contract';

export const ingressClassKong = defineResourcePolicy<{ ingressClass: string }>({
  name: 'kubernetes-ingress-class-kong',
  description:
    'Ingresses are served by the API gateway (ingress class kong), where rate limiting and request limits apply.',
  severity: 'high',
  checklist: ['net-gateway', 'net-rate-limit'],
  references: ['The guide (Kong AI gateway)', 'AKS baseline (single ingress controller)'],
  remediationSteps: `Set \`spec.ingressClassName: '${GATEWAY.ingressClass}'\`.`,
  config: {
    ingressClass: { type: 'string', description: 'The gateway’s IngressClass.', default: GATEWAY.ingressClass },
  },
  appliesTo: (type) => isKind(type, 'Ingress', 'networking.k8s.io') || isKind(type, 'Ingress', 'extensions'),
  validate: ({ props }, config, report) => {
    const className = at(props, 'spec', 'ingressClassName');
    const annotation = at(props, 'metadata', 'annotations', 'kubernetes.io/ingress.class');
    if (isUnknown(className) || isUnknown(annotation)) return;
    const effective = asString(className) ?? asString(annotation);
    if (effective !== config.ingressClass) {
      report(`The Ingress class is ${effective ?? 'unset'}: set spec.ingressClassName to ${config.ingressClass}.`);
    }
  },
});
