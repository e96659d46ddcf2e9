/**
 * Every Kubernetes object the program registers, in every profile, against the official schemas (kubernetes-models)
 * and the CRD schemas in use (prometheus-operator, Kong, Secrets Store CSI): a misspelt field fails here, where a real
 * API server would drop it silently. And every Helm values key the program sets exists in the pinned chart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EnvironmentName, PROFILES } from '../../../stacks';
import { certManagerValues } from '../../kubernetes/certificates';
import { CHARTS } from '../../kubernetes/charts/chart-pins';
import { kongValues } from '../../kubernetes/gateway';
import { kubePrometheusStackValues } from '../../kubernetes/monitoring';
import { jaegerValues } from '../../kubernetes/tracing';
import { type ProgramRun, unwrapSecrets } from '../harness';
import { findUnknownValuesKeys, vendorDir } from '../helm-values';
import { validateKubernetesObject } from '../kubernetes-schema';
import { runAllProfiles } from '../program-runs';

const environments: EnvironmentName[] = ['dev', 'staging', 'prod'];

/** Keys the charts' templates read that their values.yaml only documents in comments, or renders whole. */
const KONG_TEMPLATE_KEYS = [
  'controller.ingressController.env # kong-3.2.0 templates/_helpers.tpl: every key becomes a CONTROLLER_<KEY> env var',
  'gateway.env # kong-3.2.0 templates/_helpers.tpl: every key becomes a KONG_<KEY> kong.conf setting',
  'controller.podDisruptionBudget.maxUnavailable # kong-3.2.0 templates/pdb.yaml reads it (commented in values.yaml)',
  'gateway.podDisruptionBudget.maxUnavailable # kong-3.2.0 templates/pdb.yaml reads it (commented in values.yaml)',
  'gateway.topologySpreadConstraints # kong-3.2.0 templates/deployment.yaml renders it whole (commented in values.yaml)',
] as const;
const KUBE_PROMETHEUS_STACK_TEMPLATE_KEYS = [
  'grafana.grafana.ini # grafana-12.11.1 templates/_config.tpl renders each section of grafana.ini as free-form INI',
] as const;
const JAEGER_TEMPLATE_KEYS = [
  'jaeger.podSecurityContext # jaeger-4.11.1 templates/jaeger/jaeger-deploy.yaml renders it whole with toYaml',
  'jaeger.resources # jaeger-4.11.1 templates/jaeger/jaeger-deploy.yaml reads it (absent from values.yaml)',
] as const;
let runs: Record<EnvironmentName, ProgramRun>;
beforeAll(async () => {
  runs = await runAllProfiles();
});

/** `kubernetes:<group>/<version>:<Kind>` back to apiVersion and kind (the core group is written `core`). */
function apiOf(type: string): { apiVersion: string; kind: string } {
  const [, groupVersion = '', kind = ''] = type.split(':');
  return { apiVersion: groupVersion.startsWith('core/') ? groupVersion.slice(5) : groupVersion, kind };
}

describe.each(environments)('the %s stack’s Kubernetes objects', (env) => {
  it('all validate against their schemas', () => {
    const objects = runs[env].resources.filter(
      (r) => r.custom && r.type.startsWith('kubernetes:') && !r.type.includes('helm.sh'),
    );
    expect(objects.length).toBeGreaterThan(20);
    const problems = objects.flatMap((resource) => {
      const object = { ...apiOf(resource.type), ...(unwrapSecrets(resource.inputs) as Record<string, unknown>) };
      return validateKubernetesObject(object).map((problem) => `${resource.type} ${resource.name}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  it('a misspelt field in a registered object is caught (the check bites)', () => {
    const deployment = runs[env].resources.find((r) => r.type === 'kubernetes:apps/v1:Deployment');
    // biome-ignore lint/suspicious/noExplicitAny: mutating a deep field of plain engine inputs
    const object = unwrapSecrets(deployment?.inputs) as Record<string, any>;
    const broken = structuredClone(object);
    broken.spec.template.spec.containers[0].readinessProbe.httpGet.pth = '/ready';
    expect(validateKubernetesObject({ apiVersion: 'apps/v1', kind: 'Deployment', ...broken }).join('\n')).toMatch(
      /pth/,
    );
  });
});

describe.each(environments)('the Helm values of the %s profile', (env) => {
  const profile = PROFILES[env];
  const registry = 'acrmcpexample.azurecr.io';
  const cases = [
    [
      'kong',
      CHARTS.kong,
      kongValues({ registry, profile: profile.gateway, zoned: true, network: profile.network }),
      KONG_TEMPLATE_KEYS,
    ],
    [
      'kube-prometheus-stack',
      CHARTS.kubePrometheusStack,
      kubePrometheusStackValues({ registry, profile: profile.observability }),
      KUBE_PROMETHEUS_STACK_TEMPLATE_KEYS,
    ],
    ['jaeger', CHARTS.jaeger, jaegerValues({ registry, profile: profile.observability }), JAEGER_TEMPLATE_KEYS],
  ] as const;
  it.each(cases)('%s: every key exists in the pinned chart’s values.yaml', (_name, chart, values, alsoKnown) => {
    expect(findUnknownValuesKeys(vendorDir(chart.vendor), values, chart.subcharts, alsoKnown)).toEqual([]);
  });

  it('a misspelt key is caught (the check bites)', () => {
    const values = kongValues({ registry, profile: profile.gateway, zoned: true, network: profile.network });
    const broken = { ...values, gateway: { ...values.gateway, proxy: { ...values.gateway.proxy, tpye: 'ClusterIP' } } };
    expect(
      findUnknownValuesKeys(vendorDir(CHARTS.kong.vendor), broken, CHARTS.kong.subcharts, KONG_TEMPLATE_KEYS),
    ).toEqual(['gateway.proxy.tpye']);
  });
});

/**
 * cert-manager ships a strict values.schema.json (no unknown keys anywhere): Helm rejects values that break it before
 * rendering, so the test does what Helm would.
 */
describe('the cert-manager values', () => {
  const schema = JSON.parse(readFileSync(join(vendorDir(CHARTS.certManager.vendor), 'values.schema.json'), 'utf8'));
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  const problems = (values: unknown) =>
    validate(values)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  const registry = 'acrmcpexample.azurecr.io';

  it.each([true, false])('pass the chart’s own schema (zoned: %s)', (zoned) => {
    expect(problems(certManagerValues({ registry, zoned }))).toEqual([]);
  });

  it('a misspelt or mistyped key is caught (the check bites)', () => {
    const values = certManagerValues({ registry, zoned: true });
    expect(problems({ ...values, webhook: { ...values.webhook, replicaCont: 2 } }).join('\n')).toMatch(/replicaCont/);
    expect(problems({ ...values, replicaCount: '2' }).join('\n')).toMatch(/\/replicaCount must be number/);
  });
});
