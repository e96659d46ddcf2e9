import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHARTS, type ChartKey, THIRD_PARTY_IMAGES } from '../kubernetes/charts/chart-pins';
import { type AlsoKnownEntry, findUnknownValuesKeys, loadChartValues, VENDOR_ROOT, vendorDir } from './helm-values';

const KONG = vendorDir(CHARTS.kong.vendor);
const KPS = vendorDir(CHARTS.kubePrometheusStack.vendor);
const JAEGER = vendorDir(CHARTS.jaeger.vendor);

const kong = (values: object, alsoKnown: AlsoKnownEntry[] = []) =>
  findUnknownValuesKeys(KONG, values, CHARTS.kong.subcharts, alsoKnown);
const kps = (values: object, alsoKnown: AlsoKnownEntry[] = []) =>
  findUnknownValuesKeys(KPS, values, CHARTS.kubePrometheusStack.subcharts, alsoKnown);

/** `{ a: { b: value } }` from `'a.b'`. */
function nest(paths: readonly string[], value: unknown = 'x'): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    let node = root;
    const segments = path.split('.');
    for (const [index, segment] of segments.entries()) {
      if (index === segments.length - 1) {
        node[segment] = value;
      } else {
        node[segment] ??= {};
        node = node[segment] as Record<string, unknown>;
      }
    }
  }
  return root;
}

describe('findUnknownValuesKeys', () => {
  it('passes keys that the chart or the subchart under its alias defines', () => {
    expect(
      kong({
        controller: { enabled: true, proxy: { nameOverride: '{{ .Release.Name }}-gateway-proxy' } },
        gateway: {
          proxy: { type: 'LoadBalancer', http: { enabled: false }, tls: { enabled: true } },
          admin: { enabled: true, type: 'ClusterIP' },
          env: { database: 'off', nginx_worker_processes: '2' },
          replicaCount: 2,
        },
      }),
    ).toEqual([]);
    expect(kps({ prometheus: { prometheusSpec: { retention: '15d', ruleSelectorNilUsesHelmValues: false } } })).toEqual(
      [],
    );
    expect(findUnknownValuesKeys(JAEGER, { jaeger: { image: { registry: 'acr.example.io' } } })).toEqual([]);
  });

  it('reports a misspelt key with its full path, and nothing below it', () => {
    expect(kong({ gateway: { proxy: { tpye: 'LoadBalancer', type: 'LoadBalancer' } } })).toEqual([
      'gateway.proxy.tpye',
    ]);
    expect(kong({ gatway: { proxy: { type: 'LoadBalancer' } } })).toEqual(['gatway']);
    expect(kps({ prometheus: { prometheusSpec: { retension: '15d' } } })).toEqual([
      'prometheus.prometheusSpec.retension',
    ]);
  });

  it('does not look below a default that is an empty map, a list or null', () => {
    expect(
      kong({
        gateway: {
          proxy: { annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } },
          nodeSelector: { 'kubernetes.io/os': 'linux' },
        },
      }),
    ).toEqual([]);
    expect(
      kps({
        prometheus: {
          prometheusSpec: {
            storageSpec: { volumeClaimTemplate: { spec: { resources: { requests: { storage: '50Gi' } } } } },
            resources: { requests: { cpu: '500m' } },
          },
        },
      }),
    ).toEqual([]);
    // `userconfig` is null in the jaeger chart: free-form.
    expect(findUnknownValuesKeys(JAEGER, { userconfig: { extensions: { jaeger_storage: {} } } })).toEqual([]);
  });

  it('checks a key under a subchart alias against that subchart (and the umbrella under the alias)', () => {
    // replicaCount and podDisruptionBudget are only in the kong chart, not in the ingress umbrella.
    const values = { gateway: { replicaCount: 3, podDisruptionBudget: { enabled: true, maxUnavailible: 1 } } };
    expect(kong(values)).toEqual(['gateway.podDisruptionBudget.maxUnavailible']);
    expect(findUnknownValuesKeys(KONG, values)).toEqual(['gateway.replicaCount', 'gateway.podDisruptionBudget']);
    // The umbrella's own values under the alias count too: `enabled` (the dependency's condition) is only there.
    expect(kong({ controller: { enabled: true }, gateway: { enabled: true } })).toEqual([]);
    expect(findUnknownValuesKeys(vendorDir('kong-3.2.0'), { enabled: true })).toEqual(['enabled']);
    expect(
      kps({
        grafana: {
          sidecar: { dashboards: { enabled: true, label: 'grafana_dashboard', folderAnnotation: 'folder' } },
          admin: { existingSecret: 'grafana-admin' },
        },
        'kube-state-metrics': { resources: { requests: { cpu: '10m' } } },
        'prometheus-node-exporter': { hostNetwork: true, hostPID: true, hostRootFsMount: { enabled: false } },
      }),
    ).toEqual([]);
    expect(kps({ grafana: { sidecar: { dashboards: { lable: 'x' } } } })).toEqual(['grafana.sidecar.dashboards.lable']);
  });

  it('allows global.* when any of the files has it', () => {
    expect(kps({ global: { imageRegistry: 'acr.example.io', imagePullSecrets: [] } })).toEqual([]);
    expect(kps({ global: { imageRegistryy: 'acr.example.io' } })).toEqual(['global.imageRegistryy']);
  });

  it('takes allow-list entries, which must carry a reason, for the path and everything below it', () => {
    const values = {
      gateway: { env: { headers: 'off', trusted_ips: '10.0.0.0/8' }, affinity: { podAntiAffinity: {} } },
    };
    expect(kong(values)).toEqual(['gateway.env.headers', 'gateway.env.trusted_ips', 'gateway.affinity']);
    expect(
      kong(values, [
        'gateway.env # every key becomes KONG_<KEY> (templates/_helpers.tpl, kong.env)',
        'gateway.affinity # commented out in values.yaml; read by templates/deployment.yaml',
      ]),
    ).toEqual([]);
    expect(() => kong(values, ['gateway.env #' as AlsoKnownEntry])).toThrow(/must read/);
    expect(() => kong(values, ['gateway.env' as AlsoKnownEntry])).toThrow(/must read/);
  });

  it('keeps keys that contain dots whole (grafana.ini)', () => {
    const values = { grafana: { 'grafana.ini': { analytics: { check_for_updates: false } } } };
    expect(kps(values)).toEqual([]);
    const anonymous = { grafana: { 'grafana.ini': { 'auth.anonymous': { enabled: false } } } };
    expect(kps(anonymous)).toEqual(['grafana.grafana.ini.auth.anonymous']);
    expect(kps(anonymous, ['grafana.grafana.ini # free-form ini sections (grafana templates/_config.tpl)'])).toEqual(
      [],
    );
  });

  describe('on a small chart', () => {
    const root = mkdtempSync(join(tmpdir(), 'helm-values-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'umbrella'));
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'umbrella', 'values.yaml'), 'name: a\nlist: [1, 2]\nsub:\n  enabled: true\n');
    writeFileSync(join(root, 'sub', 'values.yaml'), 'image:\n  tag: "1"\nglobal:\n  registry: ""\n');

    it('reports the children of a scalar default, and does not look into lists or class instances', () => {
      class Output {
        readonly inner = { anything: 1 };
      }
      const values = { name: { nested: 1 }, list: [{ anything: 1 }], sub: { image: { tag: new Output() } } };
      expect(findUnknownValuesKeys(join(root, 'umbrella'), values, { sub: 'sub' })).toEqual(['name.nested']);
      expect(findUnknownValuesKeys(join(root, 'umbrella'), { global: { registry: 'r' } }, { sub: 'sub' })).toEqual([]);
      expect(findUnknownValuesKeys(join(root, 'umbrella'), { global: { registry: 'r' } })).toEqual(['global']);
    });
  });
});

describe('vendored charts', () => {
  it('has a values.yaml for each pinned chart and subchart', () => {
    for (const pin of Object.values(CHARTS)) {
      expect(pin.vendor).toBe(`${pin.chart}-${pin.version}`);
      for (const dir of [pin.vendor, ...Object.values(pin.subcharts)]) {
        expect(existsSync(join(VENDOR_ROOT, dir, 'values.yaml')), dir).toBe(true);
      }
    }
  });
});

/** The chart's default at a path, the umbrella's value under an alias winning over the subchart's (Helm's merge). */
function defaultAt(chart: ChartKey, path: string): unknown {
  const pin = CHARTS[chart];
  const segments = path.split('.');
  const at = (node: unknown, keys: readonly string[]): unknown =>
    keys.reduce<unknown>(
      (n, key) => (n !== null && typeof n === 'object' ? (n as Record<string, unknown>)[key] : undefined),
      node,
    );
  const fromUmbrella = at(loadChartValues(vendorDir(pin.vendor)), segments);
  const [alias, ...rest] = segments;
  const sub = (pin.subcharts as Record<string, string>)[alias ?? ''];
  return fromUmbrella !== undefined || sub === undefined ? fromUmbrella : at(loadChartValues(vendorDir(sub)), rest);
}

describe('THIRD_PARTY_IMAGES', () => {
  it.each(THIRD_PARTY_IMAGES.map((image) => [image.image, image] as const))('%s: its values keys exist', (_, image) => {
    const pin = CHARTS[image.chart];
    const { templateOnly = [], ...keys } = image.values;
    const alsoKnown = templateOnly.map((path) => `${path} # read by the templates only (chart-pins.ts)` as const);
    expect(findUnknownValuesKeys(vendorDir(pin.vendor), nest(Object.values(keys)), pin.subcharts, alsoKnown)).toEqual(
      [],
    );
  });

  it.each(THIRD_PARTY_IMAGES.map((image) => [image.image, image] as const))(
    '%s: the vendored defaults compose it',
    (_, image) => {
      const { values } = image;
      const registry = values.registry ? defaultAt(image.chart, values.registry) : '';
      const repository = defaultAt(image.chart, values.repository);
      const tag = defaultAt(image.chart, values.tag);
      const composed =
        values.name && values.namespace && values.globalRegistry && !repository
          ? [values.globalRegistry, values.namespace, values.name].map((key) => defaultAt(image.chart, key)).join('/')
          : undefined;
      const name = composed ?? (registry ? `${registry}/${repository}` : `${repository}`);
      if (tag) expect(image.image).toBe(`${name}:${tag}`);
      else {
        expect(image.tagDefault).toBeDefined();
        expect(image.image.startsWith(`${name}:`)).toBe(true);
      }
      expect(image.source.endsWith(image.target)).toBe(true);
    },
  );
});
