import { defineResourcePolicy, stringListConfig } from '../lib/define';
import { isKind, namespaceOf, objectName } from '../lib/kubernetes';
import { asString, at, isUnknown } from '../lib/values';
import { CLUSTER_NAMESPACES, GATEWAY } from '../vendor/contract';

export const serviceNoPublicExposure = defineResourcePolicy<{ allowedServices: string[] }>({
  name: 'kubernetes-service-no-public-exposure',
  description:
    'Only the API gateway is exposed: Services are ClusterIP, except the allowed gateway proxy (LoadBalancer or NodePort).',
  severity: 'high',
  checklist: ['net-gateway', 'net-private'],
  references: ['AKS baseline (single ingress point)', 'Checkov CKV_K8S (NodePort)', 'Kubescape C-0256'],
  remediationSteps:
    'Make the Service ClusterIP and route to it through the Kong Ingress; list the gateway proxy in allowedServices.',
  config: {
    allowedServices: stringListConfig('namespace/name of Services allowed to be LoadBalancer or NodePort.', [
      `${CLUSTER_NAMESPACES.gateway}/${GATEWAY.proxyService}`,
    ]),
  },
  appliesTo: (type) => isKind(type, 'Service', ''),
  validate: ({ name, props }, config, report) => {
    const serviceType = at(props, 'spec', 'type');
    if (isUnknown(serviceType)) return;
    const kind = asString(serviceType);
    if (kind !== 'LoadBalancer' && kind !== 'NodePort') return;
    const namespace = namespaceOf(props);
    const serviceName = objectName(props, name);
    if (isUnknown(namespace) || isUnknown(serviceName)) return;
    if (!config.allowedServices.includes(`${namespace}/${serviceName}`)) {
      report(`Service ${namespace}/${serviceName} is ${kind}: expose it through the gateway instead (ClusterIP).`);
    }
  },
});
