/**
 * The authorization server's Prometheus alerts (issue 13), as the `spec.groups` of its own PrometheusRule, deployed
 * only with the authorization server (a stack trusting an external issuer would otherwise page on its absence).
 *
 * Pure data, no Pulumi, like alert-rules.ts: the tests write it to a rules file for `promtool check rules` /
 * `promtool test rules`, and parse every expression against the authorization server's registry
 * (service/src/authorization-server/observability/authorization-server-metrics.ts).
 */
import { AUTHORIZATION_SERVER, CLUSTER_NAMESPACES, PATHS } from '../../../service/src/contract';
import { type AlertRuleGroup, type AlertRuleOptions, alertRule } from './alert-rules';

/**
 * The `event` label values these alerts select (AUTHORIZATION_EVENTS in service/src/authorization-server/audit; a
 * test holds them equal, since this module may import nothing but the contract and alert-rules).
 */
export const AUTHORIZATION_SERVER_ALERT_EVENTS = {
  token: 'oauth.token',
  refreshTokenReuse: 'oauth.refresh_token_reuse',
  codeReuse: 'oauth.code_reuse',
} as const;

/**
 * Thresholds, each with the reason it is where it is. Tuning one means changing the promtool unit tests
 * (infra/test/observability/authorization-server-alert-rules.promtool.yml) on purpose.
 */
export const AUTHORIZATION_SERVER_ALERT_THRESHOLDS = {
  /** 5 % of requests answering 5xx, the MCP server's threshold: beyond a pod dying mid-request or a failover. */
  errorRatio: 0.05,
  /**
   * Requests per second (all replicas) below which the 5xx ratio does not page. Sign-ins are rare next to MCP calls
   * (about ten requests each, a refresh one), so the floor is half the MCP server's: three requests a minute.
   */
  errorMinRequestsPerSecond: 0.05,
  /**
   * Share of token requests refused (any OAuth error). Some refusals are normal: an expired refresh token after a
   * user's long absence, a code that timed out. A quarter of all token requests for a quarter hour is not that: a
   * client fleet sending bad PKCE verifiers or redirect URIs, a broken key rotation, or someone guessing codes.
   */
  tokenRefusedRatio: 0.25,
  /** Token requests per second below which the refused share does not page (two a minute: one refusal is 50 %). */
  tokenMinRequestsPerSecond: 1 / 30,
} as const;

/** At the 30 s scrape interval, 10 samples per series. */
const RATE_WINDOW = '5m';
/** Token requests are rarer than MCP calls: a longer window so a handful of requests is not a ratio of noise. */
const TOKEN_RATE_WINDOW = '15m';
/** How long a reuse keeps the alert firing: long enough to be seen and acted on, short enough to resolve itself. */
const REUSE_WINDOW = '15m';

const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10} %`;

export function buildAuthorizationServerAlertRuleGroups(options: AlertRuleOptions): AlertRuleGroup[] {
  // Its ServiceMonitor scrapes the Service of that name: prometheus-operator sets job to the Service name.
  const server = `job="${AUTHORIZATION_SERVER.name}", namespace="${CLUSTER_NAMESPACES.service}"`;
  const kubeState = `job="kube-state-metrics", namespace="${CLUSTER_NAMESPACES.service}"`;
  const notProbes = `route!~"${PATHS.health}|${PATHS.ready}"`;
  const events = AUTHORIZATION_SERVER_ALERT_EVENTS;
  const t = AUTHORIZATION_SERVER_ALERT_THRESHOLDS;
  const w = RATE_WINDOW;
  const tw = TOKEN_RATE_WINDOW;

  const reuses = `mcp_as_events_total{${server}, event=~"${events.refreshTokenReuse}|${events.codeReuse}"}`;
  const tokensRefused = `sum(rate(mcp_as_token_errors_total{${server}}[${tw}]))`;
  // No token issued at all is the worst case, not "no data": an absent series counts as zero.
  const tokensIssued = `(sum(rate(mcp_as_events_total{${server}, event="${events.token}", outcome="ok"}[${tw}])) or vector(0))`;
  const tokenRequests = `(${tokensRefused} + ${tokensIssued})`;

  const rule = alertRule(options.runbookBaseUrl);

  return [
    {
      name: 'mcp-authorization-server',
      rules: [
        rule(
          'McpAuthorizationServerNoReadyPods',
          'critical',
          '5m',
          `max by (namespace, deployment) (kube_deployment_status_replicas_available{${kubeState}, deployment="${AUTHORIZATION_SERVER.name}"}) < 1`,
          'No authorization server pod is ready: MCP clients cannot sign in or refresh tokens',
          'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has no available replica: sign-ins, token refreshes and its JWKS get 503 from the gateway; access tokens already issued keep working until they expire.',
        ),
        rule(
          'McpAuthorizationServerMetricsAbsent',
          'warning',
          '10m',
          `absent(up{${server}} == 1)`,
          'Prometheus scrapes no authorization server target',
          `No ${AUTHORIZATION_SERVER.name} metrics target in namespace ${CLUSTER_NAMESPACES.service} has been up for 10 minutes: the server is down or its scrape is broken, and every other McpAuthorizationServer alert is blind meanwhile.`,
        ),
        rule(
          'McpAuthorizationServerTokenReuse',
          'warning',
          '0m',
          // A labelled counter appears at its first increment, at 1: increase() needs two samples and misses the first
          // reuse of each pod, which is likely the only one. A series that did not exist a window ago counts too.
          `sum by (namespace, event) (
  (increase(${reuses}[${REUSE_WINDOW}]) > 0)
  or
  (${reuses} unless ${reuses} offset ${REUSE_WINDOW})
) > 0`,
          'A refresh token or authorization code was presented twice: a stolen token may be in use',
          'The authorization server saw {{ $value | humanize }} {{ $labels.event }} in the last 15 minutes: it revoked each grant concerned and every token of it. Find the account and client in the audit trail.',
        ),
        rule(
          'McpAuthorizationServerTokenRefusals',
          'warning',
          '15m',
          `${tokensRefused} / ${tokenRequests} > ${t.tokenRefusedRatio}
and
${tokenRequests} > ${t.tokenMinRequestsPerSecond}`,
          `The authorization server refuses more than ${percent(t.tokenRefusedRatio)} of token requests`,
          '{{ $value | humanizePercentage }} of token requests (code exchanges and refreshes) were refused with an OAuth error over the last 15 minutes.',
        ),
        rule(
          'McpAuthorizationServerHighErrorRate',
          'critical',
          '5m',
          `(
  sum(rate(mcp_as_http_requests_total{${server}, status=~"5..", ${notProbes}}[${w}]))
/
  sum(rate(mcp_as_http_requests_total{${server}, ${notProbes}}[${w}]))
) > ${t.errorRatio}
and
sum(rate(mcp_as_http_requests_total{${server}, ${notProbes}}[${w}])) > ${t.errorMinRequestsPerSecond}`,
          `The authorization server answers 5xx to more than ${percent(t.errorRatio)} of requests`,
          '{{ $value | humanizePercentage }} of requests to the authorization server (health probes excluded) answered 5xx over the last 5 minutes: sign-ins, consents or token requests are failing.',
        ),
      ],
    },
  ];
}
