/**
 * The MCP service's Prometheus alerts, as the `spec.groups` of a prometheus-operator PrometheusRule.
 *
 * Pure data, no Pulumi: the Kubernetes layer wraps it in a PrometheusRule, and the tests write it to a rules file
 * for `promtool check rules` / `promtool test rules`. Every metric named here is either exported by the service
 * (service/src/observability/service-metrics.ts; a test parses these expressions against its registry) or comes from
 * kube-state-metrics / Prometheus itself (the test's allow-list).
 */
import { CLUSTER_NAMESPACES, OPERATIONS, PATHS, WORKLOAD } from '../../../service/src/contract';

export type AlertSeverity = 'critical' | 'warning';

/** One alerting rule in the Prometheus rules-file format (prometheus-operator's `Rule`). */
export interface AlertRule {
  alert: string;
  expr: string;
  /** How long the expression must hold before the alert fires (pending until then). */
  for: string;
  labels: { severity: AlertSeverity };
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface AlertRuleGroup {
  name: string;
  rules: AlertRule[];
}

export interface AlertRuleOptions {
  /** The rendered docs/runbooks.md, e.g. https://github.com/<org>/<repo>/blob/main/docs/runbooks.md. */
  runbookBaseUrl: string;
}

/**
 * Thresholds, each with the reason it is where it is. Tuning one means changing the promtool unit tests
 * (infra/test/observability/alert-rules.promtool.yml) on purpose, which is the point.
 */
export const ALERT_THRESHOLDS = {
  /**
   * 5 % of requests answering 5xx: beyond any transient (a pod dying mid-request, a failover), and at a 99.5 %
   * availability objective it burns a 30-day error budget in 3 days (burn rate 10).
   */
  errorRatio: 0.05,
  /**
   * Requests per second (all replicas) below which the error ratio does not page: at six a minute one failed request
   * is already 5 %+. A service that is fully down is caught by McpServerNoReadyPods / McpServerMetricsAbsent.
   */
  errorMinRequestsPerSecond: 0.1,
  /**
   * Seconds, p95 of POST /mcp. A tool call is one indexed query in one transaction (tens of milliseconds); a second
   * at the 95th percentile means queueing on the database or the pool, or CPU starvation. It is also a histogram
   * bucket boundary, so the quantile is not interpolated across a wide bucket.
   */
  latencyP95Seconds: 1,
  /**
   * Failed token validations per second (all replicas), the absolute floor: one a second is 60 a minute, far more
   * than a client retrying an expired token; it is a broken issuer/key rotation, a misconfigured client fleet, or
   * someone trying forged tokens.
   */
  authFailuresPerSecond: 1,
  /** ... and at least this many times the previous day's average, so a steady known background does not page. */
  authFailureBaselineFactor: 5,
  /**
   * Share of authenticated /mcp requests refused with 429, per tier. One in ten for a quarter hour means a budget
   * too small for the real load of a user or tenant, or a client looping on 429 instead of honouring Retry-After.
   */
  rateLimitRefusedRatio: 0.1,
  /** Container restarts in 30 minutes: one is a deploy or an OOM kill worth no page; three is a crash loop. */
  podRestartsIn30m: 3,
  /**
   * Seconds since a pod last fetched its issuer's signing keys, where the page becomes urgent: the service verifies
   * with the last good keys for OAUTH_JWKS_MAX_STALE_SECONDS (default 24 h) and refuses every token after; at 18 h
   * there are six hours left to restore the issuer's reachability.
   */
  signingKeysAgeCriticalSeconds: 64_800,
  /** Circuit-breaker openings in 15 minutes: one is an outage handled; more than three is Redis flapping. */
  redisBreakerOpeningsIn15m: 3,
  /**
   * Seconds since the gateway's Redis login was last renewed. Entra tokens live at least 60 minutes and the CronJob
   * runs every 20: at 50 minutes two runs in a row failed and the token is about to expire (then Kong's rate limit
   * stops counting in Redis; fault tolerant, it lets traffic through).
   */
  gatewayRedisCredentialsAgeSeconds: 3000,
  /**
   * Requests waiting for a database connection, continuously for the `for` duration: the pool (DATABASE_POOL_MAX)
   * is exhausted, every request queues behind it, and latency follows.
   */
  dbPoolWaiting: 0,
} as const;

/** Rate window: at the 30 s scrape interval, 10 samples per series, enough to survive a missed scrape. */
const RATE_WINDOW = '5m';

/** Refusals of the normal protocol flows, not failed validations: discovery without a token, scope step-up. */
const NORMAL_AUTH_REFUSALS = 'missing_token|insufficient_scope';

const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10} %`;

/** GitHub's heading anchor of an alert's section in docs/runbooks.md (`## McpServerHighErrorRate`). */
export function runbookAnchor(alert: string): string {
  return alert.toLowerCase();
}

/** The alerts and their PromQL. Expressions are built here so selectors come from the contract, never typed twice. */
export function buildAlertRuleGroups(options: AlertRuleOptions): AlertRuleGroup[] {
  // The ServiceMonitor scrapes the mcp-server Service's `metrics` port: prometheus-operator sets job to the Service
  // name and namespace to its namespace.
  const service = `job="${WORKLOAD.name}", namespace="${CLUSTER_NAMESPACES.service}"`;
  // kube-state-metrics as kube-prometheus-stack deploys it (honorLabels: namespace/pod are the object's own).
  const kubeState = `job="kube-state-metrics", namespace="${CLUSTER_NAMESPACES.service}"`;
  const notProbes = `route!~"${PATHS.health}|${PATHS.ready}"`;
  const t = ALERT_THRESHOLDS;
  const w = RATE_WINDOW;

  const tokenFailures = (window: string) =>
    `sum(rate(mcp_auth_failures_total{${service}, reason!~"${NORMAL_AUTH_REFUSALS}"}[${window}]))`;

  const rule = alertRule(options.runbookBaseUrl);

  return [
    {
      name: 'mcp-server',
      rules: [
        rule(
          'McpServerHighErrorRate',
          'critical',
          '5m',
          `(
  sum(rate(mcp_http_requests_total{${service}, status=~"5..", ${notProbes}}[${w}]))
/
  sum(rate(mcp_http_requests_total{${service}, ${notProbes}}[${w}]))
) > ${t.errorRatio}
and
sum(rate(mcp_http_requests_total{${service}, ${notProbes}}[${w}])) > ${t.errorMinRequestsPerSecond}`,
          `MCP server answers 5xx to more than ${percent(t.errorRatio)} of requests`,
          '{{ $value | humanizePercentage }} of requests on the service port (health probes excluded) answered 5xx over the last 5 minutes.',
        ),
        rule(
          'McpServerHighLatency',
          'warning',
          '10m',
          `histogram_quantile(0.95,
  sum by (le) (rate(mcp_http_request_duration_seconds_bucket{${service}, method="POST", route="${PATHS.mcp}"}[${w}]))
) > ${t.latencyP95Seconds}`,
          `MCP requests are slow (p95 above ${t.latencyP95Seconds} s)`,
          'The 95th percentile of POST /mcp is {{ $value | humanizeDuration }} over the last 5 minutes.',
        ),
        rule(
          'McpServerAuthFailureSpike',
          'warning',
          '10m',
          `${tokenFailures(w)} > ${t.authFailuresPerSecond}
and
${tokenFailures(w)} > ${t.authFailureBaselineFactor} * (${tokenFailures('1d')} or vector(0))`,
          'Spike of failed token validations',
          `{{ $value | humanize }} requests per second are refused for an invalid or unverifiable token, more than ${t.authFailureBaselineFactor} times the previous day's average.`,
        ),
        rule(
          'McpServerRateLimitRejections',
          'warning',
          '15m',
          `sum by (scope) (rate(mcp_rate_limit_decisions_total{${service}, outcome="refused"}[${w}]))
/ ignoring (scope) group_left
sum(rate(mcp_rate_limit_decisions_total{${service}, scope="user"}[${w}]))
> ${t.rateLimitRefusedRatio}`,
          'Many MCP requests refused by the rate limiter',
          '{{ $value | humanizePercentage }} of authenticated /mcp requests are refused with 429 by the {{ $labels.scope }} budget.',
        ),
        rule(
          'McpServerPodRestarts',
          'warning',
          '5m',
          `increase(kube_pod_container_status_restarts_total{${kubeState}, container="${WORKLOAD.container}"}[30m]) >= ${t.podRestartsIn30m}`,
          'MCP server container restarting repeatedly',
          'Container {{ $labels.container }} of pod {{ $labels.pod }} restarted {{ $value | humanize }} times in the last 30 minutes.',
        ),
        rule(
          'McpServerRateLimitFallback',
          'warning',
          '5m',
          `max by (namespace, pod) (mcp_rate_limit_redis_up{${service}}) == 0
or
sum by (namespace, pod) (rate(mcp_rate_limit_fallback_total{${service}}[${w}])) > 0`,
          'Rate limits decided on local counters: Redis not ready',
          'Pod {{ $labels.pod }} decides rate limits on its own counters because Redis is not ready or failing; each replica now allows the whole budget.',
        ),
        rule(
          'McpServerDatabasePoolSaturated',
          'warning',
          '10m',
          `max by (namespace, pod) (mcp_db_pool_connections{${service}, state="waiting"}) > ${t.dbPoolWaiting}`,
          'Requests waiting for a database connection',
          '{{ $value | humanize }} requests on pod {{ $labels.pod }} are waiting for a database connection: the pool is exhausted.',
        ),
        rule(
          'McpServerNoReadyPods',
          'critical',
          '5m',
          `max by (namespace, deployment) (kube_deployment_status_replicas_available{${kubeState}, deployment="${WORKLOAD.name}"}) < 1`,
          'No MCP server pod is ready',
          'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has no available replica: clients get 503 from the gateway.',
        ),
        rule(
          'McpServerSigningKeysStale',
          'warning',
          '10m',
          `max by (namespace, pod, issuer) (mcp_auth_signing_keys_stale{${service}}) == 1`,
          "The issuer's signing keys cannot be refreshed: tokens verify with the last good keys",
          'Pod {{ $labels.pod }} has not refreshed the signing keys of {{ $labels.issuer }} for over the cache age: the issuer (JWKS) is unreachable. Valid tokens still work until the stale limit.',
        ),
        rule(
          'McpServerSigningKeysNearStaleLimit',
          'critical',
          '5m',
          `max by (namespace, pod, issuer) (mcp_auth_signing_keys_age_seconds{${service}}) > ${t.signingKeysAgeCriticalSeconds}
and
max by (namespace, pod, issuer) (mcp_auth_signing_keys_stale{${service}}) == 1`,
          'Signing keys close to the stale limit: every token will be refused',
          'Pod {{ $labels.pod }} last fetched the signing keys of {{ $labels.issuer }} {{ $value | humanizeDuration }} ago; past OAUTH_JWKS_MAX_STALE_SECONDS it answers 503 to every request.',
        ),
        rule(
          'McpServerDatabaseConnectionsLost',
          'warning',
          '0m',
          `sum by (namespace, pod) (increase(mcp_db_connections_lost_total{${service}, state="in_use"}[${w}])) > 0`,
          'Database connections lost during requests',
          'Pod {{ $labels.pod }} lost {{ $value | humanize }} database connections while requests used them in the last 5 minutes (a failover, a restart or a network cut): those calls failed cleanly with a reference.',
        ),
        rule(
          'McpServerTenantPoolShareExhausted',
          'warning',
          '10m',
          `sum by (namespace, pod) (rate(mcp_db_tenant_waits_total{${service}, outcome="timed_out"}[${w}])) > 0`,
          "A tenant's calls are refused: it holds its whole share of the database pool",
          'Pod {{ $labels.pod }} refuses calls of a tenant that holds all its DATABASE_TENANT_MAX_CONNECTIONS connections (busy, retry): other tenants are unaffected.',
        ),
        rule(
          'McpServerRedisBreakerFlapping',
          'warning',
          '0m',
          `sum by (namespace, pod) (increase(mcp_rate_limit_redis_breaker_openings_total{${service}}[15m])) > ${t.redisBreakerOpeningsIn15m}`,
          'The circuit breaker to Redis keeps opening',
          'Pod {{ $labels.pod }} opened its circuit breaker to Redis {{ $value | humanize }} times in 15 minutes: Redis answers intermittently or slower than REDIS_COMMAND_TIMEOUT_MS.',
        ),
        rule(
          'McpServerDatabaseSetupFailed',
          'warning',
          '1m',
          `max by (namespace, job_name) (kube_job_status_failed{${kubeState}, job_name=~"${OPERATIONS.databaseSetup.serviceAccount}-.+"}) > 0`,
          'Database setup Job failed: the new version is not rolled out',
          'Job {{ $labels.namespace }}/{{ $labels.job_name }} failed: its migrations or the workload login did not complete, so the Deployment keeps the previous version.',
        ),
        rule(
          'McpServerGatewayRedisLoginStale',
          'warning',
          '5m',
          `time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{job="kube-state-metrics", namespace="${CLUSTER_NAMESPACES.gateway}", cronjob="${OPERATIONS.gatewayRedisCredentials.serviceAccount}"}) > ${t.gatewayRedisCredentialsAgeSeconds}`,
          "The gateway's Redis login is not being renewed",
          "The CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} last succeeded {{ $value | humanizeDuration }} ago: Kong's Entra token for Redis expires soon, and its rate limit then stops counting.",
        ),
        rule(
          'McpServerMetricsAbsent',
          'warning',
          '10m',
          `absent(up{${service}} == 1)`,
          'Prometheus scrapes no MCP server target',
          `No ${WORKLOAD.name} metrics target in namespace ${CLUSTER_NAMESPACES.service} has been up for 10 minutes: every other McpServer alert is blind meanwhile.`,
        ),
      ],
    },
  ];
}

/** A rule maker whose rules link to their section of the runbooks (one anchor per alert name). */
export function alertRule(runbookBaseUrl: string) {
  return (
    alert: string,
    severity: AlertSeverity,
    forDuration: string,
    expr: string,
    summary: string,
    description: string,
  ): AlertRule => ({
    alert,
    expr,
    for: forDuration,
    labels: { severity },
    annotations: { summary, description, runbook_url: `${runbookBaseUrl}#${runbookAnchor(alert)}` },
  });
}
