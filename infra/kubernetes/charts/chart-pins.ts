/**
 * The Helm charts we deploy, pinned, and the third-party images they run with their default values.
 *
 * Data only (no imports): the program reads it, and the tests check every values key path below against the chart's
 * own values.yaml vendored under `./vendor/<chart>-<version>/` (see ./vendor/README.md for the upstream commits).
 *
 * - `vendor` is the directory of the chart's values.yaml; `subcharts` maps the key under which a dependency's values
 *   are set (its alias) to the dependency's vendored directory.
 * - Dependencies not listed in `subcharts` are ones we never configure: kube-prometheus-stack's `crds` (local) and
 *   `prometheus-windows-exporter` (0.12.*, off: `windowsMonitoring.enabled: false`), kong's `postgresql` (off: DB-less),
 *   jaeger's library chart `common` (bitnami, 2.x).
 * - cert-manager's `startupapicheck` Job (a Helm hook that waits for the webhook) is off: Pulumi awaits the webhook's
 *   Deployment before it creates the Issuer and Certificate, so its image is not listed.
 */
export const CHARTS = {
  kong: {
    chart: 'ingress',
    version: '0.24.0',
    repo: 'https://charts.konghq.com',
    vendor: 'ingress-0.24.0',
    /** Both aliases are the `kong` chart, `=3.2.0`. */
    subcharts: { controller: 'kong-3.2.0', gateway: 'kong-3.2.0' },
  },
  kubePrometheusStack: {
    chart: 'kube-prometheus-stack',
    version: '88.5.3',
    repo: 'https://prometheus-community.github.io/helm-charts',
    vendor: 'kube-prometheus-stack-88.5.3',
    subcharts: {
      grafana: 'grafana-12.11.1',
      'kube-state-metrics': 'kube-state-metrics-8.4.0',
      'prometheus-node-exporter': 'prometheus-node-exporter-4.56.1',
    },
  },
  certManager: {
    chart: 'cert-manager',
    version: 'v1.21.1',
    repo: 'https://charts.jetstack.io',
    vendor: 'cert-manager-v1.21.1',
    subcharts: {},
  },
  jaeger: {
    chart: 'jaeger',
    version: '4.11.1',
    repo: 'https://jaegertracing.github.io/helm-charts',
    vendor: 'jaeger-4.11.1',
    subcharts: {},
  },
} as const;

export type ChartKey = keyof typeof CHARTS;

/**
 * Values key paths (dot notation, from the top of the chart's values, i.e. through the subchart alias) that set one
 * image. A key that the chart's values.yaml only shows commented out is marked in `templateOnly`.
 */
export interface ImageValueKeys {
  /** Absent when the chart has no registry key: then `repository` carries the registry host. */
  readonly registry?: string;
  /**
   * Charts that compose `<globalRegistry>/<namespace>/<name>` when `repository` is empty (cert-manager): the keys of
   * the repository namespace and of the image name.
   */
  readonly namespace?: string;
  readonly name?: string;
  readonly repository: string;
  readonly tag: string;
  /** Pins a digest; see `ThirdPartyImage.digest` for the value's format. */
  readonly digest?: string;
  /** Replaces the whole reference (`host/repo:tag` or `host/repo@sha256:...`). */
  readonly reference?: string;
  /** Sets the registry of every image of the chart (subcharts included), overriding `registry`. */
  readonly globalRegistry?: string;
  /** Keys above that values.yaml lacks (read by the templates only); pass them in `alsoKnown`. */
  readonly templateOnly?: readonly string[];
}

export interface ThirdPartyImage {
  readonly chart: ChartKey;
  /** What runs it. */
  readonly component: string;
  /** The reference the chart renders with its default values. */
  readonly image: string;
  /** Fully qualified source, for `az acr import --source`. */
  readonly source: string;
  /** `repository:tag` to create in our registry: the chart's repository path, so only the registry changes. */
  readonly target: string;
  readonly values: ImageValueKeys;
  /**
   * How a digest is given: `hex` (the template adds `@sha256:`), `sha256:hex`, `reference` (only through
   * `values.reference`).
   */
  readonly digest: 'hex' | 'sha256:hex' | 'reference';
  /** Where the default tag comes from when values.yaml leaves it empty. */
  readonly tagDefault?: string;
}

const KPS_GLOBAL = 'global.imageRegistry';
/** cert-manager's registry for all its images (top-level, not under `global`). */
const CERT_MANAGER_REGISTRY = 'imageRegistry';

/** Every image the four charts run with their default values (plus our subchart defaults), nothing optional. */
export const THIRD_PARTY_IMAGES: readonly ThirdPartyImage[] = [
  {
    chart: 'kong',
    component: 'gateway Deployment: proxy container and clear-stale-pid init container',
    image: 'kong:3.9',
    source: 'docker.io/library/kong:3.9',
    target: 'kong:3.9',
    values: {
      repository: 'gateway.image.repository',
      tag: 'gateway.image.tag',
      reference: 'gateway.image.unifiedRepoTag',
      templateOnly: ['gateway.image.unifiedRepoTag'],
    },
    digest: 'reference',
  },
  {
    chart: 'kong',
    component: 'controller Deployment: ingress-controller container',
    image: 'kong/kubernetes-ingress-controller:3.5',
    source: 'docker.io/kong/kubernetes-ingress-controller:3.5',
    target: 'kong/kubernetes-ingress-controller:3.5',
    values: {
      repository: 'controller.ingressController.image.repository',
      tag: 'controller.ingressController.image.tag',
      reference: 'controller.ingressController.image.unifiedRepoTag',
      templateOnly: ['controller.ingressController.image.unifiedRepoTag'],
    },
    digest: 'reference',
  },
  {
    chart: 'kubePrometheusStack',
    component: 'prometheus-operator Deployment',
    image: 'quay.io/prometheus-operator/prometheus-operator:v0.93.1',
    source: 'quay.io/prometheus-operator/prometheus-operator:v0.93.1',
    target: 'prometheus-operator/prometheus-operator:v0.93.1',
    values: {
      registry: 'prometheusOperator.image.registry',
      repository: 'prometheusOperator.image.repository',
      tag: 'prometheusOperator.image.tag',
      digest: 'prometheusOperator.image.sha',
      globalRegistry: KPS_GLOBAL,
    },
    digest: 'hex',
    tagDefault: 'chart appVersion v0.93.1',
  },
  {
    chart: 'kubePrometheusStack',
    component: 'config-reloader sidecar and init container the operator adds to the Prometheus and Alertmanager pods',
    image: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1',
    source: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1',
    target: 'prometheus-operator/prometheus-config-reloader:v0.93.1',
    values: {
      registry: 'prometheusOperator.prometheusConfigReloader.image.registry',
      repository: 'prometheusOperator.prometheusConfigReloader.image.repository',
      tag: 'prometheusOperator.prometheusConfigReloader.image.tag',
      digest: 'prometheusOperator.prometheusConfigReloader.image.sha',
      globalRegistry: KPS_GLOBAL,
    },
    digest: 'hex',
    tagDefault: 'chart appVersion v0.93.1',
  },
  {
    chart: 'kubePrometheusStack',
    component: 'Prometheus StatefulSet (made by the operator from the Prometheus resource)',
    image: 'quay.io/prometheus/prometheus:v3.14.0-distroless',
    source: 'quay.io/prometheus/prometheus:v3.14.0-distroless',
    target: 'prometheus/prometheus:v3.14.0-distroless',
    values: {
      registry: 'prometheus.prometheusSpec.image.registry',
      repository: 'prometheus.prometheusSpec.image.repository',
      tag: 'prometheus.prometheusSpec.image.tag',
      digest: 'prometheus.prometheusSpec.image.sha',
      globalRegistry: KPS_GLOBAL,
    },
    digest: 'hex',
  },
  {
    chart: 'kubePrometheusStack',
    component: 'Alertmanager StatefulSet (made by the operator from the Alertmanager resource)',
    image: 'quay.io/prometheus/alertmanager:v0.34.0',
    source: 'quay.io/prometheus/alertmanager:v0.34.0',
    target: 'prometheus/alertmanager:v0.34.0',
    values: {
      registry: 'alertmanager.alertmanagerSpec.image.registry',
      repository: 'alertmanager.alertmanagerSpec.image.repository',
      tag: 'alertmanager.alertmanagerSpec.image.tag',
      digest: 'alertmanager.alertmanagerSpec.image.sha',
      globalRegistry: KPS_GLOBAL,
    },
    digest: 'hex',
  },
  {
    chart: 'kubePrometheusStack',
    component: 'admission webhook certificate Jobs (admission-create, admission-patch; Helm hooks)',
    image: 'ghcr.io/jkroepke/kube-webhook-certgen:1.8.7',
    source: 'ghcr.io/jkroepke/kube-webhook-certgen:1.8.7',
    target: 'jkroepke/kube-webhook-certgen:1.8.7',
    values: {
      registry: 'prometheusOperator.admissionWebhooks.patch.image.registry',
      repository: 'prometheusOperator.admissionWebhooks.patch.image.repository',
      tag: 'prometheusOperator.admissionWebhooks.patch.image.tag',
      digest: 'prometheusOperator.admissionWebhooks.patch.image.sha',
      globalRegistry: KPS_GLOBAL,
    },
    digest: 'hex',
  },
  {
    chart: 'kubePrometheusStack',
    component: 'grafana Deployment: grafana container',
    image: 'docker.io/grafana/grafana:13.2.0',
    source: 'docker.io/grafana/grafana:13.2.0',
    target: 'grafana/grafana:13.2.0',
    values: {
      registry: 'grafana.image.registry',
      repository: 'grafana.image.repository',
      tag: 'grafana.image.tag',
      digest: 'grafana.image.sha',
      globalRegistry: KPS_GLOBAL,
    },
    digest: 'hex',
    tagDefault: 'grafana chart appVersion 13.2.0',
  },
  {
    chart: 'kubePrometheusStack',
    component: 'grafana Deployment: grafana-sc-dashboard and grafana-sc-datasources sidecars',
    image: 'quay.io/kiwigrid/k8s-sidecar:2.10.1',
    source: 'quay.io/kiwigrid/k8s-sidecar:2.10.1',
    target: 'kiwigrid/k8s-sidecar:2.10.1',
    values: {
      registry: 'grafana.sidecar.image.registry',
      repository: 'grafana.sidecar.image.repository',
      tag: 'grafana.sidecar.image.tag',
      digest: 'grafana.sidecar.image.sha',
      globalRegistry: KPS_GLOBAL,
    },
    digest: 'hex',
  },
  {
    chart: 'kubePrometheusStack',
    component: 'kube-state-metrics Deployment',
    image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0',
    source: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0',
    target: 'kube-state-metrics/kube-state-metrics:v2.20.0',
    values: {
      registry: 'kube-state-metrics.image.registry',
      repository: 'kube-state-metrics.image.repository',
      tag: 'kube-state-metrics.image.tag',
      digest: 'kube-state-metrics.image.sha',
      globalRegistry: KPS_GLOBAL,
    },
    digest: 'sha256:hex',
    tagDefault: '"v" + kube-state-metrics chart appVersion 2.20.0',
  },
  {
    chart: 'kubePrometheusStack',
    component: 'prometheus-node-exporter DaemonSet',
    image: 'quay.io/prometheus/node-exporter:v1.12.1-distroless',
    source: 'quay.io/prometheus/node-exporter:v1.12.1-distroless',
    target: 'prometheus/node-exporter:v1.12.1-distroless',
    values: {
      registry: 'prometheus-node-exporter.image.registry',
      repository: 'prometheus-node-exporter.image.repository',
      tag: 'prometheus-node-exporter.image.tag',
      digest: 'prometheus-node-exporter.image.digest',
      globalRegistry: KPS_GLOBAL,
    },
    digest: 'sha256:hex',
    tagDefault:
      '"v" + node-exporter chart appVersion 1.12.1, then "-distroless" appended because kube-prometheus-stack sets ' +
      'prometheus-node-exporter.image.distroless: true (also appended to a tag we set)',
  },
  {
    chart: 'certManager',
    component: 'cert-manager Deployment (the controller)',
    image: 'quay.io/jetstack/cert-manager-controller:v1.21.1',
    source: 'quay.io/jetstack/cert-manager-controller:v1.21.1',
    target: 'jetstack/cert-manager-controller:v1.21.1',
    values: {
      repository: 'image.repository',
      tag: 'image.tag',
      digest: 'image.digest',
      globalRegistry: CERT_MANAGER_REGISTRY,
      namespace: 'imageNamespace',
      name: 'image.name',
      templateOnly: ['image.tag', 'image.digest'],
    },
    digest: 'sha256:hex',
    tagDefault: 'chart appVersion v1.21.1',
  },
  {
    chart: 'certManager',
    component: 'cert-manager-webhook Deployment',
    image: 'quay.io/jetstack/cert-manager-webhook:v1.21.1',
    source: 'quay.io/jetstack/cert-manager-webhook:v1.21.1',
    target: 'jetstack/cert-manager-webhook:v1.21.1',
    values: {
      repository: 'webhook.image.repository',
      tag: 'webhook.image.tag',
      digest: 'webhook.image.digest',
      globalRegistry: CERT_MANAGER_REGISTRY,
      namespace: 'imageNamespace',
      name: 'webhook.image.name',
      templateOnly: ['webhook.image.tag', 'webhook.image.digest'],
    },
    digest: 'sha256:hex',
    tagDefault: 'chart appVersion v1.21.1',
  },
  {
    chart: 'certManager',
    component: 'cert-manager-cainjector Deployment',
    image: 'quay.io/jetstack/cert-manager-cainjector:v1.21.1',
    source: 'quay.io/jetstack/cert-manager-cainjector:v1.21.1',
    target: 'jetstack/cert-manager-cainjector:v1.21.1',
    values: {
      repository: 'cainjector.image.repository',
      tag: 'cainjector.image.tag',
      digest: 'cainjector.image.digest',
      globalRegistry: CERT_MANAGER_REGISTRY,
      namespace: 'imageNamespace',
      name: 'cainjector.image.name',
      templateOnly: ['cainjector.image.tag', 'cainjector.image.digest'],
    },
    digest: 'sha256:hex',
    tagDefault: 'chart appVersion v1.21.1',
  },
  {
    chart: 'certManager',
    component: 'HTTP-01 solver pods the controller creates in the service namespace during an order',
    image: 'quay.io/jetstack/cert-manager-acmesolver:v1.21.1',
    source: 'quay.io/jetstack/cert-manager-acmesolver:v1.21.1',
    target: 'jetstack/cert-manager-acmesolver:v1.21.1',
    values: {
      repository: 'acmesolver.image.repository',
      tag: 'acmesolver.image.tag',
      digest: 'acmesolver.image.digest',
      globalRegistry: CERT_MANAGER_REGISTRY,
      namespace: 'imageNamespace',
      name: 'acmesolver.image.name',
      templateOnly: ['acmesolver.image.tag', 'acmesolver.image.digest'],
    },
    digest: 'sha256:hex',
    tagDefault: 'chart appVersion v1.21.1',
  },
  {
    chart: 'jaeger',
    component: 'jaeger Deployment (all-in-one)',
    image: 'jaegertracing/jaeger:2.19.0',
    source: 'docker.io/jaegertracing/jaeger:2.19.0',
    target: 'jaegertracing/jaeger:2.19.0',
    values: {
      registry: 'jaeger.image.registry',
      repository: 'jaeger.image.repository',
      tag: 'jaeger.image.tag',
      digest: 'jaeger.image.digest',
      globalRegistry: 'global.imageRegistry',
    },
    digest: 'sha256:hex',
    tagDefault: 'chart appVersion 2.19.0',
  },
];
