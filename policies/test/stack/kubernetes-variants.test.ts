/**
 * The Kubernetes layer does not exist yet, so the stack-level Kubernetes policies are proven both ways here, with
 * objects registered by @pulumi/kubernetes under mocks: the secure baseline passes the whole pack, and the guide's own
 * insecure examples are each caught by the expected policy.
 */
import * as k8s from '@pulumi/kubernetes';
import { beforeAll, describe, expect, it } from 'vitest';
import { PATHS, PORTS, WORKLOAD } from '../../../service/src/contract';
import { evaluatePolicies, type ResourceRecord, type Violation } from '../../lib/evaluate';
import { securityPolicies } from '../../registry';
import { API, secureKubernetesBaseline } from '../fixtures/kubernetes-baseline';
import { registerUnderMocks } from '../helpers/kubernetes-mocks';

// biome-ignore lint/suspicious/noExplicitAny: fixtures are plain JSON handed to the SDK constructors.
type Args = any;

/** Registers one baseline object with the SDK class for its kind. */
function register(kind: keyof typeof API, name: string, props: Record<string, unknown>): void {
  const { apiVersion: _apiVersion, kind: _kind, ...args } = props as Args;
  switch (kind) {
    case 'Namespace':
      new k8s.core.v1.Namespace(name, args);
      break;
    case 'ServiceAccount':
      new k8s.core.v1.ServiceAccount(name, args);
      break;
    case 'Service':
      new k8s.core.v1.Service(name, args);
      break;
    case 'Deployment':
      new k8s.apps.v1.Deployment(name, args);
      break;
    case 'HorizontalPodAutoscaler':
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(name, args);
      break;
    case 'PodDisruptionBudget':
      new k8s.policy.v1.PodDisruptionBudget(name, args);
      break;
    case 'NetworkPolicy':
      new k8s.networking.v1.NetworkPolicy(name, args);
      break;
    case 'Ingress':
      new k8s.networking.v1.Ingress(name, args);
      break;
    case 'Role':
      new k8s.rbac.v1.Role(name, args);
      break;
    case 'RoleBinding':
      new k8s.rbac.v1.RoleBinding(name, args);
      break;
    default:
      new k8s.apiextensions.CustomResource(name, { apiVersion: API[kind], kind, ...args });
  }
}

const mandatory = (violations: Violation[]) => violations.filter((v) => v.enforcementLevel === 'mandatory');

describe('the secure Kubernetes baseline, registered with @pulumi/kubernetes', () => {
  let records: ResourceRecord[];
  beforeAll(async () => {
    records = await registerUnderMocks(() => {
      for (const object of secureKubernetesBaseline()) register(object.kind, object.name, object.props);
    });
  });

  it('registers the objects under the type tokens the policies recognise', () => {
    expect(records.map((record) => record.type).sort()).toEqual(
      [
        'kubernetes:apps/v1:Deployment',
        'kubernetes:autoscaling/v2:HorizontalPodAutoscaler',
        'kubernetes:configuration.konghq.com/v1:KongPlugin',
        'kubernetes:core/v1:Namespace',
        'kubernetes:core/v1:Service',
        'kubernetes:core/v1:ServiceAccount',
        'kubernetes:monitoring.coreos.com/v1:PrometheusRule',
        'kubernetes:monitoring.coreos.com/v1:ServiceMonitor',
        'kubernetes:networking.k8s.io/v1:Ingress',
        'kubernetes:networking.k8s.io/v1:NetworkPolicy',
        'kubernetes:networking.k8s.io/v1:NetworkPolicy',
        'kubernetes:policy/v1:PodDisruptionBudget',
        'kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass',
      ].sort(),
    );
  });

  it('passes every policy of the pack', async () => {
    expect(await evaluatePolicies(securityPolicies, records)).toEqual([]);
  });
});

describe("the guide's insecure examples, registered with @pulumi/kubernetes", () => {
  let violations: Violation[];
  beforeAll(async () => {
    const records = await registerUnderMocks(() => {
      // mcp-server-deployment.yaml of the guide, with its liveness probe on the dependency-checking endpoint.
      new k8s.core.v1.Namespace('guide-namespace', { metadata: { name: 'guide' } });
      new k8s.apps.v1.Deployment('guide-deployment', {
        metadata: { name: WORKLOAD.name, namespace: 'guide', labels: { app: 'mcp-server' } },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'mcp-server' } },
          template: {
            metadata: { labels: { app: 'mcp-server' } },
            spec: {
              containers: [
                {
                  name: WORKLOAD.container,
                  image: 'your-registry/mcp-server:latest',
                  ports: [{ containerPort: PORTS.http }],
                  env: [
                    { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'mcp-secrets', key: 'database-url' } } },
                  ],
                  resources: { requests: { memory: '256Mi', cpu: '250m' }, limits: { memory: '512Mi', cpu: '500m' } },
                  livenessProbe: { httpGet: { path: PATHS.ready, port: PORTS.http }, initialDelaySeconds: 30 },
                  readinessProbe: { httpGet: { path: PATHS.ready, port: PORTS.http }, initialDelaySeconds: 5 },
                },
              ],
            },
          },
        },
      });
      new k8s.core.v1.Service('guide-service', {
        metadata: { name: 'mcp-server-service', namespace: 'guide' },
        spec: { selector: { app: 'mcp-server' }, ports: [{ port: 80, targetPort: PORTS.http }], type: 'LoadBalancer' },
      });
    });
    violations = mandatory(await evaluatePolicies(securityPolicies, records));
  });

  const caught = (policy: string, resource: string) =>
    violations.filter((v) => v.policyName === policy && (v.urn ?? '').endsWith(`::${resource}`)).map((v) => v.message);

  it.each([
    ['an image :latest', 'kubernetes-pod-image-pinned', 'guide-deployment', /moving tag 'latest'/],
    [
      'a LoadBalancer Service for the app',
      'kubernetes-service-no-public-exposure',
      'guide-service',
      /guide\/mcp-server-service is LoadBalancer/,
    ],
    [
      'a liveness probe that checks dependencies',
      'kubernetes-pod-liveness-independent',
      'guide-deployment',
      /liveness probe checks \/ready, a dependency check/,
    ],
    [
      'a secret in an env var',
      'kubernetes-pod-no-secret-env',
      'guide-deployment',
      /reads the secret DATABASE_URL from a Kubernetes Secret/,
    ],
    [
      'no network policy',
      'kubernetes-networkpolicy-default-deny',
      'guide-namespace',
      /Namespace guide has no default-deny NetworkPolicy/,
    ],
    [
      'no NetworkPolicy selecting the pods',
      'kubernetes-networkpolicy-selects-every-pod',
      'guide-deployment',
      /selected by no NetworkPolicy/,
    ],
    [
      'an image from an unknown registry',
      'kubernetes-pod-image-allowed-registry',
      'guide-deployment',
      /comes from docker\.io/,
    ],
    ['root allowed', 'kubernetes-pod-run-as-non-root', 'guide-deployment', /may run as root/],
    ['no disruption budget', 'kubernetes-workload-has-pdb', 'guide-deployment', /has no PodDisruptionBudget/],
    [
      'no pod security admission label',
      'kubernetes-namespace-pod-security-restricted',
      'guide-namespace',
      /enforces no pod security level/,
    ],
  ])('catches %s with %s', (_example, policy, resource, message) => {
    expect(caught(policy, resource).join('\n')).toMatch(message);
  });
});
